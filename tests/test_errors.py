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
