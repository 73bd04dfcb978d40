"""The base form of every form in the portal, and forms used across areas."""

from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Regexp
from wtforms.widgets import HiddenInput, TextInput

from consult.text import single_line, xml_safe
from consult.timeutil import (
    DATE_FORMAT,
    DATE_PLACEHOLDER,
    DATETIME_FORMAT,
    DATETIME_PLACEHOLDER,
    DateInputError,
    parse_date,
    parse_datetime,
)
from consult.utils import MAX_ID, parse_id


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


def date_input_message(error: DateInputError, with_time: bool) -> str:
    """What is wrong with a typed date, in the user's language."""
    if error.kind == "day":
        return _("%(value)s is not a real date.", value=error.text.strip())
    if error.kind == "year":
        return _("Enter a date between 1900 and 2199.")  # MIN_YEAR, MAX_YEAR
    if with_time:
        if error.kind == "time":
            return _("Give the time as HH:MM after the date, for example 31/12/2026 17:00.")
        return _("Enter the date and time as dd/mm/yyyy HH:MM, for example 31/12/2026 17:00.")
    return _("Enter the date as dd/mm/yyyy, for example 31/12/2026.")


class _OfficeDateBase(Field):
    """A date typed as Vietnamese offices write it, parsed on the server (consult.timeutil).

    A plain text box, not ``<input type="date">``: the browser's own picker follows the
    browser's language (one showed mm/dd/yyyy), and its value cannot be checked or
    explained in the portal's words. Required fields use ``InputRequired`` (``DataRequired``
    would replace the message about a date that does not exist with "required").
    """

    widget = TextInput()
    with_time = False
    placeholder = DATE_PLACEHOLDER
    inputmode = "numeric"
    # A hint for the browser; the server decides (it also takes 31-12-2026 and 31122026).
    pattern = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2})\s*"
    hint = _l("Day/month/year, for example 31/12/2026.")
    display_format = DATE_FORMAT

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", self.hint)
        render_kw = {
            "placeholder": self.placeholder,
            "pattern": self.pattern,
            "title": kwargs["description"],
            "autocomplete": "off",
            "class": "date-input",
        }
        if self.inputmode:
            render_kw["inputmode"] = self.inputmode
        kwargs["render_kw"] = {**render_kw, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def _parse(self, text: str):
        return parse_date(text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime(self.display_format) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0] or not valuelist[0].strip():
            self.data = None
            self.raw_data = []  # blanks are no input: InputRequired and Optional see none
            return
        try:
            self.data = self._parse(valuelist[0])
        except DateInputError as error:
            self.data = None
            raise ValueError(date_input_message(error, self.with_time)) from None


class OfficeDateField(_OfficeDateBase):
    """A day typed as dd/mm/yyyy; ``data`` is a ``date``."""


class OfficeDateTimeField(_OfficeDateBase):
    """A day and a time typed as dd/mm/yyyy HH:MM (Vietnam time); ``data`` is a naive
    wall-clock ``datetime`` (consult.timeutil.from_vietnam_local makes it UTC)."""

    with_time = True
    placeholder = DATETIME_PLACEHOLDER
    inputmode = None  # a digit pad has no space or colon
    pattern = (
        r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2})"
        r"(\s+|\s*[,T]\s*)\d{1,2}([:hHgG.]\d{2})?\s*"
        r"|\s*\d{1,2}([:hHgG.]\d{2})?(\s+|\s*,\s*)\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}\s*"
    )
    hint = _l("Day/month/year and hour:minute, for example 31/12/2026 17:00.")
    display_format = DATETIME_FORMAT

    def _parse(self, text: str):
        return parse_datetime(text)


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


class IdField(IntegerField):
    """A database id sent back in a hidden field. A number no id column can hold is refused
    by the form (PostgreSQL would fail the query on it, SQLite find nothing)."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), NumberRange(min=1, max=MAX_ID)], **kwargs)


def _as_id(value) -> int:
    parsed = parse_id(str(value))
    if not parsed:  # not an id, or 0
        raise ValueError(value)
    return parsed


class IdListField(SelectMultipleField):
    """Ids sent as repeated hidden fields or checkboxes, checked by the service (which of
    them may be used), not against a list of choices; anything but an id is refused here."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=_as_id, **kwargs)

    def pre_validate(self, form):
        pass
