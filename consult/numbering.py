"""How a section's number is written before its heading, with its punctuation ("1.", "a)",
"Điều 5."): one rule for the documents the portal writes and for its pages."""

from __future__ import annotations

import re

# A number that names its level in words ("Chương II", "Điều 5", "Phụ lục I").
STRUCTURE_WORD = r"(?i:phần|chương|tiểu\s+mục|mục|điều|khoản|điểm|phụ\s+lục)"
_STRUCTURED_NUMBER_RE = re.compile(rf"{STRUCTURE_WORD}\s")
_LETTER_NUMBER_RE = re.compile(r"[a-zđ]")


def join_heading_number(number: str, heading: str) -> str:
    """The number and heading on one line, in the usual Vietnamese style ("1.2. ", "a) ")."""
    number, heading = number.strip(), heading.strip()
    if not number:
        return heading
    if number.endswith((".", ")", ":")):  # typed with its punctuation already
        return f"{number} {heading}".rstrip()
    if _STRUCTURED_NUMBER_RE.match(number + " "):
        return f"{number}. {heading}" if heading else number
    separator = ")" if _LETTER_NUMBER_RE.fullmatch(number) else "."
    return f"{number}{separator} {heading}".rstrip()


def punctuated_number(number: str, heading: str) -> str:
    """The number alone as :func:`join_heading_number` writes it before ``heading``."""
    number, heading = number.strip(), heading.strip()
    if not number or not heading:
        return join_heading_number(number, "")
    return join_heading_number(number, heading)[: -len(heading)].rstrip()
