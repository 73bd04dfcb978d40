"""Proposals and drafts: import, edit, publish, read, compare."""

from flask import Blueprint

bp = Blueprint("drafts", __name__)

from consult.drafts import routes  # noqa: E402,F401
