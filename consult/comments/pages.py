"""The pages of a draft and of a section, with the comments and the form to comment.

Shown by the drafts blueprint, and again by the comments blueprint when a comment is refused
(with the form as it was filled in).
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from consult.comments.forms import CommentForm
from consult.forms import EmptyForm
from consult.models import Draft, Section
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
    comments = comment_service.comments_for_section(draft, section, current_user)
    return render_template(
        "drafts/section.html",
        draft=draft,
        proposal=draft.proposal,
        section=section,
        previous=previous,
        next=following,
        can_edit=draft.can_edit(current_user),
        threads=comment_service.threads_by_quote(comments),
        comment_total=len(comments),
        form=form if commenting else None,
    ), status
