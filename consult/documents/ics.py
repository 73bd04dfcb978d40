"""Calendar files (iCalendar): the invitation to a workshop attached to its notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from icalendar import Calendar, Event

from consult.documents.texts import describe_params
from consult.text import single_line, xml_safe


def workshop_calendar(params: dict, email: str) -> bytes:
    """An iCalendar invitation; its UID stays the same and its SEQUENCE grows with changes,
    so calendar programs update (or cancel) the event they already have."""
    calendar = Calendar()
    calendar.add("prodid", "-//Consult//Workshops//VI")
    calendar.add("version", "2.0")
    cancelled = params.get("event") == "cancelled"
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    host = current_app.config["PORTAL_URL"].split("//")[-1].split("/")[0] or "consult"
    event.add("uid", f"workshop-{params['workshop']}@{host}")
    event.add("sequence", params.get("revision", 0) + (1 if cancelled else 0))
    starts = datetime.fromisoformat(params["starts_at"])
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(hours=current_app.config["WORKSHOP_HOURS"]))
    event.add("dtstamp", datetime.now(starts.tzinfo))
    event.add("summary", single_line(params["title"]))
    event.add("location", single_line(params["place"]))
    event.add("description", xml_safe("\n".join(describe_params(params))))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("attendee", f"mailto:{email}")
    calendar.add_component(event)
    return calendar.to_ical()
