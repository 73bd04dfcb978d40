"""Comments by departments on drafts, and their official responses."""

from flask import Blueprint

bp = Blueprint("comments", __name__)
