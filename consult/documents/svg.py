"""Small SVG bar charts, for the report pages and the PDF; as PNG for Word (CairoSVG)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from xml.sax.saxutils import escape

from consult.documents.common import _clean
from consult.documents.fonts import CHART_FONT
from consult.documents.summary import VIETNAMESE_LABELS

# --------------------------------------------------------------------------------------
# SVG bar chart
# --------------------------------------------------------------------------------------


def _truncate(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max(max_chars - 1, 1)].rstrip() + "…"


def render_svg_bar_chart(
    title: str,
    items: list[tuple[str, int]],
    width: int = 640,
    *,
    empty_text: str = VIETNAMESE_LABELS["chart_empty"],
    number: Callable[[int], str] = str,
) -> str:
    """A horizontal bar chart as a standalone SVG document (a string).

    Dependency-free and accessible: `role="img"` with a `<title>` and a `<desc>` that lists
    every value, so screen readers read the data; each bar carries its full label in a
    `<title>` tooltip when the visible label is shortened. Text is escaped. The font is
    DejaVu Sans (the PDF's font, so fpdf2 can draw the text) with sans-serif fallbacks.
    """
    title = _clean(title)
    rows = [(_clean(label), max(int(value), 0)) for label, value in items]
    width = max(int(width), 240)
    font = 13
    bar_h = 22
    gap = 8
    top = 40
    label_w = int(width * 0.45)  # room for a body's name: "Sở Thông tin và Truyền thông"
    value_w = 56
    bar_x = label_w + 10
    bar_max = max(width - bar_x - value_w, 20)
    height = top + max(len(rows), 1) * (bar_h + gap) + 8
    peak = max((v for _l, v in rows), default=0) or 1
    uid = (
        "chart-"
        + hashlib.sha1(  # an id for the SVG's elements, not security
            repr((title, rows, width)).encode("utf-8"), usedforsecurity=False
        ).hexdigest()[:10]
    )
    family = f'font-family="{CHART_FONT}, Arial, Helvetica, sans-serif"'
    desc = "; ".join(f"{label}: {number(value)}" for label, value in rows) or empty_text
    max_chars = max(int(label_w / (font * 0.6)), 4)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="20" {family} font-size="15" font-weight="bold" fill="#1f2933">'
        f"{escape(_truncate(title, int(width / (15 * 0.62))))}</text>",
    ]
    if not rows:
        parts.append(
            f'<text x="0" y="{top + 16}" {family} font-size="{font}" fill="#52606d">'
            f"{escape(empty_text)}</text>"
        )
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        bar_w = round(bar_max * value / peak, 1)
        text_y = y + bar_h / 2 + font * 0.35
        shown = _truncate(label, max_chars)
        parts.append("<g>")
        parts.append(f"<title>{escape(label)}: {escape(number(value))}</title>")
        parts.append(
            f'<text x="{label_w}" y="{text_y:.1f}" {family} font-size="{font}" '
            f'text-anchor="end" fill="#1f2933">{escape(shown)}</text>'
        )
        parts.append(f'<rect x="{bar_x}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#2f6690"/>')
        parts.append(
            f'<text x="{bar_x + bar_w + 6:.1f}" y="{text_y:.1f}" {family} font-size="{font}" '
            f'fill="#1f2933">{escape(number(value))}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def svg_to_png(svg: str | bytes, scale: float = 2.0) -> bytes | None:
    """The chart as a PNG (Word shows no SVG), drawn by CairoSVG from the same SVG at
    ``scale`` times its size; None when the system's cairo library is missing (the Debian
    package libcairo2, which `make install` and scripts/test.sh install)."""
    try:
        import cairosvg
    except (ImportError, OSError):  # cairocffi raises OSError when libcairo is absent
        return None
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    return cairosvg.svg2png(bytestring=data, scale=scale, unsafe=False)
