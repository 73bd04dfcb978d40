"""Office hours for the demo: whatever the hour ``seed-demo`` runs, what the demo shows
happened on a working day between 08:00-11:30 or 13:30-17:00, Vietnam time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from consult.timeutil import from_vietnam_local, in_vietnam

MORNING = (time(8, 0), time(11, 30))
AFTERNOON = (time(13, 30), time(17, 0))
# Minutes of office time in a day, and where the morning ends in them.
_MORNING_MINUTES = 210
_DAY_MINUTES = 420


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def is_office_time(value: datetime) -> bool:
    """On a working day (Monday to Friday), in the morning or afternoon hours."""
    local = in_vietnam(value)
    if local.weekday() >= 5:
        return False
    t = local.time().replace(second=0, microsecond=0)
    return any(start <= t <= end for start, end in (MORNING, AFTERNOON))


@dataclass(frozen=True)
class DemoClock:
    """The demo's "now" (injectable, for tests) and the office times built from it."""

    now: datetime

    @property
    def today(self) -> date:
        return in_vietnam(self.now).date()

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """``day`` at that Vietnam wall-clock time, as an aware UTC datetime."""
        return from_vietnam_local(datetime.combine(day, time(hour, minute)))

    def working_day(self, days: int, *, forward: bool = False) -> date:
        """Today moved by ``days`` calendar days, then to the nearest working day before
        it (or after it, when ``forward``)."""
        day = self.today + timedelta(days=days)
        step = timedelta(days=1 if forward else -1)
        while day.weekday() >= 5:
            day += step
        return day

    def last_working_day(self) -> date:
        """The working day before today (a workshop "held yesterday")."""
        day = self.today - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def office(self, day: date, share: float) -> datetime:
        """A time of ``day``'s office hours: ``share`` 0 is 08:00, 1 is 17:00, the lunch
        break left out."""
        minutes = round(max(0.0, min(1.0, share)) * _DAY_MINUTES)
        start = MORNING[0] if minutes <= _MORNING_MINUTES else AFTERNOON[0]
        offset = minutes if minutes <= _MORNING_MINUTES else minutes - _MORNING_MINUTES
        total = _minutes(start) + offset
        return self.at(day, total // 60, total % 60)

    def snap(self, value: datetime) -> datetime:
        """The office time nearest before ``value`` (itself when in office hours), never
        later than now: for times computed as spans (a letter two thirds into the period)."""
        local = in_vietnam(min(value, self.now))
        day, t = local.date(), _minutes(local.time())
        if day.weekday() < 5 and _minutes(AFTERNOON[1]) < t:
            t = _minutes(AFTERNOON[1])
        elif day.weekday() < 5 and _minutes(MORNING[1]) < t < _minutes(AFTERNOON[0]):
            t = _minutes(MORNING[1])
        elif day.weekday() >= 5 or t < _minutes(MORNING[0]):
            # Before the office opens (or a weekend): late in the previous working day,
            # spread over its last hours by the minute it was, so letters keep their order.
            day -= timedelta(days=1)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            t = _minutes(AFTERNOON[1]) - 150 + (t % 150)
        return self.at(day, t // 60, t % 60)
