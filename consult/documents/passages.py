"""Find a quoted passage of rendered text in a section's Markdown source, and change it there.

Comments quote what the reader saw (the rendered section); sections are stored as Markdown.
A quote is looked for exactly, then after normalising spaces and Unicode forms (NFC), then
in the rendered text with its inline formatting (bold, italics, links, code) mapped back to
source offsets. Nothing here knows the database: strings in, offsets and strings out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

EXACT, NORMALISED, FORMATTING = "exact", "normalised", "formatting"
CONTEXT = 40

_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BLOCK_PREFIX_RE = re.compile(
    r"^(?P<prefix>[ \t]{0,3}(?:>[ \t]?)*[ \t]*"
    r"(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+|\[\^[^\]\s]+\]:[ \t]*)?)"
)
_RULE_RE = re.compile(r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TABLE_DELIMITER_RE = re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?\s*$")
_FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>")
_HEADING_CLOSE_RE = re.compile(r"[ \t]+#+[ \t]*$")


@dataclass(frozen=True)
class PlainChar:
    char: str
    start: int  # offsets in the source of the character(s) it came from
    end: int


@dataclass(frozen=True)
class Markup:
    """A pair of inline delimiters in the source: ``**``...``**``, ``[``...``](url)``."""

    open_start: int
    open_end: int
    close_start: int
    close_end: int


@dataclass
class PlainText:
    """The text as rendered (or the source itself, normalised) with every character's source
    offsets, and the inline markup pairs found on the way."""

    chars: list[PlainChar]
    markup: list[Markup]

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    def index_at(self, offset: int) -> int:
        """The first character that comes from ``offset`` of the source or later."""
        low, high = 0, len(self.chars)
        while low < high:
            middle = (low + high) // 2
            if self.chars[middle].start < offset:
                low = middle + 1
            else:
                high = middle
        return low


@dataclass(frozen=True)
class Occurrence:
    """Where a quote was found: the source span to replace and how it was found.

    When the quote covers only part of a formatted run (``**bold text**`` quoted from "text"
    on), the span widens to the whole run and ``keep_before``/``keep_after`` hold the rendered
    text that the quote did not cover, so that the replacement keeps it (without the format).
    """

    start: int
    end: int
    method: str
    context_before: str = ""
    context_after: str = ""
    keep_before: str = ""
    keep_after: str = ""

    def replacement(self, wording: str) -> str:
        return f"{self.keep_before}{wording}{self.keep_after}"

    @property
    def widened(self) -> bool:
        return bool(self.keep_before or self.keep_after)


# --- the plain views ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC, every run of whitespace (non-breaking spaces too) one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def rendered_view(source: str) -> PlainText:
    """The rendered text of ``source``, block markers and inline formatting removed."""
    chars: list[PlainChar] = []
    markup: list[Markup] = []
    offset = 0
    in_fence = False
    for line in (source or "").splitlines(keepends=True):
        content = line.rstrip("\r\n")
        end_of_line = offset + len(content)
        if _FENCE_RE.match(content):
            in_fence = not in_fence
        elif in_fence:
            chars.extend(PlainChar(ch, offset + i, offset + i + 1) for i, ch in enumerate(content))
        elif _RULE_RE.match(content) or ("-" in content and _TABLE_DELIMITER_RE.match(content)):
            pass
        else:
            prefix = _BLOCK_PREFIX_RE.match(content).group("prefix")
            body = content[len(prefix) :]
            if prefix.lstrip().startswith("#"):
                body = _HEADING_CLOSE_RE.sub("", body)
            if body.lstrip().startswith("|"):
                body = body.replace("|", " ")  # table cells read as words apart
            _inline(body, offset + len(prefix), chars, markup)
        if len(line) > len(content):
            chars.append(PlainChar("\n", end_of_line, offset + len(line)))
        offset += len(line)
    return _normalised(chars, markup)


def source_view(source: str) -> PlainText:
    """The source itself, normalised: for quotes that differ only in spaces or Unicode form."""
    chars = [PlainChar(ch, i, i + 1) for i, ch in enumerate(source or "")]
    return _normalised(chars, [])


def _normalised(chars: list[PlainChar], markup: list[Markup]) -> PlainText:
    """NFC by groups of a base character and its combining marks, then whitespace collapsed."""
    composed: list[PlainChar] = []
    index = 0
    while index < len(chars):
        end = index + 1
        while end < len(chars) and unicodedata.combining(chars[end].char):
            end += 1
        group = chars[index:end]
        start, stop = group[0].start, group[-1].end
        for ch in unicodedata.normalize("NFC", "".join(c.char for c in group)):
            composed.append(PlainChar(ch, start, stop))
        index = end
    collapsed: list[PlainChar] = []
    for ch in composed:
        if ch.char.isspace():
            if collapsed and collapsed[-1].char == " ":
                last = collapsed[-1]
                collapsed[-1] = PlainChar(" ", last.start, ch.end)
            else:
                collapsed.append(PlainChar(" ", ch.start, ch.end))
        else:
            collapsed.append(ch)
    return PlainText(collapsed, markup)


def _inline(text: str, base: int, chars: list[PlainChar], markup: list[Markup]) -> None:
    """Rendered characters of one line of inline Markdown, appended to ``chars``."""
    items: list = []  # PlainChar, or [delimiter, start, end, can_open, can_close]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _PUNCTUATION:
            items.append(PlainChar(text[i + 1], base + i, base + i + 2))
            i += 2
        elif c == "`":
            run = _run(text, i, "`")
            close = text.find("`" * run, i + run)
            while close != -1 and _run(text, close, "`") != run:
                close = text.find("`" * run, close + _run(text, close, "`"))
            if close == -1:
                items.extend(PlainChar("`", base + j, base + j + 1) for j in range(i, i + run))
                i += run
                continue
            items.extend(PlainChar(text[j], base + j, base + j + 1) for j in range(i + run, close))
            markup.append(Markup(base + i, base + i + run, base + close, base + close + run))
            i = close + run
        elif c == "[" or (c == "!" and text.startswith("[", i + 1)):
            opener = i + (2 if c == "!" else 1)
            link = _link_end(text, opener)
            if link is None or text.startswith("^", opener):
                items.append(PlainChar(c, base + i, base + i + 1))
                i += 1
                continue
            label_end, close_end = link
            inner: list[PlainChar] = []
            _inline(text[opener:label_end], base + opener, inner, markup)
            items.extend(inner)
            markup.append(Markup(base + i, base + opener, base + label_end, base + close_end))
            i = close_end
        elif c == "<" and (auto := _AUTOLINK_RE.match(text, i)):
            url_start, url_end = auto.span(1)
            items.extend(
                PlainChar(text[j], base + j, base + j + 1) for j in range(url_start, url_end)
            )
            markup.append(Markup(base + i, base + url_start, base + url_end, base + auto.end()))
            i = auto.end()
        elif c == "&" and (entity := _ENTITY_RE.match(text, i)):
            for ch in html.unescape(entity.group()):
                items.append(PlainChar(ch, base + i, base + entity.end()))
            i = entity.end()
        elif c in "*_~":
            run = _run(text, i, c)
            if c == "~" and run != 2:
                items.extend(PlainChar("~", base + j, base + j + 1) for j in range(i, i + run))
            else:
                before = text[i - 1] if i > 0 else " "
                after = text[i + run] if i + run < n else " "
                items.append([c * run, base + i, base + i + run, *_flanks(c, before, after)])
            i += run
        else:
            items.append(PlainChar(c, base + i, base + i + 1))
            i += 1
    _pair_delimiters(items, markup)
    for item in items:
        if isinstance(item, PlainChar):
            chars.append(item)
        elif item is not None:  # an unpaired delimiter is shown as typed
            delimiter, start = item[0], item[1]
            chars.extend(PlainChar(ch, start + k, start + k + 1) for k, ch in enumerate(delimiter))


def _run(text: str, i: int, c: str) -> int:
    end = i
    while end < len(text) and text[end] == c:
        end += 1
    return end - i


def _link_end(text: str, opener: int) -> tuple[int, int] | None:
    """For ``[label](url)`` starting at ``opener``: (end of label, end of the whole link)."""
    depth, j = 0, opener
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "[":
            depth += 1
        elif text[j] == "]":
            if depth == 0:
                break
            depth -= 1
        j += 1
    else:
        return None
    if not text.startswith("(", j + 1):
        return None
    depth, k = 0, j + 2
    while k < len(text):
        if text[k] == "(":
            depth += 1
        elif text[k] == ")":
            if depth == 0:
                return j, k + 1
            depth -= 1
        k += 1
    return None


def _flanks(c: str, before: str, after: str) -> tuple[bool, bool]:
    """CommonMark's left- and right-flanking rules, and ``_`` never opening inside a word."""

    def punct(ch: str) -> bool:
        return ch in _PUNCTUATION or unicodedata.category(ch).startswith("P")

    left = not after.isspace() and (not punct(after) or before.isspace() or punct(before))
    right = not before.isspace() and (not punct(before) or after.isspace() or punct(after))
    if c == "_":
        return left and (not right or punct(before)), right and (not left or punct(after))
    return left, right


def _pair_delimiters(items: list, markup: list[Markup]) -> None:
    """Pair each closing delimiter with the nearest open one of the same kind; paired ones
    leave the rendered text (set to None), unpaired ones stay as typed."""
    openers: list[int] = []
    for index, item in enumerate(items):
        if isinstance(item, PlainChar) or item is None:
            continue
        delimiter, _start, _end, can_open, can_close = item
        match = None
        if can_close:
            match = next(
                (k for k in reversed(openers) if items[k] is not None and items[k][0] == delimiter),
                None,
            )
        if match is not None:
            opener = items[match]
            markup.append(Markup(opener[1], opener[2], item[1], item[2]))
            openers = [k for k in openers if k < match]
            items[match] = items[index] = None
        elif can_open:
            openers.append(index)


# --- finding a quote ------------------------------------------------------------------------


def find_passage(source: str, quote: str) -> list[Occurrence]:
    """Every place of ``quote`` in ``source``: exactly, else normalised, else as rendered.

    An empty list means the quote is not in the text (it cannot be applied automatically).
    """
    quote = quote or ""
    if not quote.strip() or not source:
        return []
    rendered = rendered_view(source)
    found = []
    start = source.find(quote)
    while start != -1:
        found.append(_occurrence(rendered, start, start + len(quote), EXACT))
        start = source.find(quote, start + len(quote))
    if found:
        return found
    wanted = normalise(quote)
    for method, view in ((NORMALISED, source_view(source)), (FORMATTING, rendered)):
        text = view.text
        at = text.find(wanted)
        while at != -1:
            span_start = view.chars[at].start
            span_end = view.chars[at + len(wanted) - 1].end
            if method == FORMATTING:
                found.append(_widened(rendered, span_start, span_end))
            else:
                found.append(_occurrence(rendered, span_start, span_end, method))
            at = text.find(wanted, at + len(wanted))
        if found:
            return found
    return []


def _context(rendered: PlainText, start: int, end: int) -> tuple[str, str]:
    text = rendered.text
    first, after = rendered.index_at(start), rendered.index_at(end)
    return text[max(0, first - CONTEXT) : first], text[after : after + CONTEXT]


def _occurrence(rendered: PlainText, start: int, end: int, method: str) -> Occurrence:
    before, after = _context(rendered, start, end)
    return Occurrence(start, end, method, before, after)


def _widened(rendered: PlainText, start: int, end: int) -> Occurrence:
    """Widen a span that opens or closes a formatted run without the other end."""
    wide_start, wide_end = start, end
    changed = True
    while changed:
        changed = False
        for m in rendered.markup:
            has_open = wide_start < m.open_end and m.open_start < wide_end
            has_close = wide_start < m.close_end and m.close_start < wide_end
            if has_open and not has_close:
                wide_end, changed = max(wide_end, m.close_end), True
            elif has_close and not has_open:
                wide_start, changed = min(wide_start, m.open_start), True
            if has_open and m.open_start < wide_start:
                wide_start, changed = m.open_start, True
            if has_close and m.close_end > wide_end:
                wide_end, changed = m.close_end, True
    text = rendered.text
    keep_before = text[rendered.index_at(wide_start) : rendered.index_at(start)]
    keep_after = text[rendered.index_at(end) : rendered.index_at(wide_end)]
    before, after = _context(rendered, wide_start, wide_end)
    return Occurrence(
        wide_start, wide_end, FORMATTING, before, after, keep_before.lstrip(), keep_after.rstrip()
    )


def choose_by_context(
    occurrences: list[Occurrence], prefix: str | None, suffix: str | None
) -> Occurrence | None:
    """The one occurrence whose surroundings best match the text quoted around the passage;
    None when there is no context or two occurrences fit equally well."""
    if not occurrences:
        return None
    if len(occurrences) == 1:
        return occurrences[0]
    prefix, suffix = normalise(prefix or ""), normalise(suffix or "")
    if not prefix and not suffix:
        return None

    def score(occurrence: Occurrence) -> int:
        before, after = normalise(occurrence.context_before), normalise(occurrence.context_after)
        return _common_suffix(before, prefix) + _common_prefix(after, suffix)

    scores = sorted(((score(o), i) for i, o in enumerate(occurrences)), reverse=True)
    best, runner_up = scores[0][0], scores[1][0]
    return occurrences[scores[0][1]] if best > runner_up else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


# --- changing the text ----------------------------------------------------------------------


def splice(source: str, start: int, end: int, replacement: str) -> str:
    return source[:start] + replacement + source[end:]


def removal_span(source: str, start: int, end: int) -> tuple[int, int]:
    """The span a removal takes: the passage and one of the spaces it would leave doubled."""
    after = source[end : end + 1]
    if start > 0 and source[start - 1] == " " and (not after or after in " .,;:!?)\n"):
        return start - 1, end
    if (start == 0 or source[start - 1] == "\n") and after == " ":
        return start, end + 1
    return start, end


@dataclass(frozen=True)
class Block:
    """A paragraph (or list, table, heading) of a section's source: where to insert."""

    start: int
    end: int
    preview: str


def blocks(source: str) -> list[Block]:
    """The section's blocks, separated by blank lines, each with its first words."""
    found: list[Block] = []
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", source or ""):
        text = match.group()
        preview = normalise(rendered_view(text).text)
        found.append(Block(match.start(), match.start() + len(text.rstrip("\n")), preview[:100]))
    return found


def insert_block(source: str, position: int, wording: str) -> tuple[str, int]:
    """Insert ``wording`` as a paragraph before block ``position`` (the number of blocks:
    at the end); returns the new text and the offset where the wording starts."""
    found = blocks(source)
    position = max(0, min(position, len(found)))
    at = found[position].start if position < len(found) else len(source)
    head, tail = source[:at].rstrip("\n"), source[at:].lstrip("\n")
    lead = head + ("\n\n" if head else "")
    wording = wording.strip("\n")
    return lead + wording + ("\n\n" + tail if tail else "\n"), len(lead)


def revert(
    current: str, body_before: str, body_after: str, start: int, passage: str, wording: str
) -> str | None:
    """Undo one change in ``current``: the text with ``wording`` put back to ``passage``.

    None when the change cannot be found intact (it was edited by hand since): the board
    then sees the conflict and decides, nothing is guessed.
    """
    if current == body_after:
        return body_before
    if wording:
        count = current.count(wording)
        if count != 1:
            return None
        at = current.find(wording)
        if passage:
            return current[:at] + passage + current[at + len(wording) :]
        # An inserted paragraph goes with the blank line that set it apart.
        head, tail = current[:at].rstrip("\n"), current[at + len(wording) :].lstrip("\n")
        return head + ("\n\n" if head and tail else "") + tail + ("\n" if not tail and head else "")
    # A removal: put the passage back between the words that surrounded it, found intact
    # on both sides, or failing that on one side only.
    left, right = body_after[max(0, start - 30) : start], body_after[start : start + 30]
    for width in (30, 15):
        for anchor_left, anchor_right in (
            (left[-width:], right[:width]),
            (left[-width:], ""),
            ("", right[:width]),
        ):
            anchor = anchor_left + anchor_right
            if len(anchor.strip()) >= 4 and current.count(anchor) == 1:
                at = current.find(anchor) + len(anchor_left)
                return splice(current, at, at, passage)
    return None
