"""Bad input on the remaining forms: a clear message in Vietnamese, nothing changed, no 500."""

from __future__ import annotations

from consult.extensions import db
from consult.models import CommentStatus, DepartmentResponse, Proposal, Role
from consult.services import comments as comment_service
from tests.conftest import PASSWORD, login


def test_proposal_form_needs_a_title_and_a_known_visibility(client, auth):
    auth.login_as(Role.REVIEWER, may_create_proposals=True)
    for data in ({"code": "DA-1", "title": "", "visibility": "internal"},
                 {"code": "DA-1", "title": "Đề án", "visibility": "secret"}):  # fmt: skip
        response = client.post("/proposals/new", data=data)
        assert response.status_code == 422
        assert "Trường này là bắt buộc." in response.get_data(
            as_text=True
        ) or "Lựa chọn không hợp lệ." in response.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 0


def test_deadline_cannot_move_earlier(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    before = c.draft.closes_at
    response = client.post(f"{c.base}/deadline", data={"closes_at": "2001-01-01T10:00"})
    assert response.status_code == 422
    assert "Hạn mới phải muộn hơn hạn hiện tại." in response.get_data(as_text=True)
    response = client.post(f"{c.base}/deadline", data={"closes_at": "not a date"})
    assert response.status_code == 422
    db.session.expire_all()
    assert c.draft.closes_at == before


def test_response_with_an_invalid_letter_date_submits_nothing(client, consultation):
    c = consultation
    comment_service.create_comment(c.draft, c.section, c.people.reviewer, kind="general", body="x")
    db.session.commit()
    login(client, c.people.lead)
    page = client.post(
        f"{c.base}/my-department/submit",
        data={"response-letter_date": "31/31/2018"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "31/31/2018 không phải là ngày có thật." in page
    assert db.session.query(DepartmentResponse).count() == 0


def test_letter_that_is_not_a_scan_is_refused(client, consultation):
    import io

    c = consultation
    comment_service.create_comment(c.draft, c.section, c.people.reviewer, kind="general", body="x")
    db.session.commit()
    login(client, c.people.lead)
    page = client.post(
        f"{c.base}/my-department/submit",
        data={"response-letter": (io.BytesIO(b"<html>hi</html>"), "cong-van.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Không chấp nhận loại tệp này" in page or "nhưng nội dung là" in page
    assert db.session.query(DepartmentResponse).count() == 0


def test_extension_must_end_after_the_deadline(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    page = client.post(
        f"{c.base}/participation/extension",
        data={"department_id": c.sxd.id, "until": "2001-01-01T10:00"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Hạn gia hạn phải sau hạn góp ý chung" in page
    unknown = client.post(
        f"{c.base}/participation/extension",
        data={"department_id": 999999, "until": "2035-01-01T10:00"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Lựa chọn không hợp lệ." in unknown
    db.session.expire_all()
    assert c.draft.invitation_for(c.sxd.id).extended_until is None


def test_settings_refuse_unknown_bodies(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    response = client.post(f"{c.base}/consultation", data={"invited": ["999999"]})
    assert response.status_code == 422
    db.session.expire_all()
    assert {i.department_id for i in c.draft.invitations} == {c.stttt.id, c.sxd.id}


def test_bulk_with_unknown_status_changes_nothing(client, consultation):
    c = consultation
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="general", body="x"
    )
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    login(client, c.people.drafting)
    page = client.post(
        f"{c.base}/inbox/bulk",
        data={"action": "answer", "status": "approved", "answer": "x", "comment_id": [comment.id]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Lựa chọn không hợp lệ." in page
    none_selected = client.post(
        f"{c.base}/inbox/bulk", data={"action": "assign", "assignee_id": 0}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Hãy chọn ít nhất một góp ý." in none_selected
    db.session.expire_all()
    assert db.session.get(type(comment), comment.id).status is CommentStatus.NEW


# --- what an outside probe answered with a 500 (issue 17, finding 6) ------------------------

HUGE_PAGE = "922337203685477580"


def test_huge_page_numbers_are_not_found(client, consultation):
    c = consultation
    pages = {
        c.people.drafting: f"{c.base}/inbox",
        c.people.reviewer: "/notifications",
        c.people.admin: "/admin/users",
    }
    pages_admin = ["/admin/departments", "/admin/audit"]
    for user, path in pages.items():
        login(client, user)
        response = client.get(f"{path}?page={HUGE_PAGE}")
        assert response.status_code == 404, path
    for path in pages_admin:
        assert client.get(f"{path}?page={HUGE_PAGE}").status_code == 404, path
    assert client.get("/admin/users?page=2").status_code == 200  # past the end: an empty page


def test_a_section_after_a_huge_id_is_not_found(client, consultation):
    from consult.services import drafts as draft_service

    c = consultation
    draft_service.start_next_draft(c.proposal)
    db.session.commit()
    login(client, c.people.drafting)
    url = f"/proposals/{c.proposal.code}/drafts/2/sections/new?after=99999999999999999999"
    assert client.get(url).status_code == 404


def test_a_next_address_with_a_line_break_is_ignored(client, make_user):
    user = make_user(Role.REVIEWER)
    response = client.post(
        "/login?next=/%0d%0aX-Injected:%201",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "X-Injected" not in response.headers and response.headers["Location"] == "/"


def test_a_post_over_the_size_limit_gets_the_413_page(app, client, make_user):
    user = make_user(Role.REVIEWER)
    login(client, user)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/account/password", data={"current_password": "x" * 5000})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)
