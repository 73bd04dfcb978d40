"""The deeper split a drafting team may choose in the preview (no database)."""

from __future__ import annotations

import pytest

from consult.documents.importer import ParsedSection, parse_upload, split_articles

pytestmark = pytest.mark.nodb

TEXT = (
    "QUYẾT ĐỊNH\nĐiều 1. Phạm vi\nĐiều này quy định:\n1. Khoản một;\na) Điểm a;\nb) Điểm b.\n"
    "2. Khoản hai.\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.\n"
)


def outline(sections: list[ParsedSection]) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.body) for s in sections]


def test_articles_stay_whole_unless_the_team_chooses_a_deeper_split():
    sections = parse_upload("qd.txt", TEXT.encode())
    assert split_articles(sections, "articles") == sections
    assert outline(split_articles(sections, "clauses"))[1:] == [
        (1, "Điều 1", "Điều này quy định:"),
        (2, "Khoản 1", "1\\. Khoản một;\n\na) Điểm a;\n\nb) Điểm b."),
        (2, "Khoản 2", "2\\. Khoản hai."),
        (1, "Điều 2", "Có hiệu lực từ ngày ký."),
    ]
    assert outline(split_articles(sections, "points"))[2:5] == [
        (2, "Khoản 1", "1\\. Khoản một;"),
        (3, "Điểm a", "a) Điểm a;"),
        (3, "Điểm b", "b) Điểm b."),
    ]


def test_a_split_keeps_every_word():
    sections = parse_upload("qd.txt", TEXT.encode())
    for depth in ("clauses", "points"):
        split = split_articles(sections, depth)
        words = sorted(" ".join(s.body for s in split).split())
        assert words == sorted(" ".join(s.body for s in sections).split())
