"""The one text-cleaning rule (consult.text): what XML and one line can carry."""

import os

import pytest

from consult.text import single_line, xml_safe

# Touches no database: run in the SQLite pass only.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="no database: run in the SQLite pass"
)


def test_xml_safe_drops_what_xml_refuses_and_keeps_lines():
    assert xml_safe("a\x01b\x0bc\x0c\x00d\ufffe\r\ne\rf\tg") == "abcd\ne\nf\tg"
    assert xml_safe(None) == ""


def test_single_line_folds_every_line_break():
    assert single_line("Evil\r\nBcc: x@y\u2028z\x85w\tv") == "Evil Bcc: x@y z w v"
