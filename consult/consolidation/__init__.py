"""Consolidation: the answers to draft N taken into draft N+1, each change traced."""

from flask import Blueprint

bp = Blueprint("consolidation", __name__)
