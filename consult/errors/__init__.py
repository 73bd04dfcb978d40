"""Error pages in the portal's look, and JSON errors for API clients."""

from flask import Blueprint

bp = Blueprint("errors", __name__)
