"""Join PDF documents page after page into one file, without holding the result in memory.

fpdf2 keeps the whole document it builds until it writes it, which does not fit a report
of a million comments. The report writer therefore builds it in parts of a bounded number
of pages and hands each part here as it is done: `PdfJoiner` copies the part's pages, with
everything they use (content streams, fonts, images), into the output under new object
numbers, then forgets the part. The page tree, the catalogue (language, opening view) and
the document information (title, author, dates) come at the end, from the first part.
"""

from __future__ import annotations

import hashlib
import io
from array import array
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# What a page takes from its page tree unless it has its own (ISO 32000-1, 7.7.3.4): the
# joined page tree is new, so each page gets its own copy.
INHERITED = ("/MediaBox", "/CropBox", "/Resources", "/Rotate")
# What the joined document's catalogue keeps from the first part's (its own /Pages aside).
CATALOG_KEYS = ("/Lang", "/OpenAction", "/PageLayout", "/PageMode", "/ViewerPreferences")


def _inherit(page: DictionaryObject) -> None:
    """Give ``page`` the attributes of `INHERITED` it takes from its page tree."""
    for key in INHERITED:
        node = page
        while key not in node and "/Parent" in node:
            node = node["/Parent"].get_object()
        if key in node and node is not page:
            dict.__setitem__(page, NameObject(key), dict.__getitem__(node, key))


class _Counter:
    """A binary file that knows how many bytes were written to it."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.pos = 0

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.pos += len(data)
        return len(data)


class PdfJoiner:
    """``add`` each part (a complete PDF, as bytes) in order, then ``finish``."""

    ROOT = 1  # the number of the page tree's root object

    def __init__(self, out: BinaryIO) -> None:
        self.out = _Counter(out)
        self.offsets = array("q", [0, 0])  # by object number; 0 and the root are set later
        self.kids = array("q")  # the pages' object numbers, in order
        self.digest = hashlib.md5(usedforsecurity=False)
        self.catalog: dict[str, Any] = {}
        self.info: int | None = None

    def _number(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.out.pos
        self.out.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add(self, part: bytes) -> None:
        reader = PdfReader(io.BytesIO(part))
        if self.out.pos == 0:
            self.out.write(reader.pdf_header.encode("ascii") + b"\n%\xe2\xe3\xcf\xd3\n")
        self.digest.update(part)
        first = not self.kids
        numbers: dict[int, int] = {}
        queue: list[int] = []

        def renumber(obj: Any) -> Any:
            """``obj`` with its references to the part's objects turned into references to
            the output's (the objects themselves are queued to be copied)."""
            if isinstance(obj, IndirectObject):
                if obj.idnum not in numbers:
                    numbers[obj.idnum] = self._number()
                    queue.append(obj.idnum)
                return IndirectObject(numbers[obj.idnum], 0, None)
            if isinstance(obj, DictionaryObject):  # streams too: their dictionary, in place
                for key, value in list(dict.items(obj)):
                    dict.__setitem__(obj, key, renumber(value))
                return obj
            if isinstance(obj, ArrayObject):
                for i, value in enumerate(list.__iter__(obj)):
                    list.__setitem__(obj, i, renumber(value))
                return obj
            return obj

        pages = set()
        for page in reader.pages:
            pages.add(page.indirect_reference.idnum)
            self.kids.append(renumber(page.indirect_reference).idnum)
        if first:
            root = dict.get(reader.trailer, "/Root").get_object()
            self.catalog = {k: renumber(dict.get(root, k)) for k in CATALOG_KEYS if k in root}
            info = dict.get(reader.trailer, "/Info")
            if info is not None:
                self.info = renumber(info).idnum
        while queue:
            idnum = queue.pop()
            obj = reader.get_object(idnum)
            if idnum in pages:  # its parent is the joined page tree, not the part's
                _inherit(obj)
                dict.pop(obj, "/Parent")
            renumber(obj)
            if idnum in pages:
                dict.__setitem__(obj, NameObject("/Parent"), IndirectObject(self.ROOT, 0, None))
            self._write(numbers[idnum], obj)

    def finish(self) -> None:
        """The page tree, the catalogue, the cross-reference table and the trailer."""
        out = self.out
        self.offsets[self.ROOT] = out.pos
        out.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (self.ROOT, len(self.kids)))
        for start in range(0, len(self.kids), 10_000):  # a million pages: not one string
            out.write(b" ".join(b"%d 0 R" % k for k in self.kids[start : start + 10_000]) + b" ")
        out.write(b"] >>\nendobj\n")
        catalog = DictionaryObject({NameObject(k): v for k, v in self.catalog.items()})
        catalog[NameObject("/Type")] = NameObject("/Catalog")
        catalog[NameObject("/Pages")] = IndirectObject(self.ROOT, 0, None)
        root = self._number()
        self._write(root, catalog)
        xref = out.pos
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        for offset in self.offsets[1:]:
            out.write(b"%010d 00000 n \n" % offset)
        ident = self.digest.hexdigest().encode("ascii")
        info = b" /Info %d 0 R" % self.info if self.info is not None else b""
        out.write(
            b"trailer\n<< /Size %d /Root %d 0 R%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self.offsets), root, info, ident, ident, xref)
        )
