"""Forms for writing comments and submitting a department's response."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.forms import Form, OfficeDateField, OfficeDateTimeField
from consult.models import CommentKind
from consult.services.word import Choice
from consult.uploads import megabytes


class CommentForm(Form):
    section_id = HiddenField()
    kind = SelectField(_l("Kind of comment"), validators=[DataRequired()])
    quote = TextAreaField(
        _l("Quoted passage (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Copy the words of the section your comment is about."),
        render_kw={"rows": 2},
    )
    # The page's text just before and after the selected passage (static/js/comments.js):
    # which occurrence is meant when the passage occurs more than once.
    quote_prefix = HiddenField(validators=[Optional(), Length(max=400)])
    quote_suffix = HiddenField(validators=[Optional(), Length(max=400)])
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(), Length(max=20000)],
        render_kw={"rows": 6},
    )
    proposed_text = TextAreaField(
        _l("Proposed wording (optional)"),
        validators=[Optional(), Length(max=20000)],
        description=_l("How the passage should read instead."),
        render_kw={"rows": 3},
    )
    proposes_deletion = BooleanField(
        _l("Propose deleting the quoted passage (or the whole section, without a quote)"),
        description=_l("Leave the proposed wording empty: the proposal is to delete."),
    )
    files = MultipleFileField(_l("Attachments (optional)"))
    submit = SubmitField(_l("Save as our department's draft comment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in CommentKind]
        self.files.description = _(
            "PDF, Word, Excel or images; up to %(n)d files of %(size)s MB each.",
            n=current_app.config["MAX_ATTACHMENTS"],
            size=megabytes(current_app.config["MAX_ATTACHMENT_BYTES"]),
        )


class LetterMixin:
    letter_number = StringField(
        _l("Official letter number (công văn)"),
        validators=[Optional(), Length(max=64)],
    )
    letter_date = OfficeDateField(_l("Letter date"), validators=[Optional()])
    letter = FileField(
        _l("Scanned official letter (optional)"), description=_l("PDF, PNG or JPEG.")
    )

    def number_example_for(self, department) -> None:
        """The letter number's example in the body's own symbol (125/SGTVT-VP for SGTVT)."""
        example = f"125/{department.code}-VP"
        self.letter_number.description = _("For example %(number)s.", number=example)
        self.letter_number.render_kw = {**(self.letter_number.render_kw or {}),
                                        "placeholder": example}  # fmt: skip


class ResponseForm(LetterMixin, Form):
    note = TextAreaField(_l("Covering note (optional)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Submit the department's response"))


class AgreeForm(LetterMixin, Form):
    submit = SubmitField(_l("Submit: we agree with the draft, no comments"))


class ExtensionForm(Form):
    department_id = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])
    until = OfficeDateTimeField(
        _l("Its own deadline (Vietnam time)"),
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Grant the extension"))


class ConsultationSettingsForm(Form):
    departments_see_each_other = BooleanField(
        _l("Departments can read each other's submitted comments")
    )
    silence_counts_as_agreement = BooleanField(
        _l("A body that does not answer is considered to agree (said in the report)")
    )
    invited = SelectMultipleField(
        _l("Invited bodies"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    submit = SubmitField(_l("Save"))


class WordUploadForm(Form):
    file = FileField(
        _l("The marked-up Word file (.docx)"),
        validators=[FileRequired(_l("Choose the file."))],
        description=_l(
            "The copy downloaded for review (or any .docx of this draft), with comments and "
            "tracked changes made in Word, LibreOffice or an online office suite."
        ),
    )
    submit = SubmitField(_l("Read the file"))


MAX_LINE_TEXT = 20000


def word_choices(data, lines) -> tuple[list, list[str]]:
    """The preview's ticked lines with their edited text, and the problems found in them."""
    choices, problems = [], []
    for line in lines:
        if not line.can_save or not data.get(f"keep-{line.number}"):
            continue
        body = (data.get(f"body-{line.number}") or "").strip()
        proposed = (data.get(f"proposed-{line.number}") or "").strip() or None
        if not body:
            problems.append(_("Line %(n)d: write the comment.", n=line.number))
        elif len(body) > MAX_LINE_TEXT or len(proposed or "") > MAX_LINE_TEXT:
            problems.append(
                _("Line %(n)d: at most %(max)d characters.", n=line.number, max=MAX_LINE_TEXT)
            )
        else:
            choices.append(Choice(line.number, body, proposed))
    return choices, problems
