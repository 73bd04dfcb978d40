"""Consolidation: accepted comments on draft 1 applied to draft 2, each change traced."""

from __future__ import annotations

import pytest

from consult.exceptions import NotAllowed
from consult.extensions import db
from consult.models import (
    AppliedChange,
    AuditAction,
    AuditEvent,
    ChangeKind,
    CommentStatus,
)
from consult.services import comments as comment_service
from consult.services import consolidation
from consult.services import drafts as draft_service
from consult.services import triage as triage_service
from tests.conftest import login

SECTIONS = [
    (
        1,
        "1",
        "Mục tiêu",
        "Đến năm 2020, **50%** hồ sơ được giải quyết trực tuyến tại nút giao chính.",
    ),
    (
        1,
        "2",
        "Giải pháp",
        "Lắp camera giám sát giao thông tại trung tâm.\n\n"
        "Mở rộng camera giám sát giao thông ra các quận.",
    ),
    (1, "3", "Kinh phí", "Kinh phí 100 tỷ đồng từ ngân sách."),
]


@pytest.fixture
def board(consultation, make_proposal):
    """Draft 1 with answered comments, and draft 2 in preparation (a copy of draft 1)."""
    c = consultation
    p = c.people
    proposal = make_proposal(code="DA-GOP", sections=SECTIONS, chair=p.drafting)
    draft = proposal.drafts[0]
    comment_service.invite_departments(draft, [c.stttt, c.sxd])
    s1, s2, s3 = draft.sections
    accepted, partly = CommentStatus.ACCEPTED, CommentStatus.PARTLY_ACCEPTED
    specs = {
        # name: (author, section, quote, proposed wording, status)
        "target": (p.reviewer, s1, "50% hồ sơ", "80% hồ sơ", accepted),
        "camera": (p.reviewer, s2, "camera giám sát giao thông", "camera thông minh", accepted),
        "more": (p.reviewer, s3, "100 tỷ đồng", "120 tỷ đồng", accepted),
        "most": (p.other_reviewer, s3, "100 tỷ đồng", "150 tỷ đồng", accepted),
        "partly": (p.reviewer, s1, "nút giao chính", "các nút giao", partly),
        "budget": (p.other_reviewer, s3, "từ ngân sách", "từ ngân sách thành phố", accepted),
        "vanished": (p.other_reviewer, s2, "ra các quận", "ra toàn thành phố", accepted),
        "new": (p.other_reviewer, s3, None, "Huy động thêm vốn xã hội hóa.", accepted),
        "refused": (p.reviewer, s3, "Kinh phí", "Tổng kinh phí", CommentStatus.NOT_ACCEPTED),
    }
    made = {}
    for name, (author, section, quote, wording, _status) in specs.items():
        made[name] = comment_service.create_comment(
            draft, section, author, kind="change", body=f"Góp ý {name}.", quote=quote,
            proposed_text=wording,
        )  # fmt: skip
    comment_service.submit_response(draft, p.lead)
    comment_service.submit_response(draft, p.other_lead)
    for name, (*_rest, status) in specs.items():
        triage_service.answer_comment(
            made[name], p.drafting, status=status, answer=f"Trả lời {name}."
        )
    draft2 = draft_service.start_next_draft(proposal)
    # The board rewrote the end of section 2 by hand: the quote "ra các quận" is gone.
    s2_next = draft2.sections[1]
    draft_service.update_section(
        s2_next, number="2", heading="Giải pháp", body=s2_next.body.replace("ra các quận", "")
    )
    db.session.commit()
    c.proposal2, c.draft1, c.draft2, c.made = proposal, draft, draft2, made
    return c


def candidates(draft):
    return {c.comment.id: c for plan in consolidation.plan(draft) for c in plan.candidates}


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_the_plan_says_what_can_be_applied_and_why_not(board):
    found = candidates(board.draft2)
    m = board.made
    assert m["refused"].id not in found  # only accepted and partly accepted comments
    assert found[m["target"].id].state == consolidation.READY
    assert found[m["target"].id].span.method == "formatting"  # **50%** in the source
    assert found[m["budget"].id].span.method == "exact"
    assert found[m["camera"].id].state == consolidation.CHOOSE
    assert len(found[m["camera"].id].occurrences) == 2
    assert found[m["vanished"].id].state == consolidation.NOT_FOUND
    assert found[m["new"].id].state == consolidation.INSERTION
    assert found[m["more"].id].conflict is not None
    assert found[m["more"].id].conflict == found[m["most"].id].conflict
    partly = found[m["partly"].id]
    assert partly.state == consolidation.READY and not partly.automatic
    assert "Partly accepted" in partly.reason or "một phần" in partly.reason


def test_apply_all_applies_only_unconflicted_accepted_changes(board):
    m = board.made
    outcome = consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    applied = sorted(c.comment.id for c, _change in outcome.applied)
    assert applied == sorted([m["target"].id, m["budget"].id])
    waiting = {c.comment.id for c in outcome.needs_decision}
    assert waiting == {m[n].id for n in ("camera", "more", "most", "partly", "vanished", "new")}
    s1, _s2, s3 = reload(board.draft2).sections
    assert s1.body == "Đến năm 2020, 80% hồ sơ được giải quyết trực tuyến tại nút giao chính."
    assert s3.body == "Kinh phí 100 tỷ đồng từ ngân sách thành phố."
    assert "nút giao chính" in s1.body  # partly accepted: never applied automatically
    # Each change is a record with its comments, and the triage link is set by it.
    change = db.session.query(AppliedChange).filter_by(section_id=s1.id).one()
    assert [c.id for c in change.comments] == [m["target"].id]
    assert change.body_before.startswith("Đến năm 2020, **50%**")
    assert change.applied_by_id == board.people.drafting.id
    assert reload(m["target"]).addressed_in_id == s1.id
    events = db.session.query(AuditEvent).filter_by(action=AuditAction.CHANGE_APPLY).count()
    assert events == 2
    # Nothing left to apply automatically: a second run changes nothing.
    again = consolidation.apply_all(board.draft2, board.people.drafting)
    assert again.applied == []


def test_a_quote_found_twice_is_applied_where_the_board_chooses(client, board):
    login(client, board.people.drafting)
    camera = candidates(board.draft2)[board.made["camera"].id]
    second = camera.occurrences[1]
    section = camera.section
    form = {
        "section_id": section.id,
        "comments": board.made["camera"].id,
        "kind": "replace",
        "start": second.start,
        "end": second.end,
        "wording": "camera thông minh",
        "base": consolidation.fingerprint(section.body),
    }
    url = "/proposals/DA-GOP/drafts/2/consolidation"
    preview = client.post(f"{url}/preview", data=form)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert '<del class="redline-del">giám sát giao </del>' in page
    assert '<ins class="redline-ins">minh </ins>' in page
    assert reload(section).body.count("camera giám sát giao thông") == 2  # not saved yet
    response = client.post(f"{url}/apply", data=form)
    assert response.status_code == 302
    body = reload(section).body
    assert body.startswith("Lắp camera giám sát giao thông tại trung tâm.")
    assert "Mở rộng camera thông minh" in body


def test_a_stale_preview_is_refused_and_changes_nothing(client, board):
    login(client, board.people.drafting)
    target = candidates(board.draft2)[board.made["target"].id]
    form = {
        "section_id": target.section.id, "comments": board.made["target"].id, "kind": "replace",
        "start": target.span.start, "end": target.span.end, "wording": "80% hồ sơ",
        "base": "0" * 16,
    }  # fmt: skip
    response = client.post("/proposals/DA-GOP/drafts/2/consolidation/apply", data=form)
    assert response.status_code == 302
    assert "**50%**" in reload(target.section).body
    assert db.session.query(AppliedChange).count() == 0


@pytest.mark.parametrize(
    ("action", "field"),
    [("apply", "section_id"), ("apply", "comments"), ("apply-all", "section_id"),
     ("undo", "change_id")],
)  # fmt: skip
def test_an_id_no_column_can_hold_is_refused_and_changes_nothing(client, board, action, field):
    # 2**31 is past PostgreSQL's INTEGER: looked up, it was a query error (a 500).
    login(client, board.people.drafting)
    target = candidates(board.draft2)[board.made["target"].id]
    form = {
        "section_id": target.section.id, "comments": board.made["target"].id, "kind": "replace",
        "start": target.span.start, "end": target.span.end, "wording": "80% hồ sơ",
        "base": consolidation.fingerprint(target.section.body), "change_id": 1,
        field: 2**31,
    }  # fmt: skip
    response = client.post(f"/proposals/DA-GOP/drafts/2/consolidation/{action}", data=form)
    assert response.status_code == 302
    assert "**50%**" in reload(target.section).body
    assert db.session.query(AppliedChange).count() == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "open the consolidation page again" in page or "mở lại trang" in page.lower()


def test_a_conflict_is_resolved_with_one_change_for_both_comments(board):
    m = board.made
    found = candidates(board.draft2)
    most = found[m["most"].id]
    proposed = consolidation.prepare(
        most.section, kind=most.kind, wording="150 tỷ đồng", start=most.span.start,
        end=most.span.end,
    )  # fmt: skip
    change = consolidation.apply_change(
        board.draft2, proposed, [m["more"], m["most"]],
        board.people.drafting,
    )  # fmt: skip
    db.session.commit()
    assert sorted(c.id for c in change.comments) == sorted([m["more"].id, m["most"].id])
    assert reload(most.section).body == "Kinh phí 150 tỷ đồng từ ngân sách."
    assert {reload(m["more"]).addressed_in_id, reload(m["most"]).addressed_in_id} == {
        most.section.id
    }
    found = candidates(board.draft2)
    assert found[m["more"].id].changes and found[m["most"].id].changes


def test_undo_puts_the_text_back_and_the_link_away(board):
    m = board.made
    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    s1 = reload(board.draft2).sections[0]
    change = db.session.query(AppliedChange).filter_by(section_id=s1.id).one()
    consolidation.undo_change(change, board.people.drafting)
    db.session.commit()
    assert reload(s1).body.startswith("Đến năm 2020, **50%** hồ sơ")
    assert reload(change).undone_at is not None
    assert reload(m["target"]).addressed_in_id is None
    with pytest.raises(NotAllowed):
        consolidation.undo_change(reload(change), board.people.drafting)


def test_undo_of_a_change_edited_by_hand_shows_the_conflict(client, board):
    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    s1 = reload(board.draft2).sections[0]
    # Edited by hand after the apply: the link stays, undo refuses to guess.
    draft_service.update_section(
        s1, number="1", heading="Mục tiêu", body=s1.body.replace("80% hồ sơ", "85% hồ sơ")
    )
    db.session.commit()
    change = db.session.query(AppliedChange).filter_by(section_id=s1.id).one()
    assert reload(board.made["target"]).addressed_in_id == s1.id
    login(client, board.people.drafting)
    response = client.post(
        "/proposals/DA-GOP/drafts/2/consolidation/undo", data={"change_id": change.id}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert '<ins class="redline-ins">85</ins>' in page and "80% hồ sơ" in page
    assert "không thể hoàn tác tự động" in page
    assert reload(change).undone_at is None
    assert "85% hồ sơ" in reload(s1).body


def test_partly_accepted_applies_only_by_the_boards_hand(board):
    partly = candidates(board.draft2)[board.made["partly"].id]
    proposed = consolidation.prepare(
        partly.section, kind=partly.kind, wording="các nút giao trọng điểm",
        start=partly.span.start, end=partly.span.end,
    )  # fmt: skip
    consolidation.apply_change(
        board.draft2, proposed, [board.made["partly"]], board.people.drafting
    )
    db.session.commit()
    assert reload(partly.section).body.endswith("tại các nút giao trọng điểm.")


def test_a_wording_without_quote_is_inserted_after_the_chosen_paragraph(board):
    new = candidates(board.draft2)[board.made["new"].id]
    proposed = consolidation.prepare(new.section, kind=new.kind, wording=new.wording, position=0)
    consolidation.apply_change(board.draft2, proposed, [board.made["new"]], board.people.drafting)
    db.session.commit()
    assert reload(new.section).body == (
        "Huy động thêm vốn xã hội hóa.\n\nKinh phí 100 tỷ đồng từ ngân sách."
    )


def test_comments_not_accepted_or_on_another_draft_are_refused(board):
    refused = board.made["refused"]
    section = board.draft2.sections[2]
    proposed = consolidation.prepare(section, kind=ChangeKind.INSERT, wording="X.")
    with pytest.raises(consolidation.ConsolidationError):
        consolidation.apply_change(board.draft2, proposed, [refused], board.people.drafting)
    with pytest.raises(NotAllowed):
        consolidation.apply_change(
            board.draft2, proposed, [board.made["new"]], board.people.reviewer
        )
    assert db.session.query(AppliedChange).count() == 0


def test_the_consolidation_page_shows_comments_beside_the_text(client, board):
    login(client, board.people.drafting)
    page = client.get("/proposals/DA-GOP/drafts/2/consolidation").get_data(as_text=True)
    assert "Trả lời target." in page and "80% hồ sơ" in page
    assert "camera thông minh" in page and "150 tỷ đồng" in page
    assert "Trả lời refused." not in page
    assert page.count('action="/proposals/DA-GOP/drafts/2/consolidation/apply-all"') >= 1


def publish(draft):
    from datetime import timedelta

    from consult.models.base import utcnow

    now = utcnow()
    comment_service.publish_draft(
        draft, now - timedelta(hours=1), now + timedelta(days=7), cut_short=True
    )
    db.session.commit()


def test_compare_shows_the_comments_behind_each_change_and_warns_of_the_others(client, board):
    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    login(client, board.people.drafting)
    page = client.get("/proposals/DA-GOP/compare?from=1&to=2").get_data(as_text=True)
    target, vanished = board.made["target"], board.made["vanished"]
    assert f"/comments/{target.id}" in page.split("Mục tiêu")[1].split("compare-item")[0]
    warning = page.split('id="accepted-unseen"')[1].split("</section>")[0]
    assert f"/comments/{vanished.id}/triage" in warning  # accepted, nothing applied
    assert f"/comments/{target.id}/triage" not in warning


def test_hand_edits_keep_the_change_records_and_links(board):
    consolidation.apply_all(board.draft2, board.people.drafting)
    s1 = board.draft2.sections[0]
    draft_service.update_section(s1, number="1", heading="Mục tiêu mới", body=s1.body + " Thêm.")
    db.session.commit()
    assert db.session.query(AppliedChange).filter_by(section_id=s1.id).count() == 1
    assert reload(board.made["target"]).addressed_in_id == s1.id


def test_the_report_says_where_each_accepted_comment_went(client, board):
    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    login(client, board.people.drafting)
    page = client.get("/proposals/DA-GOP/drafts/1/report").get_data(as_text=True)
    assert "Đã tiếp thu tại mục 1 của dự thảo lần 2." in page
    assert "Đã tiếp thu tại mục 3 của dự thảo lần 2." in page
    assert "Trả lời target." in page  # the answer itself is unchanged
    assert reload(board.made["target"]).answer == "Trả lời target."
    from consult.services.reports import summary_report

    rows = {r.comment_ids[0]: r for r in summary_report(board.draft1).rows}
    assert rows[board.made["target"].id].taken_into == [(2, "1")]
    assert rows[board.made["camera"].id].taken_into == []


def test_departments_see_where_and_hear_when_the_draft_is_published(client, board):
    from consult.models import Notification, NotificationKind

    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    login(client, board.people.reviewer)
    mine = "/proposals/DA-GOP/drafts/1/my-department"
    assert "taken-into" not in client.get(mine).get_data(as_text=True)  # draft 2 unpublished
    publish(reload(board.draft2))
    page = client.get(mine).get_data(as_text=True)
    assert "Đã tiếp thu tại Dự thảo lần 2, mục 1 Mục tiêu." in page
    told = db.session.query(Notification).filter_by(
        user_id=board.people.reviewer.id, kind=NotificationKind.WORDING_TAKEN_IN
    )
    assert told.count() == 1
    assert told.one().params["sections"] == ["1"]
    # The other body had only "budget" applied, in section 3.
    other = db.session.query(Notification).filter_by(
        user_id=board.people.other_reviewer.id, kind=NotificationKind.WORDING_TAKEN_IN
    )
    assert other.one().params["sections"] == ["3"]


def test_a_reimport_lists_the_changes_it_would_lose_and_keeps_the_others(client, board):
    import io

    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    login(client, board.people.drafting)
    text = "# 1. Mục tiêu\n\nĐến năm 2020, 80% hồ sơ.\n\n# 2. Giải pháp\n\nCamera.\n"
    preview = client.post(
        "/proposals/DA-GOP/import",
        data={"file": (io.BytesIO(text.encode()), "du-thao.md"), "change_note": ""},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    lost = page.split('id="lost-changes"')[1].split("</section>")[0]
    assert "3 Kinh phí" in lost and "từ ngân sách thành phố" in lost
    assert "80% hồ sơ" not in lost


@pytest.mark.nodb
def test_the_report_sentence_groups_sections_by_draft():
    from consult.documents.summary import VIETNAMESE_LABELS, ReportRow, taken_into_text

    row = ReportRow(
        number=1, section_number="6", section_heading="", section_key="k", departments=[],
        kind="", source="", comment="", taken_into=[(4, "6.1"), (4, "6.2"), (5, "2")],
    )  # fmt: skip
    assert taken_into_text(row, VIETNAMESE_LABELS) == (
        "Đã tiếp thu tại mục 6.1, 6.2 của dự thảo lần 4. Đã tiếp thu tại mục 2 của dự thảo lần 5."
    )


def test_once_the_draft_is_published_its_changes_stay(client, board):
    consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    change = db.session.query(AppliedChange).first()
    publish(reload(board.draft2))
    with pytest.raises(NotAllowed):
        consolidation.undo_change(reload(change), board.people.drafting)
    login(client, board.people.drafting)
    url = "/proposals/DA-GOP/drafts/2/consolidation"
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/undo", data={"change_id": change.id}).status_code == 403
    assert reload(change).undone_at is None


def test_the_quotes_context_picks_the_place_and_a_deletion_applies_as_removal(board):
    m = board.made
    camera = m["camera"]
    camera.quote_prefix = "Mở rộng"  # recorded with the quote when the reader selected it
    camera.quote_suffix = "ra các quận."
    budget = m["budget"]
    budget.proposes_deletion, budget.proposed_text = True, None
    db.session.commit()
    found = candidates(board.draft2)
    assert found[camera.id].state == consolidation.READY and found[camera.id].chosen == 1
    assert found[budget.id].kind is ChangeKind.DELETE
    outcome = consolidation.apply_all(board.draft2, board.people.drafting)
    db.session.commit()
    assert {c.comment.id for c, _ch in outcome.applied} >= {camera.id, budget.id}
    _s1, s2, s3 = reload(board.draft2).sections
    assert s2.body.startswith("Lắp camera giám sát giao thông tại trung tâm.")
    assert "Mở rộng camera thông minh" in s2.body
    assert s3.body == "Kinh phí 100 tỷ đồng."


def test_the_home_page_keeps_the_published_draft_and_offers_the_next(client, board):
    login(client, board.people.drafting)
    page = client.get("/").get_data(as_text=True)
    card = page.split("DA-GOP/drafts/1")[1]
    assert "/proposals/DA-GOP/drafts/1/inbox" in page  # the published draft's inbox stays
    assert "/proposals/DA-GOP/drafts/2/consolidation" in card
