"""Small helpers shared by views."""

from __future__ import annotations

import io

from flask import current_app, request, send_file

from consult.extensions import db


def paginate(query, per_page: int | None = None):
    """Paginate a select() from the ``page`` query argument; a bad page number is page 1."""
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(
        query,
        page=max(page, 1),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        max_per_page=200,
    )


def flash_form_errors(form) -> None:
    """For forms posted from another page: their errors are shown there as messages."""
    from flask import flash

    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")


def download_response(data: bytes, filename: str, mimetype: str):
    """A file sent as an attachment (never rendered inline by the browser)."""
    return send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename
    )


def parse_id(value: str | None) -> int | None:
    """A database id typed in a URL or a form: ASCII digits only (``"²".isdigit()`` is true)."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def parse_enum(enum_cls, value: str | None):
    """A member of ``enum_cls`` from a URL argument, or None for a missing or unknown value."""
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def parse_ids(values) -> list[int]:
    return [i for i in (parse_id(v) for v in values) if i is not None]
