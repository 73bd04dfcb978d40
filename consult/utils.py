"""Small helpers shared by views."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import abort, current_app, request, send_file, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from consult.extensions import db
from consult.timeutil import parse_date_or_none

if TYPE_CHECKING:
    from consult.models import Draft

# The most rows one page of a list shows, whatever the URL asks.
MAX_PER_PAGE = 200


def page_number() -> int:
    """The ``page`` query argument: a bad one is page 1; one whose rows would lie past any
    table the database can hold is a 404 (the offset would overflow a 64-bit integer)."""
    raw = request.args.get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > 10 or int(raw) > MAX_PAGE:
        abort(404)
    return max(int(raw), 1)


def paginate(query, per_page: int | None = None):
    """Paginate a select() from the ``page`` query argument (see `page_number`)."""
    return db.paginate(
        query,
        page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        max_per_page=MAX_PER_PAGE,
    )


class IdsFirstPagination(Pagination):
    """A page of a long list in two short queries instead of a count and a wide sort.

    The first query sorts and counts only the keys (``count(*) OVER ()``, so the filters run
    once and an index can cover them); the second loads the page's rows, with ``options``,
    by primary key. Made by `paginate_by_ids`.

    With ``count_apart`` the keys of the page and their count are asked in two queries: the
    database then keeps only the first rows of its sort instead of numbering every row,
    which is quicker where the filters cost little (an index) and the rows are many; a text
    search, which costs more than the sort, is better run once.
    """

    capped = False  # True: ``total`` counts only the rows paged through; there are more

    def _query_items(self) -> list:
        query = self._query_args["select"]
        entity = query.column_descriptions[0]["entity"]
        if self._query_args.get("count_apart"):
            keys = query.with_only_columns(entity.id, maintain_column_froms=True)
        else:
            keys = query.with_only_columns(
                entity.id, func.count().over(), maintain_column_froms=True
            )
        rows = db.session.execute(keys.limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0][1] if rows and len(rows[0]) > 1 else None
        return self._load(entity, [row[0] for row in rows])

    def _load(self, entity, ids: list) -> list:
        if not ids:
            return []
        loaded = db.session.scalars(
            select(entity).where(entity.id.in_(ids)).options(*self._query_args["options"])
        ).all()
        order = {id_: i for i, id_ in enumerate(ids)}
        return sorted(loaded, key=lambda item: order[item.id])

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        query = self._query_args.get("count_select")
        if query is None:
            query = self._query_args["select"]
        entity = query.column_descriptions[0]["entity"]
        keys = query.with_only_columns(entity.id, maintain_column_froms=True).order_by(None)
        return db.session.execute(select(func.count()).select_from(keys.subquery())).scalar_one()


class GroupedPagination(IdsFirstPagination):
    """A page of a list whose order keeps groups of rows together (the comments of each
    section, in the sections' order), without sorting every row.

    ``groups`` is a select() of each group's value and size, in the list's order: it gives
    the total and the groups the page falls in. ``group_rows(value)`` is a select() of the
    ids of one group's rows in their order, which an index on the group answers without a
    sort; the page's rows of each of its groups are asked from it, then loaded by primary
    key. Made by `paginate_by_ids`.
    """

    def _query_items(self) -> list:
        first, last = self._query_offset, self._query_offset + self.per_page
        window, seen = [], 0  # (value, offset within the group, rows) of the page's groups
        for value, size in db.session.execute(self._query_args["groups"]):
            size = int(size)  # a sum: PostgreSQL's is a numeric
            if seen + size > first and seen < last:
                lo = max(first - seen, 0)
                window.append((value, lo, min(last - seen, size) - lo))
            seen += size
        self._total = seen
        rows = self._query_args["group_rows"]
        page = []
        for value, lo, n in window:  # usually one or two groups
            page += db.session.scalars(rows(value).offset(lo).limit(n)).all()
        return self._load(self._entity(), page)

    def _entity(self):
        return self._query_args["select"].column_descriptions[0]["entity"]


class WalkedPagination(GroupedPagination):
    """Like GroupedPagination, for a list too long to count at each page (a search that
    matches a hundred thousand comments): the groups (``values``, in order) are walked,
    each asked for no more rows than the page still needs, until the page is full. Only
    the first ``limit`` rows are paged through: ``total`` is ``limit`` and ``capped`` says
    that there are more. Made by `paginate_walk`.
    """

    capped = True

    def _query_items(self) -> list:
        limit = self._query_args["limit"]
        first, last = self._query_offset, min(self._query_offset + self.per_page, limit)
        rows = self._query_args["group_rows"]
        page, seen = [], 0
        for value in self._query_args["values"] if first < last else ():
            ids = db.session.scalars(rows(value).limit(last - seen)).all()
            page += ids[max(first - seen, 0) :]
            seen += len(ids)
            if seen >= last:
                break
        # Fewer than the limit if comments went away since the search was counted.
        self._total = limit if seen >= last else min(seen, limit)
        return self._load(self._entity(), page)

    def _query_count(self) -> int:
        return self._total


class RowsPagination(Pagination):
    """A page of rows that are no select() of one entity: ``rows(offset, limit)`` gives the
    page's, ``count()`` how many there are in all. Made by `paginate_rows`."""

    def _query_items(self) -> list:
        return list(self._query_args["rows"](self._query_offset, self.per_page))

    def _query_count(self) -> int:
        return self._query_args["counter"]()


def paginate_rows(rows, count, per_page: int | None = None) -> RowsPagination:
    """Like `paginate`, for rows made by ``rows(offset, limit)`` and counted by ``count()``."""
    return _paginated(RowsPagination, per_page, rows=rows, counter=count)


def paginate_by_ids(
    query,
    *options,
    per_page: int | None = None,
    count_apart: bool = False,
    count_select=None,
    groups=None,
    group_rows=None,
) -> IdsFirstPagination:
    """Like `paginate`, for a select() of one entity over many rows (see IdsFirstPagination).

    ``count_select``: the same rows as ``query`` without what only its order needs (joins
    for a sort key), for the database to count them from an index alone. ``groups`` and
    ``group_rows``: for an order that keeps groups of rows together (see
    GroupedPagination)."""
    return _paginated(
        IdsFirstPagination if groups is None else GroupedPagination,
        per_page,
        select=query,
        options=options,
        count_apart=count_apart,
        count_select=count_select,
        groups=groups,
        group_rows=group_rows,
    )


def paginate_walk(
    query, *options, values, group_rows, limit: int, per_page: int | None = None
) -> WalkedPagination:
    """A page of ``query``'s rows, found group by group (see WalkedPagination)."""
    return _paginated(
        WalkedPagination,
        per_page,
        select=query,
        options=options,
        values=values,
        group_rows=group_rows,
        limit=limit,
    )


def _paginated(kind: type[Pagination], per_page: int | None, **query_args):
    """A page of ``kind`` at the ``page`` query argument (see `page_number`)."""
    return kind(
        page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=MAX_PER_PAGE,
        error_out=False,
        **query_args,
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


def send_written(write, mimetype: str, filename: str):
    """Send as an attachment what ``write(fileobj)`` writes.

    Spooled: a small file stays in memory, a large one goes to disk while it is written;
    the file is closed when the response is, or at once if writing fails.
    """
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        write(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    response = send_file(out, mimetype=mimetype, as_attachment=True, download_name=filename)
    response.call_on_close(out.close)
    return response


def parse_date(value: str | None) -> date | None:
    """A date typed in a filter or a URL (dd/mm/yyyy, or yyyy-mm-dd in an older link; years
    1900-2199), or None when it is not one."""
    return parse_date_or_none(value)


# Ids are PostgreSQL INTEGER columns: a larger number is no id, and would be a query error.
MAX_ID = 2**31 - 1
# No list holds more rows than an id can number.
MAX_PAGE = MAX_ID // MAX_PER_PAGE


def parse_id(value: str | None) -> int | None:
    """A database id typed in a URL or a form: ASCII digits only (``"²".isdigit()`` is true)."""
    if value and value.isascii() and value.isdigit() and len(value) < 19 and int(value) <= MAX_ID:
        return int(value)
    return None


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number too large to be an id is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_enum(enum_cls, value: str | None):
    """A member of ``enum_cls`` from a URL argument, or None for a missing or unknown value."""
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def parse_ids(values) -> list[int]:
    return [i for i in (parse_id(v) for v in values) if i is not None]


def draft_url(draft: Draft, endpoint: str = "drafts.view_draft", **kw) -> str:
    return url_for(endpoint, code=draft.proposal.code, number=draft.number, **kw)


def safe_next_url(target: str | None, default: str | None = None) -> str:
    """Only local paths are followed after a form, never another site (open redirect)."""
    # No control character or space either: a line break in a Location header would end
    # it (header injection) and is a 500 in Werkzeug.
    if target and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        parts = urlsplit(target)
        local = target.startswith("/") and not target.startswith("//")
        if local and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return default or url_for("main.index")
