"""The audit log: every security-relevant and data-changing event is recorded and readable."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditAction, AuditEvent, CommentKind, Draft, Role, User
from consult.models.base import utcnow
from consult.services import audit
from consult.services import comments as comment_service
from consult.timeutil import VIETNAM
from tests.conftest import PASSWORD, login


def events(action: AuditAction | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def one(action: AuditAction) -> AuditEvent:
    found = events(action)
    assert len(found) == 1, (action, found)
    return found[0]


def test_sign_in_failure_and_sign_out(client, make_user):
    user = make_user(Role.REVIEWER)
    client.post("/login", data={"email": " Ghost@Example.vn", "password": "x"})
    client.post("/login", data={"email": user.email, "password": "wrong-password-1"})
    login(client, user)
    client.post("/logout")
    failed = events(AuditAction.LOGIN_FAILED)
    assert [(e.actor_email, e.actor_id) for e in failed] == [
        ("ghost@example.vn", None),
        (user.email, user.id),
    ]
    assert all(e.ip == "127.0.0.1" for e in failed)
    assert one(AuditAction.LOGIN).actor_id == user.id
    assert one(AuditAction.LOGOUT).actor_id == user.id
    # No password is ever written to the log.
    assert all("wrong-password" not in (e.detail or "") for e in events())


def test_lockout_is_recorded(client, make_user):
    user = make_user(Role.REVIEWER)
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "wrong-password-1"})
    event = one(AuditAction.LOCKOUT)
    assert event.object_id == user.id and event.actor_email == user.email


def test_password_change(client, auth):
    user = auth.login_as(Role.REVIEWER)
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Brand-new-pass-7",
              "confirm_password": "Brand-new-pass-7"},
    )  # fmt: skip
    assert one(AuditAction.PASSWORD_CHANGE).object_id == user.id


def test_account_administration(client, auth, make_department):
    admin = auth.login_as(Role.ADMIN)
    department = make_department()
    client.post(
        "/admin/users/new",
        data={"email": "moi@example.vn", "full_name": "Người Mới", "role": "reviewer",
              "department_id": department.id, "locale": "vi", "password": "Khoi-dau-2026"},
    )  # fmt: skip
    user = User.by_email("moi@example.vn")
    created = one(AuditAction.USER_CREATE)
    assert created.object_id == user.id and created.actor_id == admin.id
    client.post(
        f"/admin/users/{user.id}/edit",
        data={"email": "moi@example.vn", "full_name": "Người Mới", "role": "lead",
              "department_id": department.id, "locale": "vi"},
    )  # fmt: skip
    role_change = one(AuditAction.ROLE_CHANGE)
    assert '"from": "reviewer"' in role_change.detail and '"to": "lead"' in role_change.detail
    assert one(AuditAction.USER_UPDATE).object_id == user.id
    client.post(f"/admin/users/{user.id}/password", data={"password": "Lan-thu-hai-2026"})
    assert one(AuditAction.PASSWORD_RESET).object_id == user.id
    client.post(f"/admin/users/{user.id}/active")
    client.post(f"/admin/users/{user.id}/active")
    assert one(AuditAction.USER_DEACTIVATE).object_id == user.id
    assert one(AuditAction.USER_ACTIVATE).object_id == user.id


def test_department_administration(client, auth, make_department):
    auth.login_as(Role.ADMIN)
    client.post(
        "/admin/departments/new", data={"code": "SYT", "name": "Sở Y tế", "kind": "department"}
    )
    created = one(AuditAction.DEPARTMENT_CREATE)
    client.post(
        f"/admin/departments/{created.object_id}/edit",
        data={"code": "SYT", "name": "Sở Y tế TP", "kind": "department"},
    )
    assert one(AuditAction.DEPARTMENT_UPDATE).object_id == created.object_id
    client.post(f"/admin/departments/{created.object_id}/active")
    client.post(f"/admin/departments/{created.object_id}/active")
    assert one(AuditAction.DEPARTMENT_DEACTIVATE).object_id == created.object_id
    assert one(AuditAction.DEPARTMENT_ACTIVATE).object_id == created.object_id
    data = {"file": (io.BytesIO("code,name\nSGD,Sở Giáo dục\n".encode()), "d.csv")}
    client.post("/admin/departments/import", data=data, content_type="multipart/form-data")
    assert '"created": 1' in one(AuditAction.DEPARTMENT_IMPORT).detail


def test_response_submitted_and_agreement(client, consultation):
    c = consultation
    p = c.people
    comment_service.create_comment(
        c.draft, c.section, p.reviewer, kind=CommentKind.CHANGE, body="Đề nghị sửa."
    )
    db.session.commit()
    login(client, p.lead)
    client.post(f"{c.base}/my-department/submit", data={})
    login(client, p.other_lead)
    client.post(f"{c.base}/my-department/agree", data={})
    submitted = events(AuditAction.RESPONSE_SUBMIT)
    assert [e.actor_id for e in submitted] == [p.lead.id, p.other_lead.id]
    assert '"kind": "comments"' in submitted[0].detail
    assert '"kind": "agree"' in submitted[1].detail


@pytest.fixture
def submitted_comment(client, consultation):
    c = consultation
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=CommentKind.CHANGE, body="Đề nghị bổ sung."
    )
    twin = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=CommentKind.CHANGE, body="Đề nghị bổ sung nữa."
    )
    db.session.commit()
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    c.comment, c.twin = comment, twin
    login(client, c.people.drafting)
    return c


def test_triage_status_answer_and_merge(client, submitted_comment):
    c = submitted_comment
    client.post(
        f"/comments/{c.comment.id}/triage",
        data={"status": "accepted", "answer": "Tiếp thu.", "assignee_id": 0,
              "version": c.comment.version},
    )  # fmt: skip
    status = one(AuditAction.COMMENT_STATUS)
    assert status.object_id == c.comment.id and '"to": "accepted"' in status.detail
    assert one(AuditAction.COMMENT_ANSWER).object_id == c.comment.id
    client.post(f"/comments/{c.comment.id}/duplicates", data={"duplicate_id": [c.twin.id]})
    assert one(AuditAction.COMMENT_MERGE).object_id == c.comment.id


def test_bulk_answer(client, submitted_comment):
    c = submitted_comment
    client.post(
        f"{c.base}/inbox/bulk",
        data={"comment_id": [c.comment.id, c.twin.id], "action": "answer", "status": "noted",
              "answer": "Ghi nhận.", "assignee_id": 0},
    )  # fmt: skip
    event = one(AuditAction.COMMENT_ANSWER)
    assert f"[{c.comment.id}, {c.twin.id}]" in event.detail


def test_draft_publish_close_extend(client, auth, make_proposal):
    proposal = make_proposal()
    login(client, proposal.chair)
    client.post(f"/proposals/{proposal.code}/drafts/next")
    base = f"/proposals/{proposal.code}/drafts/2"
    client.post(
        f"{base}/publish",
        data={"opens_at": "2030-05-01T08:00", "closes_at": "2030-05-20T17:00", "confirm": "y"},
    )
    client.post(f"{base}/close")
    client.post(f"{base}/deadline", data={"closes_at": "2031-01-10T17:00"})
    draft2_id = db.session.scalar(
        select(Draft.id).where(Draft.proposal_id == proposal.id, Draft.number == 2)
    )
    for action in (AuditAction.DRAFT_PUBLISH, AuditAction.DRAFT_CLOSE, AuditAction.DRAFT_EXTEND):
        (event,) = [e for e in events(action) if e.object_id == draft2_id]
        assert event.object_type == "Draft"


def test_workshop_changes(client, consultation):
    c = consultation
    login(client, c.people.organizer)
    client.post(
        f"{c.base}/workshops/new",
        data={"title": "Hội thảo", "starts_at": "2030-05-15T08:00", "place": "UBND",
              "agenda": [c.section.id], "invited": [c.stttt.id]},
    )  # fmt: skip
    event = one(AuditAction.WORKSHOP_CHANGE)
    client.post(f"/workshops/{event.object_id}/guests", data={"guest_name": "Khách mời"})
    assert len(events(AuditAction.WORKSHOP_CHANGE)) == 2


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("{base}/report.xlsx", "report"),
        ("{base}/report.csv", "report"),
        ("/proposals/DTTM-CT/everything.xlsx", "everything"),
        ("{base}/export.docx", "draft"),
    ],
)
def test_exports_are_recorded(client, consultation, path, what):
    c = consultation
    login(client, c.people.drafting)
    response = client.get(path.format(base=c.base))
    assert response.status_code == 200
    event = one(AuditAction.EXPORT)
    assert f'"what": "{what}"' in event.detail
    assert event.actor_id == c.people.drafting.id


# --- the administrators' page --------------------------------------------------------------


@pytest.fixture
def logged(app, make_user):
    """A few events at known times, by two people."""
    alice = make_user(Role.REVIEWER, full_name="Alice Nguyễn", email="alice@example.vn")
    bob = make_user(Role.REVIEWER, full_name="Bob Trần", email="bob@example.vn")
    now = utcnow()
    rows = [
        (AuditAction.LOGIN, alice, now - timedelta(days=10)),
        (AuditAction.DRAFT_PUBLISH, alice, now - timedelta(days=2)),
        (AuditAction.LOGIN_FAILED, None, now - timedelta(hours=1)),
        (AuditAction.LOGIN, bob, now),
    ]
    for action, actor, when in rows:
        event = audit.record(
            action, actor=actor, actor_email=None if actor else "=cmd|' /C calc'!A0"
        )
        event.created_at = when
    db.session.commit()
    return alice, bob, now


def test_admin_reads_the_log_newest_first(client, auth, logged):
    auth.login_as(Role.ADMIN)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Nhật ký hệ thống" in page
    # The admin's own sign-in is newest, then Bob's.
    assert page.index("bob@example.vn") < page.index("alice@example.vn")
    assert "Đăng nhập không thành công" in page


def test_filters(client, auth, logged):
    auth.login_as(Role.ADMIN)
    by_action = client.get("/admin/audit?action=draft.publish").get_data(as_text=True)
    assert "alice@example.vn" in by_action and "bob@example.vn" not in by_action
    by_user = client.get("/admin/audit?user=Bob").get_data(as_text=True)
    assert "bob@example.vn" in by_user and "alice@example.vn" not in by_user
    day = (logged[2] - timedelta(days=10)).astimezone(VIETNAM).date()  # days are Vietnam days
    by_date = client.get(f"/admin/audit?start={day}&end={day}").get_data(as_text=True)
    assert "alice@example.vn" in by_date and "bob@example.vn" not in by_date
    # Nonsense filters are ignored, never an error.
    for query in ("action=galaxy", "start=2026-13-45", "end=x", "page=-3", "user=" + "x" * 999):
        assert client.get(f"/admin/audit?{query}").status_code == 200, query
    # A NUL character is refused before it reaches the database.
    assert client.get("/admin/audit?user=%00").status_code == 400


def test_pagination(client, auth, app):
    auth.login_as(Role.ADMIN)
    for _ in range(app.config["PER_PAGE"] + 5):
        audit.record(AuditAction.LOGIN_FAILED, actor_email="x@example.vn")
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert 'rel="next"' in page
    assert client.get("/admin/audit?page=2").status_code == 200


def test_csv_export_defuses_formulas(client, auth, logged):
    auth.login_as(Role.ADMIN)
    response = client.get("/admin/audit/export.csv?action=login.failed")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "Thời gian"
    assert len(rows) == 2
    assert rows[1][3].startswith("'=")
    # The export itself is in the log.
    assert '"what": "audit"' in one(AuditAction.EXPORT).detail


def test_xlsx_export(client, auth, logged):
    from openpyxl import load_workbook

    auth.login_as(Role.ADMIN)
    response = client.get("/admin/audit/export.xlsx?user=alice")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời gian", "Thao tác", "Người dùng")
    assert [r[1] for r in rows[1:]] == ["Công bố dự thảo", "Đăng nhập"]
    assert all(r[3] == "alice@example.vn" for r in rows[1:])
    assert client.get("/admin/audit/export.pdf").status_code == 404


def test_only_admins_read_the_log(client, auth):
    auth.login_as(Role.REVIEWER, may_create_proposals=True)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


def test_no_view_or_command_writes_the_audit_log_itself():
    """Issue 14: audit entries are written by the service that makes the change (or lets
    a file out), never by a view or a command, so that no way in can forget one."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "consult"
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if "services" not in path.parts
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if re.search(r"\baudit\.record", line)
    ]
    assert offenders == []
