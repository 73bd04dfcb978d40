"""One rule for user text: what XML can carry (Word, Excel, calendars, mail) and what fits
on one line (titles, names, e-mail headers). Applied when text comes in (forms, imports)
and again when it goes out (documents, mail), so that old rows are safe too."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot carry: C0 controls but tab, newline and carriage return; lone
# surrogates; the two non-characters. Word and Excel files are XML, so are calendars' hosts.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What `xml_safe` changes (a carriage return, or one of the above): text without any is
# returned as it is, so a writer of many cells may search before it cleans.
NEEDS_XML_SAFE = re.compile("[\r" + _XML_ILLEGAL.pattern[1:])
# Everything a mail program or a word processor may take for the end of a line.
_LINE_BREAKS = re.compile("[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def xml_safe(text: str | None) -> str:
    """``text`` with Windows and old Mac line ends as newlines and no character XML refuses."""
    if not text:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def single_line(text: str | None) -> str:
    """``text`` on one line: every run of line breaks and tabs becomes one space."""
    if not text:
        return ""
    return xml_safe(_LINE_BREAKS.sub(" ", str(text)))
