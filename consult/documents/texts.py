"""What each kind of notification says, rendered in the current language from its params."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.models import CommentStatus, Notification, NotificationKind, Seat
from consult.timeutil import format_datetime


@dataclass
class Text:
    subject: str
    lines: list[str]


def _when(value: str | None) -> str:
    return format_datetime(value) if value else "?"


def _draft(params: dict) -> str:
    return _("draft %(n)s of “%(proposal)s”", n=params["draft"], proposal=params["proposal"])


def _published(p: dict) -> Text:
    return Text(
        _(
            "Draft %(n)s of “%(proposal)s” is open for comments",
            n=p["draft"],
            proposal=p["proposal"],
        ),
        [
            _(
                "Your body is invited to comment on %(draft)s. "
                "Comments and the official response are due by %(deadline)s.",
                draft=_draft(p),
                deadline=_when(p["deadline"]),
            )
        ],
    )


def _reminder(p: dict) -> Text:
    days = p.get("days", 1)
    return Text(
        ngettext(
            "%(num)d day left to respond on %(draft)s",
            "%(num)d days left to respond on %(draft)s",
            days,
            draft=_draft(p),
        ),
        [
            _(
                "Your body has not yet submitted its response on %(draft)s. "
                "The deadline is %(deadline)s.",
                draft=_draft(p),
                deadline=_when(p["deadline"]),
            ),
            _(
                "The department lead submits the comments as the official response, "
                "or answers that the department agrees with the draft."
            ),
            *([_("The drafting board sent this reminder.")] if p.get("by_board") else []),
        ],
    )


def _extended(p: dict) -> Text:
    return Text(
        _("The deadline for %(draft)s is extended", draft=_draft(p)),
        [
            _(
                "Comments and the official response are now due by %(deadline)s.",
                deadline=_when(p["deadline"]),
            )
        ],
    )


def _response(p: dict) -> Text:
    if p.get("agree"):
        line = _(
            "%(department)s agrees with the draft and has no comments.", department=p["department"]
        )
    else:
        line = ngettext(
            "%(department)s submitted %(num)d comment.",
            "%(department)s submitted %(num)d comments.",
            p.get("comments", 0),
            department=p["department"],
        )
    return Text(
        _("Response from %(department)s on %(draft)s", department=p["department"], draft=_draft(p)),
        [line],
    )


def _answered(p: dict) -> Text:
    status = CommentStatus(p["status"])
    lines = [_("Your comment: “%(excerpt)s”", excerpt=p.get("excerpt", ""))]
    if p.get("merged_with"):
        lines.append(
            _(
                "It says the same as comment %(id)s: it shares that comment's answer.",
                id=p["merged_with"],
            )
        )
        if p.get("answered"):
            lines.append(_("Result: %(status)s.", status=status.label))
            lines.append(_("The drafting board's answer is on the comment's page."))
        return Text(
            _(
                "Your comment on %(draft)s was merged with comment %(id)s",
                draft=_draft(p),
                id=p["merged_with"],
            ),
            lines,
        )
    lines.append(_("Status: %(status)s.", status=status.label))
    if p.get("answered"):
        lines.append(_("The drafting board's answer is on the comment's page."))
    return Text(_("Your comment on %(draft)s was answered", draft=_draft(p)), lines)


def _message(p: dict) -> Text:
    return Text(
        _(
            "New message from %(author)s about a comment on %(draft)s",
            author=p["author"],
            draft=_draft(p),
        ),
        [_("“%(excerpt)s”", excerpt=p.get("excerpt", ""))],
    )


def _workshop(p: dict) -> Text:
    event = p.get("event", "invited")
    subjects = {
        "invited": _("Invitation: %(title)s", title=p["title"]),
        "changed": _("Changed: %(title)s", title=p["title"]),
        "cancelled": _("Cancelled for your body: %(title)s", title=p["title"]),
    }
    lines = [
        _("Workshop on %(draft)s.", draft=_draft(p)),
        _("When: %(when)s", when=_when(p["starts_at"])),
        _("Where: %(place)s", place=p["place"]),
    ]
    if event == "cancelled":
        lines.insert(0, _("Your body is no longer on this workshop's list of participants."))
    elif p.get("agenda"):
        lines.append(_("Sections discussed: %(sections)s", sections="; ".join(p["agenda"])))
    return Text(subjects.get(event, subjects["invited"]), lines)


def _job(p: dict) -> Text:
    if p.get("state") == "done":
        return Text(
            _("Ready: %(title)s", title=p["title"]),
            [_("The file you asked for is ready to download for a day.")],
        )
    return Text(
        _("Failed: %(title)s", title=p["title"]),
        [line for line in (p.get("error"), _("Open it to try again.")) if line],
    )


def _seat(p: dict) -> Text:
    seat = p.get("seat")
    if seat is None:
        return Text(
            _("You no longer hold a seat on %(proposal)s", proposal=p["proposal"]),
            [_("Your seat on the proposal's board or among its organizers was removed.")],
        )
    return Text(
        _("You are now %(seat)s of %(proposal)s", seat=Seat(seat).label, proposal=p["proposal"]),
        [_("The proposal's page lists its board and what you can do there.")],
    )


def _taken_in(p: dict) -> Text:
    return Text(
        _("Your body's proposals are taken into %(draft)s", draft=_draft(p)),
        [
            ngettext(
                "%(num)d comment of your body was taken into account in: %(sections)s.",
                "%(num)d comments of your body were taken into account in: %(sections)s.",
                p.get("comments", 0),
                sections=", ".join(p.get("sections", [])),
            ),
            _("Your body's page on the previous draft shows where, beside each answer."),
        ],
    )


RENDERERS = {
    NotificationKind.DRAFT_PUBLISHED: _published,
    NotificationKind.DEADLINE_REMINDER: _reminder,
    NotificationKind.DEADLINE_EXTENDED: _extended,
    NotificationKind.RESPONSE_RECEIVED: _response,
    NotificationKind.COMMENT_ANSWERED: _answered,
    NotificationKind.THREAD_MESSAGE: _message,
    NotificationKind.WORKSHOP: _workshop,
    NotificationKind.BOARD_SEAT: _seat,
    NotificationKind.JOB_FINISHED: _job,
    NotificationKind.WORDING_TAKEN_IN: _taken_in,
}


def describe(notification: Notification) -> Text:
    return RENDERERS[notification.kind](notification.params or {})


def describe_params(params: dict) -> list[str]:
    """The lines of a workshop notification, for its calendar file."""
    return describe(Notification(kind=NotificationKind.WORKSHOP, params=params)).lines
