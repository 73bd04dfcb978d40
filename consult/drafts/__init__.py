"""Proposals and drafts: import, edit, publish, read, compare."""

from flask import Blueprint

bp = Blueprint("drafts", __name__)
