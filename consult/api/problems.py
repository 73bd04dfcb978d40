"""Errors of the JSON API as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from flask import current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"


def is_api_request() -> bool:
    return request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/")


def problem(status: int, title: str, detail: str = "", *, errors=None, headers=None):
    """A problem+json response; ``errors`` maps a field (or location) to its messages."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    if errors:
        body["errors"] = _translated(errors)
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False) + "\n", status=status, mimetype=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _translated(errors):
    """Validation messages from marshmallow and WTForms, in the caller's language."""
    if isinstance(errors, dict):
        return {str(k): _translated(v) for k, v in errors.items()}
    if isinstance(errors, list | tuple):
        return [_translated(v) for v in errors]
    return _(str(errors)) if isinstance(errors, str) else str(errors)


def from_http_exception(error: HTTPException, title: str, detail: str):
    """The problem for an HTTP error raised anywhere under /api/ (404, 405, 422, 429 ...)."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() in ("allow", "retry-after", "www-authenticate")
    }
    headers.update(data.get("headers") or {})
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "headers", "path"}:
        # webargs files messages under where it read them: one level is enough.
        merged: dict = {}
        for location, messages in errors.items():
            merged.update(messages if isinstance(messages, dict) else {location: messages})
        errors = merged
    return problem(
        error.code or 500, title, data.get("message") or detail, errors=errors, headers=headers
    )
