"""The frame of an official paper (Decree 30/2020/NĐ-CP) as plain data: bodies, number and
symbol, place and date, title, addressees, "Nơi nhận" and the signature.

The writers are in `consult.documents.official`; this module has no dependency, so the
report's data (`consult.documents.summary`) can share its labels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

FRAME_LABELS: dict[str, str] = {
    "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    # Fields: place, day (two digits), month (two digits for 1-2, as Decree 30 asks),
    # year, day_num, month_num, month_name (label month_N).
    "place_date": "{place}, ngày {day} {month_name} năm {year}",
    "month_1": "tháng 01",
    "month_2": "tháng 02",
    "month_3": "tháng 3",
    "month_4": "tháng 4",
    "month_5": "tháng 5",
    "month_6": "tháng 6",
    "month_7": "tháng 7",
    "month_8": "tháng 8",
    "month_9": "tháng 9",
    "month_10": "tháng 10",
    "month_11": "tháng 11",
    "month_12": "tháng 12",
    # Fields: number (blank until the clerk registers the paper), symbol.
    "number_line": "Số: {number}/{symbol}",
    "addressee_label": "Kính gửi:",
    "recipients_label": "Nơi nhận:",
    # Fields: unit (the symbol's part after its first hyphen, "BST" of "BC-BST").
    "archive_line": "Lưu: VT, {unit}",
    "archive_plain": "Lưu: VT",
}

# The blank a clerk fills with the register's number.
NUMBER_BLANK = "\u00a0" * 7
NBSP = "\u00a0"


@dataclass(kw_only=True, slots=True)
class OfficialFrame:
    """What frames an official paper; every text is plain (the writers clean and case it).

    `title_lines` are printed one per line, centred and bold; the first is the paper's kind
    ("BÁO CÁO"), the next its summary. "(lần 3)" never breaks across lines. `recipients`
    are the "Nơi nhận" lines without dashes or final punctuation; when none starts with
    "Lưu", the archive line "Lưu: VT, <unit of the symbol>" is added. `signer_authority`
    is "TM. BAN SOẠN THẢO", "KT. TRƯỞNG BAN", or empty when the head signs for themself.
    """

    issuing_body: str
    issued_on: date
    parent_body: str = ""
    place: str = ""
    symbol: str = ""
    number: str = ""
    title_lines: list[str] = field(default_factory=list)
    subject: str = ""
    addressees: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    labels: dict[str, str] = field(default_factory=lambda: dict(FRAME_LABELS))

    def label(self, key: str) -> str:
        return self.labels.get(key) or FRAME_LABELS[key]

    def number_line(self) -> str:
        """ "Số: 12/BC-BST", or with a blank for the number; empty without number and symbol."""
        if not self.symbol.strip() and not self.number.strip():
            return ""
        return self.label("number_line").format(
            number=self.number.strip() or NUMBER_BLANK, symbol=self.symbol.strip()
        )

    def place_date(self) -> str:
        return document_date(self.place, self.issued_on, {**FRAME_LABELS, **self.labels})

    def title(self) -> list[str]:
        return [keep_together(line) for line in self.title_lines if line.strip()]

    def recipient_lines(self) -> list[str]:
        """The "Nơi nhận" lines as printed: "- X;" and the last one "- Lưu: VT, BST."."""
        items = [r.strip().lstrip("-•–").strip().rstrip(";.,").strip() for r in self.recipients]
        items = [r for r in items if r]
        if not any(r.lower().startswith("lưu") for r in items):
            unit = self.symbol.split("-", 1)[1].strip() if "-" in self.symbol else ""
            items.append(
                self.label("archive_line").format(unit=unit)
                if unit
                else self.label("archive_plain")
            )
        return [f"- {r}{'.' if i == len(items) - 1 else ';'}" for i, r in enumerate(items)]

    def signature_lines(self) -> list[str]:
        """Authority and title, in capitals, as they stand above the space to sign."""
        lines = [self.signer_authority, *self.signer_title.split("\n")]
        return [upper(line) for line in lines if line.strip()]


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip().upper())


_TOGETHER = re.compile(r"\((lần|version|lan)\s+(\d+)\)", re.IGNORECASE)


def keep_together(text: str) -> str:
    """Bind "(lần 3)" with non-breaking spaces, to the word before it too, so no line
    ends with "(lần" and none starts with "3)"."""
    text = _TOGETHER.sub(lambda m: f"({m[1]}{NBSP}{m[2]})", text.strip())
    return re.sub(r"\s+\((?=\S+\u00a0\d+\))", NBSP + "(", text)


def document_date(place: str, day: date, labels: dict[str, str]) -> str:
    """ "Cần Thơ, ngày 02 tháng 12 năm 2026": Decree 30 pads days below 10 and months 1-2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return (
        labels["place_date"]
        .format(
            place=place,
            day=f"{day.day:02d}",
            month=month,
            year=day.year,
            day_num=day.day,
            month_num=day.month,
            month_name=labels.get(f"month_{day.month}", month),
        )
        .lstrip(", ")
    )
