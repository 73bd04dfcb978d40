"""The history of a comment and the audit log read as sentences, with names and links."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from consult.extensions import db
from consult.history import DESCRIPTIONS
from consult.models import AuditAction, AuditEvent, CommentStatus
from consult.services import comments as comment_service
from consult.services import triage as triage_service
from tests.conftest import login

SERVICES = Path(__file__).resolve().parent.parent / "consult" / "services"


@pytest.mark.nodb
def test_every_action_the_services_write_has_its_own_words():
    used = set()
    for path in SERVICES.glob("*.py"):
        used |= set(re.findall(r"AuditAction\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    assert used, "no audit action found in consult/services"
    missing = sorted(name for name in used if AuditAction[name] not in DESCRIPTIONS)
    assert not missing, f"no description in consult/history.py for {missing}"


@pytest.fixture
def triaged(consultation):
    """Two submitted comments; the drafting team answers one and folds the other into it."""
    c = consultation
    first = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="change",
        body="Đề nghị bổ sung nội dung an toàn thông tin.",
        quote="nâng cao chất lượng sống",
        proposed_text="trung tâm dữ liệu dùng chung, bảo đảm an toàn thông tin cấp độ 3",
    )  # fmt: skip
    second = comment_service.create_comment(
        c.draft, c.section, c.people.other_reviewer, kind="change", body="Cần bảo đảm an toàn."
    )
    comment_service.submit_response(c.draft, c.people.lead)
    comment_service.submit_response(c.draft, c.people.other_lead)
    triage_service.answer_comment(
        first, c.people.drafting, status=CommentStatus.PARTLY_ACCEPTED, answer="Tiếp thu ý 1."
    )
    triage_service.mark_duplicates(first, [second], c.people.drafting)
    db.session.commit()
    c.first, c.second = first, second
    return c


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_triage_history_reads_as_sentences_in_both_languages(client, triaged):
    c = triaged
    login(client, c.people.drafting)
    page = _text(client.get(f"/comments/{c.first.id}/triage").get_data(as_text=True))
    assert "Kết quả: Mới → Tiếp thu một phần" in page
    assert "Ghi ý kiến tiếp thu, giải trình: “Tiếp thu ý 1.”" in page
    assert "partly_accepted" not in page and "kết quảnew" not in page.lower()
    other = client.get(f"/comments/{c.second.id}/triage").get_data(as_text=True)
    assert f'href="/comments/{c.first.id}/triage">góp ý #{c.first.id}</a>' in other
    assert f"Đánh dấu trùng với góp ý #{c.first.id}." in _text(other)
    assert "— →" not in _text(other)
    client.post("/language/en", data={"next": "/"})
    page = _text(client.get(f"/comments/{c.first.id}/triage").get_data(as_text=True))
    assert "Result: New → Partly accepted" in page
    other = _text(client.get(f"/comments/{c.second.id}/triage").get_data(as_text=True))
    assert f"Marked as a duplicate of comment #{c.first.id}." in other


def test_triage_page_shows_what_is_answered_and_whom_the_discussion_is_with(client, triaged):
    c = triaged
    login(client, c.people.drafting)
    page = _text(client.get(f"/comments/{c.first.id}/triage").get_data(as_text=True))
    assert "Đoạn trích dẫn: nâng cao chất lượng sống" in page  # the quoted passage
    assert "bảo đảm an toàn thông tin cấp độ 3" in page  # the proposed wording
    assert "Trao đổi với Sở Thông tin và Truyền thông" in page
    assert "Trao đổi với Ban Soạn thảo" not in page
    client.post("/language/en", data={"next": "/"})
    page = _text(client.get(f"/comments/{c.first.id}/triage").get_data(as_text=True))
    assert "Discussion with Sở Thông tin và Truyền thông" in page
    # The department's side talks with the drafting board.
    login(client, c.people.reviewer)
    client.post("/language/vi", data={"next": "/"})
    page = _text(client.get(f"/comments/{c.first.id}").get_data(as_text=True))
    assert "Trao đổi với Ban Soạn thảo" in page


def test_audit_log_reads_as_sentences_with_names_links_and_vietnam_time(client, triaged):
    c = triaged
    db.session.query(AuditEvent).update({"created_at": datetime(2030, 5, 1, 1, 30, tzinfo=UTC)})
    db.session.commit()
    login(client, c.people.admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    page = _text(html)
    assert f"Kết quả của góp ý #{c.first.id}: Mới → Tiếp thu một phần" in page
    assert f"Đánh dấu góp ý #{c.second.id} trùng với góp ý #{c.first.id}." in page
    assert "ý kiến chính thức của Sở Thông tin và Truyền thông về dự thảo lần 1" in page
    assert "01/05/2030 08:30" in page
    drafting = c.people.drafting
    assert f'<a href="/admin/users/{drafting.id}/edit">{drafting.full_name}</a>' in html
    assert f'href="/proposals/{c.proposal.code}/drafts/1"' in html
    assert "{&#34;" not in html and '{"' not in page and "User #" not in page
    client.post("/language/en", data={"next": "/"})
    page = _text(client.get("/admin/audit").get_data(as_text=True))
    assert f"Result of comment #{c.first.id}: New → Partly accepted" in page
    # The filters still narrow the list.
    page = _text(client.get("/admin/audit?action=comment.merge").get_data(as_text=True))
    assert f"Marked comment #{c.second.id} as duplicates of comment #{c.first.id}." in page
    assert "Result of comment" not in page


def test_an_entry_whose_object_is_gone_or_whose_detail_is_odd_still_reads(client, consultation):
    from consult.services import audit

    audit.record(AuditAction.COMMENT_STATUS, actor=consultation.people.admin, detail={"x": 1})
    event = audit.record(AuditAction.DRAFT_CLOSE, actor=consultation.people.admin)
    event.object_type, event.object_id = "Draft", 999999
    db.session.commit()
    login(client, consultation.people.admin)
    response = client.get("/admin/audit")
    assert response.status_code == 200
    assert "Draft #999999 (đã xóa)" in _text(response.get_data(as_text=True))
