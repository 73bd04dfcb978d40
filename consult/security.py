"""Security headers on every response, cookies marked Secure over HTTPS, the reverse proxy."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline scripts anywhere: every script is a file under static/. Inline style
# attributes are allowed because sanitized tables keep their column alignment.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecureCookiesOverHttps:
    """Marks every cookie Secure on a request that came over HTTPS.

    SESSION_COOKIE_SECURE=1 forces it always; this covers the usual case where the same
    deployment is reached over https (directly, or through a proxy trusted by ProxyFix),
    for the session and the remember-me cookie alike.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status, headers, exc_info=None):
            headers = [
                (name, _with_secure(value) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def _with_secure(cookie: str) -> str:
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in attributes else cookie + "; Secure"


def _signed_in() -> bool:
    from flask import g

    # Only when a user was loaded for this request (never loads one for the headers alone),
    # or the response just signed someone out.
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated) or request.endpoint == "auth.logout"


def init_app(app: Flask) -> None:
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)

    @app.before_request
    def refuse_nul_characters():
        # No address or search ever holds one, and PostgreSQL refuses them in queries:
        # a clear 400 rather than a 500. Forms drop them (consult.forms.strip_nul).
        if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
            abort(400)

    # TRUSTED_PROXIES sets all three at once; PROXY_FIX_X_* override one header each.
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    proxies = {
        key: int(app.config.get(f"PROXY_FIX_X_{key.upper()}") or trusted)
        for key in ("for", "proto", "host")
    }
    if any(proxies.values()):
        # Outermost, so the cookie middleware and the rate limiter see the client as the
        # proxy reported it. Off by default: without a proxy these headers are forged.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies["for"], x_proto=proxies["proto"], x_host=proxies["host"]
        )

    @app.after_request
    def security_headers(response):
        headers = response.headers
        if request.endpoint != "static" and _signed_in():
            # Pages of a signed-in person are never kept by the browser or a proxy: after
            # sign-out, Back on a shared office computer shows nothing.
            response.cache_control.no_store = True
            response.cache_control.private = True
            response.cache_control.max_age = None
            response.cache_control.public = False
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        return response
