"""What the history of a comment and the audit log say, as sentences in the user's language.

One place turns a recorded change into words: the triage page's history (CommentEvent)
and the administrators' audit log (AuditEvent) read from here, with the labels of the
values (never their codes), Vietnam time (consult.timeutil) and links to the people and
objects named. Each sentence is HTML-safe Markup: the words are translated and escaped, the
links are built here.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from consult.models import (
    AuditAction,
    AuditEvent,
    CommentEvent,
    CommentStatus,
    ResponseKind,
    Role,
    Seat,
)
from consult.services.audit import References
from consult.timeutil import format_datetime


def say(message: str, **parts) -> Markup:
    """A translated sentence whose ``%(name)s`` parts are escaped, unless already Markup."""
    return escape(message) % parts if parts else escape(message)


def label(enum_class: type[enum.Enum], value) -> str:
    """The label of a stored enum value ("partly_accepted" -> "Tiếp thu một phần"); a value
    the portal no longer knows is shown as stored, or as a dash when there is none."""
    if value is None or value == "":
        return "—"
    try:
        member = enum_class(value)
    except ValueError:
        return str(value)
    return getattr(member, "label", str(member))


def link(text, url: str | None) -> Markup:
    if not url:
        return escape(text)
    return Markup('<a href="%s">%s</a>') % (url, text)


def comment_link(comment_id) -> Markup:
    """ "góp ý #41", linked to the page where it is answered."""
    text = _("comment #%(id)s") % {"id": comment_id}
    try:
        url = url_for("triage.triage_comment", comment_id=int(comment_id))
    except (TypeError, ValueError):
        url = None
    return link(text, url)


def status_change(old, new) -> Markup:
    """ "Mới → Tiếp thu một phần": the one way a change of result is written."""
    return say("%(old)s → %(new)s", old=label(CommentStatus, old), new=label(CommentStatus, new))


# --- a comment's history (the triage page) -------------------------------------------------


def _quoted(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= 160 else text[:157].rstrip() + "…"


def describe_comment_event(event: CommentEvent) -> Markup:
    """One change made while triaging a comment, as a sentence."""
    old, new = event.old_value, event.new_value
    if event.field == "status":
        return say(_("Result: %(change)s"), change=status_change(old, new))
    if event.field == "answer":
        if not new:
            return say(_("Answer removed."))
        if not old:
            return say(_("Answer written: “%(text)s”"), text=_quoted(new))
        return say(_("Answer changed: “%(text)s”"), text=_quoted(new))
    if event.field == "assignee":
        if not new:
            return say(_("No longer assigned to %(name)s."), name=old)
        if old:
            return say(_("Assigned to %(name)s (before: %(before)s)."), name=new, before=old)
        return say(_("Assigned to %(name)s."), name=new)
    if event.field == "duplicate_of":
        if new:
            return say(_("Marked as a duplicate of %(comment)s."), comment=comment_link(new))
        return say(_("Separated from %(comment)s."), comment=comment_link(old))
    if event.field == "addressed_in":
        if not new:
            return say(_("No longer linked to “%(section)s” of the next draft."), section=old)
        return say(_("Taken into account in “%(section)s” of the next draft."), section=new)
    return say("%(field)s: %(old)s → %(new)s", field=event.field, old=old or "—", new=new or "—")


# --- the audit log ------------------------------------------------------------------------


def detail_of(event: AuditEvent) -> dict:
    """The entry's detail as written (JSON); {} when there is none or it was cut short."""
    try:
        detail = json.loads(event.detail) if event.detail else {}
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def user_link(user) -> Markup:
    return link(user.full_name, url_for("admin.edit_user", user_id=user.id))


def department_link(department) -> Markup:
    return link(department.name, url_for("admin.edit_department", department_id=department.id))


def draft_link(draft) -> Markup:
    text = _("draft %(n)s of %(code)s") % {"n": draft.number, "code": draft.proposal.code}
    return link(text, url_for("drafts.view_draft", code=draft.proposal.code, number=draft.number))


def object_link(object_type: str | None, object_id: int | None, refs: References) -> Markup:
    """The object an entry is about, by its name and linked; "#id" when it is gone."""
    if object_type is None:
        return Markup("")
    obj = refs.objects.get((object_type, object_id))
    if object_type == "Comment":
        return comment_link(object_id)
    if obj is None:
        return say(_("%(kind)s #%(id)s (deleted)"), kind=object_type, id=object_id)
    namers: dict[str, Callable[[object], Markup]] = {
        "User": user_link,
        "Department": department_link,
        "Draft": draft_link,
        "Proposal": lambda p: link(
            f"{p.code} — {p.title}", url_for("drafts.view_proposal", code=p.code)
        ),
        "Workshop": lambda w: link(w.title, url_for("workshops.view_workshop", workshop_id=w.id)),
        "DepartmentResponse": lambda r: say(
            _("the official response of %(department)s on %(draft)s"),
            department=department_link(r.department),
            draft=draft_link(r.draft),
        ),
        "Attachment": lambda a: say(
            _("the attachment “%(name)s” of %(comment)s"),
            name=a.original_name,
            comment=comment_link(a.comment_id),
        ),
        "UserSession": lambda s: say(_("a session of %(user)s"), user=user_link(s.user)),
    }
    namer = namers.get(object_type)
    return namer(obj) if namer else say("%(kind)s #%(id)s", kind=object_type, id=object_id)


def _person(email: str | None, refs: References) -> Markup:
    user = refs.users_by_email.get((email or "").lower())
    return user_link(user) if user is not None else escape(email or "—")


def _department(code: str | None, refs: References) -> Markup:
    department = refs.departments_by_code.get(code or "")
    return department_link(department) if department is not None else escape(code or "—")


def _comments(ids) -> Markup:
    return Markup(", ").join(comment_link(i) for i in ids or [])


EXPORTS = {
    "report": lambda d: _("the summary report"),
    "draft": lambda d: _("the draft"),
    "comparison": lambda d: _("the comparison with draft %(n)s") % {"n": d.get("older", "?")},
    "attachment": lambda d: _("an attachment"),
    "everything": lambda d: _("every draft's comments"),
    "audit": lambda d: _("the audit log"),
    "workshop-packet": lambda d: _("the workshop packet"),
    "workshop-report": lambda d: _("the workshop report"),
}

WORKSHOP_CHANGES = {
    "created": lambda: _("Created the workshop %(workshop)s."),
    "edited": lambda: _("Edited the workshop %(workshop)s."),
    "guest": lambda: _("Added a guest to the workshop %(workshop)s."),
    "attendance": lambda: _("Recorded who attended the workshop %(workshop)s."),
    "comment": lambda: _("Recorded a comment from the floor at the workshop %(workshop)s."),
    "early_recording": lambda: _(
        "Changed whether comments from the floor may be recorded "
        "before the day of the workshop %(workshop)s."
    ),  # fmt: skip
}


def _export(event: AuditEvent, d: dict, obj: Markup) -> Markup:
    what = d.get("what", "")
    name = EXPORTS[what](d) if what in EXPORTS else what or _("a file")
    fmt = str(d.get("format") or "").upper()
    if obj and fmt:
        return say(_("Downloaded %(what)s of %(object)s (%(format)s)."), what=name, object=obj,
                   format=fmt)  # fmt: skip
    if obj:
        return say(_("Downloaded %(what)s of %(object)s."), what=name, object=obj)
    if fmt:
        return say(_("Downloaded %(what)s (%(format)s)."), what=name, format=fmt)
    return say(_("Downloaded %(what)s."), what=name)


def _via(d: dict, sentence: Markup) -> Markup:
    if d.get("via") == "cli":
        return sentence + " " + say(_("(from the command line)"))
    return sentence


# Every action the services write, with what it says: (event, detail, object) -> sentence.
# tests/test_history.py checks that every AuditAction the services use is here.
Describer = Callable[[AuditEvent, dict, Markup, References], Markup]
DESCRIPTIONS: dict[AuditAction, Describer] = {
    AuditAction.LOGIN: lambda e, d, o, r: say(_("Signed in.")),
    AuditAction.LOGIN_FAILED: lambda e, d, o, r: (
        say(_("Sign-in as %(email)s refused: locked after failed attempts."), email=e.actor_email)
        if d.get("reason") == "locked"
        else say(_("Failed sign-in as %(email)s."), email=e.actor_email or "—")
    ),
    AuditAction.LOCKOUT: lambda e, d, o, r: say(
        _("Sign-in as %(email)s locked after repeated failures."), email=e.actor_email or "—"
    ),
    AuditAction.LOGOUT: lambda e, d, o, r: say(_("Signed out.")),
    AuditAction.SESSION_END: lambda e, d, o, r: (
        say(_("Ended %(n)s other sessions."), n=d["sessions"])
        if "sessions" in d
        else say(_("Ended %(session)s from the sessions page."), session=o)
    ),
    AuditAction.API_TOKEN_CREATE: lambda e, d, o, r: say(
        _("Created the API token “%(name)s” (%(scope)s), valid until %(until)s."),
        name=d.get("name") or "—",
        scope=d.get("scope") or "—",
        until=format_datetime(d.get("expires_at")) or "—",
    ),
    AuditAction.API_TOKEN_REVOKE: lambda e, d, o, r: say(
        _("Revoked the API token “%(name)s”."), name=d.get("name") or "—"
    ),
    AuditAction.COMMENT_CREATE: lambda e, d, o, r: say(
        _("Wrote %(comment)s as a draft of the body."), comment=o
    ),
    AuditAction.COMMENT_IMPORT: lambda e, d, o, r: say(
        _("Read the Word file “%(file)s” into %(draft)s: %(comments)s."),
        file=d.get("file") or "—",
        draft=o,
        comments=_comments(d.get("comments")) or "—",
    ),
    AuditAction.PASSWORD_CHANGE: lambda e, d, o, r: say(_("Changed their own password.")),
    AuditAction.PASSWORD_CHECK_FAILED: lambda e, d, o, r: say(
        _("Typed a wrong current password while changing it.")
    ),
    AuditAction.PASSWORD_RESET: lambda e, d, o, r: _via(
        d, say(_("Set the password of %(user)s."), user=o)
    ),
    AuditAction.ACCOUNT_UNLOCK: lambda e, d, o, r: say(
        _("Unlocked the sign-in of %(user)s."), user=o
    ),
    AuditAction.USER_CREATE: lambda e, d, o, r: _via(
        d,
        say(_("Created the account %(user)s (%(role)s)."), user=o, role=label(Role, d.get("role"))),
    ),
    AuditAction.USER_UPDATE: lambda e, d, o, r: say(_("Edited the account %(user)s."), user=o),
    AuditAction.ROLE_CHANGE: lambda e, d, o, r: say(
        _("Changed the role of %(user)s: %(old)s → %(new)s."),
        user=o,
        old=label(Role, d.get("from")),
        new=label(Role, d.get("to")),
    ),
    AuditAction.USER_DEACTIVATE: lambda e, d, o, r: _via(
        d, say(_("Deactivated the account %(user)s."), user=o)
    ),
    AuditAction.USER_ACTIVATE: lambda e, d, o, r: _via(
        d, say(_("Reactivated the account %(user)s."), user=o)
    ),
    AuditAction.DEPARTMENT_CREATE: lambda e, d, o, r: say(
        _("Created the body %(department)s."), department=o
    ),
    AuditAction.DEPARTMENT_UPDATE: lambda e, d, o, r: say(
        _("Edited the body %(department)s."), department=o
    ),
    AuditAction.DEPARTMENT_DEACTIVATE: lambda e, d, o, r: say(
        _("Deactivated the body %(department)s."), department=o
    ),
    AuditAction.DEPARTMENT_ACTIVATE: lambda e, d, o, r: say(
        _("Reactivated the body %(department)s."), department=o
    ),
    AuditAction.DEPARTMENT_IMPORT: lambda e, d, o, r: _via(
        d,
        say(
            _("Imported bodies from a file: %(created)s created, %(updated)s updated."),
            created=d.get("created", 0),
            updated=d.get("updated", 0),
        ),
    ),
    AuditAction.RESPONSE_SUBMIT: lambda e, d, o, r: say(
        _("Submitted %(response)s: %(kind)s."),
        response=o,
        kind=label(ResponseKind, d.get("kind")),
    ),
    AuditAction.COMMENT_STATUS: lambda e, d, o, r: say(
        _("Result of %(comment)s: %(change)s"),
        comment=o,
        change=status_change(d.get("from"), d.get("to")),
    ),
    AuditAction.COMMENT_ANSWER: lambda e, d, o, r: (
        say(
            _("Answered at once, on %(draft)s: %(comments)s (%(status)s)."),
            draft=o,
            comments=_comments(d["comments"]),
            status=label(CommentStatus, d.get("status")),
        )
        if "comments" in d
        else say(
            _("Answered %(comment)s (%(status)s)."),
            comment=o,
            status=label(CommentStatus, d.get("status")),
        )
    ),
    AuditAction.COMMENT_MERGE: lambda e, d, o, r: (
        say(_("Separated %(comment)s from its group of duplicates."), comment=o)
        if d.get("separated")
        else say(
            _("Merged the department's comments %(comments)s into %(comment)s."),
            comments=_comments(d["merged"]),
            comment=o,
        )
        if "merged" in d
        else say(
            _("Marked %(comments)s as duplicates of %(comment)s."),
            comments=_comments(d.get("duplicates")),
            comment=o,
        )
    ),
    AuditAction.COMMENT_ASSIGN: lambda e, d, o, r: (
        say(
            _("Assigned %(comments)s of %(draft)s to %(user)s."),
            comments=_comments(d.get("comments")),
            draft=o,
            user=user_link(r.users[d["assignee"]]),
        )
        if d.get("assignee") in r.users
        else say(
            _("Unassigned %(comments)s of %(draft)s."),
            comments=_comments(d.get("comments")),
            draft=o,
        )
    ),
    AuditAction.DRAFT_PUBLISH: lambda e, d, o, r: say(
        _("Published %(draft)s for comments from %(opens)s to %(closes)s."),
        draft=o,
        opens=format_datetime(d.get("opens_at")),
        closes=format_datetime(d.get("closes_at")),
    ),
    AuditAction.DRAFT_REMIND: lambda e, d, o, r: say(
        _("Reminded %(bodies)s to respond to %(draft)s."),
        bodies=Markup(", ").join(_department(c, r) for c in d.get("departments", [])) or "—",
        draft=o,
    ),
    AuditAction.CHANGE_APPLY: lambda e, d, o, r: say(
        _("Applied %(comments)s to section %(section)s of draft %(draft)s."),
        comments=_comments(d.get("comments")),
        section=d.get("section") or "—",
        draft=d.get("draft") or "—",
    ),
    AuditAction.CHANGE_UNDO: lambda e, d, o, r: say(
        _("Undid the change that applied %(comments)s to section %(section)s."),
        comments=_comments(d.get("comments")),
        section=d.get("section") or "—",
    ),
    AuditAction.DRAFT_CLOSE: lambda e, d, o, r: say(
        _("Closed the comment period of %(draft)s."), draft=o
    ),
    AuditAction.DRAFT_EXTEND: lambda e, d, o, r: (
        say(
            _("Gave %(department)s its own deadline on %(draft)s: %(until)s."),
            department=_department(d["department"], r),
            draft=o,
            until=format_datetime(d.get("until")),
        )
        if "department" in d
        else say(
            _("Extended the deadline of %(draft)s: %(old)s → %(new)s."),
            draft=o,
            old=format_datetime(d.get("from")) or "—",
            new=format_datetime(d.get("to")),
        )
    ),
    AuditAction.DRAFT_SETTINGS: lambda e, d, o, r: say(
        _("Changed the consultation settings of %(draft)s (invited: %(bodies)s)."),
        draft=o,
        bodies=Markup(", ").join(_department(c, r) for c in d.get("invited", [])) or "—",
    ),
    AuditAction.WORKSHOP_CHANGE: lambda e, d, o, r: say(
        WORKSHOP_CHANGES.get(d.get("change"), WORKSHOP_CHANGES["edited"])(), workshop=o
    ),
    AuditAction.EXPORT: lambda e, d, o, r: _export(e, d, o),
    AuditAction.PROPOSAL_CREATE: lambda e, d, o, r: say(
        _("Created the proposal %(proposal)s, led by %(department)s."),
        proposal=o,
        department=_department(d.get("lead_agency"), r),
    ),
    AuditAction.PROPOSAL_UPDATE: lambda e, d, o, r: say(
        _("Edited the proposal %(proposal)s."), proposal=o
    ),
    AuditAction.BOARD_ADD: lambda e, d, o, r: say(
        _("Gave %(person)s the seat “%(seat)s” on %(proposal)s."),
        person=_person(d.get("person"), r),
        seat=label(Seat, d.get("seat")),
        proposal=o,
    ),
    AuditAction.BOARD_REMOVE: lambda e, d, o, r: say(
        _("Removed %(person)s (%(seat)s) from %(proposal)s."),
        person=_person(d.get("person"), r),
        seat=label(Seat, d.get("seat")),
        proposal=o,
    ),
    AuditAction.BOARD_CHAIR: lambda e, d, o, r: say(
        _("Made %(person)s chair of the board of %(proposal)s (before: %(before)s)."),
        person=_person(d.get("person"), r),
        proposal=o,
        before=_person(d.get("before"), r),
    ),
}


def describe_audit_event(event: AuditEvent, detail: dict, refs: References) -> Markup:
    """One audit entry as a sentence; an action without its own words reads as its label
    and object (tests/test_history.py keeps that from happening to any the services write)."""
    obj = object_link(event.object_type, event.object_id, refs)
    describer = DESCRIPTIONS.get(event.action)
    if describer is not None:
        try:
            return describer(event, detail, obj, refs)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an entry written before its detail took today's shape
    sentence = say("%(action)s", action=event.action.label)
    return sentence + " " + obj + "." if obj else sentence + "."
