"""Departments comment online; the lead submits the department's official response."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Attachment, Comment, DepartmentResponse, ResponseKind
from consult.models.base import utcnow
from consult.services import comments as comment_service
from consult.services.comments import CommentError
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post_comment(client, c, **data):
    payload = {"section_id": c.section.id, "kind": "change", "body": "Đề nghị bổ sung."}
    payload.update(data)
    return client.post(f"{c.base}/comments", data=payload, content_type="multipart/form-data")


def comments():
    db.session.expire_all()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def test_reviewer_comments_on_a_passage_spanning_formatting(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    # "đô thị thông minh" is bold in the section: the quote crosses the formatting.
    response = post_comment(
        client, c, quote="xây dựng  đô thị thông minh để nâng", proposed_text="xây dựng đô thị số"
    )
    assert response.status_code == 302
    (comment,) = comments()
    assert comment.quote == "xây dựng đô thị thông minh để nâng"
    assert comment.department_id == c.stttt.id and comment.author_id == c.people.reviewer.id
    assert not comment.is_submitted
    page = client.get(f"{c.base}/sections/{c.section.id}").get_data(as_text=True)
    assert 'data-quote="xây dựng đô thị thông minh để nâng"' in page
    assert "Đề nghị bổ sung." in page and "xây dựng đô thị số" in page


def test_quote_must_come_from_the_section(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = post_comment(client, c, quote="một câu không có trong mục")
    assert response.status_code == 422
    assert "không có trong nội dung của mục" in response.get_data(as_text=True)
    assert comments() == []


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"body": "   "}, 422, "Trường này là bắt buộc."),
        ({"kind": "rant"}, 422, "Lựa chọn không hợp lệ."),
        ({"body": "x" * 20001}, 422, "20000"),
    ],
)
def test_bad_comment_input_changes_nothing(client, consultation, data, status, message):
    c = consultation
    login(client, c.people.reviewer)
    response = post_comment(client, c, **data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert comments() == []


def test_unknown_section_is_404(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    assert post_comment(client, c, section_id=999999).status_code == 404
    assert post_comment(client, c, section_id="abc").status_code == 404
    assert comments() == []


def test_forged_department_is_ignored(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, department_id=c.sxd.id, author_id=c.people.other_reviewer.id)
    (comment,) = comments()
    assert comment.department_id == c.stttt.id
    assert comment.author_id == c.people.reviewer.id


@pytest.mark.parametrize("role", ["drafting", "organizer", "admin"])
def test_only_departments_comment(client, consultation, role):
    c = consultation
    login(client, getattr(c.people, role))
    assert post_comment(client, c).status_code == 403
    assert comments() == []


def test_general_comment_on_the_whole_draft(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = client.post(f"{c.base}/comments", data={"kind": "general", "body": "Góp ý chung."})
    assert response.status_code == 302
    (comment,) = comments()
    assert comment.section_id is None
    assert "Góp ý chung." in client.get(c.base).get_data(as_text=True)


def test_vietnamese_text_with_and_without_diacritics_is_kept(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    decomposed = unicodedata.normalize("NFD", "Quy hoạch đô thị")
    post_comment(client, c, body=f"{decomposed} và quy hoach khong dau")
    (comment,) = comments()
    assert "Quy hoạch đô thị" in unicodedata.normalize("NFC", comment.body)
    assert "quy hoach khong dau" in comment.body


def test_markdown_in_comments_is_sanitized(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body='**Rõ** <img src=x onerror="alert(1)"> [x](javascript:alert(1))')
    (comment,) = comments()
    assert "<strong>Rõ</strong>" in comment.body_html
    assert "<img" not in comment.body_html.replace("&lt;img", "")
    assert 'href="javascript' not in comment.body_html


def test_department_colleagues_see_and_edit_drafts_others_do_not(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Bản đầu.")
    (comment,) = comments()
    section_url = f"{c.base}/sections/{c.section.id}"

    login(client, c.people.reviewer2)
    assert "Bản đầu." in client.get(section_url).get_data(as_text=True)
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={"kind": "question", "body": "Bản sửa.", "quote": "", "proposed_text": ""},
    )
    assert response.status_code == 302
    (comment,) = comments()
    assert comment.body == "Bản sửa." and comment.author_id == c.people.reviewer.id
    (revision,) = comment.revisions
    assert revision.body == "Bản đầu." and revision.editor_id == c.people.reviewer2.id
    history = client.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Bản đầu." in history and c.people.reviewer2.full_name in history

    for outsider in (c.people.other_reviewer, c.people.other_lead, c.people.drafting):
        login(client, outsider)
        assert "Bản sửa." not in client.get(section_url).get_data(as_text=True)
        assert client.get(f"/comments/{comment.id}").status_code == 404
        assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code in (
            403,
            404,
        )
    assert comments()[0].body == "Bản sửa."


def test_lead_merges_and_submits_with_the_official_letter(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Ý một.", quote="đô thị thông minh")
    post_comment(client, c, body="Ý hai.")
    first, second = comments()
    login(client, c.people.lead)
    response = client.post(
        f"{c.base}/my-department/merge", data={"comment_id": [first.id, second.id]}
    )
    assert response.status_code == 302
    first, second = comments()
    assert first.body == "Ý một.\n\nÝ hai." and first.quote == "đô thị thông minh"
    assert second.is_deleted and second.duplicate_of_id == first.id

    response = client.post(
        f"{c.base}/my-department/submit",
        data={
            "response-letter_number": "125/STTTT-VP",
            "response-letter_date": "2018-05-08",
            "response-letter": (io.BytesIO(PDF), "Công văn 125.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    (response_row,) = db.session.scalars(select(DepartmentResponse)).all()
    assert response_row.kind is ResponseKind.COMMENTS
    assert response_row.letter_number == "125/STTTT-VP"
    assert response_row.letter.original_name == "Công văn 125.pdf"
    assert [cm.id for cm in response_row.comments] == [first.id]

    # Now the drafting team reads it; the other department still does not.
    login(client, c.people.drafting)
    assert "Ý hai." in client.get(f"{c.base}/sections/{c.section.id}").get_data(as_text=True)
    letter = client.get(f"/attachments/{response_row.letter_id}")
    assert letter.status_code == 200 and letter.data == PDF
    assert letter.headers["Content-Disposition"].startswith("attachment")
    login(client, c.people.other_reviewer)
    assert "Ý hai." not in client.get(f"{c.base}/sections/{c.section.id}").get_data(as_text=True)
    assert client.get(f"/attachments/{response_row.letter_id}").status_code == 404


def test_submitted_comments_never_change_supplements_are_added(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Lần đầu.")
    login(client, c.people.lead)
    client.post(f"{c.base}/my-department/submit", data={})
    (comment,) = comments()
    assert comment.is_submitted
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "Đổi"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    post_comment(client, c, body="Bổ sung.")
    client.post(f"{c.base}/my-department/submit", data={})
    db.session.expire_all()
    responses = db.session.scalars(select(DepartmentResponse).order_by(DepartmentResponse.id)).all()
    assert [r.sequence for r in responses] == [1, 2]
    assert comments()[0].body == "Lần đầu."
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "Ý kiến bổ sung lần 1" in page


def test_reviewers_remove_only_their_own_drafts_the_lead_any(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Của Tâm.")
    post_comment(client, c, body="Cũng của Tâm.")
    mine, other = comments()
    login(client, c.people.reviewer2)
    assert client.post(f"/comments/{mine.id}/delete").status_code == 403
    login(client, c.people.reviewer)
    assert client.post(f"/comments/{mine.id}/delete").status_code == 302
    login(client, c.people.lead)
    assert client.post(f"/comments/{other.id}/delete").status_code == 302
    assert all(cm.is_deleted for cm in comments())


def test_only_the_lead_submits(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c)
    assert client.post(f"{c.base}/my-department/submit", data={}).status_code == 403
    assert client.post(f"{c.base}/my-department/agree", data={}).status_code == 403
    assert not comments()[0].is_submitted


def test_submit_with_nothing_to_submit_is_refused(client, consultation):
    c = consultation
    login(client, c.people.lead)
    page = client.post(f"{c.base}/my-department/submit", data={}, follow_redirects=True)
    assert "Không có góp ý nào để gửi." in page.get_data(as_text=True)
    assert db.session.query(DepartmentResponse).count() == 0


def test_department_agrees_and_participation_shows_it(client, consultation):
    c = consultation
    login(client, c.people.other_lead)
    response = client.post(f"{c.base}/my-department/agree", data={"agree-letter_number": "88/SXD"})
    assert response.status_code == 302
    db.session.expire_all()
    (agreed,) = db.session.scalars(select(DepartmentResponse)).all()
    assert agreed.kind is ResponseKind.AGREE and agreed.department_id == c.sxd.id
    again = client.post(f"{c.base}/my-department/agree", data={}, follow_redirects=True)
    assert "đã gửi ý kiến" in again.get_data(as_text=True)

    login(client, c.people.drafting)
    page = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "Sở Xây dựng" in page and "88/SXD" in page
    assert "Thống nhất với dự thảo" in page
    assert "Chưa gửi ý kiến" in page  # STTTT has not responded


def test_agree_refused_while_drafts_are_pending(consultation):
    c = consultation
    comment_service.create_comment(c.draft, c.section, c.people.reviewer, kind="general", body="x")
    with pytest.raises(CommentError):
        comment_service.agree_with_draft(c.draft, c.people.lead)


def test_comment_period_edges(consultation):
    c = consultation
    draft, reviewer = c.draft, c.people.reviewer
    draft.opens_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(CommentError):
        comment_service.create_comment(draft, c.section, reviewer, kind="general", body="sớm")
    now = utcnow()
    assert not draft.is_accepting_comments_from(c.stttt.id, draft.opens_at - timedelta(seconds=1))
    assert draft.is_accepting_comments_from(c.stttt.id, draft.opens_at)
    assert not draft.is_accepting_comments_from(c.stttt.id, draft.closes_at)
    assert draft.is_accepting_comments_from(c.stttt.id, draft.closes_at - timedelta(seconds=1))

    # After the deadline nothing can be added; an extension for one department reopens it
    # for that department only.
    draft.opens_at, draft.closes_at = now - timedelta(days=3), now - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(CommentError):
        comment_service.create_comment(draft, c.section, reviewer, kind="general", body="muộn")
    comment_service.grant_extension(draft, c.stttt, now + timedelta(days=1))
    comment = comment_service.create_comment(draft, c.section, reviewer, kind="general", body="ok")
    assert comment.id
    with pytest.raises(CommentError):
        comment_service.create_comment(
            draft, c.section, c.people.other_reviewer, kind="general", body="không"
        )


def test_closed_draft_refuses_comments_with_a_message(client, consultation):
    c = consultation
    c.draft.close()
    db.session.commit()
    login(client, c.people.reviewer)
    response = post_comment(client, c)
    assert response.status_code == 403
    assert "không mở cho cơ quan của bạn" in response.get_data(as_text=True)
    assert comments() == []


def test_extension_granted_from_the_participation_page(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    response = client.post(
        f"{c.base}/participation/extension",
        data={"department_id": c.sxd.id, "until": "2035-01-01T17:00"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert c.draft.deadline_for(c.sxd.id).year == 2035
    assert c.draft.deadline_for(c.stttt.id).year != 2035


def test_drafting_team_lets_departments_read_each_other(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Ý kiến của STTTT.")
    login(client, c.people.lead)
    client.post(f"{c.base}/my-department/submit", data={})
    section_url = f"{c.base}/sections/{c.section.id}"
    login(client, c.people.other_reviewer)
    assert "Ý kiến của STTTT." not in client.get(section_url).get_data(as_text=True)
    login(client, c.people.drafting)
    response = client.post(
        f"{c.base}/consultation",
        data={"departments_see_each_other": "y", "invited": [c.stttt.id, c.sxd.id]},
    )
    assert response.status_code == 302
    login(client, c.people.other_reviewer)
    assert "Ý kiến của STTTT." in client.get(section_url).get_data(as_text=True)


class TestAttachments:
    def test_valid_attachment_is_stored_and_served_to_the_department(self, client, consultation):
        c = consultation
        login(client, c.people.reviewer)
        response = post_comment(client, c, files=(io.BytesIO(PDF), "Phụ lục.pdf"))
        assert response.status_code == 302
        (attachment,) = db.session.scalars(select(Attachment)).all()
        download = client.get(f"/attachments/{attachment.id}")
        assert download.status_code == 200 and download.data == PDF
        assert "attachment" in download.headers["Content-Disposition"]
        login(client, c.people.reviewer2)
        assert client.get(f"/attachments/{attachment.id}").status_code == 200
        for outsider in (c.people.other_reviewer, c.people.drafting):
            login(client, outsider)
            assert client.get(f"/attachments/{attachment.id}").status_code == 404

    def test_attachment_that_lies_about_its_type_is_refused(self, client, consultation):
        c = consultation
        login(client, c.people.reviewer)
        response = post_comment(client, c, files=(io.BytesIO(b"MZ\x90\x00binary"), "bao-cao.pdf"))
        assert response.status_code == 422
        assert comments() == []
        assert db.session.query(Attachment).count() == 0

    def test_a_refused_comment_leaves_no_file_on_disk(self, app, client, consultation, tmp_path):
        """Issue 17, finding 2: a valid PDF beside an executable is refused with the whole
        comment, and neither stays in DATA_DIR."""
        c = consultation
        app.config["DATA_DIR"] = str(tmp_path)
        login(client, c.people.reviewer)
        files = [(io.BytesIO(PDF), "phu-luc.pdf"), (io.BytesIO(b"MZ\x90\x00binary"), "x.exe")]
        response = post_comment(client, c, files=files)
        assert response.status_code == 422
        assert comments() == [] and db.session.query(Attachment).count() == 0
        folder = tmp_path / "attachments"
        assert not folder.exists() or list(folder.iterdir()) == []

    def test_too_large_attachment_is_refused(self, app, client, consultation):
        c = consultation
        app.config["MAX_ATTACHMENT_BYTES"] = 100
        login(client, c.people.reviewer)
        response = post_comment(client, c, files=(io.BytesIO(PDF + b"x" * 200), "lon.pdf"))
        assert response.status_code == 422
        assert comments() == []


def test_compare_view_shows_the_comments_made_on_the_older_draft(client, consultation):
    from consult.services import drafts as draft_service

    c = consultation
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="change", body="Nên nói rõ hơn."
    )
    comment_service.submit_response(c.draft, c.people.lead)
    draft2 = draft_service.start_next_draft(c.proposal)
    copy = next(s for s in draft2.sections if s.key == c.section.key)
    draft_service.update_section(copy, number=copy.number, heading=copy.heading, body="Rõ hơn.")
    db.session.commit()
    login(client, c.people.drafting)
    page = client.get(f"/proposals/{c.proposal.code}/compare?from=1&to=2").get_data(as_text=True)
    assert "Nên nói rõ hơn." in page and f"/comments/{comment.id}" in page
    login(client, c.people.other_reviewer)  # cannot read STTTT's comments: not shown
    # the other department sees only published drafts: draft 2 is in preparation
    assert "Nên nói rõ hơn." not in client.get(
        f"/proposals/{c.proposal.code}/compare?from=1&to=2"
    ).get_data(as_text=True)


def _count_queries(client, url):
    from sqlalchemy import event

    count = 0

    def tick(*_args, **_kw):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", tick)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", tick)
    return count


@pytest.mark.parametrize("page", ["section", "my-department"])
def test_comment_lists_do_not_query_once_per_comment(client, consultation, page):
    c = consultation
    url = f"{c.base}/sections/{c.section.id}" if page == "section" else f"{c.base}/my-department"
    login(client, c.people.reviewer)

    def add(n):
        for i in range(n):
            comment_service.create_comment(
                c.draft, c.section, c.people.reviewer2, kind="general", body=f"Góp ý {i}."
            )
        db.session.commit()

    add(2)
    few = _count_queries(client, url)
    add(10)
    many = _count_queries(client, url)
    assert many == few, (few, many)


def test_editing_cannot_exceed_the_attachment_limit(app, client, consultation):
    c = consultation
    app.config["MAX_ATTACHMENTS"] = 2
    login(client, c.people.reviewer)
    post_comment(client, c, files=[(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(PDF), "b.pdf")])
    (comment,) = comments()
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={"kind": "change", "body": "Đề nghị bổ sung.", "files": (io.BytesIO(PDF), "c.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "tối đa 2 tệp" in response.get_data(as_text=True)
    assert len(comments()[0].attachments) == 2


def test_edit_history_is_the_departments_own(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Bản nháp đầu tiên.")
    (comment,) = comments()
    client.post(f"/comments/{comment.id}/edit", data={"kind": "change", "body": "Bản cuối."})
    login(client, c.people.lead)
    client.post(f"{c.base}/my-department/submit", data={})
    login(client, c.people.drafting)
    page = client.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Bản cuối." in page and "Bản nháp đầu tiên." not in page
    login(client, c.people.reviewer2)
    assert "Bản nháp đầu tiên." in client.get(f"/comments/{comment.id}").get_data(as_text=True)
    # The edit made a revision (else the lines above prove nothing), and a department that
    # may read the others' submitted comments still does not read their history.
    from consult.models import CommentRevision

    assert db.session.query(CommentRevision).filter_by(comment_id=comment.id).count() == 1
    c.draft.departments_see_each_other = True
    db.session.commit()
    login(client, c.people.other_reviewer)
    page = client.get(f"/comments/{comment.id}")
    assert page.status_code == 200 and "Bản cuối." in page.get_data(as_text=True)
    assert "Bản nháp đầu tiên." not in page.get_data(as_text=True)


def test_the_attachment_limits_shown_are_the_configured_ones(
    app, client, consultation, monkeypatch
):
    c = consultation
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024 // 2)
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS", 3)
    login(client, c.people.reviewer)
    for path in (c.base, f"{c.base}/sections/{c.section.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "tối đa 3 tệp, mỗi tệp 2.5 MB" in page, path


WHY_DEACTIVATED = "đã ngừng hoạt động trên Cổng"


def test_a_deactivated_department_writes_nothing_but_keeps_its_history(client, consultation):
    """Issue 17, finding 4: its people still sign in and read, but neither comment, edit,
    submit nor agree as that body, are told why, and the body is offered to no new draft."""
    from consult.services import accounts as account_service

    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Ý kiến đầu tiên.")
    (early,) = comments()
    login(client, c.people.lead)
    client.post(f"{c.base}/my-department/submit", data={})
    login(client, c.people.reviewer)
    post_comment(client, c, body="Bản nháp còn lại.")
    draft_comment = comments()[1]
    account_service.set_department_active(c.stttt, False)
    db.session.commit()

    login(client, c.people.reviewer)
    refused = post_comment(client, c, body="Sau khi ngừng.")
    assert refused.status_code == 403
    assert WHY_DEACTIVATED in refused.get_data(as_text=True)
    edit = {"kind": "change", "body": "Sửa."}
    assert client.post(f"/comments/{draft_comment.id}/edit", data=edit).status_code == 403
    # History stays readable.
    assert client.get(f"/comments/{early.id}").status_code == 200
    page = client.get(f"{c.base}/my-department")
    assert page.status_code == 200 and "Ý kiến đầu tiên." in page.get_data(as_text=True)
    assert WHY_DEACTIVATED in page.get_data(as_text=True)
    # Nor does it discuss its submitted comment with the board any more.
    message = client.post(f"/comments/{early.id}/messages", data={"body": "Xin hỏi."})
    assert message.status_code == 403
    assert not db.session.get(Comment, early.id).messages

    login(client, c.people.lead)
    assert client.post(f"{c.base}/my-department/submit", data={}).status_code in (302, 403)
    assert client.post(f"{c.base}/my-department/agree", data={}).status_code in (302, 403)
    db.session.expire_all()
    assert len(db.session.scalars(select(DepartmentResponse)).all()) == 1
    assert not comments()[1].is_submitted and len(comments()) == 2
    with pytest.raises(comment_service.CommentError):
        comment_service.submit_response(c.draft, c.people.lead)
    with pytest.raises(comment_service.CommentError):
        comment_service.create_comment(
            c.draft, c.section, c.people.reviewer, kind="change", body="Qua dịch vụ."
        )


def test_a_deactivated_department_is_not_invited_again(client, consultation, make_department):
    from consult.services import accounts as account_service
    from consult.services import drafts as draft_service

    c = consultation
    gone = make_department(code="SNV", name="Sở Nội vụ")
    account_service.set_department_active(gone, False)
    db.session.commit()
    draft2 = draft_service.start_next_draft(c.proposal)
    comment_service.invite_departments(draft2)
    db.session.commit()
    assert gone.id not in {i.department_id for i in draft2.invitations}
    with pytest.raises(comment_service.CommentError):
        comment_service.invite_departments(draft2, [c.stttt, gone])
    db.session.rollback()
    login(client, c.people.drafting)
    page = client.get(f"{c.base}/consultation").get_data(as_text=True)
    assert "Sở Nội vụ" not in page and "Sở Xây dựng" in page


def test_another_departments_lead_cannot_merge_its_comment_into_theirs(client, consultation):
    """Issue 17 (a test that could not fail): two ids, one of each department, so that the
    department check is reached rather than "choose at least two"."""
    c = consultation
    login(client, c.people.reviewer)
    post_comment(client, c, body="Ý của STTTT.")
    login(client, c.people.other_reviewer)
    post_comment(client, c, body="Ý của SXD.")
    theirs, ours = comments()
    login(client, c.people.other_lead)
    response = client.post(
        f"{c.base}/my-department/merge", data={"comment_id": [ours.id, theirs.id]},
        follow_redirects=True,
    )  # fmt: skip
    assert "Đã gộp" not in response.get_data(as_text=True)
    theirs, ours = comments()
    assert not theirs.is_deleted and not ours.is_deleted
    assert (theirs.body, ours.body) == ("Ý của STTTT.", "Ý của SXD.")
    assert theirs.duplicate_of_id is None and ours.duplicate_of_id is None
    # Through the service too: the rule is the model's, not the route's.
    with pytest.raises(comment_service.CommentError):
        comment_service.merge_comments([ours, theirs], c.people.other_lead)


def test_a_lead_with_nothing_to_submit_is_told_why_instead(client, consultation):
    """Issue 18: the lead was offered "submit" with no comment to submit."""
    c = consultation
    login(client, c.people.lead)
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "/my-department/submit" not in page
    assert "Chưa có gì để gửi" in page
    # Once a reviewer has written a comment, the lead may submit it.
    comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="change", body="Đề nghị bổ sung."
    )
    db.session.commit()
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "/my-department/submit" in page and "Chưa có gì để gửi" not in page


def test_the_letter_number_example_is_the_bodys_own_code(client, consultation, make_user,
                                                         make_department):  # fmt: skip
    from consult.models import Role

    c = consultation
    sgtvt = make_department(code="SGTVT", name="Sở Giao thông vận tải")
    comment_service.invite_departments(c.draft, [c.stttt, c.sxd, sgtvt])
    db.session.commit()
    login(client, make_user(Role.LEAD, department=sgtvt))
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert 'placeholder="125/SGTVT-VP"' in page and "Ví dụ: 125/SGTVT-VP." in page
    assert "STTTT-VP" not in page
