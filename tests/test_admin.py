"""Administrator pages: departments and accounts."""

from __future__ import annotations

import io

from sqlalchemy import select

from consult.extensions import db
from consult.models import Department, DepartmentKind, Role, User
from tests.conftest import PASSWORD, login


def _departments():
    db.session.expire_all()
    return {d.code: d for d in db.session.scalars(select(Department))}


def test_create_department(client, auth):
    auth.login_as(Role.ADMIN)
    response = client.post(
        "/admin/departments/new",
        data={
            "code": "stttt",
            "name": "Sở Thông tin và Truyền thông",
            "kind": "department",
            "email": "vanthu.stttt@cantho.gov.vn",
        },
    )
    assert response.status_code == 302
    dept = _departments()["STTTT"]
    assert dept.name == "Sở Thông tin và Truyền thông"
    assert dept.kind is DepartmentKind.DEPARTMENT
    listing = client.get("/admin/departments").get_data(as_text=True)
    assert "Sở Thông tin và Truyền thông" in listing


def test_department_form_rejects_bad_input(client, auth, make_department):
    auth.login_as(Role.ADMIN)
    make_department(code="SXD")
    before = set(_departments())
    cases = [
        ({"code": "", "name": "X", "kind": "department"}, "Trường này là bắt buộc"),
        ({"code": "a b", "name": "X", "kind": "department"}, "Chỉ dùng chữ"),
        ({"code": "sxd", "name": "Trùng mã", "kind": "department"}, "đã được sử dụng"),
        ({"code": "NEW", "name": "X", "kind": "galaxy"}, "Lựa chọn không hợp lệ"),
        ({"code": "NEW", "name": "X", "kind": "district", "email": "not-an-email"}, "email"),
    ]
    for data, message in cases:
        response = client.post("/admin/departments/new", data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert set(_departments()) == before


def test_edit_and_deactivate_department(client, auth, make_department):
    auth.login_as(Role.ADMIN)
    dept = make_department(code="QNK", name="Quận Ninh Kiều", kind=DepartmentKind.DISTRICT)
    response = client.post(
        f"/admin/departments/{dept.id}/edit",
        data={"code": "Q-NK", "name": "UBND quận Ninh Kiều", "kind": "district", "email": ""},
    )
    assert response.status_code == 302
    assert _departments()["Q-NK"].name == "UBND quận Ninh Kiều"
    client.post(f"/admin/departments/{dept.id}/active")
    assert _departments()["Q-NK"].is_active is False
    client.post(f"/admin/departments/{dept.id}/active")
    assert _departments()["Q-NK"].is_active is True


def test_import_departments_csv(client, auth, make_department):
    auth.login_as(Role.ADMIN)
    make_department(code="SXD", name="Tên cũ")
    csv_text = (
        "\ufeffcode,name,kind,email\n"
        "SXD,Sở Xây dựng,department,vanthu.sxd@cantho.gov.vn\n"
        "Q-CR,UBND quận Cái Răng,district,\n"
    )
    response = client.post(
        "/admin/departments/import",
        data={"file": (io.BytesIO(csv_text.encode("utf-8")), "coquan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    depts = _departments()
    assert depts["SXD"].name == "Sở Xây dựng"
    assert depts["Q-CR"].kind is DepartmentKind.DISTRICT


def test_import_with_a_bad_line_imports_nothing(client, auth):
    auth.login_as(Role.ADMIN)
    csv_text = "code,name,kind\nSYT,Sở Y tế,department\nSGD,,department\nX,Y,planet\n"
    response = client.post(
        "/admin/departments/import",
        data={"file": (io.BytesIO(csv_text.encode()), "coquan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dòng 3: phải có mã và tên." in page
    assert "Dòng 4: loại planet không hợp lệ." in page
    assert "SYT" not in _departments()


def test_import_rejects_non_utf8_and_wrong_extension(client, auth):
    auth.login_as(Role.ADMIN)
    before = set(_departments())
    latin = "code,name\nSYT,Sở Y tế\n".encode("utf-16")
    response = client.post(
        "/admin/departments/import",
        data={"file": (io.BytesIO(latin), "coquan.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "UTF-8" in response.get_data(as_text=True)
    response = client.post(
        "/admin/departments/import",
        data={"file": (io.BytesIO(b"code,name\nA,B\n"), "coquan.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert set(_departments()) == before


def test_create_user(client, auth, make_department):
    auth.login_as(Role.ADMIN)
    dept = make_department(code="STTTT")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Tam.VT@cantho.gov.vn",
            "full_name": "Võ Thanh Tâm",
            "role": "reviewer",
            "department_id": dept.id,
            "locale": "vi",
            "password": "Mat-khau-2018",
        },
    )
    assert response.status_code == 302
    user = User.by_email("tam.vt@cantho.gov.vn")
    assert user.role is Role.REVIEWER and user.department_id == dept.id
    assert user.check_password("Mat-khau-2018")
    client.post("/logout")
    login = client.post(
        "/login", data={"email": "tam.vt@cantho.gov.vn", "password": "Mat-khau-2018"}
    )
    assert login.status_code == 302


def test_user_form_rejects_bad_input(client, auth, make_department):
    admin = auth.login_as(Role.ADMIN)
    dept = make_department()
    base = {
        "email": "new@example.vn",
        "full_name": "Người mới",
        "role": "reviewer",
        "department_id": dept.id,
        "locale": "vi",
        "password": "Mat-khau-2018",
    }
    cases = [
        ({"email": "not-an-email"}, "email"),
        ({"email": admin.email}, "Đã có tài khoản dùng email này."),
        ({"department_id": 0}, "phải thuộc một cơ quan"),
        ({"password": "12345"}, "ít nhất 10 ký tự"),
        ({"role": "emperor"}, "Lựa chọn không hợp lệ"),
        ({"full_name": ""}, "Trường này là bắt buộc"),
    ]
    count = db.session.query(User).count()
    for change, message in cases:
        response = client.post("/admin/users/new", data={**base, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), change
    assert db.session.query(User).count() == count


def test_role_change_ends_the_users_sessions(app, client, auth, make_user):
    auth.login_as(Role.ADMIN)
    reviewer = make_user(Role.REVIEWER)
    theirs = app.test_client()
    login(theirs, reviewer)
    assert theirs.get("/account/password").status_code == 200
    response = client.post(
        f"/admin/users/{reviewer.id}/edit",
        data={
            "email": reviewer.email,
            "full_name": reviewer.full_name,
            "role": "lead",
            "department_id": reviewer.department_id,
            "locale": "en",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).role is Role.LEAD
    assert theirs.get("/account/password").status_code == 302


def test_deactivate_user_signs_them_out_and_blocks_sign_in(app, client, auth, make_user):
    auth.login_as(Role.ADMIN)
    reviewer = make_user(Role.REVIEWER)
    theirs = app.test_client()
    login(theirs, reviewer)
    client.post(f"/admin/users/{reviewer.id}/active")
    assert theirs.get("/account/password").status_code == 302
    again = theirs.post("/login", data={"email": reviewer.email, "password": PASSWORD})
    assert again.status_code == 422
    client.post(f"/admin/users/{reviewer.id}/active")
    assert (
        theirs.post("/login", data={"email": reviewer.email, "password": PASSWORD}).status_code
        == 302
    )


def test_admin_cannot_deactivate_self(client, auth):
    admin = auth.login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active


def test_reset_password(client, auth, make_user):
    auth.login_as(Role.ADMIN)
    reviewer = make_user(Role.REVIEWER)
    client.post(f"/admin/users/{reviewer.id}/password", data={"password": "short"})
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).check_password(PASSWORD)
    client.post(f"/admin/users/{reviewer.id}/password", data={"password": "Reset-pass-2026"})
    db.session.expire_all()
    assert db.session.get(User, reviewer.id).check_password("Reset-pass-2026")


def test_user_list_filters(client, auth, make_user):
    auth.login_as(Role.ADMIN)
    make_user(Role.LEAD, full_name="Đặng Quốc Thông")
    make_user(Role.REVIEWER, full_name="Phạm Thu Hội")
    page = client.get("/admin/users?role=lead").get_data(as_text=True)
    assert "Đặng Quốc Thông" in page and "Phạm Thu Hội" not in page
    page = client.get("/admin/users?q=Thu+H").get_data(as_text=True)
    assert "Phạm Thu Hội" in page and "Đặng Quốc Thông" not in page
    assert client.get("/admin/users?page=abc").status_code == 200
    assert client.get("/admin/users?page=99").status_code == 200


def test_department_list_paginates(app, client, auth, make_department):
    auth.login_as(Role.ADMIN)
    app.config["PER_PAGE"] = 2
    for n in range(5):
        make_department(code=f"P{n}", name=f"Phường {n}")
    first = client.get("/admin/departments").get_data(as_text=True)
    assert "Trang 1 / 3" in first and "Sau" in first
    second = client.get("/admin/departments?page=2").get_data(as_text=True)
    assert "Trang 2 / 3" in second and "Trước" in second
