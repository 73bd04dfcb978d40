"""Forms of the consolidation page: one change, apply all, undo."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from consult.forms import Form, IdField, IdListField
from consult.models import ChangeKind

MAX_WORDING = 20000


class ChangeForm(Form):
    section_id = IdField(validators=[DataRequired()])
    comments = IdListField(validators=[DataRequired()])
    kind = SelectField(
        choices=[SelectChoice(k.value, k.label) for k in ChangeKind], validators=[DataRequired()]
    )
    start = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0)])
    end = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0)])
    position = IntegerField(_l("Where"), validators=[Optional(), NumberRange(min=0)])
    wording = TextAreaField(
        _l("Wording to apply"),
        validators=[Optional(), Length(max=MAX_WORDING)],
        render_kw={"rows": 4},
    )
    base = HiddenField(validators=[DataRequired(), Length(max=32)])


class ApplyAllForm(Form):
    section_id = IdField(validators=[Optional()])


class UndoForm(Form):
    change_id = IdField(validators=[DataRequired()])
