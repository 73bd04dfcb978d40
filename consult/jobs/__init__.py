"""Background jobs: their progress pages, status for the page's script, files, retry, cancel."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)
