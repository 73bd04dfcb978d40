"""The section page draws comment cards from a cache, and never shows a stale one."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from consult import cache
from consult.extensions import db
from consult.models import Comment, CommentStatus, DepartmentKind, Seat
from consult.models.base import utcnow
from consult.services import accounts as account_service
from consult.services import comments as comment_service
from consult.services import drafts as draft_service
from consult.services import triage as triage_service
from tests.conftest import login


@pytest.fixture
def cards(consultation):
    """Two submitted comments of STTTT (one edited before it was sent), one of SXD, and an
    unsubmitted one of SXD, all on one section."""
    c = consultation
    p = c.people
    first = comment_service.create_comment(
        c.draft, c.section, p.reviewer, kind="change", body="Bổ sung an toàn thông tin."
    )
    comment_service.edit_comment(
        first, p.reviewer, kind=first.kind, body="Bổ sung an toàn thông tin mạng.",
        quote=None, proposed_text=None,
    )  # fmt: skip
    second = comment_service.create_comment(
        c.draft, c.section, p.reviewer, kind="change", body="Nêu rõ kinh phí."
    )
    third = comment_service.create_comment(
        c.draft, c.section, p.other_reviewer, kind="change", body="Cũng nêu rõ kinh phí."
    )
    comment_service.submit_response(c.draft, p.lead)
    comment_service.submit_response(c.draft, p.other_lead)
    pending = comment_service.create_comment(
        c.draft, c.section, p.other_reviewer, kind="change", body="Chưa gửi đi."
    )
    db.session.commit()
    c.first, c.second, c.third, c.pending = first, second, third, pending
    c.url = f"{c.base}/sections/{c.section.id}"
    return c


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _cards(page: str) -> str:
    start = page.index('id="comments-title"')
    return page[start : page.index("</section>", start)]


def _card(page: str, comment: Comment) -> str:
    start = page.index(f'id="comment-{comment.id}"')
    return page[start : page.index("</article>", start)]


def _drafting_answers(c, comment, answer):
    triage_service.answer_comment(
        comment, c.people.drafting, status=CommentStatus.ACCEPTED, answer=answer
    )
    db.session.commit()


def test_cards_come_from_the_cache_until_they_change(app, client, cards):
    c = cards
    login(client, c.people.drafting)
    before = _cards(_page(client, c.url))
    rendered = []
    real = comment_service.comments_by_ids
    comment_service.comments_by_ids = lambda ids: rendered.append(sorted(ids)) or real(ids)
    try:
        assert _cards(_page(client, c.url)) == before
        assert rendered == []  # every card from the cache
        _drafting_answers(c, c.second, "Đã bổ sung kinh phí.")
        after = _page(client, c.url)
        assert rendered == [[c.second.id]]  # only the changed card drawn again
    finally:
        comment_service.comments_by_ids = real
    assert "Đã bổ sung kinh phí." in _card(after, c.second)


def test_a_section_with_more_cards_than_a_batch_shows_them_all_in_order(client, cards, monkeypatch):
    c = cards
    login(client, c.people.drafting)
    whole = _cards(_page(client, c.url))
    monkeypatch.setattr(comment_service, "CARD_BATCH", 2)  # three cards: two batches
    cache.fragments().clear()
    assert _cards(_page(client, c.url)) == whole
    order = [whole.index(f'id="comment-{x.id}"') for x in (c.first, c.second, c.third)]
    assert order == sorted(order)


def test_no_stale_card_after_edit_answer_merge_and_duplicate(client, cards):
    c = cards
    p = c.people
    login(client, p.other_reviewer)
    assert "Chưa gửi đi." in _page(client, c.url)
    comment_service.edit_comment(
        c.pending, p.other_reviewer, kind=c.pending.kind, body="Đã sửa lại.",
        quote=None, proposed_text=None,
    )  # fmt: skip
    db.session.commit()
    page = _page(client, c.url)
    assert "Đã sửa lại." in _card(page, c.pending) and "Chưa gửi đi." not in page
    # A duplicate shows its primary's answer: answering the primary changes its card.
    triage_service.mark_duplicates(c.second, [c.third], p.drafting)
    db.session.commit()
    page = _page(client, c.url)
    assert f"#{c.second.id}" in _card(page, c.third)
    _drafting_answers(c, c.second, "Tiếp thu: bổ sung kinh phí.")
    page = _page(client, c.url)
    assert "Tiếp thu: bổ sung kinh phí." in _card(page, c.third)
    triage_service.separate_duplicate(c.third, p.drafting)
    db.session.commit()
    assert "Tiếp thu: bổ sung kinh phí." not in _card(_page(client, c.url), c.third)


def test_no_stale_card_after_a_merge_by_the_department(client, cards):
    c = cards
    p = c.people
    other = comment_service.create_comment(
        c.draft, c.section, p.other_reviewer, kind="change", body="Một ý nữa."
    )
    db.session.commit()
    login(client, p.other_lead)
    page = _page(client, c.url)
    assert "Một ý nữa." in page and "Chưa gửi đi." in page
    comment_service.merge_comments([c.pending, other], p.other_lead)
    db.session.commit()
    page = _page(client, c.url)
    assert page.count('class="comment comment-pending"') == 1
    assert "Một ý nữa." in page  # folded into the oldest one's text


def test_no_stale_card_after_a_rename_of_a_body_or_a_person(client, cards):
    c = cards
    login(client, c.people.drafting)
    assert "Sở Thông tin và Truyền thông" in _card(_page(client, c.url), c.first)
    account_service.upsert_department(
        code="STTTT", name="Sở Khoa học và Công nghệ", kind=DepartmentKind.DEPARTMENT,
        email=None, department=c.stttt,
    )  # fmt: skip
    reviewer = c.people.reviewer
    account_service.update_user(
        reviewer, email=reviewer.email, full_name="Võ Thanh Tâm Mới", role=reviewer.role,
        department=reviewer.department, locale=reviewer.locale,
    )  # fmt: skip
    db.session.commit()
    card = _card(_page(client, c.url), c.first)
    assert "Sở Khoa học và Công nghệ" in card and "Võ Thanh Tâm Mới" in card


def test_no_stale_card_after_the_next_draft_is_published(client, cards):
    c = cards
    p = c.people
    c.draft.closes_at = utcnow() - timedelta(minutes=1)  # its comment period is over
    db.session.commit()
    following = draft_service.start_next_draft(c.proposal, actor=p.drafting)
    db.session.commit()
    triage_service.link_to_section(c.first, p.drafting, following.sections[1])
    db.session.commit()
    login(client, p.reviewer)
    before = _card(_page(client, c.url), c.first)
    assert following.title not in before  # the next draft is not published yet
    now = utcnow()
    comment_service.publish_draft(following, now, now + timedelta(days=10), actor=p.drafting)
    db.session.commit()
    assert following.title in _card(_page(client, c.url), c.first)


def test_the_edit_link_follows_the_deadline_and_the_reader(client, cards):
    c = cards
    p = c.people
    edit = f"/comments/{c.pending.id}/edit"
    login(client, p.other_reviewer)
    assert edit in _page(client, c.url)
    c.draft.closes_at = utcnow() - timedelta(minutes=1)  # the deadline passes
    db.session.commit()
    page = _page(client, c.url)
    assert "Chưa gửi đi." in page and edit not in page


def test_own_department_view_is_part_of_the_key(client, cards):
    c = cards
    p = c.people
    edited = "1"  # "edited 1 times", shown to the department's own people only
    login(client, p.reviewer2)
    own = _card(_page(client, c.url), c.first)
    login(client, p.drafting)
    team = _card(_page(client, c.url), c.first)
    assert own != team and own.count(edited) > team.count(edited)
    # A permission change: the reviewer takes a seat on the board, and acts in it.
    draft_service.seat_member(c.proposal, p.drafting, p.reviewer2, Seat.MEMBER)
    db.session.commit()
    login(client, p.reviewer2)
    assert _card(_page(client, c.url), c.first) == team


def test_each_language_has_its_cards(client, cards):
    c = cards
    login(client, c.people.drafting)
    vietnamese = _card(_page(client, c.url), c.second)
    client.post("/language/en")
    english = _card(_page(client, c.url), c.second)
    assert vietnamese != english and "Submitted" in english


# --- two app servers sharing one Redis ------------------------------------------------------


def test_two_app_servers_share_the_cache_and_never_show_a_stale_card(
    app, client, cards, redis_url, test_config, monkeypatch
):
    from consult import create_app

    monkeypatch.setattr(cache, "PREFIX", f"consult-test:{uuid.uuid4().hex[:8]}:")

    class RedisConfig(test_config):
        CACHE_URL = redis_url

    first = create_app(RedisConfig)
    second = create_app(RedisConfig)
    c = cards
    store = cache.RedisCache(redis_url, 60)
    try:
        one, two = first.test_client(), second.test_client()
        with first.app_context():
            login(one, c.people.drafting)
        with second.app_context():
            login(two, c.people.drafting)
        with first.app_context():
            page = _cards(_page(one, c.url))
        keys = sorted(store._redis.scan_iter(f"{cache.PREFIX}*"))
        assert len(keys) == 3  # the three submitted cards, drawn once by the first server
        with second.app_context():
            assert _cards(_page(two, c.url)) == page
        assert sorted(store._redis.scan_iter(f"{cache.PREFIX}*")) == keys  # all from Redis
        _drafting_answers(c, c.first, "Tiếp thu, bổ sung an toàn thông tin mạng.")
        for server, browser in ((second, two), (first, one)):
            with server.app_context():
                card = _card(_page(browser, c.url), c.first)
            assert "Tiếp thu, bổ sung an toàn thông tin mạng." in card
    finally:
        for key in store._redis.scan_iter(f"{cache.PREFIX}*"):
            store._redis.delete(key)
