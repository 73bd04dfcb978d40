"""Summary reports of comments, in every format."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
