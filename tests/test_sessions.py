"""Sessions are rows on the server (issue 17, finding 3): signing out ends one for good, a
new sign-in gets a new token, and people see and end their other sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from consult.extensions import db
from consult.models import Role, UserSession
from consult.models.base import utcnow
from tests.conftest import PASSWORD


def _sign_in(app, user, remember=True):
    client = app.test_client()
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "remember_me": "y" if remember else ""},
        headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0"},
    )
    assert response.status_code == 302
    return client


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def _with_cookies(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value, domain="localhost")
    return client


def _signed_in(client) -> bool:
    return client.get("/notifications").status_code == 200


def test_signing_out_ends_the_session_and_the_remember_cookie(app, make_user):
    user = make_user(Role.REVIEWER)
    client = _sign_in(app, user)
    session, remember = _cookie(client, "session"), _cookie(client, "remember_token")
    assert session and remember
    assert _signed_in(_with_cookies(app, session=session))
    assert _signed_in(_with_cookies(app, remember_token=remember))

    client.post("/logout")
    assert not _signed_in(client)
    assert not _signed_in(_with_cookies(app, session=session))
    assert not _signed_in(_with_cookies(app, remember_token=remember))


def test_each_sign_in_gets_a_new_token_and_none_lasts_a_year(app, make_user):
    user = make_user(Role.REVIEWER)
    first, second = _sign_in(app, user), _sign_in(app, user)
    assert _cookie(first, "remember_token") != _cookie(second, "remember_token")
    rows = list(db.session.scalars(select(UserSession)))
    assert len(rows) == 2 and rows[0].token_hash != rows[1].token_hash
    assert all(r.expires_at < utcnow() + timedelta(days=31) for r in rows)
    # Tokens are kept hashed: a copy of the database opens no session.
    assert all(_cookie(first, "remember_token").split("|")[0] not in r.token_hash for r in rows)


def test_an_expired_session_is_signed_out(app, make_user):
    user = make_user(Role.REVIEWER)
    client = _sign_in(app, user)
    db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not _signed_in(client)


def test_people_see_their_sessions_and_end_another(app, make_user):
    user = make_user(Role.REVIEWER)
    office, phone = _sign_in(app, user), _sign_in(app, user)
    someone_else = _sign_in(app, make_user(Role.REVIEWER))
    page = office.get("/account/sessions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Firefox" in html and html.count('name="session_id"') == 2
    assert page.headers["Cache-Control"].startswith("no-store")

    mine = list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)))
    other = [s for s in mine if s.id != max(s.id for s in mine)][0]  # the office's, first
    phone_row = max(mine, key=lambda s: s.id)
    assert (
        office.post("/account/sessions/end", data={"session_id": phone_row.id}).status_code == 302
    )
    assert not _signed_in(phone) and _signed_in(office)
    # Someone else's session is not theirs to end: nothing happens.
    theirs = db.session.scalar(select(UserSession).where(UserSession.user_id != user.id))
    assert office.post("/account/sessions/end", data={"session_id": theirs.id}).status_code == 404
    assert _signed_in(someone_else)
    assert other.id != phone_row.id


def test_ending_all_other_sessions_keeps_this_one(app, make_user):
    user = make_user(Role.REVIEWER)
    office, phone, laptop = _sign_in(app, user), _sign_in(app, user), _sign_in(app, user)
    assert office.post("/account/sessions/end-others").status_code == 302
    assert _signed_in(office) and not _signed_in(phone) and not _signed_in(laptop)


def test_the_sessions_page_is_for_signed_in_people(client):
    response = client.get("/account/sessions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/sessions/end", data={"session_id": 1}).status_code == 302


def test_a_password_change_ends_the_other_sessions(app, make_user):
    user = make_user(Role.REVIEWER)
    here, elsewhere = _sign_in(app, user), _sign_in(app, user)
    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Another-horse-43",
              "confirm_password": "Another-horse-43"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _signed_in(here) and not _signed_in(elsewhere)


def test_last_seen_is_written_at_most_once_a_minute(app, make_user):
    user = make_user(Role.REVIEWER)
    client = _sign_in(app, user)
    (row,) = db.session.scalars(select(UserSession))
    first_seen = row.last_seen_at
    client.get("/notifications")
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at == first_seen
    earlier = utcnow() - timedelta(minutes=2)
    db.session.execute(update(UserSession).values(last_seen_at=earlier))
    db.session.commit()
    client.get("/notifications")
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).last_seen_at > earlier + timedelta(minutes=1)
