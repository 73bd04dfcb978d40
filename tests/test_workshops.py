"""Workshops: organizers schedule them, record attendance and comments from the floor,
and export the packet and the report; those comments enter triage like any other."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, CommentSource, CommentStatus, Workshop
from consult.models.base import utcnow
from consult.services import triage as triage_service
from tests.conftest import login


@pytest.fixture
def workshop(client, consultation):
    c = consultation
    login(client, c.people.organizer)
    response = client.post(
        f"{c.base}/workshops/new",
        data={
            "title": "Hội thảo giới thiệu Đề án",
            "starts_at": "2030-05-15T08:00",
            "place": "Hội trường UBND thành phố",
            "agenda": [c.section.id],
            "invited": [c.stttt.id, c.sxd.id],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    c.workshop = db.session.scalar(select(Workshop))
    # Comments from the floor are recorded from the workshop's day on: it was yesterday,
    # at the same 08:00 (Vietnam time).
    c.workshop.starts_at = c.workshop.starts_at.replace(
        year=utcnow().year, month=utcnow().month, day=utcnow().day
    ) - timedelta(days=1)
    db.session.commit()
    return c


def record(client, c, participant, body, section_id=None):
    return client.post(
        f"/workshops/{c.workshop.id}/comments",
        data={"participant_id": participant.id, "section_id": section_id or c.section.id,
              "kind": "change", "body": body},
    )  # fmt: skip


def test_organizer_creates_the_workshop(workshop):
    c = workshop
    w = c.workshop
    assert w.organizer_id == c.people.organizer.id
    assert [s.id for s in w.agenda] == [c.section.id]
    assert {p.department_id for p in w.participants} == {c.stttt.id, c.sxd.id}
    assert w.starts_at.hour == 1  # 08:00 in Vietnam


def test_attendance_guests_and_comments_from_the_floor_enter_triage(client, workshop):
    c = workshop
    stttt = next(p for p in c.workshop.participants if p.department_id == c.stttt.id)
    client.post(f"/workshops/{c.workshop.id}/attendance", data={"present": [stttt.id]})
    guest = {"guest_name": "TS. Nguyễn Văn Khách", "guest_organization": "Trường ĐH Cần Thơ"}
    client.post(f"/workshops/{c.workshop.id}/guests", data=guest)
    db.session.expire_all()
    guest = next(p for p in c.workshop.participants if p.guest_name)
    assert stttt.attended and guest.attended
    assert record(client, c, stttt, "Cần làm rõ lộ trình kết nối dữ liệu.").status_code == 302
    assert record(client, c, guest, "Nên học kinh nghiệm của Đà Nẵng.").status_code == 302
    floor = db.session.scalars(select(Comment).where(Comment.workshop_id == c.workshop.id)).all()
    assert {cm.source for cm in floor} == {CommentSource.WORKSHOP}
    assert {cm.speaker for cm in floor} == {
        "Sở Thông tin và Truyền thông",
        "TS. Nguyễn Văn Khách (Trường ĐH Cần Thơ)",
    }
    assert all(cm.is_submitted and cm.author_id == c.people.organizer.id for cm in floor)

    login(client, c.people.drafting)
    inbox = client.get(f"{c.base}/inbox?source=workshop").get_data(as_text=True)
    assert "Nên học kinh nghiệm của Đà Nẵng." in inbox and "TS. Nguyễn Văn Khách" in inbox
    report = client.get(f"{c.base}/report?source=workshop").get_data(as_text=True)
    assert "TS. Nguyễn Văn Khách" in report


def test_packet_and_report(client, workshop):
    c = workshop
    participant = c.workshop.participants[0]
    record(client, c, participant, "Đề nghị bổ sung chỉ tiêu cụ thể.")
    packet = docx.Document(io.BytesIO(client.get(f"/workshops/{c.workshop.id}/packet.docx").data))
    text = "\n".join(p.text for p in packet.paragraphs)
    assert c.section.heading in text and "Đề nghị bổ sung chỉ tiêu cụ thể." in text

    comment = db.session.scalar(select(Comment).where(Comment.workshop_id == c.workshop.id))
    triage_service.answer_comment(comment, c.people.drafting, status=CommentStatus.ACCEPTED,
                                  answer="Tiếp thu, bổ sung chỉ tiêu.")  # fmt: skip
    db.session.commit()
    report = docx.Document(io.BytesIO(client.get(f"/workshops/{c.workshop.id}/report.docx").data))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Tiếp thu, bổ sung chỉ tiêu." in text and participant.name in text
    pdf = client.get(f"/workshops/{c.workshop.id}/report.pdf")
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    pdf_text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages))
    assert "Tiếp thu, bổ sung chỉ tiêu." in " ".join(pdf_text.split())
    assert client.get(f"/workshops/{c.workshop.id}/packet.pdf").status_code == 200
    assert client.get(f"/workshops/{c.workshop.id}/minutes.pdf").status_code == 404


def test_workshop_papers_are_official_documents(client, workshop):
    """Issue 18: the packet and the report in the Decree 30 frame of the proposal's board."""
    c = workshop
    c.proposal.document_symbol = "BC-BST"
    c.proposal.recipients = "Các đại biểu dự hội thảo"
    db.session.commit()
    login(client, c.people.organizer)
    for paper in ("packet", "report"):
        document = docx.Document(
            io.BytesIO(client.get(f"/workshops/{c.workshop.id}/{paper}.docx").data)
        )
        heading, closing = document.tables[0], document.tables[-1]
        assert heading.rows[0].cells[0].paragraphs[0].text == "UBND THÀNH PHỐ CẦN THƠ"
        assert heading.rows[1].cells[0].paragraphs[0].text.endswith("/BC-BST")
        assert c.workshop.title in [p.text for p in document.paragraphs]
        recipients, signature = closing.rows[0].cells
        assert [p.text for p in recipients.paragraphs] == [
            "Nơi nhận:", "- Các đại biểu dự hội thảo;", "- Lưu: VT, BST."
        ]  # fmt: skip
        assert signature.paragraphs[-1].text == c.people.drafting.full_name
        pdf = client.get(f"/workshops/{c.workshop.id}/{paper}.pdf").data
        text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in PdfReader(
            io.BytesIO(pdf)).pages))  # fmt: skip
        assert "UBND THÀNH PHỐ CẦN THƠ" in text and "Nơi nhận:" in text
        assert c.people.drafting.full_name in text


def test_only_the_proposals_organizers_and_board_run_its_workshops(client, workshop):
    c = workshop
    login(client, c.people.member)  # a board member runs the proposal's workshops too
    assert (
        client.post(f"/workshops/{c.workshop.id}/guests", data={"guest_name": "Khách"}).status_code
        == 302
    )
    login(client, c.people.outsider)  # the board of another proposal learns nothing
    assert client.get(f"/workshops/{c.workshop.id}").status_code == 404
    assert (
        client.post(f"/workshops/{c.workshop.id}/guests", data={"guest_name": "X"}).status_code
        == 404
    )
    assert record(client, c, c.workshop.participants[0], "x").status_code == 404
    for role in ("reviewer", "lead"):
        login(client, getattr(c.people, role))
        assert client.get(f"/workshops/{c.workshop.id}").status_code == 404
        assert client.get(f"/workshops/{c.workshop.id}/packet.docx").status_code == 404
    db.session.expire_all()
    assert len(c.workshop.participants) == 3  # the board member's guest, nobody else's


def test_bad_input_changes_nothing(client, workshop, make_proposal):
    c = workshop
    foreign = make_proposal().drafts[0].sections[0]
    bad = client.post(
        f"{c.base}/workshops/new",
        data={"title": "", "starts_at": "hôm nay", "place": "", "agenda": [foreign.id]},
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Trường này là bắt buộc." in page and "không phải là lựa chọn hợp lệ" in page
    assert db.session.query(Workshop).count() == 1
    empty = record(client, c, c.workshop.participants[0], "   ")
    assert empty.status_code == 302
    stranger = client.post(
        f"/workshops/{c.workshop.id}/comments",
        data={"participant_id": 999999, "kind": "change", "body": "x", "section_id": 0},
        follow_redirects=True,
    )
    assert "Lựa chọn không hợp lệ" in stranger.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0


def test_workshop_comments_are_triaged_and_shown_to_their_department(client, workshop):
    c = workshop
    stttt = next(p for p in c.workshop.participants if p.department_id == c.stttt.id)
    record(client, c, stttt, "Ý kiến tại hội thảo của STTTT.")
    comment = db.session.scalar(select(Comment).where(Comment.workshop_id == c.workshop.id))
    login(client, c.people.drafting)
    page = client.get(f"/comments/{comment.id}/triage")
    assert page.status_code == 200 and "Ghi nhận tại hội thảo" in page.get_data(as_text=True)
    response = client.post(
        f"/comments/{comment.id}/triage",
        data={
            "status": "accepted",
            "answer": "Tiếp thu.",
            "assignee_id": 0,
            "version": comment.version,
        },
    )
    assert response.status_code == 302
    login(client, c.people.reviewer)
    mine = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "Ý kiến tại hội thảo của STTTT." in mine and "Tiếp thu." in mine
    login(client, c.people.drafting)
    participation = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "Chưa gửi ý kiến" in participation  # a workshop remark is not an official response


def test_a_merged_guest_keeps_the_credit(client, workshop):
    c = workshop
    client.post(f"/workshops/{c.workshop.id}/guests", data={"guest_name": "Bà Trần Khách"})
    db.session.expire_all()
    guest = next(p for p in c.workshop.participants if p.guest_name)
    stttt = next(p for p in c.workshop.participants if p.department_id == c.stttt.id)
    record(client, c, stttt, "Bổ sung an toàn thông tin cho trung tâm dữ liệu.")
    record(client, c, guest, "Cần bổ sung an toàn thông tin trung tâm dữ liệu.")
    first, second = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    triage_service.mark_duplicates(first, [second], c.people.drafting)
    db.session.commit()
    login(client, c.people.drafting)
    report = client.get(f"{c.base}/report").get_data(as_text=True)
    assert "Sở Thông tin và Truyền thông; Bà Trần Khách" in report


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_dates_out_of_range_are_refused_not_a_500(client, workshop, value):
    c = workshop
    response = client.post(
        f"{c.base}/workshops/new", data={"title": "X", "starts_at": value, "place": "Y"}
    )
    assert response.status_code == 422
    assert "1900" in response.get_data(as_text=True)
    login(client, c.people.drafting)
    assert client.get(f"{c.base}/report?from=0001-01-01&to=9999-12-31").status_code == 200
    assert client.get(f"{c.base}/report.csv?from=0001-01-01").status_code == 200
    assert client.post(f"{c.base}/deadline", data={"closes_at": value}).status_code == 422


def test_no_workshop_on_a_superseded_draft(client, workshop):
    from consult.services import drafts as draft_service
    from consult.services.workshops import WorkshopError

    c = workshop
    draft2 = draft_service.start_next_draft(c.proposal)
    c.draft.supersede()
    db.session.commit()
    participant = c.workshop.participants[0]
    assert record(client, c, participant, "Muộn.").status_code == 302
    assert db.session.query(Comment).count() == 0
    with pytest.raises(WorkshopError):
        from consult.services import workshops as workshop_service

        workshop_service.record_floor_comment(
            c.workshop, c.people.organizer, section=None, participant=participant,
            kind="general", body="x",
        )  # fmt: skip
    assert draft2.number == 2


def test_workshop_page_queries_do_not_grow_with_comments(client, workshop):
    from sqlalchemy import event

    c = workshop
    participant = c.workshop.participants[0]

    def count():
        n = 0

        def tick(*_a, **_k):
            nonlocal n
            n += 1

        event.listen(db.engine, "before_cursor_execute", tick)
        try:
            assert client.get(f"/workshops/{c.workshop.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", tick)
        return n

    record(client, c, participant, "Một.")
    few = count()
    for i in range(6):
        record(client, c, participant, f"Ý kiến {i}.")
    assert count() == few


def test_single_line_fields_fold_line_breaks_and_text_drops_control_characters(
    client, consultation
):
    """Issue 17 (findings 1 and 5): what a form stores is one line where one line is meant,
    and never a character a Word file or an e-mail header cannot carry."""
    c = consultation
    login(client, c.people.organizer)
    response = client.post(
        f"{c.base}/workshops/new",
        data={
            "title": "Evil\r\nBcc: evil@example.com",
            "starts_at": "2030-05-15T08:00",
            "place": "Hội\u2028trường\x0b",
            "notes": "Dòng một\r\nDòng\x01 hai",
            "agenda": [c.section.id],
            "invited": [c.stttt.id],
        },
    )
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.title == "Evil Bcc: evil@example.com"
    assert workshop.place == "Hội trường"
    assert workshop.notes == "Dòng một\nDòng hai"


def test_control_characters_in_old_comments_do_not_break_the_papers(client, workshop):
    """Issue 17, finding 5: a comment written before text was cleaned at input (or by any
    path that skips the forms) still gives a packet and a report, without the characters."""
    from consult.services import comments as comment_service

    c = workshop
    comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=comment_service.CommentKind.CHANGE,
        body="Sửa chỉ tiêu\x01 cụ thể\x0b.",
    )  # fmt: skip
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    db.session.execute(
        Comment.__table__.update().values(body="Sửa chỉ tiêu\x01 cụ thể\x0b.", quote="\x02x")
    )
    db.session.commit()
    login(client, c.people.organizer)
    for paper in ("packet", "report"):
        response = client.get(f"/workshops/{c.workshop.id}/{paper}.docx")
        assert response.status_code == 200, paper
    packet = docx.Document(io.BytesIO(client.get(f"/workshops/{c.workshop.id}/packet.docx").data))
    assert "Sửa chỉ tiêu cụ thể." in "\n".join(p.text for p in packet.paragraphs)


def test_floor_comments_wait_for_the_workshops_day_unless_the_board_allows(client, workshop):
    """Issue 18: comments from the floor were accepted weeks before the workshop."""
    from consult.models import AuditAction, AuditEvent

    c = workshop
    c.workshop.starts_at = utcnow() + timedelta(days=3)
    db.session.commit()
    participant = c.workshop.participants[0]
    login(client, c.people.organizer)
    page = client.get(f"/workshops/{c.workshop.id}").get_data(as_text=True)
    assert "/comments" not in page.split('id="floor"')[1]  # no form offered
    assert "Cho phép ghi trước ngày hội thảo" in page
    refused = client.post(
        f"/workshops/{c.workshop.id}/comments",
        data={"participant_id": participant.id, "section_id": c.section.id, "kind": "change",
              "body": "Sớm quá."},
        follow_redirects=True,
    )  # fmt: skip
    assert "từ ngày hội thảo" in refused.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0
    # A board member may not decide it; an organizer may, and it shows on the page.
    login(client, c.people.member)
    early = f"/workshops/{c.workshop.id}/early-recording"
    assert client.post(early, data={"allowed": "1"}).status_code == 403
    login(client, c.people.organizer)
    assert client.post(early, data={"allowed": "1"}).status_code == 302
    page = client.get(f"/workshops/{c.workshop.id}").get_data(as_text=True)
    assert "cho phép ghi trước" in page
    assert record(client, c, participant, "Ý kiến ghi trước.").status_code == 302
    assert db.session.query(Comment).count() == 1
    (event,) = [
        e
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.WORKSHOP_CHANGE)
        )
        if "early_recording" in (e.detail or "")
    ]
    assert event.actor_id == c.people.organizer.id


@pytest.mark.nodb
def test_the_workshops_day_is_the_vietnam_date():
    from datetime import UTC, datetime

    # 08:00 on 15 May in Vietnam is 01:00 UTC; 23:30 UTC on 14 May is already the 15th there.
    w = Workshop(starts_at=datetime(2030, 5, 15, 1, 0, tzinfo=UTC), allows_early_recording=False)
    assert not w.accepts_floor_comments(datetime(2030, 5, 14, 16, 59, tzinfo=UTC))
    assert w.accepts_floor_comments(datetime(2030, 5, 14, 17, 0, tzinfo=UTC))
    w.allows_early_recording = True
    assert w.accepts_floor_comments(datetime(2030, 5, 1, tzinfo=UTC))
