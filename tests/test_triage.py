"""The drafting team triages and answers every submitted comment."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Comment, CommentStatus
from consult.services import comments as comment_service
from consult.services import drafts as draft_service
from consult.services import triage as triage_service
from consult.services.triage import TriageConflict, TriageError
from tests.conftest import login


@pytest.fixture
def submitted(consultation):
    """Submitted comments of two departments, two of which say the same thing."""
    c = consultation
    p = c.people
    sections = c.draft.sections
    texts = [
        (
            p.reviewer,
            sections[1],
            "Đề nghị bổ sung nội dung an toàn thông tin cho trung tâm dữ liệu.",
        ),
        (p.reviewer, sections[2], "Cần nêu rõ căn cứ pháp lý về quy hoạch đô thị."),
        (
            p.other_reviewer,
            sections[1],
            "Cần bổ sung phần bảo đảm an toàn thông tin của trung tâm dữ liệu.",
        ),
        (p.other_reviewer, None, "Lộ trình giai đoạn 2 về giao thông cần điều chỉnh."),
    ]
    made = [
        comment_service.create_comment(c.draft, s, author, kind="change", body=body)
        for author, s, body in texts
    ]
    comment_service.submit_response(c.draft, p.lead)
    comment_service.submit_response(c.draft, p.other_lead)
    db.session.commit()
    c.comments = made
    return c


def reload(comment):
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def test_answer_is_required_for_final_statuses(submitted):
    c = submitted
    comment = c.comments[0]
    for status in (CommentStatus.ACCEPTED, CommentStatus.PARTLY_ACCEPTED,
                   CommentStatus.NOT_ACCEPTED, CommentStatus.NOTED):  # fmt: skip
        with pytest.raises(TriageError):
            triage_service.answer_comment(comment, c.people.drafting, status=status, answer="  ")
    triage_service.answer_comment(
        comment, c.people.drafting, status=CommentStatus.UNDER_REVIEW, answer=None
    )
    assert comment.status is CommentStatus.UNDER_REVIEW
    triage_service.answer_comment(
        comment, c.people.drafting, status=CommentStatus.ACCEPTED, answer="Tiếp thu, bổ sung."
    )
    assert comment.is_answered and comment.answered_by == c.people.drafting


def test_only_submitted_comments_are_triaged(consultation):
    c = consultation
    draft_comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="general", body="Chưa gửi."
    )
    with pytest.raises(TriageError):
        triage_service.answer_comment(
            draft_comment, c.people.drafting, status=CommentStatus.NOTED, answer="x"
        )


def test_triage_page_answers_and_records_history(client, submitted):
    c = submitted
    comment = c.comments[1]
    login(client, c.people.drafting)
    page = client.get(f"/comments/{comment.id}/triage")
    assert page.status_code == 200
    response = client.post(
        f"/comments/{comment.id}/triage",
        data={"status": "not_accepted", "answer": "Giải trình: đã có trong Chương I.",
              "assignee_id": c.people.drafting.id, "version": comment.version},
    )  # fmt: skip
    assert response.status_code == 302
    comment = reload(comment)
    assert comment.status is CommentStatus.NOT_ACCEPTED
    assert comment.assignee_id == c.people.drafting.id
    fields = [e.field for e in comment.events]
    assert fields == ["status", "answer", "assignee"]
    assert all(e.actor_id == c.people.drafting.id and e.at for e in comment.events)
    history = client.get(f"/comments/{comment.id}/triage").get_data(as_text=True)
    assert "Giải trình: đã có trong Chương I." in history
    assert c.people.drafting.full_name in history

    # The department sees the answer on its page and on the section.
    login(client, c.people.reviewer)
    mine = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "Giải trình: đã có trong Chương I." in mine
    assert "Giải trình, không tiếp thu" in mine


def test_missing_answer_is_refused_with_a_message(client, submitted):
    c = submitted
    comment = c.comments[0]
    login(client, c.people.drafting)
    response = client.post(
        f"/comments/{comment.id}/triage",
        data={"status": "accepted", "answer": "", "assignee_id": 0, "version": comment.version},
    )
    assert response.status_code == 422
    assert "bắt buộc" in response.get_data(as_text=True)
    assert reload(comment).status is CommentStatus.NEW


def test_second_save_on_the_same_version_gets_a_conflict(app, submitted):
    c = submitted
    comment = c.comments[0]
    first, second = app.test_client(), app.test_client()
    other_member = c.people.admin
    for client, user in ((first, c.people.drafting), (second, other_member)):
        login(client, user)
    version = comment.version
    ok = first.post(
        f"/comments/{comment.id}/triage",
        data={"status": "accepted", "answer": "Tiếp thu.", "assignee_id": 0, "version": version},
    )
    assert ok.status_code == 302
    clash = second.post(
        f"/comments/{comment.id}/triage",
        data={"status": "noted", "answer": "Ghi nhận.", "assignee_id": 0, "version": version},
    )
    assert clash.status_code == 409
    assert c.people.drafting.full_name in clash.get_data(as_text=True)
    comment = reload(comment)
    assert comment.status is CommentStatus.ACCEPTED and comment.answer == "Tiếp thu."


def test_conflict_in_the_service(submitted):
    c = submitted
    comment = c.comments[0]
    stale = comment.version
    triage_service.answer_comment(comment, c.people.drafting, status=CommentStatus.UNDER_REVIEW,
                                  answer=None, expected_version=stale)  # fmt: skip
    db.session.commit()
    with pytest.raises(TriageConflict):
        triage_service.answer_comment(comment, c.people.admin, status=CommentStatus.NOTED,
                                      answer="x", expected_version=stale)  # fmt: skip


def test_similar_comments_find_the_vietnamese_duplicate(submitted):
    c = submitted
    first, _legal, twin, _roadmap = c.comments
    suggestions = triage_service.similar_comments(first)
    assert suggestions and suggestions[0].comment.id == twin.id
    assert all(s.comment.id != first.id for s in suggestions)


def test_merged_duplicates_share_one_answer_and_credit_every_department(client, submitted):
    c = submitted
    first, _legal, twin, _roadmap = c.comments
    login(client, c.people.drafting)
    response = client.post(f"/comments/{first.id}/duplicates", data={"duplicate_id": [twin.id]})
    assert response.status_code == 302
    twin = reload(twin)
    assert twin.is_duplicate and twin.duplicate_of_id == first.id
    client.post(
        f"/comments/{first.id}/triage",
        data={"status": "accepted", "answer": "Tiếp thu, bổ sung mục 5.4.",
              "assignee_id": 0, "version": reload(first).version},
    )  # fmt: skip
    first, twin = reload(first), reload(twin)
    assert {d.code for d in first.credited_departments()} == {"STTTT", "SXD"}
    assert twin.is_answered and "mục 5.4" in twin.effective_answer_html
    # The other department reads the shared answer on its own page.
    login(client, c.people.other_reviewer)
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "Tiếp thu, bổ sung mục 5.4." in page


def test_bulk_assign_and_answer(client, submitted):
    c = submitted
    ids = [cm.id for cm in c.comments[:3]]
    login(client, c.people.drafting)
    client.post(
        f"{c.base}/inbox/bulk",
        data={"action": "assign", "assignee_id": c.people.member.id, "comment_id": ids},
    )
    assert {reload(cm).assignee_id for cm in c.comments[:3]} == {c.people.member.id}
    response = client.post(
        f"{c.base}/inbox/bulk",
        data={"action": "answer", "status": "noted", "answer": "Ghi nhận cho giai đoạn sau.",
              "comment_id": ids},
    )  # fmt: skip
    assert response.status_code == 302
    assert {reload(cm).status for cm in c.comments[:3]} == {CommentStatus.NOTED}
    # A blank answer box keeps each comment's answer while the result changes...
    client.post(
        f"{c.base}/inbox/bulk",
        data={"action": "answer", "status": "accepted", "answer": "", "comment_id": ids},
    )
    answered = [reload(cm) for cm in c.comments[:3]]
    assert {cm.status for cm in answered} == {CommentStatus.ACCEPTED}
    assert {cm.answer for cm in answered} == {"Ghi nhận cho giai đoạn sau."}
    # ...and a comment that has no answer yet cannot get a final result without one.
    unanswered = c.comments[3]
    client.post(
        f"{c.base}/inbox/bulk",
        data={
            "action": "answer",
            "status": "accepted",
            "answer": "",
            "comment_id": [unanswered.id],
        },
    )
    assert reload(unanswered).status is CommentStatus.NEW


def test_inbox_filters_and_diacritics_insensitive_search(client, submitted):
    c = submitted
    login(client, c.people.drafting)

    def ids(query):
        page = client.get(f"{c.base}/inbox?{query}").get_data(as_text=True)
        return {cm.id for cm in c.comments if f"/comments/{cm.id}/triage" in page}

    first, legal, twin, roadmap = (cm.id for cm in c.comments)
    assert ids("") == {first, legal, twin, roadmap}
    assert ids("q=quy+hoach") == {legal}
    assert ids("q=quy+hoạch") == {legal}
    assert ids("q=QUY+HOẠCH") == {legal}
    assert ids("q=an+toan+thong+tin") == {first, twin}
    assert ids(f"department={c.sxd.id}") == {twin, roadmap}
    assert ids("section=0") == {roadmap}
    assert ids(f"section={c.draft.sections[1].id}") == {first, twin}
    assert ids("status=new&answered=no") == {first, legal, twin, roadmap}
    assert ids("answered=yes") == set()
    assert ids("assignee=none&sort=newest") == {first, legal, twin, roadmap}
    assert ids("q=100%25") == set()  # a LIKE wildcard typed by the user matches literally
    assert client.get(f"{c.base}/inbox?status=bogus&page=abc&sort=x").status_code == 200


def test_inbox_search_on_quoted_passages(client, consultation):
    c = consultation
    comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="change", body="Xem lại.",
        quote="đô thị thông minh",
    )  # fmt: skip
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    login(client, c.people.drafting)
    page = client.get(f"{c.base}/inbox?q=do+thi+thong").get_data(as_text=True)
    assert "Xem lại." in page


def test_link_to_the_section_of_the_next_draft_appears_in_compare(client, submitted):
    c = submitted
    comment = c.comments[1]
    triage_service.answer_comment(comment, c.people.drafting, status=CommentStatus.ACCEPTED,
                                  answer="Tiếp thu.")  # fmt: skip
    draft2 = draft_service.start_next_draft(c.proposal)
    target = next(s for s in draft2.sections if s.key == comment.section.key)
    db.session.commit()
    login(client, c.people.drafting)
    response = client.post(f"/comments/{comment.id}/link", data={"section_id": target.id})
    assert response.status_code == 302
    assert reload(comment).addressed_in_id == target.id
    # A section of the same draft is refused.
    client.post(f"/comments/{comment.id}/link", data={"section_id": c.draft.sections[0].id})
    assert reload(comment).addressed_in_id == target.id
    page = client.get(f"/proposals/{c.proposal.code}/compare?from=1&to=2&all=1")
    assert "Đã tiếp thu tại" in page.get_data(as_text=True)


def test_discussion_between_the_team_and_the_department(client, submitted):
    c = submitted
    comment = c.comments[0]
    login(client, c.people.drafting)
    client.post(f"/comments/{comment.id}/messages", data={"body": "Xin làm rõ phạm vi?"})
    login(client, c.people.reviewer2)
    page = client.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Xin làm rõ phạm vi?" in page
    client.post(f"/comments/{comment.id}/messages", data={"body": "Phạm vi toàn thành phố."})
    assert [m.body for m in reload(comment).messages] == [
        "Xin làm rõ phạm vi?",
        "Phạm vi toàn thành phố.",
    ]
    for outsider in (c.people.other_reviewer, c.people.organizer):
        login(client, outsider)
        status = client.post(f"/comments/{comment.id}/messages", data={"body": "x"}).status_code
        assert status in (403, 404)
    login(client, c.people.drafting)
    empty = client.post(f"/comments/{comment.id}/messages", data={"body": " "})
    assert empty.status_code == 302 and len(reload(comment).messages) == 2


@pytest.mark.parametrize("role", ["reviewer", "lead", "organizer"])
def test_only_the_drafting_team_triages(client, submitted, role):
    c = submitted
    comment = c.comments[0]
    login(client, getattr(c.people, role))
    # Organizers see the proposal (403); departments learn nothing of the board's pages (404).
    refused = 403 if role == "organizer" else 404
    assert client.get(f"{c.base}/inbox").status_code == refused
    assert (
        client.post(
            f"/comments/{comment.id}/triage", data={"status": "noted", "answer": "x"}
        ).status_code
        == refused
    )
    assert reload(comment).status is CommentStatus.NEW


def test_dashboard_reaches_all_answered(client, submitted):
    c = submitted
    login(client, c.people.drafting)
    page = client.get(f"{c.base}/dashboard").get_data(as_text=True)
    assert "0 / 4" in page or "0 trên 4" in page
    for comment in c.comments:
        triage_service.answer_comment(comment, c.people.drafting, status=CommentStatus.NOTED,
                                      answer="Ghi nhận.")  # fmt: skip
    db.session.commit()
    board = triage_service.dashboard(c.draft)
    assert board.all_answered and board.progress == 100
    page = client.get(f"{c.base}/dashboard").get_data(as_text=True)
    assert "Đã trả lời tất cả góp ý." in page


def test_inbox_paginates_and_keeps_the_filters(app, client, submitted):
    c = submitted
    app.config["PER_PAGE"] = 2
    login(client, c.people.drafting)
    first = client.get(f"{c.base}/inbox?sort=oldest").get_data(as_text=True)
    assert "Trang 1 / 2" in first and "sort=oldest" in first and "page=2" in first
    second = client.get(f"{c.base}/inbox?sort=oldest&page=2").get_data(as_text=True)
    shown = [cm.id for cm in c.comments if f"/comments/{cm.id}/triage" in second]
    assert shown == [cm.id for cm in c.comments[2:]]
    assert f"Có {len(c.comments)} góp ý phù hợp." in second
    # Past the last page: no rows, and the count is still right.
    beyond = client.get(f"{c.base}/inbox?sort=oldest&page=9").get_data(as_text=True)
    assert not any(f"/comments/{cm.id}/triage" in beyond for cm in c.comments)
    assert f"Có {len(c.comments)} góp ý phù hợp." in beyond
    # A search is counted with its rows (one query), the rest apart: the same pages.
    found = client.get(f"{c.base}/inbox?sort=oldest&q=an+toan&page=1").get_data(as_text=True)
    assert [cm.id for cm in c.comments if f"/comments/{cm.id}/triage" in found] == [
        c.comments[0].id,
        c.comments[2].id,
    ]
    assert "Có 2 góp ý phù hợp." in found
    beyond = client.get(f"{c.base}/inbox?q=an+toan&page=9").get_data(as_text=True)
    assert "Có 2 góp ý phù hợp." in beyond


@pytest.mark.parametrize("sort", ["section", "department", "status", "newest"])
def test_inbox_count_is_the_rows_it_pages_through(app, client, submitted, sort):
    """The count is asked without the joins the sort needs: it is still the rows shown,
    under every sort, with a filter, on a page past the last."""
    c = submitted
    app.config["PER_PAGE"] = 1
    login(client, c.people.drafting)
    department = c.comments[0].department_id
    mine = [cm for cm in c.comments if cm.department_id == department]
    assert 0 < len(mine) < len(c.comments)  # the filter leaves some out
    shown = []
    for page in range(1, len(c.comments) + 2):
        html = client.get(
            f"{c.base}/inbox?sort={sort}&department={department}&page={page}"
        ).get_data(as_text=True)
        assert f"Có {len(mine)} góp ý phù hợp." in html
        shown += [cm.id for cm in c.comments if f"/comments/{cm.id}/triage" in html]
    assert sorted(shown) == sorted(cm.id for cm in mine)


def test_reimporting_the_next_draft_keeps_the_links_of_comments(submitted):
    from consult.documents.importer import ParsedSection

    c = submitted
    comment = c.comments[1]
    draft2 = draft_service.start_next_draft(c.proposal)
    target = next(s for s in draft2.sections if s.key == comment.section.key)
    triage_service.link_to_section(comment, c.people.drafting, target)
    db.session.commit()
    revised = [
        ParsedSection(s.level, s.number, s.heading, s.body + " Sửa.") for s in draft2.sections
    ]
    draft_service.replace_sections(draft2, revised)
    db.session.commit()
    comment = reload(comment)
    assert comment.addressed_in_id == target.id
    assert comment.addressed_in.body.endswith("Sửa.")


def test_discussion_and_edit_history_stay_between_the_team_and_the_department(client, submitted):
    c = submitted
    comment = c.comments[0]
    c.draft.departments_see_each_other = True
    triage_service.post_message(comment, c.people.drafting, "Tin nhắn riêng với STTTT.")
    db.session.commit()
    for outsider in (c.people.other_reviewer, c.people.organizer):
        login(client, outsider)
        page = client.get(f"/comments/{comment.id}")
        assert page.status_code == 200
        assert "Tin nhắn riêng với STTTT." not in page.get_data(as_text=True)


def test_a_link_into_a_draft_in_preparation_is_not_shown_to_departments(client, submitted):
    c = submitted
    comment = c.comments[1]
    triage_service.answer_comment(comment, c.people.drafting, status=CommentStatus.ACCEPTED,
                                  answer="Tiếp thu.")  # fmt: skip
    draft2 = draft_service.start_next_draft(c.proposal)
    target = next(s for s in draft2.sections if s.key == comment.section.key)
    target.heading = "TIÊU ĐỀ CHƯA CÔNG BỐ"
    triage_service.link_to_section(comment, c.people.drafting, target)
    db.session.commit()
    login(client, c.people.reviewer)
    assert "TIÊU ĐỀ CHƯA CÔNG BỐ" not in client.get(f"/comments/{comment.id}").get_data(
        as_text=True
    )
    login(client, c.people.drafting)
    assert "TIÊU ĐỀ CHƯA CÔNG BỐ" in client.get(f"/comments/{comment.id}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "١", "9" * 40, "-1", ""])
def test_odd_ids_in_urls_and_forms_never_give_a_500(client, submitted, value):
    c = submitted
    login(client, c.people.drafting)
    for query in (f"section={value}", f"department={value}", f"assignee={value}"):
        assert client.get(f"{c.base}/inbox?{query}").status_code == 200
    response = client.post(
        f"{c.base}/inbox/bulk", data={"action": "assign", "assignee_id": 0, "comment_id": [value]}
    )
    assert response.status_code == 302
    assert client.post(f"/comments/{c.comments[0].id}/duplicates",
                       data={"duplicate_id": [value]}).status_code == 302  # fmt: skip
    login(client, c.people.reviewer)
    response = client.post(f"{c.base}/comments", data={"section_id": value, "body": "x"})
    # No such section: 404. Without one it is a general comment, refused for want of a kind.
    assert response.status_code == (422 if value == "" else 404)


def test_bulk_answer_without_a_result_is_refused(client, submitted):
    c = submitted
    login(client, c.people.drafting)
    page = client.post(
        f"{c.base}/inbox/bulk",
        data={"action": "answer", "answer": "x", "comment_id": [c.comments[0].id]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Hãy chọn kết quả." in page
    assert reload(c.comments[0]).status is CommentStatus.NEW


def test_dashboard_inbox_and_report_agree_on_unanswered_with_duplicates(client, submitted):
    """A duplicate of an unanswered comment is unanswered on the dashboard, in the
    "unanswered" inbox it links to and in the report's results; answering the primary
    answers both in all three."""
    from consult.models import Draft
    from consult.services import reports as report_service

    c = submitted
    primary, duplicate = c.comments[0], c.comments[1]
    login(client, c.people.drafting)
    client.post(f"/comments/{primary.id}/duplicates", data={"duplicate_id": [duplicate.id]})
    assert reload(duplicate).duplicate_of_id == primary.id

    def counts():
        db.session.expire_all()
        draft = db.session.get(Draft, c.draft.id)
        dashboard = triage_service.dashboard(draft)
        inbox = db.session.scalars(
            triage_service.inbox_query(draft, triage_service.InboxFilters(answered="no"))
        ).all()
        by_status = report_service.report_counts(draft).by_status
        answered = sum(n for label, n in by_status.items() if label in FINAL_LABELS)
        return dashboard.unanswered, len(inbox), dashboard.total - answered

    FINAL_LABELS = {s.label for s in CommentStatus if s.is_final}
    total = len(c.comments)
    assert counts() == (total, total, total)
    client.post(
        f"/comments/{primary.id}/triage",
        data={"status": "accepted", "answer": "Tiếp thu.", "assignee_id": 0},
    )
    assert counts() == (total - 2, total - 2, total - 2)


def test_merging_is_never_offered_in_the_direction_that_does_nothing(client, submitted):
    """Issue 18: on a duplicate's page its primary was offered for merging (a no-op that
    said "1 comment merged"); the offer is gone and the route refuses it if posted anyway."""
    c = submitted
    first, _legal, twin, _roadmap = c.comments
    login(client, c.people.drafting)
    client.post(f"/comments/{first.id}/duplicates", data={"duplicate_id": [twin.id]})
    # The duplicate's page lists its primary as similar, without a box to tick.
    page = client.get(f"/comments/{twin.id}/triage").get_data(as_text=True)
    assert f"#{first.id}" in page
    assert f'name="duplicate_id" value="{first.id}"' not in page
    assert "góp ý chính của góp ý này" in page and f"đã gộp với #{first.id}" not in page
    # The primary's page does not offer its own duplicate either: it names its group.
    page = client.get(f"/comments/{first.id}/triage").get_data(as_text=True)
    assert f'name="duplicate_id" value="{twin.id}"' not in page
    assert f"đã gộp với #{first.id}" in page
    before = db.session.scalar(
        db.select(db.func.count()).select_from(Comment).where(Comment.duplicate_of_id.is_not(None))
    )
    for page_of, other in ((twin, first), (first, twin), (first, first)):
        response = client.post(
            f"/comments/{page_of.id}/duplicates", data={"duplicate_id": [other.id]},
            follow_redirects=True,
        )  # fmt: skip
        assert "đã được gộp với góp ý" in response.get_data(as_text=True)
    db.session.expire_all()
    assert reload(first).duplicate_of_id is None and reload(twin).duplicate_of_id == first.id
    after = db.session.scalar(
        db.select(db.func.count()).select_from(Comment).where(Comment.duplicate_of_id.is_not(None))
    )
    assert after == before


def test_the_model_refuses_a_merge_that_does_nothing(submitted):
    from consult.models.drafts import IllegalTransition

    c = submitted
    first, _legal, twin, _roadmap = c.comments
    triage_service.mark_duplicates(first, [twin], c.people.drafting)
    assert not first.can_merge_into(twin) and not twin.can_merge_into(first)
    assert not first.can_merge_into(first)
    with pytest.raises(IllegalTransition):
        first.mark_duplicate_of(twin)
    with pytest.raises(TriageError):
        triage_service.mark_duplicates(twin, [first], c.people.drafting)


def test_a_merge_notification_says_merged_with_comment_n(client, submitted):
    from consult.documents.texts import describe
    from consult.models import Notification, NotificationKind

    c = submitted
    first, _legal, twin, _roadmap = c.comments
    triage_service.mark_duplicates(first, [twin], c.people.drafting)
    db.session.commit()
    (note,) = db.session.scalars(
        db.select(Notification).where(
            Notification.user_id == c.people.other_reviewer.id,
            Notification.kind == NotificationKind.COMMENT_ANSWERED,
        )
    )
    assert note.params["merged_with"] == first.id
    with client.application.test_request_context():
        text = describe(note)
    assert f"gộp với góp ý {first.id}" in text.subject
    assert "Mới" not in " ".join([text.subject, *text.lines])
