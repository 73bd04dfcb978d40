"""The portal with one more page for the benchmark: the template floor of the section page.

Served by gunicorn (``bench.floor:app``) in place of ``run:app``, so the real pages and the
floor run in the same server, workers and configuration. At start-up it renders the real
section page once (environment variables BENCH_SECTION_URL and BENCH_USER_EMAIL say which,
and for whom), captures what the view handed to its template, and copies it into plain
Python objects (no ORM, no session). ``/_bench/floor`` then renders the same template from
those objects: the cost of the page with no database at all. The floor's HTML is checked to
be the real page's, CSRF tokens aside.
"""

from __future__ import annotations

import os
import re
from types import SimpleNamespace
from typing import Any

from flask import g, render_template, template_rendered

from consult import create_app

app = create_app()

_CSRF = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"|(value=")[^"]*("[^>]*name="csrf_token")')


def without_tokens(html: str) -> str:
    return _CSRF.sub(lambda m: (m.group(1) or m.group(2)) + '"' + (m.group(3) or ""), html)


class Plain(SimpleNamespace):
    """A plain object: attributes, and methods that return what the real ones returned."""


def _fixed(value):
    return lambda *_args, **_kw: value


def _user(user) -> Plain:
    return Plain(
        id=user.id,
        is_authenticated=True,
        is_active=True,
        is_anonymous=False,
        is_admin=user.is_admin,
        role=user.role,
        locale=user.locale,
        full_name=user.full_name,
        department_id=user.department_id,
        department=Plain(name=user.department.name) if user.department else None,
        get_id=_fixed(user.get_id()),
    )


def _proposal(proposal) -> Plain:
    return Plain(id=proposal.id, code=proposal.code, title=proposal.title)


def _draft(draft, user) -> Plain:
    return Plain(
        id=draft.id,
        number=draft.number,
        title=draft.title,
        status=draft.status,
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        proposal=_proposal(draft.proposal),
        period_state=_fixed(draft.period_state()),
        can_view=_fixed(draft.can_view(user)),
    )


def _section(section) -> Plain | None:
    if section is None:
        return None
    return Plain(
        id=section.id,
        key=section.key,
        number=section.number,
        heading=section.heading,
        title=section.title,
        anchor=section.anchor,
        body_html=section.body_html,
    )


def _comment(comment, user, seen: dict[int, Plain]) -> Plain:
    if comment.id in seen:
        return seen[comment.id]
    plain = Plain(
        id=comment.id,
        kind=comment.kind,
        status=comment.status,
        speaker=comment.speaker,
        workshop=Plain(title=comment.workshop.title) if comment.workshop else None,
        author=Plain(full_name=comment.author.full_name),
        created_at=comment.created_at,
        is_submitted=comment.is_submitted,
        revisions=[None] * len(comment.revisions),
        section=_section(comment.section),
        quote=comment.quote,
        body_html=comment.body_html,
        proposed_text=comment.proposed_text,
        attachments=[
            Plain(id=a.id, original_name=a.original_name, size=a.size) for a in comment.attachments
        ],
        duplicate_of_id=comment.duplicate_of_id,
        is_answered=comment.is_answered,
        answer_html=comment.answer_html,
        answered_at=comment.answered_at,
        is_own_department=_fixed(comment.is_own_department(user)),
        can_edit=_fixed(comment.can_edit(user)),
    )
    seen[comment.id] = plain
    plain.duplicate_of = (
        _comment(comment.duplicate_of, user, seen) if comment.duplicate_of else None
    )
    plain.effective = plain.duplicate_of or plain
    addressed = comment.addressed_in
    plain.addressed_in = (
        Plain(title=addressed.title, draft=_draft(addressed.draft, user)) if addressed else None
    )
    return plain


def freeze(context: dict[str, Any], user) -> dict[str, Any]:
    """The section page's template context as plain objects."""
    from consult.services.comments import comments_by_ids

    seen: dict[int, Plain] = {}
    draft = context["draft"]
    states = [c for _quote, cards in context["threads"] for c in cards]
    by_id = {c.id: c for c in comments_by_ids([c.id for c in states])}
    return {
        "draft": _draft(draft, user),
        "proposal": _proposal(draft.proposal),
        "section": _section(context["section"]),
        "previous": _section(context["previous"]),
        "next": _section(context["next"]),
        "can_edit": context["can_edit"],
        # The cards as plain objects: the floor draws every one of them, on every request.
        "threads": [
            (quote, [_comment(by_id[c.id], user, seen) for c in states])
            for quote, states in context["threads"]
        ],
        "editable": context["editable"],
        "comment_total": context["comment_total"],
        "form": None,  # the floor is measured for the drafting team, who has no comment form
    }


def _capture(url: str, email: str) -> tuple[dict[str, Any], Plain, str]:
    from consult.models import User

    captured: dict[str, Any] = {}

    def remember(_sender, template, context, **_extra):
        if template.name == "drafts/section.html":
            captured.update(context)

    with app.test_request_context(url):
        user = User.by_email(email)
        g._login_user = user
        adapter = app.url_map.bind("localhost")
        endpoint, args = adapter.match(url)
        template_rendered.connect(remember, app)
        try:
            html = app.view_functions[endpoint](**args)
        finally:
            template_rendered.disconnect(remember, app)
        if isinstance(html, tuple):
            html = html[0]
        assert captured.get("form") is None, "measure the floor for a user without a form"
        return freeze(captured, user), _user(user), html


SECTION_URL = os.environ.get("BENCH_SECTION_URL")
if SECTION_URL:
    FROZEN, FROZEN_USER, REAL_HTML = _capture(SECTION_URL, os.environ["BENCH_USER_EMAIL"])

    def render_floor() -> str:
        """The section page with every card drawn in the template from the plain objects."""
        return render_template("drafts/section.html", cards={}, **FROZEN)

    @app.route("/_bench/floor")
    def section_floor():
        g._login_user = FROZEN_USER
        return render_floor()

    with app.test_request_context(SECTION_URL):
        g._login_user = FROZEN_USER
        floor_html = render_floor()
    if without_tokens(floor_html) != without_tokens(REAL_HTML):
        raise RuntimeError("the floor does not render the same page as the portal")
