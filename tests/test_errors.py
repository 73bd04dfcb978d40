"""Error pages in the portal's look; JSON for API clients; no raw tracebacks."""

import pytest

from consult.models import Role


def test_404_page(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page and "Về trang chủ" in page
    assert 'class="site-header"' in page


def test_404_as_json_for_api_clients(client):
    response = client.get("/khong-co", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_403_page(client, auth):
    auth.login_as(Role.REVIEWER)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_405_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Phương thức không được phép" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(test_config):
    from consult import create_app

    app = create_app(test_config)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    return app


def test_500_page_hides_the_error(failing_app):
    failing_app.config["PROPAGATE_EXCEPTIONS"] = False
    with failing_app.app_context():
        response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Đã xảy ra lỗi" in page and "kaboom" not in page


def test_security_headers_on_pages_and_errors(client):
    for path in ("/", "/login", "/khong-co"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        script_rule = policy.split("script-src")[1].split(";")[0]
        assert "'self'" in script_rule and "unsafe-inline" not in script_rule
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts(client, auth):
    import re

    from consult.models import Role

    auth.login_as(Role.REVIEWER, may_create_proposals=True)
    for path in ("/", "/proposals", "/account/password"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path  # no inline event handlers
