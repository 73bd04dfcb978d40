"""The participation page's tools: remind now, the bodies' contacts, the table as XLSX,
and its rows as cards on a phone."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    AuditAction,
    AuditEvent,
    DraftInvitation,
    EmailState,
    Notification,
    NotificationKind,
)
from consult.models.base import utcnow
from consult.services import comments as comment_service
from tests.conftest import login


def _reminders(user) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id,
                Notification.kind == NotificationKind.DEADLINE_REMINDER,
            )
        )
    )


def test_remind_now_tells_a_silent_body_once_a_day(client, consultation):
    c = consultation
    p = c.people
    comment_service.agree_with_draft(c.draft, p.other_lead)  # SXD has responded
    db.session.commit()
    login(client, p.member)
    page = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "Nhắc ngay 1 cơ quan chưa có ý kiến" in page
    response = client.post(f"{c.base}/participation/remind", follow_redirects=True)
    assert "Đã nhắc 1 cơ quan: Sở Thông tin và Truyền thông." in response.get_data(as_text=True)
    # Every reviewer and lead of STTTT, in the portal and through the e-mail outbox.
    for user in (p.reviewer, p.reviewer2, p.lead):
        (note,) = _reminders(user)
        assert note.params["by_board"] and note.email_state is EmailState.PENDING
    assert _reminders(p.other_reviewer) == []
    invitation = c.draft.invitation_for(c.stttt.id)
    db.session.refresh(invitation)
    assert invitation.reminded_at is not None
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DRAFT_REMIND)
    )
    assert "STTTT" in event.detail and event.actor_id == p.member.id
    # Within a day: the buttons are disabled and say when, and a post changes nothing.
    page = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "Đã nhắc lúc" in page and "nhắc lại từ" in page
    row = page.split("Sở Thông tin và Truyền thông")[1].split("</tr>")[0]
    assert "disabled" in row
    again = client.post(
        f"{c.base}/participation/remind", data={"department_id": c.stttt.id},
        follow_redirects=True,
    )  # fmt: skip
    assert "không thể nhắc" in again.get_data(as_text=True)
    client.post(f"{c.base}/participation/remind")
    assert len(_reminders(p.lead)) == 1
    # A day later it may be reminded again.
    invitation = db.session.get(DraftInvitation, invitation.id)
    invitation.reminded_at = utcnow() - timedelta(hours=24, minutes=1)
    db.session.commit()
    client.post(f"{c.base}/participation/remind", data={"department_id": c.stttt.id})
    assert len(_reminders(p.lead)) == 2


def test_only_the_board_reminds(client, consultation):
    c = consultation
    login(client, c.people.organizer)
    page = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "/participation/remind" not in page
    assert client.post(f"{c.base}/participation/remind").status_code == 403
    assert _reminders(c.people.lead) == []


def test_a_body_that_responded_is_not_reminded(client, consultation):
    c = consultation
    comment_service.agree_with_draft(c.draft, c.people.other_lead)
    db.session.commit()
    login(client, c.people.drafting)
    client.post(f"{c.base}/participation/remind", data={"department_id": c.sxd.id})
    assert _reminders(c.people.other_lead) == []


def test_participation_shows_contacts_and_downloads_as_xlsx(client, consultation):
    c = consultation
    c.stttt.email, c.stttt.phone = "vanthu.stttt@cantho.gov.vn", "0292 3821 999"
    db.session.commit()
    login(client, c.people.organizer)
    page = client.get(f"{c.base}/participation").get_data(as_text=True)
    assert "mailto:vanthu.stttt@cantho.gov.vn" in page and "tel:02923821999" in page
    response = client.get(f"{c.base}/participation.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == ["Cơ quan, đơn vị", "Mã", "Thư điện tử", "Điện thoại"]
    stttt = next(r for r in rows[2:] if r[1] == "STTTT")
    assert stttt[2:5] == ["vanthu.stttt@cantho.gov.vn", "0292 3821 999", "Chưa gửi ý kiến"]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage  # A4
    assert sheet.page_setup.fitToHeight == 0 and sheet.page_setup.fitToWidth in (None, 1)
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
    assert "participation" in event.detail


def test_the_admin_edits_a_bodys_phone(client, consultation):
    c = consultation
    login(client, c.people.admin)
    form = {"code": "STTTT", "name": c.stttt.name, "kind": "department", "email": "",
            "phone": "0292 3822 000"}  # fmt: skip
    assert client.post(f"/admin/departments/{c.stttt.id}/edit", data=form).status_code == 302
    db.session.refresh(c.stttt)
    assert c.stttt.phone == "0292 3822 000"
    bad = client.post(f"/admin/departments/{c.stttt.id}/edit", data={**form, "phone": "gọi tôi"})
    assert bad.status_code == 422
    db.session.refresh(c.stttt)
    assert c.stttt.phone == "0292 3822 000"
