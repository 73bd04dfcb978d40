"""PDF documents (fpdf2 and Liberation Serif): the summary report in the official frame.

fpdf2 holds the document it builds in memory until it writes it, so `write_pdf` builds a
long report in parts of `PART_PAGES` pages, each a PDF of its own that `PdfJoiner` copies
into the output as soon as it is done: the memory a report takes does not grow with it.
"""

from __future__ import annotations

import gc
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, BinaryIO

from consult.documents.common import (
    _clean,
    _comment_parts,
    _count_paragraphs,
    _group_key,
    _labels,
    _section_title,
    report_frame,
)
from consult.documents.fonts import PDF_FONT
from consult.documents.official import new_official_pdf, pdf_closing, pdf_heading, pdf_title
from consult.documents.pdfjoin import PdfJoiner
from consult.documents.summary import SummaryReport, taken_into_text
from consult.timeutil import VIETNAM

PDF_BODY_PT = 13
PDF_TABLE_PT = 11
PT_MM = 25.4 / 72
# Landscape table widths (mm): 297 - 30 - 15 = 252 mm.
PDF_TABLE_WIDTHS_MM = (11.0, 38.0, 42.0, 74.0, 63.0, 24.0)
# The pages of one part of a long report (see the module's docstring): about 20 MB of
# fpdf2's memory; each part embeds its own subset of the fonts (some tens of kB).
PART_PAGES = 1000


# fpdf2 does not draw <title> and <desc> (they are for screen readers) and logs a warning
# for each; the PDF has the same text in its counts.
_SVG_UNDRAWN = re.compile(r"<(title|desc)\b[^>]*>.*?</\1\s*>", re.DOTALL)


_SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)"[^>]*?\bheight="(?P<h>[\d.]+)"', re.DOTALL
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", _clean(text))


def _break_lines(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line is cut between characters."""
    if not text.strip():
        return [""]
    lines: list[str] = []
    space = measure(" ")
    line, line_w = "", 0.0
    for word in text.split(" "):
        word_w = measure(word)
        if line and line_w + space + word_w <= width:
            line, line_w = f"{line} {word}", line_w + space + word_w
            continue
        if line:
            lines.append(line)
        line, line_w = "", 0.0
        while word_w > width:
            cut, cut_w = 0, 0.0
            while cut < len(word) and cut_w + measure(word[cut]) <= width:
                cut_w += measure(word[cut])
                cut += 1
            cut = max(cut, 1)
            lines.append(word[:cut])
            word = word[cut:]
            word_w = measure(word)
        line, line_w = word, word_w
    if line or not lines:
        lines.append(line)
    return lines


class _PdfTable:
    """A table drawn row by row: header repeated on every page, long rows split.

    fpdf2's own `table()` keeps every row until the table ends and refuses rows taller
    than a page; a comment can be longer than that, and there can be very many rows.
    """

    SECTION_COL = 1

    def __init__(
        self,
        pdf: Any,
        headings: list[str],
        labels: dict[str, str],
        next_part: Callable[[], None] | None = None,
        part_pages: int = PART_PAGES,
    ) -> None:
        """``next_part()`` ends the part in ``self.pdf`` and puts the next one's document
        there; it is called at a page break once a part has ``part_pages`` pages."""
        self.pdf = pdf
        self.next_part = next_part
        self.part_pages = part_pages
        self.labels = labels
        self.widths = PDF_TABLE_WIDTHS_MM
        self.aligns = ("C", "L", "L", "L", "L", "C")
        self.size = PDF_TABLE_PT
        self.lh = PDF_TABLE_PT * PT_MM * 1.3
        self.pad = 1.0
        self.x0 = pdf.l_margin
        xs = [self.x0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        self.xs = xs
        self._measures: dict[str, Callable[[str], float]] = {}
        self.headings = [self.wrap([("B", h)], w) for h, w in zip(headings, self.widths)]
        self.header_h = max(len(h) for h in self.headings) * self.lh + 2 * self.pad
        self.rows_on_page = False
        self.section_lines: list[tuple[str, str]] = []
        self.section_open = False

    def wrap(self, parts: list[tuple[str, str]], width: float) -> list[tuple[str, str]]:
        """Break (style, text) paragraphs into (style, line) lines that fit `width` mm."""
        inner = width - 2 * self.pdf.c_margin - 0.01
        lines: list[tuple[str, str]] = []
        for style, text in parts:
            measure = self._measure(style)
            for paragraph in _nfc(text).split("\n"):
                lines.extend((style, line) for line in _break_lines(paragraph, measure, inner))
        return lines

    def _measure(self, style: str) -> Callable[[str], float]:
        """Width in mm of a text in `style` at the table size, from the font's glyph widths."""
        if style not in self._measures:
            widths = self.pdf.fonts[PDF_FONT.lower() + style].cw
            factor = self.size * 0.001 / self.pdf.k
            self._measures[style] = lambda text: sum(widths[ord(c)] for c in text) * factor
        return self._measures[style]

    def start(self) -> None:
        """Draw the header row at the current position."""
        pdf = self.pdf
        y0 = pdf.y
        pdf.set_fill_color(230, 230, 230)
        for i, lines in enumerate(self.headings):
            pdf.rect(self.xs[i], y0, self.widths[i], self.header_h, style="DF")
            top = y0 + (self.header_h - len(lines) * self.lh) / 2
            self._print(i, lines, top, align="C")
        pdf.set_xy(self.x0, y0 + self.header_h)
        self.rows_on_page = False

    def _print(self, col: int, lines: list[tuple[str, str]], top: float, align: str) -> None:
        pdf = self.pdf
        for k, (style, line) in enumerate(lines):
            if not line:
                continue
            pdf.set_font(PDF_FONT, style, self.size)
            pdf.set_xy(self.xs[col], top + k * self.lh)
            pdf.cell(self.widths[col], self.lh, line, align=align)

    def _close_section(self) -> None:
        if self.section_open:
            s = self.SECTION_COL
            self.pdf.line(self.xs[s], self.pdf.y, self.xs[s + 1], self.pdf.y)
            self.section_open = False

    def _new_page(self) -> None:
        self._close_section()
        if self.next_part is not None and self.pdf.page >= self.part_pages:
            self.next_part()
        self.pdf.add_page(orientation="L")
        self.start()

    def _draw(self, cols: list[list[tuple[str, str]]], top_line: bool) -> None:
        pdf = self.pdf
        y0 = pdf.y
        h = max(1, max(len(c) for c in cols)) * self.lh + 2 * self.pad
        s = self.SECTION_COL
        for i in range(len(self.widths)):
            if i == s:
                if top_line:
                    pdf.line(self.xs[i], y0, self.xs[i + 1], y0)
                continue
            pdf.rect(self.xs[i], y0, self.widths[i], h)
        for i, lines in enumerate(cols):
            self._print(i, lines, y0 + self.pad, self.aligns[i])
        pdf.set_xy(self.x0, y0 + h)
        self.rows_on_page = True
        self.section_open = True

    def add(self, cols: list[list[tuple[str, str]]], section: str | None) -> None:
        """A row; `section` is the section title when the row starts a new section."""
        top_line = section is not None
        if section is not None:
            self.section_lines = self.wrap([("B", section)], self.widths[self.SECTION_COL])
            cols[self.SECTION_COL] = list(self.section_lines)
        remaining = cols
        while True:
            pdf = self.pdf  # a page break may begin a new part: a new document
            at_top = not self.rows_on_page
            if at_top and not remaining[self.SECTION_COL] and self.section_lines:
                cont = self.wrap([("I", self.labels["section_continued"])], self.widths[1])
                remaining[self.SECTION_COL] = self.section_lines + cont
            n = max(1, max(len(c) for c in remaining))
            need = n * self.lh + 2 * self.pad
            avail = pdf.page_break_trigger - pdf.y
            if need <= avail + 0.01:
                self._draw(remaining, top_line or at_top)
                return
            fresh = pdf.page_break_trigger - pdf.t_margin - self.header_h
            fit_lines = int((avail - 2 * self.pad) / self.lh)
            if not at_top and (need <= fresh or fit_lines < 3):
                self._new_page()
                continue
            fit_lines = max(fit_lines, 1)
            chunk = [c[:fit_lines] for c in remaining]
            remaining = [c[fit_lines:] for c in remaining]
            self._draw(chunk, top_line or at_top)
            top_line = False
            self._new_page()

    def finish(self) -> None:
        self._close_section()


def write_pdf(
    report: SummaryReport,
    out: BinaryIO,
    charts: Iterable[bytes | str] = (),
    part_pages: int = PART_PAGES,
) -> None:
    """Write the report as a PDF into the binary file ``out``: A4, Liberation Serif, page
    numbers from page 2.

    A portrait first page with the heading block, title and counts (then the `charts`,
    SVG documents such as `render_svg_bar_chart` returns, one under the other); landscape
    pages with the table, its header row repeated on every page, rows of one section
    grouped, rows too tall for a page split across pages; then the closing block. A table
    longer than ``part_pages`` pages is built in parts (see the module's docstring).
    """
    from fpdf.enums import XPos, YPos

    labels = _labels(report)
    frame = report_frame(report, labels)
    joiner: PdfJoiner | None = None

    def new_part(pages_before: int) -> Any:
        pdf = new_official_pdf(lang=labels.get("lang", "vi-VN"), pages_before=pages_before)
        pdf.set_title(" ".join(_nfc(t) for t in frame.title()))
        pdf.set_author(_nfc(report.issuing_body))
        pdf.set_creation_date(
            datetime.combine(report.issued_on, datetime.min.time()).replace(tzinfo=VIETNAM)
        )
        return pdf

    def next_part() -> None:
        nonlocal joiner
        if joiner is None:
            joiner = PdfJoiner(out)
        pages = table.pdf.pages_before + table.pdf.page
        part = bytes(table.pdf.output())
        table.pdf = None  # the part's document (pages, fonts) is let go before the next one
        joiner.add(part)
        del part
        # fpdf2's objects refer to each other in cycles, which only the cycle collector
        # frees: left to its own pace it let several parts pile up (275 MB at a million).
        gc.collect()
        table.pdf = new_part(pages)

    pdf = new_part(0)
    pdf.add_page()
    lh = PDF_BODY_PT * PT_MM * 1.3
    pdf_heading(pdf, frame)
    pdf_title(pdf, frame)

    pdf.set_font(PDF_FONT, "B", PDF_BODY_PT)
    pdf.multi_cell(0, lh, _nfc(labels["counts_heading"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    for text, level in _count_paragraphs(report, labels):
        pdf.set_font(PDF_FONT, "", PDF_BODY_PT)
        pdf.set_x(pdf.l_margin + 6 * level)
        pdf.multi_cell(
            pdf.epw - 6 * level, lh, _nfc(text), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(1.5)

    for chart in charts:
        data = _SVG_UNDRAWN.sub("", chart if isinstance(chart, str) else chart.decode("utf-8"))
        width = min(pdf.epw, 160.0)
        size = _SVG_SIZE.search(data)
        if size:  # keep a tall chart within one page
            aspect = float(size["h"]) / max(float(size["w"]), 1.0)
            page_h = pdf.page_break_trigger - pdf.t_margin - 5
            width = min(width, page_h / max(aspect, 0.01))
        pdf.ln(3)
        pdf.image(io.BytesIO(data.encode("utf-8")), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)

    # The table, on landscape pages.
    pdf.add_page(orientation="L")
    pdf.set_font(PDF_FONT, "B", PDF_BODY_PT)
    pdf.multi_cell(0, lh, _nfc(labels["table_heading"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    headings = [
        labels[k]
        for k in (
            "col_number",
            "col_section",
            "col_departments",
            "col_comment",
            "col_answer",
            "col_status",
        )
    ]
    table = _PdfTable(pdf, headings, labels, next_part=next_part, part_pages=part_pages)
    del pdf  # from here on the table holds the current part's document
    table.start()
    current: tuple[str | None, str, str] | None = None
    any_rows = False
    for row in report.rows:
        any_rows = True
        key = _group_key(row)
        section = _section_title(row, labels) if key != current else None
        current = key
        w = table.widths
        cols = [
            table.wrap([("", str(row.number))], w[0]),
            [],
            table.wrap([("", d) for d in row.departments], w[2]),
            table.wrap(_comment_parts(row, labels), w[3]),
            table.wrap(
                [("", row.answer or labels["no_answer"])]
                + ([("I", taken_into_text(row, labels))] if row.taken_into else []),
                w[4],
            ),
            table.wrap([("", row.status)], w[5]),
        ]
        table.add(cols, section)
    table.finish()
    pdf = table.pdf
    if not any_rows:
        pdf.set_font(PDF_FONT, "I", PDF_TABLE_PT)
        pdf.cell(
            sum(table.widths),
            table.lh + 2,
            _nfc(labels["no_rows"]),
            border=1,
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    pdf_closing(pdf, frame)

    if joiner is None:
        out.write(pdf.output())
    else:
        joiner.add(bytes(pdf.output()))
        joiner.finish()
