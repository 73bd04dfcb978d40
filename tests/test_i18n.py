"""Vietnamese by default, English on request, from every page."""

from consult.extensions import db
from consult.models import Role, User
from tests.conftest import login


def test_default_language_is_vietnamese_even_for_english_browsers(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="vi"' in page
    assert "Cổng lấy ý kiến góp ý" in page


def test_switch_to_english_and_back(client):
    response = client.post("/language/en", data={"next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page and "Đăng nhập" not in page
    client.post("/language/vi", data={"next": "/"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_every_page_offers_the_switch(client, auth):
    auth.login_as(Role.ADMIN)
    for path in ("/", "/admin/users", "/admin/departments", "/account/password"):
        page = client.get(path).get_data(as_text=True)
        assert 'action="/language/en"' in page or 'formaction="/language/en"' in page, path


def test_choice_is_remembered_for_the_account(app, client, auth):
    user = auth.login_as(Role.REVIEWER)
    client.post("/language/en", data={"next": "/"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    other_browser = app.test_client()
    login(other_browser, user)
    assert 'lang="en"' in other_browser.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_refused(client):
    response = client.post("/language/fr", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert 'lang="vi"' in client.get("/").get_data(as_text=True)


def test_form_errors_are_translated(client):
    client.post("/language/en", data={"next": "/"})
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "This field is required." in page
    client.post("/language/vi", data={"next": "/"})
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Trường này là bắt buộc." in page


def test_vietnamese_catalogue_is_complete():
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parent.parent / "consult/translations/vi/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]
