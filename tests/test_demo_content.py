"""Integrity of the demo content (pure data, no app needed)."""

from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "consult" / "demo" / "content.py"


def _load():
    spec = importlib.util.spec_from_file_location("_demo_content_under_test", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


content = _load()

KINDS = {"department", "district", "enterprise", "other"}
COMMENT_KINDS = {"general", "change", "question", "objection", "editorial"}
FINAL = {"accepted", "partly_accepted", "not_accepted", "noted"}
STATUSES = FINAL | {"new", "under_review"}
MONTHS = {1: {"2018-01"}, 2: {"2018-03"}, 3: {"2018-04", "2018-05"}}

CODES = {code for code, *_ in content.DEPARTMENTS}
DRAFTS = {draft["number"]: draft for draft in content.DRAFTS}


def _sections(number: int) -> dict[str, str]:
    return {heading: body for _level, _num, heading, body in DRAFTS[number]["sections"]}


def _headings(number: int) -> list[str]:
    return [heading for _level, _num, heading, _body in DRAFTS[number]["sections"]]


def test_departments():
    assert len(CODES) == len(content.DEPARTMENTS), "duplicate department codes"
    for code, name, kind, email in content.DEPARTMENTS:
        assert code and name
        assert kind in KINDS, code
        assert re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9.\-]+\.vn", email), email
        if kind == "enterprise":
            assert email.endswith(".example.vn"), email
        else:
            assert email.endswith("@cantho.gov.vn"), email
    assert content.LEAD_AGENCY in CODES
    for required in ("SKHDT", "STTTT", "SXD", "CA-TP", "VP-UBND", "Q-NK", "H-VT", "DHCT"):
        assert required in CODES
    assert {kind for _c, _n, kind, _e in content.DEPARTMENTS} == KINDS


def test_three_drafts():
    assert sorted(DRAFTS) == [1, 2, 3]
    for draft in content.DRAFTS:
        assert isinstance(draft["change_note"], str) and draft["change_note"].strip()


@pytest.mark.parametrize("number", [1, 2, 3])
def test_draft_outline(number):
    sections = DRAFTS[number]["sections"]
    assert 25 <= len(sections) <= 40
    headings = _headings(number)
    assert len(headings) == len(set(headings)), "headings must be unique within a draft"
    assert sections[0][0] == 1
    previous = 0
    chapters = 0
    for level, num, heading, body in sections:
        assert level in (1, 2, 3)
        assert level <= previous + 1, f"level jumps before {num} {heading}"
        previous = level
        assert heading.strip()
        assert isinstance(body, str)
        if level == 1:
            chapters += 1
            assert num.startswith("Chương ")
        else:
            assert re.fullmatch(r"\d+(\.\d+){" + str(level - 1) + "}", num), num
            assert body.strip(), f"empty body: {num} {heading}"
    assert chapters == 9
    numbers = [num for _l, num, _h, _b in sections]
    assert len(numbers) == len(set(numbers))
    assert any(level == 3 for level, *_ in sections)


def test_drafts_differ():
    for earlier, later in ((1, 2), (2, 3)):
        before, after = set(_headings(earlier)), set(_headings(later))
        assert after - before, f"draft {later} adds no section"
        assert _sections(earlier) != _sections(later)
        # most sections keep their heading, so their identity can be followed
        assert len(before & after) >= 0.8 * len(before)
    assert set(_headings(1)) - set(_headings(2)), "draft 2 removes no section"
    common = [h for h in _headings(2) if h in set(_headings(3))]
    reordered = [h for h in _headings(3) if h in set(_headings(2))]
    assert common != reordered, "draft 3 reorders no section"


def test_tables_and_lists_present():
    for number in DRAFTS:
        bodies = "\n".join(_sections(number).values())
        assert "\n|---|" in bodies
        assert "\n- " in bodies
    roadmap = _sections(3)["Lộ trình triển khai"]
    for phase in ("2018-2020", "2021-2023", "2024-2025"):
        assert phase in roadmap


def test_comments():
    counts = defaultdict(int)
    for comment in content.COMMENTS:
        number = comment["draft"]
        counts[number] += 1
        sections = _sections(number)
        assert comment["department"] in CODES
        assert comment["department"] in content.RESPONSE_LETTERS[number]
        heading = comment["section_heading"]
        assert heading is None or heading in sections, heading
        assert comment["kind"] in COMMENT_KINDS
        assert comment["status"] in STATUSES
        assert comment["body"].strip()
        if comment["quote"] is not None:
            assert heading is not None
            assert comment["quote"] in sections[heading], comment["quote"]
        if comment["status"] in FINAL:
            assert comment["answer"] and comment["answer"].strip()
        if number in (1, 2):
            assert comment["status"] in FINAL
    assert 10 <= counts[1] <= 16 and 10 <= counts[2] <= 16 and 12 <= counts[3] <= 18
    draft3 = [c["status"] for c in content.COMMENTS if c["draft"] == 3]
    assert sum(s in ("new", "under_review") for s in draft3) > len(draft3) / 2
    assert any(s in FINAL for s in draft3)
    quoted = sum(c["quote"] is not None for c in content.COMMENTS)
    assert 0.3 <= quoted / len(content.COMMENTS) <= 0.7


def test_duplicate_groups():
    groups = defaultdict(list)
    for comment in content.COMMENTS:
        if comment.get("duplicate_group"):
            groups[comment["duplicate_group"]].append(comment)
    assert 2 <= len(groups) <= 4
    for label, members in groups.items():
        assert len(members) >= 2, label
        assert len({c["department"] for c in members}) >= 2, label
        assert len({c["draft"] for c in members}) == 1, label


def _check_letter(number: int, letter: str, day: str):
    assert re.fullmatch(r"\d+/\S+", letter), letter
    date.fromisoformat(day)
    assert day[:7] in MONTHS[number], (letter, day)


def test_agreed_and_letters():
    assert sorted(content.AGREED) == [1, 2, 3]
    assert sorted(content.RESPONSE_LETTERS) == [1, 2, 3]
    for number in (1, 2, 3):
        agreed = [code for code, _l, _d in content.AGREED[number]]
        assert len(agreed) == len(set(agreed))
        commented = set(content.RESPONSE_LETTERS[number])
        assert not set(agreed) & commented, "a body both agreed and commented"
        assert set(agreed) <= CODES and commented <= CODES
        for _code, letter, day in content.AGREED[number]:
            _check_letter(number, letter, day)
        for letter, day in content.RESPONSE_LETTERS[number].values():
            _check_letter(number, letter, day)
        with_comments = {c["department"] for c in content.COMMENTS if c["draft"] == number}
        assert with_comments == commented
        if number in (1, 2):
            assert CODES - set(agreed) - commented, "some body should stay silent"
    # draft 3 is still open: many bodies have not answered yet
    answered = len(content.AGREED[3]) + len(content.RESPONSE_LETTERS[3])
    assert answered < len(CODES)


def test_workshop():
    workshop = content.WORKSHOP
    assert workshop["title"] and workshop["place"]
    sections = _sections(3)
    assert workshop["agenda_headings"]
    for heading in workshop["agenda_headings"]:
        assert heading in sections
    assert 3 <= len(workshop["floor_comments"]) <= 4
    for comment in workshop["floor_comments"]:
        assert (comment["department"] is None) != (comment["guest_name"] is None)
        if comment["department"] is not None:
            assert comment["department"] in CODES
        assert comment["section_heading"] is None or comment["section_heading"] in sections
        assert comment["body"].strip()


def test_proposal():
    assert content.PROPOSAL["code"] == "DTTM-CT"
    assert "2016-2025" in content.PROPOSAL["title"]
