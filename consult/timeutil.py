"""Vietnam time for people, UTC for storage."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def from_vietnam_local(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in a form (Vietnam time) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=VIETNAM).astimezone(UTC)


def to_vietnam_local(value: datetime | None) -> datetime | None:
    """An aware datetime as naive Vietnam wall-clock time, to fill a form field."""
    if value is None:
        return None
    return value.astimezone(VIETNAM).replace(tzinfo=None)
