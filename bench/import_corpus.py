"""Import every file of a folder into a scratch database and measure what the importer kept.

Usage:
  python bench/import_corpus.py ../shared/corpus/vn-legal-docx
  python bench/import_corpus.py ../shared/corpus/pandoc-docx --summary

Per file: imported or refused (and why), sections, articles found against the "Điều N"
paragraphs of the file's own text, the share of the file's words found in the saved sections,
and the time (parse + save). Words are counted here from the file itself (document.xml,
footnotes and endnotes for Word, the raw text otherwise), not from the importer's own report,
so the benchmark checks the importer rather than repeating it. For the files that have a
hand-checked outline in bench/outlines/<file name>.txt (one heading per line, "number | heading"),
it prints heading precision and recall against it.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUTLINES = ROOT / "bench" / "outlines"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Not text of the draft: the fallback copy of a drawing, text moved away in tracked changes.
SKIPPED = {MC_FALLBACK, f"{W}moveFrom", f"{W}del"}
WORD_RE = re.compile(r"\w+")
# An article heading as typed: "Điều 5." / "Điều 5:" at the start of a paragraph.
ARTICLE_RE = re.compile(r"^\s*Điều\s+\d+[a-zđ]?\s*[.:]", re.IGNORECASE)
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _words(text: str) -> Counter:
    return Counter(WORD_RE.findall(unicodedata.normalize("NFC", text).lower()))


def _docx_paragraphs(data: bytes) -> list[str]:
    """Each paragraph's text in the main part, footnotes and endnotes (no Fallback copies)."""
    paragraphs = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        parts = [n for n in names if re.fullmatch(r"word/(document\d*|footnotes|endnotes)\.xml", n)]
        for name in parts:
            root = etree.fromstring(archive.read(name), _SAFE_XML)
            for paragraph in root.iter(f"{W}p"):
                if any(a.tag in SKIPPED for a in paragraph.iterancestors()):
                    continue
                texts = []
                for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
                    if _own_paragraph(node) is paragraph:
                        texts.append(node.text or "" if node.tag == f"{W}t" else " ")
                paragraphs.append(unicodedata.normalize("NFC", "".join(texts)))
    return paragraphs


def _own_paragraph(node):
    parent = node.getparent()
    while parent is not None and parent.tag != f"{W}p":
        if parent.tag in SKIPPED:
            return None
        parent = parent.getparent()
    return parent


def file_paragraphs(path: Path, data: bytes) -> list[str]:
    if path.suffix.lower() == ".docx":
        return _docx_paragraphs(data)
    text = data.decode("utf-8", "replace")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4 :] if end > 0 else text
    return text.split("\n")


def section_text(section) -> str:
    # The stored Markdown as it is: list numbers and link targets are words of the file too.
    return f"{section.number} {section.heading}\n{section.body}"


def load_outline(path: Path) -> list[str] | None:
    outline = OUTLINES / (path.name + ".txt")
    if not outline.is_file():
        return None
    lines = [line.strip() for line in outline.read_text("utf-8").splitlines()]
    return [_heading_key(line) for line in lines if line and not line.startswith("#")]


def _heading_key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("|", " ")
    return " ".join(WORD_RE.findall(text.lower()))[:80]


def measure(folder: Path) -> list[dict]:
    from consult import create_app
    from consult.config import TestConfig
    from consult.documents.importer import DraftImportError, parse_upload
    from consult.extensions import db
    from consult.models import Department, DepartmentKind, Role, User, Visibility
    from consult.services import drafts as draft_service

    scratch = Path(tempfile.mkdtemp(prefix="import-corpus-"))

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{scratch / 'bench.db'}"
        DATA_DIR = str(scratch)

    app = create_app(BenchConfig)
    rows = []
    with app.app_context():
        db.create_all()
        body = Department(code="BST", name="Ban soạn thảo", kind=DepartmentKind.DEPARTMENT)
        user = User(
            email="bench@example.org",
            full_name="Bench",
            role=Role.ADMIN,
            department=body,
            may_create_proposals=True,
        )
        user.set_password("Correct-horse-42")
        db.session.add_all([body, user])
        db.session.commit()
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        for index, path in enumerate(files):
            data = path.read_bytes()
            row = {"file": path.name}
            paragraphs = file_paragraphs(path, data) if path.suffix.lower() != ".doc" else []
            source = _words("\n".join(paragraphs))
            row["articles_in_text"] = sum(1 for p in paragraphs if ARTICLE_RE.match(p))
            started = time.perf_counter()
            try:
                parsed = parse_upload(path.name, data, max_bytes=app.config["MAX_IMPORT_BYTES"])
                if not isinstance(parsed, list):
                    parsed = parsed.sections
                proposal = draft_service.create_proposal(
                    code=f"B{index}",
                    title=path.name,
                    summary="",
                    visibility=Visibility.PUBLIC,
                    user=user,
                    lead_agency=body,
                )
                draft = draft_service.import_draft(proposal, parsed)
                db.session.commit()
            except DraftImportError as exc:
                db.session.rollback()
                row.update(status="refused", reason=str(exc)[:60], seconds=0.0)
                row.update(sections=0, articles=0, kept=0.0 if source else 1.0)
                rows.append(row)
                continue
            except Exception as exc:  # noqa: BLE001  (a crash is a finding, not the end)
                db.session.rollback()
                row.update(status="error", reason=f"{type(exc).__name__}: {exc}"[:60])
                row.update(seconds=0.0, sections=0, articles=0, kept=0.0)
                rows.append(row)
                continue
            row["seconds"] = time.perf_counter() - started
            sections = list(draft.sections)
            kept = _words("\n".join(section_text(s) for s in sections))
            total = sum(source.values())
            found = sum(min(count, kept[word]) for word, count in source.items())
            row.update(
                status="imported",
                sections=len(sections),
                articles=sum(1 for s in sections if s.number.lower().startswith("điều")),
                kept=found / total if total else 1.0,
            )
            expected = load_outline(path)
            if expected is not None:
                got = [_heading_key(f"{s.number} {s.heading}") for s in sections]
                hits = sum((Counter(got) & Counter(expected)).values())
                row["precision"] = hits / len(got) if got else 0.0
                row["recall"] = hits / len(expected) if expected else 1.0
                row["missing"] = [h for h in expected if h not in got][:3]
                row["extra"] = [h for h in got if h not in expected][:3]
            rows.append(row)
    return rows


def report(rows: list[dict], *, summary: bool) -> str:
    lines = []
    if not summary:
        lines.append("| file | result | sections | articles / in text | words kept | s |")
        lines.append("|---|---|---:|---:|---:|---:|")
        for r in rows:
            result = r["status"] if r["status"] == "imported" else f"{r['status']}: {r['reason']}"
            lines.append(
                f"| {r['file']} | {result} | {r['sections']} | {r['articles']} / "
                f"{r['articles_in_text']} | {r['kept']:.1%} | {r['seconds']:.2f} |"
            )
        lines.append("")
    imported = [r for r in rows if r["status"] == "imported"]
    times = [r["seconds"] for r in imported]
    lines.append(f"- files: {len(rows)}, imported: {len(imported)}, refused or failed: "
                 f"{len(rows) - len(imported)}")  # fmt: skip
    if rows:
        kept = [r["kept"] for r in rows]
        lines.append(
            f"- words kept: median {statistics.median(kept):.1%}, lowest {min(kept):.1%}, "
            f"files under 99%: {sum(1 for k in kept if k < 0.99)}"
        )
        articles = sum(r["articles"] for r in rows)
        in_text = sum(r["articles_in_text"] for r in rows)
        lines.append(f"- articles as sections: {articles} of {in_text} \"Điều N.\" paragraphs; "
                     f"files where they differ: "
                     f"{sum(r['articles'] != r['articles_in_text'] for r in rows)}")  # fmt: skip
        lines.append(f"- sections: {sum(r['sections'] for r in rows)}")
    if times:
        lines.append(f"- time per imported file: median {statistics.median(times):.2f} s, "
                     f"slowest {max(times):.2f} s")  # fmt: skip
    checked = [r for r in rows if "precision" in r]
    for r in checked:
        lines.append(
            f"- outline of {r['file']}: precision {r['precision']:.0%}, recall {r['recall']:.0%}"
            + (f"; missing {r['missing']}" if r["missing"] else "")
            + (f"; extra {r['extra']}" if r["extra"] else "")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--summary", action="store_true", help="totals only, no per-file table")
    args = parser.parse_args()
    print(report(measure(args.folder), summary=args.summary))


if __name__ == "__main__":
    main()
