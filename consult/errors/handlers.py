"""Error handlers: a page for browsers, JSON for clients that ask for it."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from consult.api import problems
from consult.errors import bp
from consult.exceptions import NotAllowed
from consult.extensions import db


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        401: (_("Sign-in required"), _("Sign in, or send a valid API token.")),
        403: (_("Access denied"), _("Your account is not allowed to open this page.")),
        404: (_("Page not found"), _("The page does not exist, or it is not visible to you.")),
        405: (_("Method not allowed"), _("This action cannot be done this way.")),
        409: (_("Conflict"), _("Someone changed this in the meantime. Reload it and try again.")),
        413: (_("File too large"), _("The file you sent is larger than allowed.")),
        422: (_("Invalid data"), _("Some values are missing or not valid.")),
        429: (_("Too many requests"), _("Please wait a moment before trying again.")),
        500: (_("Something went wrong"), _("The error has been logged. Please try again later.")),
    }


def render_error(code: int, detail: str | None = None):
    title, message = error_messages().get(code, (_("Error"), ""))
    if detail:
        message = detail
    if problems.is_api_request():
        return problems.problem(code, title, message)
    if wants_json():
        return jsonify(error=title, message=message, status=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


@bp.app_errorhandler(CSRFError)
def csrf_error(_error: CSRFError):
    return render_error(
        400, _("The form has expired or was sent from elsewhere. Reload the page and try again.")
    )


@bp.app_errorhandler(NotAllowed)
def not_allowed(error: NotAllowed):
    db.session.rollback()
    return render_error(403, str(error))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if problems.is_api_request():
        title, message = error_messages().get(error.code, (error.name, ""))
        # A description given where the error was raised (abort(403, description=...)).
        custom = error.description != type(error).description and error.description
        return problems.from_http_exception(error, title, custom or message)
    return render_error(error.code)


@bp.app_errorhandler(InternalServerError)
def internal_error(_error):
    db.session.rollback()
    return render_error(500)
