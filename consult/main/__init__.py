"""The home page and the language switch."""

from flask import Blueprint

bp = Blueprint("main", __name__)
