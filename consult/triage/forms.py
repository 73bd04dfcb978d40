"""Forms for answering and triaging comments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import Form
from consult.models import CommentStatus

ANSWER_STATUSES = list(CommentStatus)


def _status_choices():
    return [(s.value, s.label) for s in ANSWER_STATUSES]


def _member_choices(members):
    return [(0, _l("— Nobody —"))] + [(m.id, m.full_name) for m in members]


class AnswerForm(Form):
    status = SelectField(_l("Result"), validators=[DataRequired()])
    answer = TextAreaField(
        _l("Answer (tiếp thu, giải trình)"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Required for every result except new and under review."),
        render_kw={"rows": 6},
    )
    assignee_id = SelectField(_l("Assigned to"), coerce=int, validators=[Optional()])
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _status_choices()
        self.assignee_id.choices = _member_choices(members)


class LinkForm(Form):
    section_id = SelectField(_l("Taken into account in"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save the link"))

    def __init__(self, sections, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_id.choices = [(0, _l("— Not linked —"))] + [(s.id, s.title) for s in sections]


class MessageForm(Form):
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(), Length(max=10000)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Send"))


class BulkForm(Form):
    action = SelectField(_l("Action"), validators=[DataRequired()])
    assignee_id = SelectField(_l("Assign to"), coerce=int, validators=[Optional()])
    status = SelectField(_l("Result"), validators=[Optional()])
    answer = TextAreaField(
        _l("One answer for all the selected comments"),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Apply to the selected comments"))

    def validate(self, extra_validators=None) -> bool:
        # The result is optional for "assign" but required for "answer": a rule across fields.
        valid = super().validate(extra_validators)
        if valid and self.action.data == "answer" and not self.status.data:
            self.status.errors = [_l("Choose the result.")]
            return False
        return valid

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [
            ("assign", _l("Assign to")),
            ("answer", _l("Set the result and answer")),
        ]
        self.assignee_id.choices = _member_choices(members)
        self.status.choices = _status_choices()
