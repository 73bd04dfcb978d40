"""Demo times are office hours, whatever the hour ``seed-demo`` runs (here: 00:58)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from consult.demo.clock import DemoClock, is_office_time
from consult.extensions import db
from consult.models import Comment, DepartmentResponse, Draft, Workshop
from consult.timeutil import in_vietnam

# 00:58 in Vietnam on Friday 5 June 2026, and on Monday 8 June (after a weekend).
FRIDAY_0058 = datetime(2026, 6, 4, 17, 58, tzinfo=UTC)
MONDAY_0058 = datetime(2026, 6, 7, 17, 58, tzinfo=UTC)


@pytest.mark.nodb
def test_office_times_skip_nights_lunch_and_weekends():
    clock = DemoClock(MONDAY_0058)
    assert clock.today == date(2026, 6, 8)
    assert clock.last_working_day() == date(2026, 6, 5)  # the Friday before
    assert in_vietnam(clock.office(clock.today, 0)).strftime("%H:%M") == "08:00"
    assert in_vietnam(clock.office(clock.today, 0.5)).strftime("%H:%M") == "11:30"
    assert in_vietnam(clock.office(clock.today, 0.51)).strftime("%H:%M") == "13:34"
    assert in_vietnam(clock.office(clock.today, 1)).strftime("%H:%M") == "17:00"
    snapped = clock.snap(MONDAY_0058)  # Monday 00:58: late on Friday, before now
    assert in_vietnam(snapped).date() == date(2026, 6, 5) and is_office_time(snapped)
    assert snapped <= MONDAY_0058
    lunch = datetime(2026, 6, 3, 5, 15, tzinfo=UTC)  # Wednesday 12:15 in Vietnam
    assert in_vietnam(clock.snap(lunch)).strftime("%H:%M") == "11:30"


@pytest.mark.parametrize("now", [FRIDAY_0058, MONDAY_0058], ids=["friday", "monday"])
def test_demo_loaded_at_0058_shows_office_hours(app, client, now):
    from consult.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
    from tests.conftest import login

    seed_demo(now=now)
    workshop = db.session.query(Workshop).one()
    starts = in_vietnam(workshop.starts_at)
    assert starts.strftime("%H:%M") == "08:30" and starts.weekday() < 5
    assert workshop.starts_at < now

    comments = db.session.query(Comment).all()
    assert len(comments) >= 40
    off_hours = [
        (c.id, in_vietnam(t).strftime("%a %d/%m %H:%M"))
        for c in comments
        for t in (c.created_at, c.submitted_at, c.answered_at)
        if t is not None and not is_office_time(t)
    ]
    assert not off_hours
    floor = sorted(in_vietnam(c.created_at) for c in comments if c.workshop_id)
    assert floor and all(f.date() == starts.date() and f > starts for f in floor)
    for r in db.session.query(DepartmentResponse):
        assert is_office_time(r.submitted_at), r
    for d in db.session.query(Draft).filter(Draft.opens_at.is_not(None)):
        assert is_office_time(d.opens_at) and is_office_time(d.closes_at), d
        assert is_office_time(d.published_at), d
    open_drafts = [d for d in db.session.query(Draft) if d.closes_at and d.closes_at > now]
    assert open_drafts and all(in_vietnam(d.closes_at).hour == 17 for d in open_drafts)

    login(client, db.session.query(Workshop).one().organizer, DEMO_PASSWORD)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert f"{starts:%d/%m/%Y} 08:30" in page
    assert "00:58" not in page
    assert DEMO_DOMAIN in workshop.organizer.email
