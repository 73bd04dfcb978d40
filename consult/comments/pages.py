"""The pages of a draft and of a section, with the comments and the form to comment.

Shown by the drafts blueprint, and again by the comments blueprint when a comment is refused
(with the form as it was filled in).
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from consult import cache
from consult.comments.forms import CommentForm
from consult.extensions import db
from consult.forms import EmptyForm
from consult.models import Comment, Draft, Section
from consult.services import comments as comment_service
from consult.services import drafts as draft_service


def render_draft_page(draft: Draft, form=None, status: int = 200):
    """The table of contents, with comment counts and the general comments ("góp ý chung")."""
    commenting = draft.can_comment(current_user)
    if commenting and form is None:
        form = CommentForm()
    comments = comment_service.general_comments(draft, current_user)
    return render_template(
        "drafts/draft.html",
        draft=draft,
        proposal=draft.proposal,
        sections=draft.sections,
        counts=comment_service.comment_counts_by_section(draft, current_user),
        threads=comment_service.threads_by_quote(comments),
        form=form if commenting else None,
        can_comment=commenting,
        can_edit=draft.can_edit(current_user),
        can_manage=draft.can_manage(current_user),
        button=EmptyForm(),
    ), status


def render_section_page(draft: Draft, section: Section, form=None, status: int = 200):
    """A section with the comments its reader may see, and the form to comment on it."""
    previous, following = draft_service.neighbours(section)
    commenting = draft.can_comment(current_user)
    if commenting and form is None:
        form = CommentForm(section_id=section.id)
    states = comment_service.section_card_states(draft, section, current_user)
    editable_rule = Comment.editable_rule(draft, current_user)
    editable = {
        s.id for s in states if editable_rule(s.submitted_at, s.deleted_at, s.department_id)
    }
    cards = comment_cards(draft, states, editable)
    return render_template(
        "drafts/section.html",
        draft=draft,
        proposal=draft.proposal,
        section=section,
        previous=previous,
        next=following,
        can_edit=draft.can_edit(current_user),
        threads=comment_service.threads_by_quote(states),
        cards=cards,
        editable=editable,
        comment_total=len(states),
        form=form if commenting else None,
    ), status


def comment_cards(draft: Draft, states, editable: set[int]) -> dict[int, Markup]:
    """Each card's HTML, from the fragment cache or rendered (and cached) if missing, with
    the links under it.

    A card's key is everything it shows: the versions of the comment and of what it names
    (``CardState``), the reader's view of it (own department, whether the draft it was taken
    into is visible), the language and the release. The links under it (which depend on the
    reader and on the deadline: ``editable``) are not cached: drawn once per request for
    any card, then given each card's id.
    """
    locale = str(get_locale())
    own_department = Comment.own_department_rule(draft, current_user)
    visible_drafts: dict[int, bool] = {}
    keys = {}
    for state in states:
        target = state.addressed_draft_id
        if target is not None and target not in visible_drafts:
            visible_drafts[target] = db.session.get(Draft, target).can_view(current_user)
        own = own_department(state.department_id)
        keys[state.id] = cache.key_of(
            "card", state.id, state.versions, locale, own, visible_drafts.get(target)
        )
    store = cache.fragments()
    found = store.get_many(list(keys.values()))
    missing = [cid for cid, key in keys.items() if key not in found]
    links = _card_links()
    if missing:
        # One template context for all the cards drawn (its processors run once).
        context: dict = {}
        current_app.update_template_context(context)
        template = current_app.jinja_env.get_template("comments/_card.html")
        drawn = {
            keys[c.id]: template.render(context, comment=c)
            for c in comment_service.comments_by_ids(missing)
        }
        store.set_many(drawn)
        found.update(drawn)
    # The cached HTML is what our autoescaped card template rendered above (or on another
    # app server, into the shared cache): our own markup, not user text; so are the links.
    return {
        cid: Markup(found[key] + links[cid in editable].replace(_ANY_ID, str(cid)))  # noqa: S704  # nosec B704
        for cid, key in keys.items()
    }


# The id the links are drawn for, then replaced by each card's: digits no URL of the links
# holds otherwise (their other parts are the site's path and translated words).
_ANY_ID = "2147483647"


def _card_links() -> dict[bool, str]:
    """The links under a card (``card_links`` in comments/_macros.html), editable or not,
    for the card `_ANY_ID`; what the section page's template draws after a card it draws."""
    macros = current_app.jinja_env.get_template("comments/_macros.html").make_module(
        {"current_user": current_user}
    )
    return {
        editable: "\n  " + str(macros.card_links(int(_ANY_ID), editable))
        for editable in (False, True)
    }
