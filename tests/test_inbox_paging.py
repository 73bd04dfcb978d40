"""The inbox's pages: whatever the order, the filters and the search, paging through the
inbox shows the comments of one sorted list, in its order, each once; a search with very
many matches says so instead of counting them all."""

from __future__ import annotations

import re

import pytest

from consult.extensions import db
from consult.models import Comment, CommentStatus
from consult.services import comments as comment_service
from consult.services import triage as triage_service
from consult.services.triage import SORTS, InboxFilters
from tests.conftest import login

# (author, section index or None for a general comment, text); the positions of the
# sections are then reversed, so that the sections' order is not the order of their ids.
PLAN = [
    ("reviewer", None, "Về lộ trình chung: cần an toàn thông tin."),
    ("other_reviewer", 4, "Trung tâm dữ liệu cần an toàn thông tin."),
    ("reviewer", 4, "Bổ sung hạ tầng dữ liệu."),
    ("reviewer", 0, "Căn cứ chung cần rõ; an toàn thông tin."),
    ("other_reviewer", None, "Góp ý chung về giao thông."),
    ("other_reviewer", 2, "Căn cứ pháp lý: an toàn thông tin mạng."),
    ("reviewer", 2, "Nghị quyết cần dẫn đủ."),
    ("guest", 4, "Ý kiến tại hội thảo: an toàn thông tin cho người dân."),
    ("reviewer", 1, "Sự cần thiết: an toàn thông tin."),
    ("other_reviewer", 4, "Phủ sóng viễn thông."),
    ("guest", None, "Ý kiến chung tại hội thảo."),
    ("other_reviewer", 0, "Cần thêm căn cứ an toàn thông tin."),
]


@pytest.fixture
def inbox(consultation):
    c = consultation
    sections = list(c.draft.sections)
    count = len(sections)
    for section in sections:  # reversed in two steps, each position staying unique
        section.position += count
    db.session.flush()
    for section in sections:
        section.position = 2 * count - 1 - section.position
    db.session.flush()
    made = []
    for who, index, body in PLAN:
        author = c.people.reviewer if who == "guest" else getattr(c.people, who)
        section = None if index is None else sections[index]
        made.append(
            comment_service.create_comment(c.draft, section, author, kind="change", body=body)
        )
    comment_service.submit_response(c.draft, c.people.lead)
    comment_service.submit_response(c.draft, c.people.other_lead)
    for comment, (who, _, _) in zip(made, PLAN, strict=True):
        if who == "guest":  # as a workshop records a named guest's comment: no department
            comment.department_id, comment.guest_name = None, "Nguyễn Khách Mời"
    db.session.commit()
    statuses = [CommentStatus.ACCEPTED, CommentStatus.NOTED, CommentStatus.UNDER_REVIEW]
    for comment, status in zip(made[1::3], statuses, strict=False):
        triage_service.answer_comment(comment, c.people.drafting, status=status, answer="Đã xem.")
    db.session.commit()
    c.comments = made
    return c


def _expected(c, filters: InboxFilters) -> list[int]:
    """The inbox's comments as one sorted list: the order the pages must follow."""
    query = triage_service.inbox_query(c.draft, filters).with_only_columns(
        Comment.id, maintain_column_froms=True
    )
    return list(db.session.scalars(query))


def _pages(client, c, args: str) -> tuple[list[int], list[str]]:
    """Every comment the inbox's pages show, in order, and each page's count line."""
    by_link = {f"/comments/{cm.id}/triage": cm.id for cm in c.comments}
    shown, counts = [], []
    for page in range(1, len(c.comments) + 2):
        html = client.get(f"{c.base}/inbox?{args}&page={page}").get_data(as_text=True)
        links = re.findall(r'href="(/comments/\d+/triage)"', html)
        shown += [by_link[link] for link in dict.fromkeys(links)]
        counts.append(re.search(r'role="status">([^<]*)<', html).group(1))
    return shown, counts


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("per_page", [1, 3])
def test_pages_follow_the_sorted_list(app, client, inbox, sort, per_page):
    """Pages cut through groups (sections, departments, statuses) anywhere: each comment
    comes once, in the sorted list's order, on every order."""
    c = inbox
    app.config["PER_PAGE"] = per_page
    login(client, c.people.drafting)
    expected = _expected(c, InboxFilters(sort=sort))
    assert len(expected) == len(PLAN)
    shown, counts = _pages(client, c, f"sort={sort}")
    assert shown == expected
    assert set(counts) == {f"Có {len(PLAN)} góp ý phù hợp."}


def test_the_section_order_is_the_sections_not_their_ids(client, inbox):
    c = inbox
    login(client, c.people.drafting)
    shown, _ = _pages(client, c, "sort=section")
    comments = {cm.id: cm for cm in c.comments}
    keys = [(comments[i].section.position if comments[i].section else -1, i) for i in shown]
    assert keys == sorted(keys)  # general comments first, then by position, then by id
    by_ids = sorted(shown, key=lambda i: (comments[i].section_id or -1, i))
    assert shown != by_ids  # not vacuous: the positions run against the ids


@pytest.mark.parametrize("sort", ["section", "department", "status"])
def test_filters_and_searches_of_a_few_matches_are_counted(app, client, inbox, sort):
    c = inbox
    app.config["PER_PAGE"] = 2
    login(client, c.people.drafting)
    for args in (
        {"q": "an toan thong tin"},
        {"q": "an toan thong tin", "department": str(c.stttt.id)},
        {"q": "can", "status": "new"},  # a short term: the LIKE path
        {"q": "hoi thao"},
        {"q": "khong co dau"},
        {"section": "0", "q": "chung"},
    ):
        filters = InboxFilters.from_args({**args, "sort": sort})
        expected = _expected(c, filters)
        query = "&".join(f"{k}={v}" for k, v in {**args, "sort": sort}.items())
        shown, counts = _pages(client, c, query)
        assert shown == expected, args
        assert set(counts) == {f"Có {len(expected)} góp ý phù hợp."}, args
    assert len(_expected(c, InboxFilters(q="an toan thong tin"))) == 7  # not vacuous


@pytest.mark.parametrize("sort", ["section", "department", "status"])
def test_a_search_of_very_many_matches_pages_through_the_first(app, client, inbox, sort):
    """Past INBOX_SEARCH_COUNT_LIMIT matches the search is not counted: the inbox says
    "more than" and pages through the first matches of the sorted list."""
    c = inbox
    app.config["PER_PAGE"] = 2
    app.config["INBOX_SEARCH_COUNT_LIMIT"] = 5
    login(client, c.people.drafting)
    expected = _expected(c, InboxFilters(q="an toan thong tin", sort=sort))
    assert len(expected) == 7
    shown, counts = _pages(client, c, f"q=an+toan+thong+tin&sort={sort}")
    assert shown == expected[:5]
    assert counts[0].startswith("Có hơn 5 góp ý phù hợp.")
    # With the other filters narrowing it below the limit, it is counted again.
    mine = _expected(c, InboxFilters(q="an toan thong tin", sort=sort, department=c.sxd.id))
    assert 0 < len(mine) <= 5
    shown, counts = _pages(client, c, f"q=an+toan+thong+tin&sort={sort}&department={c.sxd.id}")
    assert shown == mine and counts[0] == f"Có {len(mine)} góp ý phù hợp."


def test_the_first_matches_are_matches_of_the_search(inbox):
    c = inbox
    within = triage_service.submitted_comments(c.draft)

    def found(query: str) -> set[int]:
        return set(db.session.scalars(within.where(Comment.text_search(query)).with_only_columns(Comment.id)))  # noqa: E501  # fmt: skip

    for query, limit in (("an toan thong tin", 3), ("an toan thong tin", 50), ("an", 2)):
        first = db.session.scalars(Comment.first_text_matches(query, within, limit)).all()
        assert len(first) == min(limit, len(found(query))) and set(first) <= found(query), query
    assert len(found("an toan thong tin")) == 7
    # The other filters are the caller's: a department's first matches are its own.
    sxd = within.where(Comment.department_id == c.sxd.id)
    first = db.session.scalars(Comment.first_text_matches("an toan thong tin", sxd, 50)).all()
    assert first and {db.session.get(Comment, i).department_id for i in first} == {c.sxd.id}


def test_a_page_past_the_end_is_empty_not_an_error(client, inbox):
    c = inbox
    login(client, c.people.drafting)
    for args in ("sort=section", "q=an+toan+thong+tin", "sort=status", "sort=department"):
        response = client.get(f"{c.base}/inbox?{args}&page=99")
        assert response.status_code == 200
        assert not re.findall(r'href="/comments/\d+/triage"', response.get_data(as_text=True))


def test_counting_the_groups_reads_an_index_not_the_rows(app, inbox):
    """What makes the pages cheap at a million comments: SQLite counts the section order's
    groups from the inbox's index and reads a section's page from the section's index."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plans are SQLite's")
    c = inbox
    filters = InboxFilters()
    groups = triage_service.inbox_groups(c.draft, filters)
    rows = triage_service.inbox_group_rows(c.draft, filters, c.comments[1].section_id)

    def plan(statement) -> str:
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        return " / ".join(r[3] for r in db.session.execute(db.text("EXPLAIN QUERY PLAN " + sql)))

    assert "COVERING INDEX ix_comments_triage" in plan(groups)
    assert "ix_comments_section_draft" in plan(rows) and "TEMP B-TREE" not in plan(rows)


def test_the_report_streams_its_rows_in_the_draft_s_order(inbox):
    """The downloads read the report section by section; the web page sorts a page of it:
    both give the rows in the sections' order (not their ids'), each once."""
    from consult.services.reports import ReportFilters, report_rows

    c = inbox
    comments = {cm.id: cm for cm in c.comments}
    streamed = [row.comment_ids[0] for row in report_rows(c.draft, ReportFilters())]
    paged = [row.comment_ids[0] for row in report_rows(c.draft, ReportFilters(), 0, 100)]
    assert streamed == paged and sorted(streamed) == sorted(comments)
    keys = [(comments[i].section.position if comments[i].section else -1, i) for i in streamed]
    assert keys == sorted(keys)
    general = [r.comment_ids[0] for r in report_rows(c.draft, ReportFilters(section=0))]
    assert general == [i for i in streamed if comments[i].section is None] and general
    numbers = [row.number for row in report_rows(c.draft, ReportFilters(), start=3)]
    assert numbers == list(range(4, len(streamed) + 1))
