"""The text search answers from the text index (FTS5 trigram, pg_trgm) what LIKE answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment
from consult.services import comments as comment_service
from consult.services import triage as triage_service
from consult.services.triage import InboxFilters
from consult.textsearch import like_pattern
from tests.conftest import login

TEXTS = [
    "Đề nghị bổ sung nội dung an toàn thông tin cho trung tâm dữ liệu.",
    "Cần nêu rõ căn cứ pháp lý về QUY HOẠCH đô thị.",
    'Thay cụm từ "cơ sở dữ liệu" bằng "cơ sở dữ liệu dùng chung".',
    "Tỷ lệ 100% hồ sơ trực tuyến; mã_định_danh cần thống nhất.",
    "Đô thị loại I: đường, đê, đò; Ô tô đi qua.",
    "It's the owner's data (dữ liệu) — what's next?",
]

QUERIES = [
    "an toan",  # without diacritics
    "AN TOÀN",  # case and diacritics
    "quy hoạch đô",
    "du lieu",
    '"co so du lieu"',  # quotes typed by the user
    'lieu" bang "co',
    'a"b',
    '"',
    "100%",  # LIKE wildcards are literal
    "%",
    "ma_dinh",
    "_",
    "đ",  # one and two characters: the LIKE path
    "do",
    "o",
    "  trung   tam  ",  # spaces folded as in the text
    "owner's",
    "'",
    "khong co dau nay",  # nowhere
    "dữ liệu dùng chung",
]


@pytest.fixture
def texts(consultation):
    c = consultation
    made = [
        comment_service.create_comment(c.draft, c.section, c.people.reviewer, kind="change", body=t)
        for t in TEXTS
    ]
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    c.comments = made
    return c


def _found(condition) -> set[int]:
    return set(db.session.scalars(select(Comment.id).where(condition)))


def _like(query: str) -> set[int]:
    return _found(Comment.search_text.like(like_pattern(query), escape="\\"))


def test_the_index_finds_what_like_finds(texts):
    ids = {c.id: i for i, c in enumerate(texts.comments)}
    for query in QUERIES:
        assert _found(Comment.text_search(query)) == _like(query), query
    # Not vacuous: the searches find what a reader expects.
    expect = {"an toan": {0}, '"co so du lieu"': {2}, "100%": {3}, "do": {1, 4}, "'": {5}}
    for query, positions in expect.items():
        assert {ids[i] for i in _found(Comment.text_search(query))} == positions, query
    assert not _found(Comment.text_search("khong co dau nay"))


def test_searches_of_three_characters_or_more_use_the_index(texts):
    sql = str(Comment.text_search("an toan").compile(dialect=db.engine.dialect))
    short = str(Comment.text_search("do").compile(dialect=db.engine.dialect))
    if db.engine.dialect.name == "sqlite":
        assert "MATCH" in sql and "comments_fts" in sql
        assert "LIKE" in short
    else:  # the GIN trigram index answers the LIKE itself
        names = db.session.scalars(
            select(db.text("indexname")).select_from(db.text("pg_indexes"))
            .where(db.text("tablename = 'comments'"))
        ).all()  # fmt: skip
        assert "ix_comments_search_trgm" in names


def test_the_index_follows_edits_and_deletions(texts):
    c = texts
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.other_reviewer, kind="change", body="Về an toàn thông tin."
    )
    db.session.commit()
    assert comment.id in _found(Comment.text_search("an toan thong tin"))
    comment_service.edit_comment(
        comment, c.people.other_reviewer, kind=comment.kind, body="Nội dung giao thông thông minh.",
        quote=None, proposed_text=None,
    )  # fmt: skip
    db.session.commit()
    assert _found(Comment.text_search("an toan thong tin")) == {c.comments[0].id}
    assert comment.id in _found(Comment.text_search("giao thong thong minh"))
    other = c.comments[1]
    db.session.delete(other)  # the row itself, as when its draft is removed
    db.session.commit()
    assert not _found(Comment.text_search("quy hoach do thi"))


def test_inbox_and_report_search_without_diacritics(client, texts):
    c = texts
    login(client, c.people.drafting)
    inbox = client.get(f"{c.base}/inbox?q=an+toan+thong+tin").get_data(as_text=True)
    assert "an toàn thông tin" in inbox and "QUY HOẠCH" not in inbox
    quoted = client.get(f"{c.base}/inbox?q=%22co+so").get_data(as_text=True)
    assert "dùng chung" in quoted and "an toàn thông tin" not in quoted
    report = client.get(f"{c.base}/report?q=quy+hoach").get_data(as_text=True)
    assert "QUY HOẠCH" in report and "an toàn thông tin" not in report
    assert 'value="quy hoach"' in report
    both = triage_service.inbox_query(c.draft, InboxFilters(q="du lieu"))
    assert len(db.session.scalars(both).all()) == 3


def _demo_key(comment: Comment) -> str:
    speaker = comment.department.code if comment.department else comment.guest_name
    return f"{comment.draft.proposal.code}/{comment.draft.number}/{speaker}/{comment.body[:40]}"


def _scan_suggestions(comment: Comment, limit: int = 5, threshold: float = 0.15) -> list:
    """The suggestions as the code before the text index made them (commit 1ae39b6): every
    submitted comment of the draft sharing a word pair (by LIKE) or the section, scored."""
    from sqlalchemy import or_

    from consult.textsearch import cosine, features

    mine = features(comment.search_text)
    pairs = sorted((k for k in mine if "_" in k), key=len, reverse=True)[: triage_service.MAX_PAIRS]
    conditions = [
        Comment.search_text.like(like_pattern(pair.replace("_", " ")), escape="\\")
        for pair in pairs
    ]
    if comment.section_id is not None:
        conditions.append(Comment.section_id == comment.section_id)
    if not conditions:
        return []
    rows = db.session.execute(
        triage_service.submitted_comments(comment.draft)
        .with_only_columns(Comment.id, Comment.search_text)
        .where(Comment.id != comment.id, or_(*conditions))
    ).all()
    scored = sorted(((cosine(mine, features(text)), cid) for cid, text in rows), reverse=True)
    return [
        (db.session.get(Comment, cid), score) for score, cid in scored[:limit] if score >= threshold
    ]


def test_the_demo_s_similar_comments_are_those_of_the_scan_before_the_index(app):
    """The suggestions of every submitted demo comment equal those of the scan the text index
    replaced, and the pairs fixed in tests/fixtures/demo_similar.json (made by that scan on
    today's demo) stay as they are."""
    from consult.demo.seed import seed_demo

    expected = json.loads((Path(__file__).parent / "fixtures" / "demo_similar.json").read_text())
    seed_demo()
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.submitted_at.is_not(None), Comment.deleted_at.is_(None))
        .order_by(Comment.id)
    ).all()
    assert len(comments) == expected["comments"]
    found, scanned = {}, {}
    for comment in comments:
        suggestions = triage_service.similar_comments(comment)
        if suggestions:
            found[_demo_key(comment)] = [
                [_demo_key(s.comment), round(s.score, 3)] for s in suggestions
            ]
        by_scan = _scan_suggestions(comment)
        if by_scan:
            scanned[_demo_key(comment)] = [[_demo_key(c), round(score, 3)] for c, score in by_scan]
    assert found == scanned
    assert found == expected["suggestions"]
