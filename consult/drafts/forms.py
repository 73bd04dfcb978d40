"""Forms for proposals, draft imports, sections and the comment period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from consult.forms import Form, OfficeDateTimeField, short_code_field
from consult.models import Department, Proposal, Seat, User, Visibility

IMPORT_EXTENSIONS = ["docx", "doc", "md", "markdown", "txt"]


class ProposalForm(Form):
    code = short_code_field(_l("Used in addresses and on the command line, e.g. DTTM-CT."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    place = StringField(
        _l("Place of issue"),
        validators=[Optional(), Length(max=100)],
        description=_l("Printed on the reports, e.g. Cần Thơ."),
    )
    visibility = SelectField(_l("Who can read it"), validators=[DataRequired()])
    lead_agency = SelectField(
        _l("Lead agency (cơ quan chủ trì soạn thảo)"),
        coerce=int,
        validators=[DataRequired()],
        description=_l("The body that leads the drafting; it is never consulted on it."),
    )
    board_name = StringField(
        _l("Name of the drafting board"),
        validators=[Optional(), Length(max=255)],
        description=_l("As it signs the reports, e.g. Ban Soạn thảo Đề án đô thị thông minh."),
    )
    # The frame of the board's official papers (Decree 30/2020/NĐ-CP).
    parent_body = StringField(
        _l("Parent body"),
        validators=[Optional(), Length(max=255)],
        description=_l("Printed above the board's name; empty: UBND THÀNH PHỐ CẦN THƠ."),
    )
    document_symbol = StringField(
        _l("Document symbol"),
        validators=[
            Optional(),
            Length(max=32),
            Regexp(
                r"^[^\W_]+(?:-[^\W_]+)*$",
                message=_l("Letters and digits joined by hyphens, e.g. BC-BST."),
            ),
        ],
        description=_l("After the number: Số: .../BC-BST. Empty: BC-BST."),
    )
    recipients = TextAreaField(
        _l("Recipients (Nơi nhận)"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "One per line, e.g. UBND thành phố (để b/c). The archive line (Lưu: VT, BST) is "
            "added when missing. Empty: the board's members."
        ),
    )
    signer_authority = StringField(
        _l("Signing for"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. TM. BAN SOẠN THẢO or KT. TRƯỞNG BAN. Empty: TM. BAN SOẠN THẢO."),
    )
    signer_title = StringField(
        _l("Signer's title"),
        validators=[Optional(), Length(max=100)],
        description=_l("E.g. Trưởng ban or Phó Trưởng ban. Empty: Trưởng ban."),
    )
    signer_name = StringField(
        _l("Signer's name"),
        validators=[Optional(), Length(max=100)],
        description=_l("Empty: the board's chair."),
    )
    submit = SubmitField(_l("Save"))

    PAPER_FIELDS = (
        "parent_body", "document_symbol", "recipients", "signer_authority", "signer_title",
        "signer_name",
    )  # fmt: skip
    MAX_RECIPIENTS = 20
    MAX_RECIPIENT_CHARS = 200

    def paper_settings(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in self.PAPER_FIELDS}

    def validate_recipients(self, field) -> None:
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > self.MAX_RECIPIENTS:
            raise ValidationError(
                _l("At most %(n)d recipients, one per line.", n=self.MAX_RECIPIENTS)
            )
        if any(len(line) > self.MAX_RECIPIENT_CHARS for line in lines):
            raise ValidationError(
                _l("A recipient is at most %(n)d characters.", n=self.MAX_RECIPIENT_CHARS)
            )

    def __init__(
        self, *args, proposal: Proposal | None = None, lead_default: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if self.lead_agency.raw_data in (None, []) and lead_default:
            # Not chosen: the creator's own body leads (what most proposals do).
            self.lead_agency.data = lead_default
        self.visibility.choices = [(v.value, v.label) for v in Visibility]
        bodies = Department.active_choices()
        if proposal is not None and proposal.lead_agency not in bodies:
            bodies.append(proposal.lead_agency)
        self.lead_agency.choices = [(d.id, f"{d.name} ({d.code})") for d in bodies]

    def validate_code(self, field) -> None:
        other = Proposal.by_code(field.data or "")
        if other is not None and (self.proposal is None or other.id != self.proposal.id):
            raise ValidationError(_l("This code is already used by another proposal."))


class DraftImportForm(Form):
    file = FileField(
        _l("Draft file"),
        validators=[
            FileRequired(),
            FileAllowed(
                IMPORT_EXTENSIONS,
                _l("Choose a Word (.docx, .doc), Markdown (.md) or text (.txt) file."),
            ),
        ],
        description=_l(
            "Parts, chapters, articles (Phần, Chương, Mục, Điều) and numbered headings (I., "
            "1., 1.1) are read from the text, in any style; Word and Markdown headings too."
        ),
    )
    change_note = TextAreaField(
        _l("What changed in this draft"), validators=[Optional(), Length(max=5000)]
    )
    submit = SubmitField(_l("Preview"))


class DraftImportConfirmForm(Form):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    change_note = HiddenField(validators=[Optional(), Length(max=5000)])
    split = SelectField(
        _l("Sections"),
        choices=[
            SelectChoice("articles", _l("one per article (its clauses and points in its text)")),
            SelectChoice("clauses", _l("one per clause (khoản) as well")),
            SelectChoice("points", _l("one per point (điểm) as well")),
        ],
        default="articles",
    )
    # Required when the import removes sections (the preview lists them).
    remove_ok = BooleanField(_l("Yes, remove these sections from the draft"), default=False)
    submit = SubmitField(_l("Save the draft"))


class NextDraftForm(Form):
    change_note = TextAreaField(
        _l("What will change in this draft"), validators=[Optional(), Length(max=5000)]
    )
    submit = SubmitField(_l("Start the next draft"))


class DraftNoteForm(Form):
    change_note = TextAreaField(
        _l("What changed in this draft"), validators=[Optional(), Length(max=5000)]
    )
    submit = SubmitField(_l("Save"))


class SectionForm(Form):
    number = StringField(
        _l("Number"),
        validators=[Optional(), Length(max=64)],
        description=_l("As written in the document, e.g. 2.3.1 or Chương II."),
    )
    heading = StringField(_l("Heading"), validators=[DataRequired(), Length(max=2000)])
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=200_000)],
        description=_l(
            "Markdown: a blank line between paragraphs, - for lists, **bold**, *italic*."
        ),
    )
    submit = SubmitField(_l("Save"))


class NewSectionForm(SectionForm):
    level = IntegerField(
        _l("Level"),
        default=1,
        validators=[DataRequired(), NumberRange(min=1, max=6)],
        description=_l("1 = chapter, 2 = section, 3 = sub-section."),
    )
    after = HiddenField()


class PublishForm(Form):
    opens_at = OfficeDateTimeField(
        _l("Comments open at (Vietnam time)"),
        validators=[InputRequired()],
    )
    closes_at = OfficeDateTimeField(
        _l("Deadline (Vietnam time)"),
        validators=[InputRequired()],
    )
    # Sent by the "Publish anyway" button of the confirmation step, when an earlier draft
    # is still open for comments.
    confirm = BooleanField(_l("Publish anyway"), default=False)
    submit = SubmitField(_l("Publish and open the comment period"))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The comment period must close after it opens."))


class ExtendDeadlineForm(Form):
    closes_at = OfficeDateTimeField(
        _l("New deadline (Vietnam time)"),
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Extend the deadline"))


class SeatForm(Form):
    """Give a person a seat on the proposal: board member or workshop organizer."""

    email = StringField(
        _l("Account's email"),
        validators=[DataRequired(), Length(max=255)],
        description=_l("Any account of the portal, whatever its body."),
    )
    seat = SelectField(_l("Seat"), validators=[DataRequired()])
    submit = SubmitField(_l("Add"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat.choices = [(s.value, s.label) for s in (Seat.MEMBER, Seat.ORGANIZER)]
        self.person: User | None = None

    def validate_email(self, field) -> None:
        self.person = User.by_email(field.data or "")
        if self.person is None or not self.person.is_active:
            raise ValidationError(_l("No active account has this email."))


class MemberForm(Form):
    """A POST-only button on one member (remove, hand over the chair)."""

    user_id = HiddenField(validators=[DataRequired()])
