"""Forms for managing departments and accounts."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from consult.forms import Form, short_code_field
from consult.models import Department, DepartmentKind, Role
from consult.validators import PasswordPolicy


class DepartmentForm(Form):
    code = short_code_field(_l("For example SKHDT or Q-NK."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=255)],
    )
    phone = StringField(
        _l("Contact phone"),
        validators=[
            Optional(),
            Length(max=32),
            Regexp(r"^\+?[0-9][0-9 .()-]*$", message=_l("Digits, spaces, +, -, ( ) and . only.")),
        ],
        description=_l("For example 0292 3820 123."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in DepartmentKind]


class UserForm(Form):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=255)]
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=255)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    department_id = SelectField(_l("Department"), coerce=int, validators=[Optional()])
    locale = SelectField(_l("Language of e-mails"), validators=[Optional()])
    may_create_proposals = BooleanField(
        _l("May start proposals"),
        description=_l("The account creates proposals and chairs the board of each it creates."),
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), PasswordPolicy()],
        description=_l("Give it to the person securely; they can change it after signing in."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.value, r.label) for r in Role]
        self.department_id.choices = [(0, _l("— None (administrators only) —"))] + [
            (d.id, f"{d.name} ({d.code})") for d in Department.active_choices()
        ]
        self.locale.choices = list(current_app.config["LANGUAGES"].items())
        if editing:
            del self.password

    @property
    def department(self) -> Department | None:
        from consult.extensions import db

        return (
            db.session.get(Department, self.department_id.data) if self.department_id.data else None
        )


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), PasswordPolicy()])
    submit = SubmitField(_l("Set password"))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class DepartmentImportForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Choose a .csv file."))],
        description=_l(
            "Columns: code, name, kind (department, district, enterprise, other), email."
        ),
    )
    submit = SubmitField(_l("Import"))
