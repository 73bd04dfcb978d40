"""Administration: departments and user accounts."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
