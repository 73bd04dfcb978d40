"""Workshops on a draft: scheduling, attendance, comments from the floor, packet and report."""

from flask import Blueprint

bp = Blueprint("workshops", __name__)
