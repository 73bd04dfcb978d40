"""Vietnam time for people, UTC for storage; dates written and typed as Vietnamese offices do.

Every page, e-mail and form shows a date as dd/mm/yyyy (a four-digit year) and a time as
HH:MM in Vietnam time, whatever the browser's or the user's language: one set of helpers
here, used by the Jinja filters ``vn_date`` / ``vn_datetime`` (consult/templating.py), the
notification texts and the form fields of consult/forms.py.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
# What a form shows in an empty field (the same in every language).
DATE_PLACEHOLDER = "dd/mm/yyyy"
DATETIME_PLACEHOLDER = "dd/mm/yyyy hh:mm"


def from_vietnam_local(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in a form (Vietnam time) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=VIETNAM).astimezone(UTC)


def to_vietnam_local(value: datetime | None) -> datetime | None:
    """An aware datetime as naive Vietnam wall-clock time, to fill a form field."""
    if value is None:
        return None
    return in_vietnam(value).replace(tzinfo=None)


def in_vietnam(value: datetime) -> datetime:
    """An aware datetime in Vietnam time; a naive one is taken as UTC (as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM)


def _as_datetime(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def format_date(value: date | datetime | str | None) -> str:
    """ "02/12/2026": a date as is, a stored time as its day in Vietnam; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = in_vietnam(value).date()
    return value.strftime(DATE_FORMAT)


def format_datetime(value: datetime | str | None) -> str:
    """ "02/12/2026 08:30": a stored time (aware, or naive UTC, or ISO text) in Vietnam time."""
    if value is None or value == "":
        return ""
    return in_vietnam(_as_datetime(value)).strftime(DATETIME_FORMAT)


def format_time(value: datetime | str | None) -> str:
    """ "08:30": the wall-clock time in Vietnam."""
    if value is None or value == "":
        return ""
    return in_vietnam(_as_datetime(value)).strftime(TIME_FORMAT)


class DateInputError(ValueError):
    """What is wrong with a typed date: ``kind`` is "format" (not dd/mm/yyyy [HH:MM]),
    "day" (no such day, e.g. 31/02/2027), "year" (outside 1900-2199) or "time" (no such
    time, e.g. 25:10, or none given)."""

    def __init__(self, kind: str, text: str):
        super().__init__(f"{kind}: {text!r}")
        self.kind = kind
        self.text = text


# Separators people type: 31/12/2026, 31-12-2026, 31.12.2026, or 31122026 on a digit pad.
_DATE = r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})|(\d{2})(\d{2})(\d{4})"
_TIME = r"(\d{1,2})(?:[:hg.](\d{2})?)?|(\d{2})(\d{2})"
_DATE_RE = re.compile(rf"^\s*(?:{_DATE})\s*$", re.ASCII)
_DATETIME_RE = re.compile(
    rf"^\s*(?:{_DATE})(?:\s+|\s*[,T]\s*)(?:{_TIME})\s*$", re.IGNORECASE | re.ASCII
)
_TIME_FIRST_RE = re.compile(
    rf"^\s*(?:{_TIME})(?:\s+|\s*,\s*)(?:{_DATE})\s*$", re.IGNORECASE | re.ASCII
)
_ISO_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$", re.ASCII)
_ISO_DATETIME_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?\s*$", re.ASCII)

# Years a consultation can be about: outside them a typed year is a slip of the keyboard.
MIN_YEAR, MAX_YEAR = 1900, 2199


def _day(text: str, groups: tuple) -> date:
    d, m, y = groups[:3] if groups[0] else groups[3:6]
    year = int(y)
    typed = f"{d}/{m}/{y}"  # the day alone, as the message names it
    try:
        day = date(year, int(m), int(d))
    except ValueError:
        raise DateInputError("day", typed) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateInputError("year", typed)
    return day


def _time(text: str, groups: tuple) -> time:
    h, mi = (groups[0], groups[1] or "0") if groups[0] else groups[2:4]
    try:
        return time(int(h), int(mi))
    except ValueError:
        raise DateInputError("time", text) from None


def parse_date(text: str) -> date:
    """A date typed as dd/mm/yyyy (also with - or . or no separators), or sent as yyyy-mm-dd
    (a link, a program). Raises DateInputError."""
    match = _DATE_RE.match(text or "")
    if match:
        return _day(text, match.groups())
    match = _ISO_DATE_RE.match(text or "")
    if match:
        year, month, day = match.groups()
        return _day(text, (day, month, year))
    raise DateInputError("format", text)


def parse_datetime(text: str) -> datetime:
    """A date and time typed as "dd/mm/yyyy HH:MM" (or "HH:MM dd/mm/yyyy", or sent as ISO
    yyyy-mm-ddTHH:MM), as a naive wall-clock time (Vietnam time: see from_vietnam_local).
    Raises DateInputError."""
    match = _DATETIME_RE.match(text or "")
    if match:
        groups = match.groups()
        return datetime.combine(_day(text, groups[:6]), _time(text, groups[6:]))
    match = _TIME_FIRST_RE.match(text or "")
    if match:
        groups = match.groups()
        return datetime.combine(_day(text, groups[4:]), _time(text, groups[:4]))
    if _ISO_DATETIME_RE.match(text or ""):  # what a program (or an old browser form) sends
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError:
            raise DateInputError("day", text.strip()[:10]) from None
        return datetime.combine(_day(text, (value.day, value.month, value.year)), value.time())
    if _DATE_RE.match(text or "") or _ISO_DATE_RE.match(text or ""):
        raise DateInputError("time", text)  # a day without its time
    raise DateInputError("format", text)


def parse_date_or_none(text: str | None) -> date | None:
    """A date typed in a filter or a URL, or None when it is none (filters ignore a bad one)."""
    if not text:
        return None
    try:
        return parse_date(text)
    except DateInputError:
        return None
