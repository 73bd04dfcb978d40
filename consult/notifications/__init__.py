"""Notifications: the bell, the notifications page and each user's choices."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
