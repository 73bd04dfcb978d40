"""The base form of every form in the portal, and forms used across areas."""

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from consult.text import single_line, xml_safe


class _PortalTranslations:
    """WTForms' own messages ("This field is required.") from the portal's catalogue.

    WTForms ships no Vietnamese catalogue, so its messages are translated in ours.
    Raw lookups: WTForms interpolates its own ``%(min)d``-style variables.
    """

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_translations = _PortalTranslations()


def strip_nul(value):
    """NUL characters are never meant, and PostgreSQL refuses them in text: drop them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [v.replace("\x00", "") if isinstance(v, str) else v for v in value]
    return value


def _cleaner(rule):
    def clean(value):
        if isinstance(value, str):
            return rule(value)
        return value

    return clean


_fold = _cleaner(single_line)
_text = _cleaner(xml_safe)


def text_rule(field_class):
    """The cleaning every field of this kind gets (consult.text): one line for a single-line
    field (a title, a name: they reach e-mail headers and document titles), XML-safe text for
    a text area; a password is taken exactly as typed, NUL apart."""
    if issubclass(field_class, PasswordField):
        return None
    if issubclass(field_class, TextAreaField):
        return _text
    if issubclass(field_class, StringField):
        return _fold
    return None


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _translations

        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), strip_nul]
            rule = text_rule(unbound_field.field_class)
            if rule is not None:
                filters.insert(0, rule)
            return unbound_field.bind(form=form, **{**options, "filters": filters})


class EmptyForm(Form):
    """A POST-only button: carries the CSRF token and nothing else."""


CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def short_code_field(description) -> StringField:
    """The short code of a department or a proposal (SKHDT, DTTM-CT)."""
    return StringField(
        _l("Short code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(CODE_PATTERN, message=_l("Use letters, digits, dots, dashes or underscores.")),
        ],
        description=description,
    )


# WTForms' built-in messages, listed so that pybabel extracts them into our catalogue.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid email address."),
    _l("Invalid value."),
    _l("Invalid input."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Invalid Choice: could not coerce."),
    _l("Field must be equal to %(other_name)s."),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        2,
    ),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        2,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        2,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _ln(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        2,
    ),
    _l("Invalid CSRF token."),
    _l("The CSRF token is missing."),
    _l("The CSRF token has expired."),
)
