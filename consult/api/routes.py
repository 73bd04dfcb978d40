"""The API's operations: thin views that load through consult.permissions, write through the
services, and check input with the portal's own forms."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from consult.api import bp, paging
from consult.api import schemas as s
from consult.api.problems import problem
from consult.api.setup import current_token, require_scope
from consult.comments.forms import AgreeForm, CommentForm, ResponseForm
from consult.extensions import db
from consult.models import (
    ApiScope,
    Comment,
    CommentKind,
    CommentSource,
    CommentStatus,
    Department,
    DepartmentKind,
    Draft,
    Proposal,
    ResponseKind,
)
from consult.permissions import load_draft, load_or_404, load_proposal
from consult.services import comments as comment_service
from consult.services import reports as report_service
from consult.services import triage as triage_service
from consult.services.comments import CommentError
from consult.services.triage import DUPLICATES, InboxFilters, TriageConflict, TriageError
from consult.triage.forms import AnswerForm
from consult.utils import parse_enum

# --- what each object looks like ------------------------------------------------------------


def department_data(department: Department) -> dict:
    return {"code": department.code, "name": department.name, "kind": department.kind.value}


def proposal_data(proposal: Proposal) -> dict:
    return {
        "code": proposal.code,
        "title": proposal.title,
        "summary": proposal.summary,
        "visibility": proposal.visibility.value,
        "lead_agency": department_data(proposal.lead_agency),
        "board_name": proposal.board_name,
        "drafts": [
            {
                "number": d.number,
                "status": d.status.value,
                "opens_at": d.opens_at,
                "closes_at": d.closes_at,
            }
            for d in proposal.drafts
            if d.can_view(current_user)
        ],
    }


def draft_data(draft: Draft) -> dict:
    return {
        "proposal": draft.proposal.code,
        "number": draft.number,
        "title": draft.title,
        "status": draft.status.value,
        "period": draft.period_state(),
        "change_note": draft.change_note,
        "opens_at": draft.opens_at,
        "closes_at": draft.closes_at,
        "published_at": draft.published_at,
        "closed_at": draft.closed_at,
        "sections": len(draft.sections),
        "invited": [
            {
                "department": department_data(i.department),
                "deadline": draft.deadline_for(i.department_id),
            }
            for i in sorted(_invitations_seen(draft), key=lambda i: i.department.name)
        ],
    }


def _invitations_seen(draft: Draft) -> list:
    """Every invited body for those who read participation; else the caller's own body's
    invitation and deadline, as its department page shows them."""
    if draft.can_report(current_user):
        return list(draft.invitations)
    own = draft.invitation_for(draft.proposal.speaks_for(current_user))
    return [own] if own is not None else []


def section_data(section) -> dict:
    return {
        "key": section.key,
        "id": section.id,
        "position": section.position,
        "level": section.level,
        "number": section.number,
        "heading": section.heading,
        "text": section.body,
        "html": section.body_html,
    }


def comment_data(comment: Comment) -> dict:
    effective = comment.effective
    departments = (
        comment.credited_departments()
        if comment.is_submitted
        else [d for d in [comment.department] if d is not None]
    )
    return {
        "id": comment.id,
        "proposal": comment.draft.proposal.code,
        "draft": comment.draft.number,
        "section": comment.section.key if comment.section is not None else None,
        "kind": comment.kind.value,
        "source": comment.source.value,
        "text": comment.body,
        "html": comment.body_html,
        "quote": comment.quote,
        "proposed_text": comment.proposed_text,
        "departments": [department_data(d) for d in departments],
        "speaker": comment.speaker,
        "created_at": comment.created_at,
        "submitted_at": comment.submitted_at,
        "status": effective.status.value,
        "answer": effective.answer,
        "answer_html": effective.answer_html,
        "answered_at": effective.answered_at,
        "duplicate_of": comment.duplicate_of_id,
        "version": comment.version,
    }


def response_data(response) -> dict:
    return {
        "id": response.id,
        "sequence": response.sequence,
        "kind": response.kind.value,
        "submitted_at": response.submitted_at,
        "letter_number": response.letter_number,
        "letter_date": response.letter_date,
        "department": department_data(response.department),
        "comments": [c.id for c in response.comments],
    }


# --- helpers ----------------------------------------------------------------------------------


def _form_errors(form, names: dict[str, str] | None = None) -> dict:
    names = names or {}
    return {
        names.get(field, field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


def _validated(form_class, data: dict, *args, names=None):
    """The portal's own form, filled with the JSON body: the pages' validators and messages."""
    formdata = MultiDict({k: "" if v is None else str(v) for k, v in data.items()})
    form = form_class(*args, formdata=formdata, meta={"csrf": False})
    if not form.validate():
        raise ValidationFailed(_form_errors(form, names))
    return form


class ValidationFailed(Exception):
    def __init__(self, errors: dict, detail: str | None = None):
        super().__init__(detail)
        self.errors = errors
        self.detail = detail


@bp.errorhandler(ValidationFailed)
def validation_failed(error: ValidationFailed):
    db.session.rollback()
    return problem(
        422,
        _("Invalid data"),
        error.detail or _("Some values are missing or not valid."),
        errors=error.errors,
    )


def _conflict(detail: str):
    db.session.rollback()
    abort(problem(409, _("Conflict"), detail))


def _commenting_body(draft: Draft) -> None:
    """The same refusals as the department's pages: 403 for who may not work as a body."""
    if not draft.can_work_as_department(current_user):
        abort(403)


# --- reading ----------------------------------------------------------------------------------


@bp.route("/", methods=["GET"])
@bp.response(200, s.IndexSchema)
def index():
    """Where to start: the documents, and who is calling."""
    token = current_token()
    return {
        "version": "1",
        "openapi": url_for("api-docs.openapi_json"),
        "docs": url_for("api-docs.openapi_swagger_ui"),
        "proposals": url_for("api.list_proposals"),
        "user": current_user.email if current_user.is_authenticated else None,
        "scope": token.scope.value if token is not None else None,
    }


@bp.route("/proposals", methods=["GET"])
@bp.arguments(s.PageArgs, location="query", as_kwargs=True)
@bp.response(200, s.ProposalPageSchema)
def list_proposals(cursor=None, limit=s.DEFAULT_LIMIT):
    """The proposals the caller may read (anonymous: public ones with a published draft)."""
    after = paging.decode(cursor)
    query = select(Proposal).where(Proposal.id > after).order_by(Proposal.id)
    visible = (p for p in db.session.scalars(query) if p.can_view(current_user))
    items, next_cursor = paging.take(visible, limit, key=lambda p: p.id)
    return {"items": [proposal_data(p) for p in items], "next_cursor": next_cursor}


@bp.route("/proposals/<code>", methods=["GET"])
@bp.response(200, s.ProposalSchema)
def get_proposal(code: str):
    return proposal_data(load_proposal(code))


@bp.route("/proposals/<code>/drafts", methods=["GET"])
@bp.arguments(s.PageArgs, location="query", as_kwargs=True)
@bp.response(200, s.DraftPageSchema)
def list_drafts(code: str, cursor=None, limit=s.DEFAULT_LIMIT):
    proposal = load_proposal(code)
    after = paging.decode(cursor)
    drafts = (d for d in proposal.drafts if d.number > after and d.can_view(current_user))
    items, next_cursor = paging.take(drafts, limit, key=lambda d: d.number)
    return {"items": [draft_data(d) for d in items], "next_cursor": next_cursor}


@bp.route("/proposals/<code>/drafts/<int:number>", methods=["GET"])
@bp.response(200, s.DraftSchema)
def get_draft(code: str, number: int):
    """Status, comment period and invited bodies of one draft."""
    return draft_data(load_draft(code, number))


@bp.route("/proposals/<code>/drafts/<int:number>/sections", methods=["GET"])
@bp.arguments(s.PageArgs, location="query", as_kwargs=True)
@bp.response(200, s.SectionPageSchema)
def list_sections(code: str, number: int, cursor=None, limit=s.DEFAULT_LIMIT):
    """The draft's sections in document order, their text as Markdown and as HTML."""
    draft = load_draft(code, number)
    after = paging.decode(cursor)
    # Counted from 1 in document order: positions may start anywhere.
    sections = ((n, x) for n, x in enumerate(draft.sections, 1) if n > after)
    items, next_cursor = paging.take(sections, limit, key=lambda pair: pair[0])
    return {"items": [section_data(x) for _n, x in items], "next_cursor": next_cursor}


@bp.route("/proposals/<code>/drafts/<int:number>/sections/<key>", methods=["GET"])
@bp.response(200, s.SectionSchema)
def get_section(code: str, number: int, key: str):
    draft = load_draft(code, number)
    section = next((x for x in draft.sections if x.key == key), None)
    if section is None:
        abort(404)
    return section_data(section)


def _filters(draft: Draft, args: dict) -> InboxFilters:
    """The API's query arguments as the inbox's own filters (one query serves both)."""
    section = None
    if args.get("section") == "general":
        section = 0
    elif args.get("section"):
        found = next((x for x in draft.sections if x.key == args["section"]), None)
        section = found.id if found is not None else -1
    department = None
    if args.get("body"):
        body = Department.by_code(args["body"])
        department = body.id if body is not None else -1
    status = args.get("status")
    return InboxFilters(
        section=section,
        department=department,
        kind=parse_enum(CommentKind, args.get("kind")),
        status=parse_enum(CommentStatus, status),
        duplicates=status == DUPLICATES,
        source=parse_enum(CommentSource, args.get("source")),
        answered=args.get("answered") if args.get("answered") in ("yes", "no") else "",
        q=(args.get("q") or "").strip(),
        since=args.get("since"),
    )


@bp.route("/proposals/<code>/drafts/<int:number>/comments", methods=["GET"])
@bp.arguments(s.CommentFilterArgs, location="query", as_kwargs=True)
@bp.response(200, s.CommentPageSchema)
def list_comments(code: str, number: int, cursor=None, limit=s.DEFAULT_LIMIT, **args):
    """Submitted comments the caller may read, with the inbox's filters, oldest first."""
    draft = load_draft(code, number)
    after = paging.decode(cursor)
    query = (
        triage_service.inbox_filtered(draft, _filters(draft, args))
        .where(Comment.visible_clause(draft, current_user), Comment.id > after)
        .order_by(Comment.id)
        .options(
            *triage_service.inbox_loading(),
            # What a comment's bodies are: its own and its duplicates' (credited_departments).
            selectinload(Comment.duplicates).selectinload(Comment.department),
            selectinload(Comment.duplicate_of).selectinload(Comment.duplicates),
        )
        .limit(limit + 1)
    )
    items, next_cursor = paging.take(db.session.scalars(query), limit, key=lambda c: c.id)
    return {"items": [comment_data(c) for c in items], "next_cursor": next_cursor}


@bp.route("/comments/<int:comment_id>", methods=["GET"])
@bp.response(200, s.CommentSchema)
def get_comment(comment_id: int):
    """One comment; another body's unsubmitted comment is a 404, as on the pages."""
    return comment_data(load_or_404(Comment, comment_id))


@bp.route("/proposals/<code>/drafts/<int:number>/participation", methods=["GET"])
@bp.response(200, s.ParticipationSchema(many=True))
def participation(code: str, number: int):
    """Who has responded: the board, its organizers and administrators."""
    draft = load_draft(code, number, can="report")
    return [
        {
            "department": department_data(row.department),
            "state": row.state,
            "deadline": row.deadline,
            "submitted_comments": row.submitted_comments,
            "responses": [response_data(r) for r in row.responses],
        }
        for row in comment_service.participation(draft)
    ]


@bp.route("/proposals/<code>/drafts/<int:number>/report", methods=["GET"])
@bp.response(200, s.ReportCountsSchema)
def report_counts(code: str, number: int):
    """The figures of the summary report's first part."""
    draft = load_draft(code, number, can="report")
    counts = report_service.report_counts(draft)
    # The report names statuses and kinds in the reader's language; the API by their values.
    status_of = {str(x.label): x.value for x in CommentStatus}
    kind_of = {str(x.label): x.value for x in DepartmentKind}
    return {
        "consulted": counts.consulted,
        "consulted_by_kind": {kind_of[k]: n for k, n in counts.consulted_by_kind.items()},
        "letters_received": counts.letters_received,
        "responded": counts.responded,
        "commented": counts.commented,
        "agreed": [{"name": name, "letter_number": number} for name, number in counts.agreed],
        "not_responded": counts.not_responded,
        "comments": counts.comments,
        "by_status": {status_of[k]: n for k, n in counts.by_status.items()},
        "silence_counts_as_agreement": counts.silence_counts_as_agreement,
    }


# --- writing ----------------------------------------------------------------------------------


@bp.route("/proposals/<code>/drafts/<int:number>/comments", methods=["POST"])
@bp.arguments(s.CommentCreateSchema)
@bp.response(201, s.CommentSchema)
def create_comment(data: dict, code: str, number: int):
    """A reviewer's (or lead's) draft comment for their body; the lead submits it."""
    require_scope(ApiScope.WRITE)
    draft = load_draft(code, number)
    section = None
    if data.get("section"):
        section = next((x for x in draft.sections if x.key == data["section"]), None)
        if section is None:
            raise ValidationFailed({"section": [_("No section of this draft has this key.")]})
    _commenting_body(draft)
    if not draft.can_comment(current_user):
        abort(403, description=str(comment_service.closed_message(current_user)))
    form = _validated(
        CommentForm,
        {
            "kind": data.get("kind"),
            "body": data.get("text"),
            "quote": data.get("quote"),
            "proposed_text": data.get("proposed_text"),
        },
        names={"body": "text"},
    )
    try:
        comment = comment_service.create_comment(
            draft,
            section,
            current_user,
            kind=CommentKind(form.kind.data),
            body=form.body.data,
            quote=form.quote.data,
            proposed_text=form.proposed_text.data,
        )
    except CommentError as exc:
        raise ValidationFailed({"text": [str(exc)]}, str(exc)) from exc
    db.session.commit()
    return comment_data(comment), 201


@bp.route("/proposals/<code>/drafts/<int:number>/responses", methods=["POST"])
@bp.arguments(s.ResponseCreateSchema)
@bp.response(201, s.ResponseSchema)
def submit_response(data: dict, code: str, number: int):
    """The lead submits the body's draft comments as its official response, or agrees."""
    require_scope(ApiScope.WRITE)
    draft = load_draft(code, number)
    _commenting_body(draft)
    if not current_user.is_lead:
        abort(403)
    agree = data.get("kind") == ResponseKind.AGREE.value
    if data.get("kind") not in (ResponseKind.AGREE.value, ResponseKind.COMMENTS.value):
        raise ValidationFailed({"kind": [_("Not a valid choice.")]})
    fields = {"letter_number": data.get("letter_number"), "letter_date": data.get("letter_date")}
    if not agree:
        fields["note"] = data.get("note")
    form = _validated(AgreeForm if agree else ResponseForm, fields)
    letter = {"letter_number": form.letter_number.data, "letter_date": form.letter_date.data}
    try:
        if agree:
            response = comment_service.agree_with_draft(draft, current_user, **letter)
        else:
            response = comment_service.submit_response(
                draft, current_user, note=form.note.data or "", **letter
            )
        db.session.commit()
    except CommentError as exc:
        raise ValidationFailed({}, str(exc)) from exc
    except IntegrityError:
        _conflict(_("This response was already submitted. Check what your department sent."))
    return response_data(response), 201


@bp.route("/comments/<int:comment_id>/answer", methods=["PUT"])
@bp.arguments(s.AnswerSchema)
@bp.response(200, s.CommentSchema)
def answer_comment(data: dict, comment_id: int):
    """The board's result and answer (every result but new and under review needs one)."""
    require_scope(ApiScope.WRITE)
    comment = load_or_404(Comment, comment_id, can="triage")
    members = triage_service.team_members(comment.draft.proposal)
    form = _validated(
        AnswerForm,
        {
            "status": data.get("status"),
            "answer": data.get("answer"),
            "assignee_id": comment.assignee_id or 0,  # the API leaves the assignee as it is
            "version": data.get("version"),
        },
        members,
    )
    try:
        triage_service.answer_comment(
            comment,
            current_user,
            status=CommentStatus(form.status.data),
            answer=form.answer.data,
            expected_version=form.version.data,
        )
        db.session.commit()
    except TriageConflict as exc:
        _conflict(str(exc))
    except StaleDataError:
        _conflict(_("Someone saved this comment at the same moment. Reload it and try again."))
    except TriageError as exc:
        raise ValidationFailed({"answer": [str(exc)]}, str(exc)) from exc
    return comment_data(comment)
