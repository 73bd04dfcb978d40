"""Forms for workshops."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.forms import Form, OfficeDateTimeField
from consult.models import CommentKind


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WorkshopForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    starts_at = OfficeDateTimeField(
        _l("Date and time (Vietnam time)"),
        validators=[InputRequired()],
    )
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=500)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    agenda = CheckboxList(_l("Sections on the agenda"), coerce=int)
    invited = CheckboxList(_l("Invited bodies"), coerce=int)
    submit = SubmitField(_l("Save"))

    def __init__(self, sections, departments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda.choices = [(s.id, s.title) for s in sections]
        self.invited.choices = [(d.id, d.name) for d in departments]


class GuestForm(Form):
    guest_name = StringField(_l("Guest's name"), validators=[DataRequired(), Length(max=255)])
    guest_organization = StringField(_l("Organization"), validators=[Optional(), Length(max=255)])
    submit = SubmitField(_l("Add the guest"))


class FloorCommentForm(Form):
    participant_id = SelectField(_l("Who spoke"), coerce=int, validators=[DataRequired()])
    section_id = SelectField(_l("Section"), coerce=int, validators=[Optional()])
    kind = SelectField(_l("Kind of comment"), validators=[DataRequired()])
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField(_l("Record the comment"))

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant_id.choices = [(p.id, p.name) for p in workshop.participants]
        self.section_id.choices = [(0, _l("General comment"))] + [
            (s.id, s.title) for s in workshop.draft.sections
        ]
        self.kind.choices = [(k.value, k.label) for k in CommentKind]
