"""Signing in, signing out and changing one's password."""

from consult.extensions import db
from consult.models import Role, User
from tests.conftest import PASSWORD, login


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page
    assert 'lang="vi"' in page


def test_sign_in_and_out(client, auth, make_user):
    user = make_user(Role.REVIEWER, full_name="Trần Thị Biên")
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Trần Thị Biên" in home
    db.session.refresh(user)
    assert user.last_login_at is not None

    assert auth.logout().status_code == 302
    assert "Trần Thị Biên" not in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    user = make_user(Role.REVIEWER)
    wrong = client.post("/login", data={"email": user.email, "password": "not-the-password1"})
    unknown = client.post("/login", data={"email": "nobody@example.vn", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 422
    message = "Email hoặc mật khẩu không đúng."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_email_is_matched_without_case_or_spaces(auth, make_user):
    make_user(Role.REVIEWER, email="chuyenvien@example.vn")
    response = auth._client.post(
        "/login", data={"email": "  ChuyenVien@Example.VN ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user(Role.REVIEWER, is_active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422


def test_empty_form_shows_errors_and_signs_nobody_in(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_next_parameter_is_followed_only_to_local_pages(client, make_user):
    user = make_user(Role.ADMIN)
    data = {"email": user.email, "password": PASSWORD}
    response = client.post("/login?next=/admin/users", data=data)
    assert response.headers["Location"] == "/admin/users"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={evil}", data=data)
        assert response.headers["Location"] == "/", evil
        client.post("/logout")


def test_protected_page_sends_anonymous_visitor_to_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_needs_post(client, auth):
    auth.login_as(Role.REVIEWER)
    assert client.get("/logout").status_code == 405


def test_change_password(client, auth, make_user, app):
    user = auth.login_as(Role.REVIEWER)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Brand-new-pass-7",
            "confirm_password": "Brand-new-pass-7",
        },
    )
    assert response.status_code == 302
    # Still signed in here, and the new password works.
    assert client.get("/account/password").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("Brand-new-pass-7")


def test_change_password_ends_other_sessions(app, make_user):
    user = make_user(Role.REVIEWER)
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        login(c, user)
    laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Brand-new-pass-7",
            "confirm_password": "Brand-new-pass-7",
        },
    )
    assert laptop.get("/account/password").status_code == 200
    assert phone.get("/account/password").status_code == 302


def test_change_password_rejects_bad_input(client, auth):
    user = auth.login_as(Role.REVIEWER)
    cases = [
        ({"current_password": "wrong-pass-1", "new_password": "Brand-new-pass-7"}, "không đúng"),
        ({"current_password": PASSWORD, "new_password": "short1"}, "ít nhất 10"),
        ({"current_password": PASSWORD, "new_password": "onlyletterspassword"}, "chữ"),
        ({"current_password": PASSWORD, "new_password": PASSWORD}, "khác"),
    ]
    for data, expected in cases:
        data.setdefault("confirm_password", data["new_password"])
        response = client.post("/account/password", data=data)
        assert response.status_code == 422
        assert expected in response.get_data(as_text=True), data
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Brand-new-pass-7",
            "confirm_password": "Brand-new-pass-8",
        },
    )
    assert mismatch.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_passwords_are_hashed_with_a_current_algorithm(app, make_user):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    user = make_user(Role.REVIEWER)
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_no_self_registration(client):
    for path in ("/register", "/signup"):
        assert client.get(path).status_code == 404
