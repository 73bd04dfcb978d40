"""Workshops on a draft: scheduling, attendance, comments from the floor, packet and report."""

from flask import Blueprint

bp = Blueprint("workshops", __name__)

from consult.workshops import routes  # noqa: E402,F401
