"""The fonts the PDF documents embed, vendored in static/fonts with their licences."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
# Metrically compatible with Times New Roman, which the Word documents name (Decree 30).
PDF_FONT = "Liberation Serif"
PDF_FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
# The family SVG charts ask for: fpdf2 draws their text with it, CairoSVG finds it installed.
CHART_FONT = "DejaVu Sans"
CHART_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
