"""Proposals and drafts: list, read, import, edit, publish, export, compare."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.comments.pages import render_draft_page, render_section_page
from consult.documents.exporter import example_docx, example_markdown, export_docx, export_markdown
from consult.documents.importer import DraftImportError, read_upload, split_articles
from consult.documents.redline import compare_docx, compare_sections, redline_html
from consult.drafts import bp, import_store
from consult.drafts import jobs as import_jobs
from consult.drafts.forms import (
    DraftImportConfirmForm,
    DraftImportForm,
    DraftNoteForm,
    ExtendDeadlineForm,
    MemberForm,
    NewSectionForm,
    NextDraftForm,
    ProposalForm,
    PublishForm,
    SeatForm,
    SectionForm,
)
from consult.extensions import db
from consult.forms import EmptyForm
from consult.jobs.views import started
from consult.models import Department, Draft, Proposal, Seat, Visibility
from consult.models.drafts import IllegalTransition
from consult.permissions import (
    check,
    load_draft,
    load_proposal,
    load_section,
    login_required,
    proposal_creator_required,
)
from consult.services import comments as comment_service
from consult.services import consolidation, exports
from consult.services import drafts as draft_service
from consult.timeutil import from_vietnam_local, to_vietnam_local
from consult.utils import download_response, draft_url, parse_id

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- proposals ----------------------------------------------------------------------------


@bp.route("/proposals")
def list_proposals():
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.created_at.desc())).all()
    visible = [p for p in proposals if p.can_view(current_user)]
    # The visitor's own first: those they sit on, then those their body is consulted on.
    visible.sort(
        key=lambda p: (p.seat_of(current_user) is None, p.speaks_for(current_user) is None)
    )
    return render_template("drafts/proposals.html", proposals=visible)


@bp.route("/proposals/new", methods=["GET", "POST"])
@proposal_creator_required
def create_proposal():
    form = ProposalForm(lead_default=current_user.department_id)
    if form.validate_on_submit():
        try:
            proposal = draft_service.create_proposal(
                code=form.code.data,
                title=form.title.data,
                summary=form.summary.data or "",
                visibility=Visibility(form.visibility.data),
                user=current_user,
                lead_agency=db.session.get(Department, form.lead_agency.data),
                place=form.place.data or "",
                board_name=form.board_name.data or "",
                **form.paper_settings(),
            )
        except draft_service.BoardError as exc:
            db.session.rollback()
            form.lead_agency.errors.append(str(exc))
        else:
            draft_service.start_next_draft(proposal, actor=current_user)
            db.session.commit()
            flash(_("Proposal created with an empty draft 1 in preparation."), "success")
            return redirect(url_for("drafts.view_proposal", code=proposal.code))
    return render_template("drafts/proposal_form.html", form=form, proposal=None), (
        422 if form.errors else 200
    )


@bp.route("/proposals/<code>")
def view_proposal(code: str):
    proposal = load_proposal(code)
    drafts = [d for d in proposal.drafts if d.can_view(current_user)]
    return render_template(
        "drafts/proposal.html",
        proposal=proposal,
        drafts=drafts,
        next_form=NextDraftForm(),
        can_edit=proposal.can_edit(current_user),
        can_export_everything=proposal.can_export_everything(current_user),
        show_board=proposal.reads_all_submitted(current_user),
        can_manage_board=proposal.can_manage_board(current_user),
    )


@bp.route("/proposals/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_proposal(code: str):
    proposal = load_proposal(code, can="edit")
    form = ProposalForm(obj=proposal, proposal=proposal)
    if request.method == "GET":
        form.visibility.data = proposal.visibility.value
        form.lead_agency.data = proposal.lead_agency_id
    if form.validate_on_submit():
        try:
            draft_service.update_proposal(
                proposal,
                current_user,
                code=form.code.data,
                title=form.title.data,
                summary=form.summary.data or "",
                place=form.place.data or "",
                board_name=form.board_name.data or "",
                **form.paper_settings(),
                visibility=Visibility(form.visibility.data),
                lead_agency=db.session.get(Department, form.lead_agency.data),
            )
        except draft_service.BoardError as exc:
            db.session.rollback()
            form.lead_agency.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Proposal saved."), "success")
            return redirect(url_for("drafts.view_proposal", code=proposal.code))
    return render_template("drafts/proposal_form.html", form=form, proposal=proposal), (
        422 if form.errors else 200
    )


# --- the board ----------------------------------------------------------------------------


def _render_board(proposal: Proposal, form: SeatForm | None = None, status: int = 200):
    return render_template(
        "drafts/board.html",
        proposal=proposal,
        form=form or SeatForm(),
        button=MemberForm(),
        can_manage_board=proposal.can_manage_board(current_user),
    ), status


@bp.route("/proposals/<code>/board", methods=["GET", "POST"])
@login_required
def board(code: str):
    """The board and organizers of the proposal; its chair adds people here."""
    proposal = load_proposal(code, can="report")
    form = SeatForm()
    if request.method == "POST":
        check(proposal, "manage_board")
        if form.validate_on_submit():
            try:
                draft_service.seat_member(proposal, current_user, form.person, Seat(form.seat.data))
            except draft_service.BoardError as exc:
                db.session.rollback()
                form.email.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("%(name)s now has a seat.", name=form.person.full_name), "success")
                return redirect(url_for("drafts.board", code=proposal.code))
        return _render_board(proposal, form, 422)
    return _render_board(proposal, form)


def _member_action(code: str, action) -> object:
    proposal = load_proposal(code, can="manage_board")
    form = MemberForm()
    if form.validate_on_submit():
        person = next(
            (m.user for m in proposal.members if str(m.user_id) == form.user_id.data), None
        )
        if person is None:
            abort(404)
        try:
            action(proposal, current_user, person)
        except draft_service.BoardError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The board is saved."), "success")
    return redirect(url_for("drafts.board", code=proposal.code))


@bp.route("/proposals/<code>/board/remove", methods=["POST"])
@login_required
def remove_member(code: str):
    return _member_action(code, draft_service.unseat_member)


@bp.route("/proposals/<code>/board/chair", methods=["POST"])
@login_required
def hand_over_chair(code: str):
    return _member_action(code, draft_service.set_chair)


@bp.route("/proposals/<code>/drafts/next", methods=["POST"])
@login_required
def start_next_draft(code: str):
    proposal = load_proposal(code, can="manage")
    form = NextDraftForm()
    if form.validate_on_submit():
        try:
            draft = draft_service.start_next_draft(
                proposal, form.change_note.data or "", actor=current_user
            )
        except IllegalTransition as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                _("Draft %(n)d started as a copy of the previous one.", n=draft.number), "success"
            )
            return redirect(draft_url(draft))
    return redirect(url_for("drafts.view_proposal", code=proposal.code))


# --- import -------------------------------------------------------------------------------


@bp.route("/proposals/<code>/import", methods=["GET", "POST"])
@login_required
def import_draft(code: str):
    proposal = load_proposal(code, can="manage")
    form = DraftImportForm()
    target = proposal.draft_in_preparation()
    if form.validate_on_submit():
        upload = form.file.data
        if import_jobs.runs_as_job(upload):  # a large file: read by a worker, then previewed
            return started(import_jobs.start(proposal, upload, form.change_note.data, current_user))
        try:
            report = read_upload(
                upload.filename or "",
                upload.read(),
                max_bytes=current_app.config["MAX_IMPORT_BYTES"],
            )
        except DraftImportError as exc:
            form.file.errors.append(str(exc))
        else:
            return _import_preview(proposal, report, form.change_note.data or "", "articles")
    status = 422 if form.errors else 200
    return render_template(
        "drafts/import.html", proposal=proposal, form=form, target=target
    ), status


def _import_preview(
    proposal: Proposal, report, change_note: str, split: str, keys=None, refused=False
):
    """The preview of an import: what will change, what was kept; the file kept for saving.

    ``keys``: the matching the team chose (kept when the preview is shown again);
    ``refused``: saving was refused because sections would be removed unconfirmed."""
    token = import_store.save(report, user_id=current_user.id, proposal_id=proposal.id)
    # Not filled from the request: a preview again must carry its new token.
    confirm = DraftImportConfirmForm(
        formdata=None, token=token, change_note=change_note, split=split
    )
    sections = split_articles(report.sections, split)
    reference = draft_service.import_reference(proposal)
    matches = draft_service.match_sections(reference, sections)
    resolved = draft_service.resolve_keys(reference, sections, keys)
    by_key = {s.key: s for s in reference}
    for match, key in zip(matches, resolved, strict=True):
        if (match.section.key if match.section else None) != key:
            match.section, match.on = by_key.get(key), ""  # the team's own choice
    if refused:
        confirm.remove_ok.errors = [_("Tick the box to confirm that these sections go.")]
    removed = draft_service.removed_sections(reference, resolved)
    return render_template(
        "drafts/import_preview.html",
        proposal=proposal,
        target=proposal.draft_in_preparation(),
        sections=sections,
        report=report,
        matches=matches,
        removed=removed,
        lost_changes=consolidation.changes_in(removed),
        form=confirm,
    ), (422 if refused else 200)


@bp.route("/proposals/<code>/import/preview/<token>")
@login_required
def preview_import(code: str, token: str):
    """The preview of a file a worker has read (see consult/drafts/jobs.py)."""
    proposal = load_proposal(code, can="manage")
    report = import_store.peek(token, user_id=current_user.id, proposal_id=proposal.id)
    if report is None or not report.sections:
        flash(_("The preview has expired. Please upload the file again."), "error")
        return redirect(url_for("drafts.import_draft", code=proposal.code))
    return _import_preview(proposal, report, request.args.get("change_note", ""), "articles")


@bp.route("/proposals/<code>/import/confirm", methods=["POST"])
@login_required
def confirm_import(code: str):
    proposal = load_proposal(code, can="manage")
    form = DraftImportConfirmForm()
    report = None
    if form.validate_on_submit():
        report = import_store.take(
            form.token.data, user_id=current_user.id, proposal_id=proposal.id
        )
    if report is None or not report.sections:
        flash(_("The preview has expired. Please upload the file again."), "error")
        return redirect(url_for("drafts.import_draft", code=proposal.code))
    if request.form.get("action") == "split":  # the same file, cut deeper or less deep
        return _import_preview(proposal, report, form.change_note.data or "", form.split.data)
    sections = split_articles(report.sections, form.split.data)
    # The drafting team's corrections of the matching, one "match-N" per incoming section.
    keys = None
    if any(name.startswith("match-") for name in request.form):
        keys = [request.form.get(f"match-{i}") or None for i in range(len(sections))]
    try:
        draft = draft_service.import_draft(
            proposal,
            sections,
            form.change_note.data or "",
            keys,
            actor=current_user,
            allow_removal=bool(form.remove_ok.data),
        )
    except draft_service.SectionsWouldBeRemoved:
        db.session.rollback()
        return _import_preview(
            proposal, report, form.change_note.data or "", form.split.data, keys, refused=True
        )
    db.session.commit()
    flash(
        _("%(n)d sections imported into draft %(d)d.", n=len(sections), d=draft.number), "success"
    )
    return redirect(draft_url(draft))


@bp.route("/proposals/<code>/import/example.<fmt>")
@login_required
def import_example(code: str, fmt: str):
    load_proposal(code, can="manage")
    if fmt == "docx":
        return download_response(example_docx(), "du-thao-mau.docx", DOCX_MIMETYPE)
    if fmt == "md":
        return download_response(
            example_markdown().encode("utf-8"), "du-thao-mau.md", "text/markdown; charset=utf-8"
        )
    abort(404)


# --- reading ------------------------------------------------------------------------------


@bp.route("/proposals/<code>/drafts/<int:number>")
def view_draft(code: str, number: int):
    return render_draft_page(load_draft(code, number))


@bp.route("/proposals/<code>/drafts/<int:number>/full")
def read_draft(code: str, number: int):
    draft = load_draft(code, number)
    return render_template("drafts/read.html", draft=draft, proposal=draft.proposal)


@bp.route("/proposals/<code>/drafts/<int:number>/sections/<int:section_id>")
def view_section(code: str, number: int, section_id: int):
    draft = load_draft(code, number)
    return render_section_page(draft, load_section(draft, section_id))


@bp.route("/proposals/<code>/drafts/<int:number>/export.<fmt>")
def export_draft(code: str, number: int, fmt: str):
    draft = load_draft(code, number)
    title = f"{draft.proposal.title} — {draft.title}"
    stem = f"{draft.proposal.code}-du-thao-{draft.number}"
    if fmt in ("docx", "md"):
        exports.record_download(
            "draft", draft, actor=current_user, allowed=draft.can_view, format=fmt
        )
        db.session.commit()
    if fmt == "docx":
        return download_response(export_docx(title, draft.sections), f"{stem}.docx", DOCX_MIMETYPE)
    if fmt == "md":
        text = export_markdown(title, draft.sections)
        return download_response(text.encode("utf-8"), f"{stem}.md", "text/markdown; charset=utf-8")
    abort(404)


# --- editing ------------------------------------------------------------------------------


@bp.route("/proposals/<code>/drafts/<int:number>/note", methods=["GET", "POST"])
@login_required
def edit_draft_note(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    form = DraftNoteForm(obj=draft)
    if form.validate_on_submit():
        draft_service.set_change_note(draft, form.change_note.data or "", actor=current_user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(draft_url(draft))
    return render_template("drafts/note_form.html", draft=draft, form=form), (
        422 if form.errors else 200
    )


@bp.route("/proposals/<code>/drafts/<int:number>/sections/new", methods=["GET", "POST"])
@login_required
def create_section(code: str, number: int):
    draft = load_draft(code, number, can="edit")
    form = NewSectionForm()
    after_raw = request.values.get("after")
    after_id = parse_id(after_raw) if after_raw else None
    if after_raw and after_id is None:
        abort(404)  # no section has such an id
    after = load_section(draft, after_id) if after_id else None
    if request.method == "GET" and after is not None:
        form.level.data = after.level
    if form.validate_on_submit():
        section = draft_service.add_section(
            draft,
            after=after,
            level=form.level.data,
            number=form.number.data or "",
            heading=form.heading.data,
            body=form.body.data or "",
            actor=current_user,
        )
        db.session.commit()
        flash(_("Section added."), "success")
        return redirect(draft_url(draft, _anchor=section.anchor))
    return render_template(
        "drafts/section_form.html", draft=draft, form=form, section=None, after=after
    ), (422 if form.errors else 200)


@bp.route(
    "/proposals/<code>/drafts/<int:number>/sections/<int:section_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit_section(code: str, number: int, section_id: int):
    draft = load_draft(code, number, can="edit")
    section = load_section(draft, section_id)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        draft_service.update_section(
            section,
            number=form.number.data or "",
            heading=form.heading.data,
            body=form.body.data or "",
            actor=current_user,
        )
        db.session.commit()
        flash(_("Section saved."), "success")
        return redirect(draft_url(draft, _anchor=section.anchor))
    return render_template(
        "drafts/section_form.html", draft=draft, form=form, section=section, after=None
    ), (422 if form.errors else 200)


@bp.route("/proposals/<code>/drafts/<int:number>/sections/<int:section_id>/move", methods=["POST"])
@login_required
def move_section(code: str, number: int, section_id: int):
    draft = load_draft(code, number, can="edit")
    section = load_section(draft, section_id)
    if EmptyForm().validate_on_submit():
        try:
            draft_service.move_section(
                section, request.form.get("direction", ""), actor=current_user
            )
        except IllegalTransition as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
    return redirect(draft_url(draft, _anchor=section.anchor))


@bp.route(
    "/proposals/<code>/drafts/<int:number>/sections/<int:section_id>/delete", methods=["POST"]
)
@login_required
def delete_section(code: str, number: int, section_id: int):
    draft = load_draft(code, number, can="edit")
    section = load_section(draft, section_id)
    if EmptyForm().validate_on_submit():
        count = draft_service.delete_section(section, actor=current_user)
        db.session.commit()
        flash(_("%(n)d section(s) deleted.", n=count), "success")
    return redirect(draft_url(draft))


# --- the comment period -------------------------------------------------------------------


@bp.route("/proposals/<code>/drafts/<int:number>/publish", methods=["GET", "POST"])
@login_required
def publish_draft(code: str, number: int):
    draft = load_draft(code, number, can="edit")
    form = PublishForm()
    warning = comment_service.publish_warning(draft)
    confirming = False
    if form.validate_on_submit():
        if warning is not None and not form.confirm.data:
            # An earlier draft is still open: ask first, change nothing.
            confirming = True
        else:
            try:
                comment_service.publish_draft(
                    draft,
                    from_vietnam_local(form.opens_at.data),
                    from_vietnam_local(form.closes_at.data),
                    actor=current_user,
                    cut_short=bool(form.confirm.data),
                )
            except IllegalTransition as exc:
                db.session.rollback()
                form.closes_at.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("Draft %(n)d is published.", n=draft.number), "success")
                return redirect(draft_url(draft))
    return render_template(
        "drafts/publish.html", draft=draft, form=form, warning=warning, confirming=confirming
    ), (422 if form.errors else 200)


@bp.route("/proposals/<code>/drafts/<int:number>/close", methods=["POST"])
@login_required
def close_draft(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    if EmptyForm().validate_on_submit():
        try:
            comment_service.close_draft(draft, actor=current_user)
        except IllegalTransition as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The comment period of draft %(n)d is closed.", n=draft.number), "success")
    return redirect(draft_url(draft))


@bp.route("/proposals/<code>/drafts/<int:number>/deadline", methods=["GET", "POST"])
@login_required
def extend_deadline(code: str, number: int):
    draft = load_draft(code, number, can="manage")
    form = ExtendDeadlineForm()
    if request.method == "GET":
        form.closes_at.data = to_vietnam_local(draft.closes_at)
    if form.validate_on_submit():
        try:
            comment_service.extend_deadline(
                draft, from_vietnam_local(form.closes_at.data), actor=current_user
            )
        except IllegalTransition as exc:
            db.session.rollback()
            form.closes_at.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The deadline has been extended."), "success")
            return redirect(draft_url(draft))
    return render_template("drafts/deadline.html", draft=draft, form=form), (
        422 if form.errors else 200
    )


# --- compare ------------------------------------------------------------------------------


def _compared_drafts(proposal: Proposal) -> tuple[Draft, Draft] | None:
    drafts = [d for d in proposal.drafts if d.can_view(current_user)]
    if len(drafts) < 2:
        return None
    by_number = {d.number: d for d in drafts}
    newer = by_number.get(request.args.get("to", type=int)) or drafts[-1]
    older = by_number.get(request.args.get("from", type=int)) or next(
        (d for d in reversed(drafts) if d.number < newer.number), drafts[0]
    )
    if older.number > newer.number:
        older, newer = newer, older
    return older, newer


@bp.route("/proposals/<code>/compare")
def compare_drafts(code: str):
    proposal = load_proposal(code)
    pair = _compared_drafts(proposal)
    if pair is None:
        flash(_("A comparison needs two drafts."), "info")
        return redirect(url_for("drafts.view_proposal", code=proposal.code))
    older, newer = pair
    changes = compare_sections(older.sections, newer.sections)
    show_unchanged = request.args.get("all") == "1"
    trace = consolidation.trace(
        older, newer, {c.new.key for c in changes if c.new is not None and c.changed}
    )
    behind = {
        section_id: [(ch, [cm for cm in ch.comments if cm.can_view(current_user)]) for ch in found]
        for section_id, found in trace.changes.items()
    }
    return render_template(
        "drafts/compare.html",
        proposal=proposal,
        older=older,
        newer=newer,
        drafts=[d for d in proposal.drafts if d.can_view(current_user)],
        changes=[c for c in changes if show_unchanged or c.kind != "unchanged"],
        counts={
            kind: sum(1 for c in changes if c.kind == kind)
            for kind in ("added", "removed", "moved", "changed", "unchanged")
        },  # fmt: skip
        show_unchanged=show_unchanged,
        redline=redline_html,
        older_comments=comment_service.comments_by_section(older, current_user),
        behind=behind,
        unseen=trace.unseen if proposal.reads_all_submitted(current_user) else [],
    )


@bp.route("/proposals/<code>/compare.docx")
def compare_drafts_docx(code: str):
    proposal = load_proposal(code)
    pair = _compared_drafts(proposal)
    if pair is None:
        abort(404)
    older, newer = pair
    title = _(
        "%(title)s: changes from draft %(a)d to draft %(b)d",
        title=proposal.title,
        a=older.number,
        b=newer.number,
    )
    # ?tracked=1: Word's own tracked changes, to accept or reject, instead of formatting.
    tracked = request.args.get("tracked") == "1"
    data = compare_docx(title, compare_sections(older.sections, newer.sections), tracked=tracked)
    suffix = "-theo-doi-thay-doi" if tracked else ""
    filename = f"{proposal.code}-so-sanh-{older.number}-{newer.number}{suffix}.docx"
    exports.record_download(
        "comparison", newer, actor=current_user, allowed=older.can_view, older=older.number
    )
    db.session.commit()
    return download_response(data, filename, DOCX_MIMETYPE)
