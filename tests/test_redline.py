"""Word-level redlines for Vietnamese text, section change lists and the Word comparison."""

from __future__ import annotations

import io
import random
import time
import unicodedata
from dataclasses import dataclass

import pytest
from docx import Document
from markupsafe import Markup

from consult.documents.redline import (
    SectionChange,
    compare_docx,
    compare_sections,
    redline_html,
    redline_runs,
    tokenize,
)


def rebuild(runs: list[tuple[str, str]]) -> tuple[str, str]:
    old = "".join(text for op, text in runs if op != "insert")
    new = "".join(text for op, text in runs if op != "delete")
    return old, new


# ---------------------------------------------------------------------------------------------
# Text


def test_tokenize_keeps_vietnamese_syllables_whole():
    assert tokenize("Cần Thơ, đô thị!") == ["Cần", " ", "Thơ", ",", " ", "đô", " ", "thị", "!"]
    decomposed = unicodedata.normalize("NFD", "Nẵng")
    assert tokenize(decomposed) == [unicodedata.normalize("NFC", "Nẵng")]


def test_redline_runs_marks_inserted_and_deleted_words():
    runs = redline_runs("Thành phố Cần Thơ phát triển", "Thành phố Cần Thơ thông minh phát triển")
    assert runs == [
        ("equal", "Thành phố Cần Thơ "),
        ("insert", "thông minh "),
        ("equal", "phát triển"),
    ]
    assert redline_runs("Hạ tầng mạng 4G.", "Hạ tầng mạng 5G.") == [
        ("equal", "Hạ tầng mạng "),
        ("delete", "4G"),
        ("insert", "5G"),
        ("equal", "."),
    ]


def test_redline_runs_merges_changes_separated_only_by_spaces():
    runs = redline_runs("một hai ba xong", "bốn năm sáu xong")
    assert runs == [("delete", "một hai ba"), ("insert", "bốn năm sáu"), ("equal", " xong")]


def test_redline_runs_edge_cases():
    assert redline_runs("", "") == []
    assert redline_runs("", "Mới") == [("insert", "Mới")]
    assert redline_runs("Cũ", "") == [("delete", "Cũ")]
    same = "Không đổi.\nDòng hai."
    assert redline_runs(same, same) == [("equal", same)]
    # The same words typed with decomposed diacritics are not a change.
    assert redline_runs(unicodedata.normalize("NFD", "Cần Thơ"), "Cần Thơ") == [
        ("equal", "Cần Thơ")
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Mục tiêu đến năm 2030.\n\n- Một\n- Hai", "Mục tiêu đến năm 2035.\n\n- Một\n- Ba\n- Hai"),
        ("a, b; c. Câu hai! Câu ba?", "a; b, c. Câu ba? Câu bốn."),
        ("| A | B |\n| --- | --- |", "| A | C |\n| --- | --- |\n| 1 | 2 |"),
    ],
)
def test_redline_runs_rebuild_both_texts(old, new):
    assert rebuild(redline_runs(old, new)) == (old, new)


def test_redline_runs_stays_fast_on_long_sections():
    words = ["của", "và", "các", "là", "thành", "phố", "cần", "thơ", "đô", "thị", "số", "dân"]
    rng = random.Random(7)
    sentences = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(500)]
    old = " ".join(sentences)
    edited = list(sentences)
    for index in range(0, 500, 25):
        edited[index] = edited[index].replace("của", "cho", 1)
    new = " ".join(edited)
    started = time.perf_counter()
    runs = redline_runs(old, new)
    assert time.perf_counter() - started < 1.0
    assert rebuild(runs) == (old, new)
    assert any(op == "insert" and "cho" in text for op, text in runs)


def test_redline_html_escapes_and_marks_up():
    html = redline_html('Giá <b>cũ</b> & "x"', 'Giá <b>mới</b> & "x"')
    assert isinstance(html, Markup)
    assert html == (
        "Giá &lt;b&gt;"
        '<del class="redline-del">cũ</del><ins class="redline-ins">mới</ins>'
        "&lt;/b&gt; &amp; &#34;x&#34;"
    )


def test_redline_html_escapes_inside_changes():
    html = redline_html("", "<script>alert(1)</script>")
    assert "<script>" not in html
    assert html.startswith('<ins class="redline-ins">&lt;script&gt;')


# ---------------------------------------------------------------------------------------------
# Sections


@dataclass
class Sec:
    identity: str
    number: str
    heading: str
    body: str = ""
    level: int = 1


@dataclass
class FlatSec:
    identity: int
    number: str
    heading: str
    body: str = ""


def kinds(changes: list[SectionChange]) -> list[tuple[str, str]]:
    return [((c.new or c.old).identity, c.kind) for c in changes]


def test_compare_sections_kinds_and_order():
    old = [
        Sec("a", "1", "Mở đầu", "x"),
        Sec("b", "2", "Hiện trạng", "y"),
        Sec("c", "3", "Giải pháp", "z"),
        Sec("d", "4", "Kinh phí", "w"),
    ]
    new = [
        Sec("a", "1", "Mở đầu", "x"),
        Sec("b", "2", "Hiện trạng", "y đã sửa"),
        Sec("e", "3", "Lộ trình", "mới"),
        Sec("d", "4", "Kinh phí", "w"),
    ]
    changes = compare_sections(old, new)
    assert kinds(changes) == [
        ("a", "unchanged"),
        ("b", "changed"),
        ("c", "removed"),
        ("e", "added"),
        ("d", "unchanged"),
    ]
    removed = changes[2]
    assert removed.old is old[2] and removed.new is None
    assert changes[3].old is None and changes[3].new is new[2]
    assert changes[1].changed and not changes[1].moved


def test_compare_sections_moves_only_the_section_out_of_order():
    old = [Sec(k, str(i), k.upper()) for i, k in enumerate("abcde", 1)]
    new = [old[0], old[2], old[3], old[1], old[4]]  # "b" moved down, keeping its number
    changes = compare_sections(old, new)
    assert kinds(changes) == [
        ("a", "unchanged"),
        ("c", "unchanged"),
        ("d", "unchanged"),
        ("b", "moved"),
        ("e", "unchanged"),
    ]
    assert changes[3].moved and not changes[3].changed


def test_compare_sections_parent_and_number_changes_count_as_moves():
    old = [Sec("a", "1", "A"), Sec("x", "1.1", "X", level=2), Sec("b", "2", "B")]
    new = [Sec("a", "1", "A"), Sec("b", "2", "B"), Sec("x", "2.1", "X", level=2)]
    by_id = {c.new.identity: c for c in compare_sections(old, new)}
    moved = by_id["x"]
    assert (moved.kind, moved.moved, moved.changed, moved.renumbered) == ("moved", True, True, True)
    assert by_id["b"].kind == "unchanged"

    renumbered = compare_sections([FlatSec(1, "2", "B")], [FlatSec(1, "3", "B")])[0]
    assert (renumbered.kind, renumbered.moved, renumbered.renumbered) == ("moved", True, True)


def test_compare_sections_changed_and_moved_together():
    old = [Sec("a", "1", "A"), Sec("b", "2", "B")]
    new = [Sec("b", "2", "B sửa"), Sec("a", "1", "A")]
    changes = compare_sections(old, new)
    assert [(c.kind, c.moved, c.changed) for c in changes] == [
        ("changed", False, True),
        ("moved", True, False),
    ]


def test_compare_sections_without_levels_and_removals_at_start():
    old = [FlatSec(1, "", "Đầu"), FlatSec(2, "", "Giữa")]
    new = [FlatSec(2, "", "Giữa"), FlatSec(3, "", "Cuối")]
    assert kinds(compare_sections(old, new)) == [(1, "removed"), (2, "unchanged"), (3, "added")]


def test_compare_sections_rejects_duplicate_identities():
    with pytest.raises(ValueError, match="identity"):
        compare_sections([FlatSec(1, "", "a"), FlatSec(1, "", "b")], [])


# ---------------------------------------------------------------------------------------------
# Word comparison


def test_compare_docx_marks_insertions_and_deletions():
    old = [
        Sec("a", "1", "Mở đầu", "Thành phố **Cần Thơ** phát triển."),
        Sec("b", "2", "Kinh phí", "Ngân sách nhà nước."),
    ]
    new = [
        Sec("a", "1", "Mở đầu", "Thành phố **Cần Thơ** thông minh phát triển."),
        Sec("c", "2", "Lộ trình", "Giai đoạn 2025–2030."),
    ]
    data = compare_docx("So sánh dự thảo 1 và 2", compare_sections(old, new))
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "So sánh dự thảo 1 và 2"
    section = document.sections[0]  # A4 with the Decree 30 margins, as every paper
    assert (round(section.page_width.mm), round(section.left_margin.mm)) == (210, 30)
    texts = [p.text for p in paragraphs]
    assert "1. Mở đầu" in texts and "Changed" in texts and "Removed" in texts and "Added" in texts
    runs = [r for p in paragraphs[2:] for r in p.runs]
    inserted = [r.text for r in runs if r.font.underline]
    deleted = [r.text for r in runs if r.font.strike]
    assert "thông minh " in inserted
    assert "Giai đoạn 2025–2030." in inserted
    assert "Ngân sách nhà nước." in deleted
    assert "2. Kinh phí" in deleted
    # Markdown markup is shown as plain text, not as asterisks.
    assert "Thành phố Cần Thơ thông minh phát triển." in texts
    heading_styles = {p.style.name for p in paragraphs if p.text == "1. Mở đầu"}
    assert heading_styles == {"Heading 1"}


def test_compare_docx_as_tracked_changes_word_accepts_or_rejects():
    from consult.documents.word_review import read_back

    old = [Sec("a", "1", "Mở đầu", "Thành phố Cần Thơ phát triển."), Sec("b", "2", "Kinh phí", "")]
    new = [Sec("a", "1", "Mở đầu", "Thành phố Cần Thơ thông minh phát triển.")]
    data = compare_docx("So sánh", compare_sections(old, new), tracked=True)
    back = read_back(data)
    assert "thông minh " in back["insertions"] and "2. Kinh phí" in back["deletions"]
    # Tracked, not formatted: accepting a change leaves plain text.
    body = Document(io.BytesIO(data)).element.body.xml
    assert "<w:ins " in body and "<w:u " not in body and "<w:strike" not in body


def test_compare_sections_reports_the_fewest_moves():
    old = [FlatSec(i, str(i), f"Mục {i}") for i in range(1, 11)]
    new = old[1:] + old[:1]  # the first section moved to the end
    changes = compare_sections(old, new)
    assert [c.new.identity for c in changes if c.moved] == [1]


@pytest.mark.nodb
def test_reimporting_the_portals_own_docx_export_shows_no_change():
    from types import SimpleNamespace

    from consult.demo import content
    from consult.documents.exporter import export_docx
    from consult.documents.importer import ParsedSection, parse_docx

    for spec in content.DRAFTS:
        sections = [ParsedSection(*values) for values in spec["sections"]]
        back = parse_docx(export_docx("Đề án", sections))
        old = [SimpleNamespace(identity=i, **vars(s)) for i, s in enumerate(sections)]
        new = [SimpleNamespace(identity=i, **vars(s)) for i, s in enumerate(back)]
        changes = compare_sections(old, new)
        assert [c.kind for c in changes if c.kind != "unchanged"] == []  # tables were "changed"
