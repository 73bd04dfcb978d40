"""Compare two drafts: word-level redlines of text and section-by-section change lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from consult.documents.exporter import (
    MAX_WORD_LEVEL,
    heading_text,
    markdown_plain_text,
    new_document,
    save_docx,
)
from consult.text import single_line, xml_safe

# Vietnamese is written one syllable per word; \w keeps a syllable with its diacritics whole.
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

INSERT_COLOUR = RGBColor(0x1B, 0x5E, 0x20)
DELETE_COLOUR = RGBColor(0xB7, 0x1C, 0x1C)
LABEL_COLOUR = RGBColor(0x55, 0x55, 0x55)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Beyond this, a block rewritten as one long sentence is shown as a whole replacement.
MAX_TOKEN_PRODUCT = 4_000_000


# ---------------------------------------------------------------------------------------------
# Text redlines


def tokenize(text: str) -> list[str]:
    """Words, runs of whitespace and single punctuation marks, in order."""
    # Decomposed diacritics are not \w, so normalise before splitting into words.
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", text or ""))


def redline_runs(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces turning ``old`` into ``new``; op is "equal", "insert" or "delete"."""
    old, new = unicodedata.normalize("NFC", old or ""), unicodedata.normalize("NFC", new or "")
    return _to_runs(_absorb_spaces(_merge_changes(_diff(old, new, 0))))


def _diff(old: str, new: str, depth: int) -> list[list[str]]:
    """Pieces [EQUAL, text] or ["change", old text, new text].

    Lines, then sentences, are aligned before words: a word-level SequenceMatcher is
    quadratic on long texts, while lines and sentences rarely repeat and keep each word-level
    comparison small.
    """
    if not old or not new:
        return [["change", old, new]] if old or new else []
    if depth == len(_UNIT_SPLITTERS):
        return _token_diff(old, new)
    old_units, new_units = _UNIT_SPLITTERS[depth](old), _UNIT_SPLITTERS[depth](new)
    matcher = SequenceMatcher(None, old_units, new_units, autojunk=False)
    pieces: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_units[i1:i2]), "".join(new_units[j1:j2])
        if tag == "equal":
            pieces.append([EQUAL, old_text])
        else:
            pieces.extend(_diff(old_text, new_text, depth + 1))
    return pieces


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _sentences(text: str) -> list[str]:
    return [unit for unit in _SENTENCE_RE.findall(text) if unit]


_SENTENCE_RE = re.compile(r".*?(?:[.!?;:…]+(?:\s+|$)|$)", re.DOTALL)
_UNIT_SPLITTERS = (_lines, _sentences)


def _token_diff(old: str, new: str) -> list[list[str]]:
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if len(old_tokens) * len(new_tokens) > MAX_TOKEN_PRODUCT:
        return [["change", old, new]]
    # Whitespace as junk: it never anchors a match (that would be slow and meaningless) but
    # still joins the words around it when they match.
    matcher = SequenceMatcher(str.isspace, old_tokens, new_tokens, autojunk=False)
    pieces: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        pieces.append([EQUAL, old_text] if tag == "equal" else ["change", old_text, new_text])
    return pieces


def _merge_changes(pieces: list[list[str]]) -> list[list[str]]:
    merged: list[list[str]] = []
    for piece in pieces:
        if merged and merged[-1][0] == piece[0]:
            merged[-1][1] += piece[1]
            if piece[0] != EQUAL:
                merged[-1][2] += piece[2]
        else:
            merged.append(list(piece))
    return merged


def _absorb_spaces(pieces: list[list[str]]) -> list[list[str]]:
    # "<del>a</del><ins>x</ins> <del>b</del><ins>y</ins>" reads badly; a change that spans
    # only whitespace between two changes becomes one "<del>a b</del><ins>x y</ins>".
    merged: list[list[str]] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if (
            piece[0] == EQUAL
            and piece[1].isspace()
            and merged
            and merged[-1][0] == "change"
            and index + 1 < len(pieces)
        ):
            following = pieces[index + 1]
            merged[-1][1] += piece[1] + following[1]
            merged[-1][2] += piece[1] + following[2]
            index += 2
            continue
        merged.append(list(piece))
        index += 1
    return merged


def _to_runs(pieces: list[list[str]]) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for piece in pieces:
        parts = (
            [(EQUAL, piece[1])] if piece[0] == EQUAL else [(DELETE, piece[1]), (INSERT, piece[2])]
        )
        for op, text in parts:
            if not text:
                continue
            if runs and runs[-1][0] == op:
                runs[-1] = (op, runs[-1][1] + text)
            else:
                runs.append((op, text))
    return runs


def redline_html(old: str, new: str) -> Markup:
    """HTML of ``new`` with deletions in ``<del>`` and insertions in ``<ins>``; all escaped."""
    out = []
    for op, text in redline_runs(old, new):
        if op == INSERT:
            out.append(Markup('<ins class="redline-ins">{}</ins>').format(text))
        elif op == DELETE:
            out.append(Markup('<del class="redline-del">{}</del>').format(text))
        else:
            out.append(escape(text))
    return Markup("").join(out)


# ---------------------------------------------------------------------------------------------
# Section changes


@dataclass
class SectionChange:
    """How one section differs between two drafts.

    ``kind`` is "added", "removed", "changed" (heading or body text differs), "moved" (same
    text, but out of order, under another parent or renumbered) or "unchanged". The flags say
    everything that applies: a changed section can also be ``moved``; ``changed`` is also set
    by a new number alone, which ``renumbered`` singles out.
    """

    kind: str
    old: Any | None
    new: Any | None
    moved: bool = False
    changed: bool = False
    renumbered: bool = False


def compare_sections(
    old_sections: Sequence[Any], new_sections: Sequence[Any]
) -> list[SectionChange]:
    """Match sections by ``identity``; the result is in new order, removals near their old place.

    Sections need ``identity``, ``number``, ``heading`` and ``body``; an optional ``level`` lets
    a change of parent count as a move.
    """
    old_sections, new_sections = list(old_sections), list(new_sections)
    old_at = _positions(old_sections)
    new_at = _positions(new_sections)
    pairs = [(old_at[s.identity], j) for j, s in enumerate(new_sections) if s.identity in old_at]
    old_parents, new_parents = _parents(old_sections), _parents(new_sections)
    settled = [
        old_parents[i] == new_parents[j]
        and _text(old_sections[i].number) == _text(new_sections[j].number)
        for i, j in pairs
    ]
    in_order = _kept_in_order(pairs, settled)

    removed_after = _removed_by_anchor(old_sections, new_at)
    changes = list(removed_after.get(None, []))
    for j, section in enumerate(new_sections):
        i = old_at.get(section.identity)
        if i is None:
            changes.append(SectionChange("added", None, section, changed=True))
        else:
            out_of_place = i not in in_order or old_parents[i] != new_parents[j]
            changes.append(_matched_change(old_sections[i], section, out_of_place))
        changes.extend(removed_after.get(section.identity, []))
    return changes


def _positions(sections: list[Any]) -> dict[Hashable, int]:
    positions: dict[Hashable, int] = {}
    for index, section in enumerate(sections):
        if section.identity in positions:
            raise ValueError(f"Two sections share the identity {section.identity!r}")
        positions[section.identity] = index
    return positions


def _kept_in_order(pairs: list[tuple[int, int]], settled: list[bool]) -> set[int]:
    """Old positions of the largest set of sections still in their old relative order.

    A longest increasing subsequence of old positions (taken in new order). Among equally long
    ones, it keeps the sections whose parent and number did not change, so the section that
    visibly moved is the one reported as moved.
    """
    weight = len(pairs) + 1  # any longer run beats every tie-breaking bonus
    tree: list[tuple[int, int]] = [(0, -1)] * (max((i for i, _ in pairs), default=0) + 2)
    scores: list[int] = []
    previous: list[int] = []
    for index, (old_position, _new_position) in enumerate(pairs):
        best, before = _best_below(tree, old_position)
        scores.append(best + weight + (1 if settled[index] else 0))
        previous.append(before)
        _raise_at(tree, old_position + 1, (scores[-1], index))
    kept: set[int] = set()
    index = scores.index(max(scores)) if scores else -1
    while index >= 0:
        kept.add(pairs[index][0])
        index = previous[index]
    return kept


def _best_below(tree: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """Best (score, pair index) among old positions below ``position`` (a Fenwick max query)."""
    best = (0, -1)
    while position > 0:
        if tree[position][0] > best[0]:
            best = tree[position]
        position -= position & -position
    return best


def _raise_at(tree: list[tuple[int, int]], position: int, value: tuple[int, int]) -> None:
    while position < len(tree):
        if value[0] > tree[position][0]:
            tree[position] = value
        position += position & -position


def _parents(sections: list[Any]) -> list[Hashable | None]:
    parents: list[Hashable | None] = []
    stack: list[tuple[int, Hashable]] = []
    for section in sections:
        level = getattr(section, "level", None)
        if level is None:
            parents.append(None)
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((level, section.identity))
    return parents


def _removed_by_anchor(
    old_sections: list[Any], new_at: dict[Hashable, int]
) -> dict[Hashable | None, list[SectionChange]]:
    """Removed sections keyed by the identity of the kept section just before them."""
    removed: dict[Hashable | None, list[SectionChange]] = {}
    anchor: Hashable | None = None
    for section in old_sections:
        if section.identity in new_at:
            anchor = section.identity
        else:
            removed.setdefault(anchor, []).append(
                SectionChange("removed", section, None, changed=True)
            )
    return removed


def _matched_change(old: Any, new: Any, out_of_place: bool) -> SectionChange:
    renumbered = _text(old.number) != _text(new.number)
    content_changed = _text(old.heading) != _text(new.heading) or _body(old.body) != _body(new.body)
    moved = out_of_place or renumbered
    if content_changed:
        kind = "changed"
    elif moved:
        kind = "moved"
    else:
        kind = "unchanged"
    return SectionChange(
        kind, old, new, moved=moved, changed=content_changed or renumbered, renumbered=renumbered
    )


def _text(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


_TABLE_DELIMITER_RE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?\s*$")


def _body(value: str | None) -> str:
    """The body as the reader sees it: "|---|" and "| --- |" are the same table."""
    lines = []
    for line in _text(value).split("\n"):
        if "-" in line and _TABLE_DELIMITER_RE.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            line = "|" + "|".join(_delimiter(c) for c in cells) + "|"
        lines.append(line.rstrip())
    return "\n".join(lines)


def _delimiter(cell: str) -> str:
    return (":" if cell.startswith(":") else "") + "---" + (":" if cell.endswith(":") else "")


# ---------------------------------------------------------------------------------------------
# Word comparison document


def compare_docx(title: str, changes: Sequence[SectionChange], *, tracked: bool = False) -> bytes:
    """A Word document of the changes: insertions underlined, deletions struck through; or,
    ``tracked``, as Word's own tracked changes (w:ins, w:del) to accept or reject."""
    document = new_document()
    document.part._consult_tracked = tracked
    document.add_paragraph(single_line(str(title)), style="Title")
    legend = document.add_paragraph()
    legend.add_run(str(_l("Legend:")) + " ")
    _add_runs(legend, [(INSERT, str(_l("inserted text")))])
    legend.add_run(", ")
    _add_runs(legend, [(DELETE, str(_l("deleted text")))])
    for change in changes:
        _add_change(document, change)
    return save_docx(document)


def _add_change(document, change: SectionChange) -> None:
    section = change.new if change.new is not None else change.old
    level = max(1, min(getattr(section, "level", 1) or 1, MAX_WORD_LEVEL))
    old_heading = heading_text(change.old) if change.old is not None else ""
    new_heading = heading_text(change.new) if change.new is not None else ""
    heading = document.add_paragraph(style=f"Heading {level}")
    _add_runs(heading, redline_runs(old_heading, new_heading))

    label = document.add_paragraph()
    run = label.add_run(_label(change))
    run.italic = True
    run.font.color.rgb = LABEL_COLOUR

    old_body = markdown_plain_text(change.old.body or "") if change.old is not None else ""
    new_body = markdown_plain_text(change.new.body or "") if change.new is not None else ""
    if old_body or new_body:
        _add_text_runs(document, redline_runs(old_body, new_body))


def _label(change: SectionChange) -> str:
    if change.kind == "added":
        return str(_l("Added"))
    if change.kind == "removed":
        return str(_l("Removed"))
    labels = []
    if change.moved:
        labels.append(str(_l("Moved")))
    if change.renumbered and change.old.number:
        labels.append(str(_l("previously numbered %(number)s", number=change.old.number)))
    if change.kind == "changed":
        labels.append(str(_l("Changed")))
    return " · ".join(labels) if labels else str(_l("Unchanged"))


def _add_text_runs(document, runs: list[tuple[str, str]]) -> None:
    """Lay out runs that may contain newlines as one paragraph per line."""
    paragraph = document.add_paragraph()
    for op, text in runs:
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if index:
                paragraph = document.add_paragraph()
            if line:
                _add_runs(paragraph, [(op, line)])


def _add_runs(paragraph: Paragraph, runs: list[tuple[str, str]]) -> None:
    tracked = getattr(paragraph.part, "_consult_tracked", False)
    for op, text in runs:
        run = paragraph.add_run(xml_safe(text))
        if tracked and op in (INSERT, DELETE):
            _track(run, op)
        elif op == INSERT:
            run.font.underline = True
            run.font.color.rgb = INSERT_COLOUR
        elif op == DELETE:
            run.font.strike = True
            run.font.color.rgb = DELETE_COLOUR


def _track(run, op: str) -> None:
    """Make ``run`` a tracked insertion or deletion of the comparison."""
    mark = OxmlElement("w:ins" if op == INSERT else "w:del")
    counter = getattr(run.part, "_consult_revision", 0) + 1
    run.part._consult_revision = counter
    mark.set(qn("w:id"), str(counter))
    mark.set(qn("w:author"), str(_l("Comparison of drafts")))
    run._r.addprevious(mark)
    mark.append(run._r)
    if op == DELETE:
        for t in run._r.findall(qn("w:t")):
            t.tag = qn("w:delText")
