"""Form validators shared by several areas."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why ``password`` is too weak, or None. Shared by forms and the CLI."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return str(_l("The password must have at least %(n)d characters.", n=PASSWORD_MIN_LENGTH))
    if len(password) > PASSWORD_MAX_LENGTH:
        return str(_l("The password must have at most %(n)d characters.", n=PASSWORD_MAX_LENGTH))
    if password.isdigit() or password.isalpha():
        return str(_l("The password must mix letters with digits or symbols."))
    if email and password.strip().lower() == email.strip().lower():
        return str(_l("The password must not be the email address."))
    return None


class PasswordPolicy:
    """WTForms validator applying :func:`password_problem`; reads an ``email`` field if any."""

    def __call__(self, form, field) -> None:
        email_field = getattr(form, "email", None)
        email = (
            email_field.data
            if email_field is not None
            else getattr(getattr(form, "user", None), "email", None)
        )
        problem = password_problem(field.data or "", email)
        if problem:
            raise ValidationError(problem)
