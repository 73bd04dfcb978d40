"""Dates as Vietnamese offices write and type them: dd/mm/yyyy, HH:MM, Vietnam time."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from consult.documents.texts import describe
from consult.extensions import db
from consult.models import Notification, NotificationKind
from consult.timeutil import (
    DateInputError,
    format_date,
    format_datetime,
    format_time,
    parse_date,
    parse_datetime,
)
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.nodb
def test_times_are_written_dd_mm_yyyy_hh_mm_in_vietnam_time():
    evening_utc = datetime(2026, 12, 3, 17, 58, tzinfo=UTC)  # 00:58 on 4 December in Vietnam
    assert format_datetime(evening_utc) == "04/12/2026 00:58"
    assert format_date(evening_utc) == "04/12/2026"
    assert format_time(evening_utc) == "00:58"
    assert format_date(date(2027, 2, 5)) == "05/02/2027"
    assert format_datetime("2026-12-03T01:30:00+00:00") == "03/12/2026 08:30"
    assert format_datetime(None) == format_date(None) == ""


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        ("1/2/2027", date(2027, 2, 1)),
        ("01-02-2027", date(2027, 2, 1)),
        ("01.02.2027", date(2027, 2, 1)),
        ("01022027", date(2027, 2, 1)),
        (" 2027-02-01 ", date(2027, 2, 1)),
    ],
)
def test_dates_are_read_day_first(typed, day):
    assert parse_date(typed) == day


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("31/02/2027", "day"),
        ("12/31/2026", "day"),  # what an American-style picker would give
        ("2027-02-31", "day"),
        ("31/12/26", "format"),  # a two-digit year
        ("hôm nay", "format"),
        ("01/01/0001", "year"),
        ("٣١/١٢/٢٠٢٦", "format"),  # digits of another script are no date typed here
    ],
)
def test_bad_dates_say_what_is_wrong(typed, kind):
    with pytest.raises(DateInputError) as caught:
        parse_date(typed)
    assert caught.value.kind == kind


@pytest.mark.nodb
def test_date_and_time_are_read_as_typed():
    assert parse_datetime("31/12/2026 17:00") == datetime(2026, 12, 31, 17, 0)
    assert parse_datetime("31/12/2026, 8h30") == datetime(2026, 12, 31, 8, 30)
    assert parse_datetime("08:30 02/12/2026") == datetime(2026, 12, 2, 8, 30)
    assert parse_datetime("2026-12-31T17:00") == datetime(2026, 12, 31, 17, 0)
    for typed, kind in [("31/12/2026", "time"), ("31/12/2026 25:00", "time"),
                        ("30/02/2027 08:00", "day"), ("12-31-2026 5pm", "format")]:  # fmt: skip
        with pytest.raises(DateInputError) as caught:
            parse_datetime(typed)
        assert caught.value.kind == kind, typed


@pytest.mark.nodb
def test_no_browser_date_picker_and_no_wtforms_date_field_is_left():
    """The browser's own pickers follow the browser's language: one showed mm/dd/yyyy."""
    pickers = re.compile(r"""type=["']?(date|datetime-local|datetime|month|week|time)\b""")
    for path in (ROOT / "templates").rglob("*.html"):
        assert not pickers.search(path.read_text(encoding="utf-8")), path
    fields = re.compile(r"\b(DateField|DateTimeLocalField|DateTimeField|TimeField)\b")
    for path in (ROOT / "consult").rglob("*.py"):
        assert not fields.search(path.read_text(encoding="utf-8")), path


def test_pages_show_vietnamese_office_dates_in_both_languages(client, consultation):
    c = consultation
    c.draft.closes_at = datetime(2030, 12, 4, 10, 0, tzinfo=UTC)
    db.session.commit()
    login(client, c.people.reviewer)
    page = client.get(c.base).get_data(as_text=True)
    assert "04/12/2030 17:00" in page
    client.post("/language/en", data={"next": "/"})
    page = client.get(c.base).get_data(as_text=True)
    assert "04/12/2030 17:00" in page
    assert "12/4/30" not in page and "4/12/30" not in page


def test_notification_texts_write_dates_the_same_way(app):
    note = Notification(
        kind=NotificationKind.DEADLINE_EXTENDED,
        params={"draft": 3, "proposal": "Đề án", "deadline": "2030-12-04T10:00:00+00:00"},
    )
    with app.test_request_context():
        assert "04/12/2030 17:00" in " ".join(describe(note).lines)


def test_deadline_is_typed_dd_mm_yyyy_hh_mm_and_shown_back_so(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    form = client.get(f"{c.base}/deadline").get_data(as_text=True)
    assert 'placeholder="dd/mm/yyyy hh:mm"' in form
    assert "datetime-local" not in form
    response = client.post(f"{c.base}/deadline", data={"closes_at": "10/01/2031 17:00"})
    assert response.status_code == 302
    db.session.expire_all()
    assert c.draft.closes_at == datetime(2031, 1, 10, 10, 0, tzinfo=UTC)
    form = client.get(f"{c.base}/deadline").get_data(as_text=True)
    assert 'value="10/01/2031 17:00"' in form


def test_a_date_that_does_not_exist_is_refused_in_the_users_language(client, consultation):
    c = consultation
    before = c.draft.closes_at
    login(client, c.people.drafting)
    response = client.post(f"{c.base}/deadline", data={"closes_at": "31/02/2031 17:00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "31/02/2031 không phải là ngày có thật." in page
    assert 'value="31/02/2031 17:00"' in page  # what was typed is kept to correct it
    client.post("/language/en", data={"next": "/"})
    page = client.post(f"{c.base}/deadline", data={"closes_at": "31/02/2031"}).get_data(
        as_text=True
    )
    assert "Give the time as HH:MM after the date" in page
    page = client.post(f"{c.base}/deadline", data={"closes_at": "2/31/31 5pm"}).get_data(
        as_text=True
    )
    assert "Enter the date and time as dd/mm/yyyy HH:MM" in page
    page = client.post(f"{c.base}/deadline", data={"closes_at": "  "}).get_data(as_text=True)
    assert "This field is required." in page
    db.session.expire_all()
    assert c.draft.closes_at == before


def test_letter_date_is_typed_dd_mm_yyyy(client, consultation):
    c = consultation
    login(client, c.people.lead)
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    # With no draft comment the lead is offered "agrees with the draft", with its letter date.
    assert 'name="agree-letter_date"' in page and 'type="date"' not in page
    assert 'placeholder="dd/mm/yyyy"' in page and 'inputmode="numeric"' in page


def test_audit_filter_takes_dd_mm_yyyy_and_shows_it_back(client, consultation):
    login(client, consultation.people.admin)
    page = client.get("/admin/audit?start=01/12/2030&end=31/12/2030").get_data(as_text=True)
    assert 'value="01/12/2030"' in page and 'value="31/12/2030"' in page
    assert 'type="date"' not in page


def test_report_filter_takes_dd_mm_yyyy_and_keeps_a_bad_one_to_correct(client, consultation):
    from consult.services.reports import ReportFilters

    c = consultation
    login(client, c.people.drafting)
    page = client.get(f"{c.base}/report?from=01/05/2030&to=31/02/2030").get_data(as_text=True)
    assert 'value="01/05/2030"' in page and 'value="31/02/2030"' in page
    assert ReportFilters.from_args({"from": "01/05/2030"}).date_from == date(2030, 5, 1)
    assert ReportFilters.from_args({"from": "2030-05-01"}).date_from == date(2030, 5, 1)
    assert ReportFilters.from_args({"from": "31/02/2030"}).date_from is None
