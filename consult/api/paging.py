"""Cursor pagination for the API: an opaque cursor names the last item of the page before."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable

from flask import abort
from flask_babel import gettext as _

from consult.utils import MAX_ID


def encode(after: int) -> str:
    raw = json.dumps({"a": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> int:
    """The position after which the page starts; a cursor we did not make is a 400."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["a"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        # Every cursor is an id or a number of the database (PostgreSQL INTEGER): a larger
        # one is none we made, and would be a query error.
        abort(400, description=_("This cursor is not valid: use the next_cursor of a page."))
    return after


def take(items: Iterable, limit: int, *, key: Callable[[object], int]):
    """The first ``limit`` items, and the cursor of the next page (None on the last one)."""
    page = []
    for item in items:
        if len(page) == limit:
            return page, encode(key(page[-1]))
        page.append(item)
    return page, None
