"""Administration: departments and user accounts."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from consult.admin import routes  # noqa: E402,F401
