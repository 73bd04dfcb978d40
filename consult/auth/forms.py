"""Forms for signing in and changing a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

from consult.forms import Form
from consult.models import ApiScope
from consult.services.api_tokens import DEFAULT_DAYS, MAX_DAYS
from consult.validators import PasswordPolicy


class LoginForm(Form):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember_me = BooleanField(_l("Keep me signed in on this computer"))
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=256)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), PasswordPolicy()])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    # The current password is checked by the view through account_service.confirm_password,
    # which counts wrong ones towards the lockout; and only then is the new one compared
    # with it (before, "choose a different password" told whether a guess was right).

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class ApiTokenForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. the e-office synchronisation."),
    )
    scope = SelectField(_l("Access"), default=ApiScope.READ.value)
    days = IntegerField(
        _l("Valid for (days)"),
        default=DEFAULT_DAYS,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_DAYS)],
    )
    submit = SubmitField(_l("Create the token"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope.choices = [(s.value, s.label) for s in ApiScope]
