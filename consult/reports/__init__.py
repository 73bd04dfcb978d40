"""Summary reports of comments, in every format."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from consult.reports import routes  # noqa: E402,F401
