"""The drafting team's inbox: triage, answers, duplicates, discussion and the dashboard."""

from flask import Blueprint

bp = Blueprint("triage", __name__)
