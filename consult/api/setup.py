"""The API's place in the app: its flask-smorest Api, who is calling, CSRF, limits, CORS, ETags.

Who is calling: a request with ``Authorization: Bearer <token>`` is the token's owner (a
token that is unknown, expired or revoked is refused, whatever cookie comes along); without
one it is the signed-in session (the portal's own JavaScript), or an anonymous visitor.
Bearer requests carry no ambient credential, so they are exempt from CSRF; session
requests are not.
"""

from __future__ import annotations

import http
import re

from flask import Flask, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from consult.api import bp
from consult.api.problems import PREFIX, PROBLEM_TYPE, is_api_request, problem
from consult.api.schemas import ProblemSchema
from consult.extensions import csrf, db, limiter, login_manager
from consult.models import ApiScope, ApiToken
from consult.services import api_tokens

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConsultApi(Api):
    """flask-smorest's Api, leaving every error to the portal's handlers (problem details)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        # Every error response is documented as application/problem+json.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _openapi_swagger_ui(self):
        # The vendored Swagger UI, started by a script file: the portal allows no inline script.
        return render_template(
            "api/docs.html", spec_url=url_for(f"{self._make_doc_blueprint_name()}.openapi_json")
        )

    def finish_document(self, app: Flask) -> None:
        """What flask-smorest leaves out: operation ids (the view's name), the ETag of every
        read and its 304."""
        ids = {}
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith(f"{bp.name}."):
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    ids[(path, method.lower())] = rule.endpoint.split(".", 1)[1]
        for path, operations in self.spec._paths.items():
            for method, operation in operations.items():
                if (path, method) in ids:
                    operation.setdefault("operationId", ids[(path, method)])
            if "get" in operations:
                responses = operations["get"]["responses"]
                ok = responses.get("200")
                if isinstance(ok, dict) and "content" in ok:
                    ok.setdefault("headers", {})["ETag"] = {
                        "description": "Send it back in If-None-Match: 304 while unchanged.",
                        "schema": {"type": "string"},
                    }
                responses.setdefault(
                    "304", {"description": "Not modified: If-None-Match holds the current ETag."}
                )


def current_token() -> ApiToken | None:
    return g.get("api_token")


def require_scope(scope: ApiScope) -> None:
    """A token must hold ``scope``; the signed-in session holds its user's every right.

    Writing needs someone: an anonymous caller is asked to sign in (401)."""
    if not current_user.is_authenticated:
        abort(401)
    token = current_token()
    if token is not None and not token.allows(scope):
        abort(403, description=_("This token may only read: make a token with write access."))


def _unauthorized(detail: str):
    response = problem(
        401,
        _("Sign-in required"),
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="consult", error="invalid_token"'},
    )
    abort(response)


def authenticate() -> None:
    """Before anything else on /api/: the bearer token's owner becomes the current user."""
    if not is_api_request() or "api_token" in g:
        return
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _unauthorized(_("Send the token as: Authorization: Bearer <token>."))
    token = api_tokens.load(secret.strip())
    if token is None:
        _unauthorized(_("The token is unknown, expired or revoked."))
    g.api_token = token
    g._login_user = token.user  # what Flask-Login's current_user reads; no cookie is set
    if api_tokens.touch(token):
        db.session.commit()


def rate_limit_key() -> str:
    token = current_token()
    if token is not None:
        return f"token:{token.id}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{request.remote_addr}"


def _cors_origins() -> set[str]:
    value = current_app.config.get("API_CORS_ORIGINS") or ""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return {origin.rstrip("/") for origin in value}


@bp.before_request
def check_csrf():
    if (
        request.method not in SAFE_METHODS
        and current_token() is None
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        csrf.protect()


# Once, on the blueprint: the limit applies to every API operation.
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(bp)


def init_app(app: Flask) -> None:
    api = ConsultApi()
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A personal access token."},
    )
    api.spec.components.security_scheme(
        "sessionCookie", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    csrf.exempt(bp)  # checked below, for session requests only
    # Flask-Login sends an anonymous caller of a hidden object to 401, not to the login page.
    login_manager.blueprint_login_views[bp.name] = None
    api.register_blueprint(bp)
    api.finish_document(app)
    app.extensions["consult_api"] = api
    # First of all: the signed-in user (and the language) come from the token.
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)

    @app.after_request
    def api_headers(response):
        if not request.path.startswith(PREFIX):
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.mimetype == "application/json"
        ):
            response.add_etag()
            response.make_conditional(request)
        origin = request.headers.get("Origin", "").rstrip("/")
        if origin and origin in _cors_origins():
            headers = response.headers
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Allow-Headers"] = (
                "Authorization, Content-Type, If-None-Match, X-CSRFToken"
            )
            headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, OPTIONS"
            headers["Access-Control-Expose-Headers"] = "ETag, Link, Retry-After"
            headers["Access-Control-Max-Age"] = "600"
            headers.add("Vary", "Origin")
        return response
