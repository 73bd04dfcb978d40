"""Command-line tools: ``flask users ...``, ``flask departments ...``, ``flask seed-demo``,
``flask backup`` and ``flask restore``.

Messages speak the portal's default language (Vietnamese), like the web interface.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from consult.extensions import db
from consult.models import ApiScope, Department, Role, User
from consult.services import accounts as account_service
from consult.services import api_tokens
from consult.services.accounts import AccountError
from consult.timeutil import format_datetime
from consult.validators import password_problem

users_cli = AppGroup("users", help="Manage user accounts.")
departments_cli = AppGroup("departments", help="Manage departments.")
drafts_cli = AppGroup("drafts", help="Import and export drafts of proposals.")
notify_cli = AppGroup("notify", help="Send notifications and deadline reminders.")
proposals_cli = AppGroup("proposals", help="Create proposals and seat their boards.")
attachments_cli = AppGroup("attachments", help="Look after the uploaded files.")
comments_cli = AppGroup("comments", help="Department comments: read a marked-up Word file.")
api_tokens_cli = AppGroup("api-tokens", help="Personal access tokens for the JSON API.")


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name shown in the portal.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--department", "department_code", help="Department code, e.g. STTTT.")
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.password_option(help="Prompted for when not given.")
def create_user_command(email, full_name, role, department_code, locale, password):
    """Create an account."""
    department = None
    if department_code:
        department = Department.by_code(department_code)
        if department is None:
            _fail(_("No department with code %(code)s.", code=department_code))
    problem = password_problem(password, email)
    if problem:
        _fail(problem)
    try:
        user = account_service.create_user(
            email=email,
            full_name=full_name,
            role=Role(role),
            password=password,
            department=department,
            locale=locale,
            via="cli",
        )
    except AccountError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(_("Account %(email)s created.", email=user.email))


@users_cli.command("list")
def list_users_command():
    """List accounts."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        dept = user.department.code if user.department else "-"
        state = "active" if user.is_active else "inactive"
        click.echo(f"{user.email}\t{user.role.value}\t{dept}\t{state}\t{user.full_name}")


def _user_or_fail(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        _fail(_("No account with email %(email)s.", email=email))
    return user


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email):
    """Deactivate an account: it can no longer sign in, its sessions end."""
    user = _user_or_fail(email)
    account_service.set_user_active(user, False, via="cli")
    db.session.commit()
    click.echo(_("%(email)s deactivated.", email=email))


@users_cli.command("activate")
@click.argument("email")
def activate_user_command(email):
    """Reactivate an account."""
    user = _user_or_fail(email)
    account_service.set_user_active(user, True, via="cli")
    db.session.commit()
    click.echo(_("%(email)s reactivated.", email=email))


@users_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password_command(email, password):
    """Set an account's password (ends its open sessions)."""
    user = _user_or_fail(email)
    problem = password_problem(password, user.email)
    if problem:
        _fail(problem)
    account_service.reset_password(user, password, via="cli")
    db.session.commit()
    click.echo(_("The password of %(email)s has been set.", email=email))


@api_tokens_cli.command("create")
@click.option("--user", "email", required=True, help="Email of the token's owner.")
@click.option("--name", required=True, help="What the token is for, e.g. e-office sync.")
@click.option("--scope", type=click.Choice([s.value for s in ApiScope]), default="read")
@click.option("--days", type=int, default=api_tokens.DEFAULT_DAYS, show_default=True)
def create_api_token_command(email, name, scope, days):
    """Make a token for a script; it is printed once and never shown again."""
    user = _user_or_fail(email)
    try:
        _token, secret = api_tokens.create(user, name=name, scope=ApiScope(scope), days=days)
    except api_tokens.TokenError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(secret)


@departments_cli.command("import")
@click.argument("csv_file", type=click.File("rb"))
def import_departments_command(csv_file):
    """Create or update departments from a UTF-8 CSV file (code,name,kind,email)."""
    try:
        text = csv_file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(_("The file must be saved as UTF-8 text."))
    result = account_service.import_departments_csv(text, via="cli")
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            click.echo(error, err=True)
        raise click.ClickException(_("Nothing was imported."))
    db.session.commit()
    click.echo(
        _(
            "%(created)d departments created, %(updated)d updated.",
            created=result.created,
            updated=result.updated,
        )
    )


@departments_cli.command("list")
def list_departments_command():
    """List departments."""
    for dept in db.session.scalars(select(Department).order_by(Department.code)):
        state = "active" if dept.is_active else "inactive"
        click.echo(f"{dept.code}\t{dept.kind.value}\t{state}\t{dept.name}")


@drafts_cli.command("import")
@click.option("--proposal", "proposal_code", required=True, help="Proposal code, e.g. DTTM-CT.")
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--change-note", default="", help="What changed in this draft.")
@click.option("--dry-run", is_flag=True, help="Show what the import would give; save nothing.")
def import_draft_command(proposal_code, path, change_note, dry_run):
    """Import a .docx, Markdown or text file as the draft in preparation (or the next draft)."""

    from flask import current_app

    from consult.documents.importer import DraftImportError, read_upload
    from consult.models import Proposal
    from consult.services import drafts as draft_service

    proposal = Proposal.by_code(proposal_code)
    if proposal is None:
        _fail(_("No proposal with code %(code)s.", code=proposal_code))
    file = Path(path)
    try:
        report = read_upload(
            file.name, file.read_bytes(), max_bytes=current_app.config["MAX_IMPORT_BYTES"]
        )
    except DraftImportError as exc:
        _fail(str(exc))
    sections = report.sections
    # What the preview shows: the outline, the words kept, what was not kept.
    for section in sections:
        title = f"{section.number} {section.heading}".strip()
        click.echo(f"{'  ' * (section.level - 1)}{title}  ({len(section.body)})")
    click.echo(
        _(
            "Words of the file in the sections: %(kept)d of %(total)d (%(percent)s%%).",
            kept=report.words_kept,
            total=report.words_total,
            percent=f"{report.kept_percent:.1f}",
        )
    )
    if report.tracked_changes:
        click.echo(
            _(
                "The file held %(n)d tracked changes: the text is read as if they were all "
                "accepted.",
                n=report.tracked_changes,
            )
        )
    if report.comments:
        click.echo(
            _(
                "The file held %(n)d Word comments; they are not part of the text and are not "
                "imported.",
                n=report.comments,
            )
        )
    if report.not_kept:
        click.echo(_("Not kept:") + " " + ", ".join(report.not_kept))
    reference = draft_service.import_reference(proposal)
    removed = draft_service.removed_sections(
        reference, draft_service.resolve_keys(reference, sections)
    )
    if removed:
        click.echo(
            ngettext(
                "Saving removes %(num)d section of the draft:",
                "Saving removes %(num)d sections of the draft:",
                len(removed),
            )
            + " "
            + "; ".join(s.title for s in removed)
        )
    if dry_run:
        click.echo(_("Dry run: nothing was saved."))
        return
    draft = draft_service.import_draft(proposal, sections, change_note)
    db.session.commit()
    click.echo(_("%(n)d sections imported into draft %(d)d.", n=len(sections), d=draft.number))


def _operator(email: str | None) -> User:
    """Who the command acts as: the administrator named, or the first active one."""
    if email:
        user = User.by_email(email)
    else:
        user = db.session.scalar(
            select(User).where(User.role == Role.ADMIN, User.is_active.is_(True)).order_by(User.id)
        )
    if user is None or not user.is_admin:
        _fail(_("No active administrator account to act as (use --by)."))
    return user


def _proposal_or_fail(code: str):
    from consult.models import Proposal

    proposal = Proposal.by_code(code)
    if proposal is None:
        _fail(_("No proposal with code %(code)s.", code=code))
    return proposal


_by_option = click.option("--by", "by_email", help="Administrator to act as (default: the first).")


@proposals_cli.command("create")
@click.option("--code", required=True, help="Short code, e.g. DTTM-CT.")
@click.option("--title", required=True)
@click.option("--lead", "lead_code", required=True, help="Code of the lead agency, e.g. SKHDT.")
@click.option("--chair", "chair_email", required=True, help="Email of the board's chair.")
@click.option("--public/--internal", default=False, show_default=True)
@_by_option
def create_proposal_command(code, title, lead_code, chair_email, public, by_email):
    """Create a proposal with its lead agency and board chair, and an empty draft 1."""
    from consult.models import Proposal, Visibility
    from consult.services import drafts as draft_service

    operator = _operator(by_email)
    lead = Department.by_code(lead_code)
    if lead is None:
        _fail(_("No department with code %(code)s.", code=lead_code))
    chair = _user_or_fail(chair_email)
    if Proposal.by_code(code) is not None:
        _fail(_("This code is already used by another proposal."))
    try:
        proposal = draft_service.create_proposal(
            code=code,
            title=title,
            summary="",
            visibility=Visibility.PUBLIC if public else Visibility.INTERNAL,
            user=operator,
            lead_agency=lead,
        )
        draft_service.set_chair(proposal, operator, chair)
        if chair.id != operator.id:
            draft_service.unseat_member(proposal, operator, operator)
        draft_service.start_next_draft(proposal)
    except draft_service.BoardError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(_("Proposal %(code)s created.", code=proposal.code))


@proposals_cli.command("board-add")
@click.argument("code")
@click.argument("email")
@click.option("--seat", type=click.Choice(["member", "organizer"]), default="member")
@_by_option
def board_add_command(code, email, seat, by_email):
    """Give EMAIL a seat on proposal CODE's board (or among its organizers)."""
    from consult.models import Seat
    from consult.services import drafts as draft_service

    proposal, person = _proposal_or_fail(code), _user_or_fail(email)
    try:
        draft_service.seat_member(proposal, _operator(by_email), person, Seat(seat))
    except draft_service.BoardError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(_("%(name)s now has a seat.", name=person.full_name))


def _change_board(code: str, email: str, by_email: str | None, change: str) -> None:
    from consult.services import drafts as draft_service

    proposal, person = _proposal_or_fail(code), _user_or_fail(email)
    try:
        getattr(draft_service, change)(proposal, _operator(by_email), person)
    except draft_service.BoardError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(_("The board is saved."))


@proposals_cli.command("board-remove")
@click.argument("code")
@click.argument("email")
@_by_option
def board_remove_command(code, email, by_email):
    """Remove EMAIL's seat on proposal CODE."""
    _change_board(code, email, by_email, "unseat_member")


@proposals_cli.command("set-chair")
@click.argument("code")
@click.argument("email")
@_by_option
def set_chair_command(code, email, by_email):
    """Hand the chair of proposal CODE's board to EMAIL."""
    _change_board(code, email, by_email, "set_chair")


@click.command("report")
@click.option("--draft", "draft_id", type=int, required=True, help="The draft's id.")
@click.option(
    "--format", "fmt", type=click.Choice(["xlsx", "docx", "csv", "pdf", "html"]), required=True
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--section", help="A section id, or 0 for the general comments.")
@click.option("--department", help="A department id.")
@click.option("--status", help="new, under_review, accepted, partly_accepted, not_accepted, noted.")
@click.option("--kind", help="general, change, question, objection, editorial.")
@click.option("--source", help="online or workshop.")
@click.option("--from", "date_from", help="Submitted on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Submitted on or before (YYYY-MM-DD).")
def report_command(draft_id, fmt, output, **filters):
    """Write the summary report of a draft ("bản tổng hợp ý kiến") to a file."""
    from flask import current_app, render_template

    from consult.documents.report import CHART_FORMATS, write_report
    from consult.models import Draft
    from consult.services import reports as report_service

    draft = db.session.get(Draft, draft_id)
    if draft is None:
        _fail(_("No draft with id %(id)d.", id=draft_id))
    args = {{"date_from": "from", "date_to": "to"}.get(k, k): v for k, v in filters.items() if v}
    report = report_service.summary_report(draft, report_service.ReportFilters.from_args(args))
    with open(output, "wb") as out:
        if fmt == "html":
            # Templates expect a request (language, paths): a neutral one is enough here.
            with current_app.test_request_context():
                rows = list(report.rows)
                html = render_template("reports/standalone.html", report=report, rows=rows)
            out.write(html.encode("utf-8"))
        else:
            charts = report_service.charts_for(draft, report) if fmt in CHART_FORMATS else ()
            write_report(report, fmt, out, charts=charts)
    click.echo(_("Report written to %(path)s.", path=output))


@click.command("seed-demo")
def seed_demo_command():
    """Load the Vietnamese demo (departments, accounts, the Cần Thơ proposal); idempotent."""
    from consult.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo

    users = seed_demo()
    click.echo(_("Demo accounts (password for all: %(password)s):", password=DEMO_PASSWORD))
    for user in users:
        dept = user.department.code if user.department else "-"
        click.echo(f"  {user.role.value:<10} {user.email:<36} {dept}")
    click.echo(
        _(
            "Every other body that responded has a lead account: lanhdao.<code>@%(domain)s.",
            domain=DEMO_DOMAIN,
        )
    )


@notify_cli.command("send-due")
def send_due_command():
    """Write due deadline reminders and send every due e-mail (run it from cron).

    Safe to run as often as you like, also twice at the same time: nobody gets the same
    reminder twice, and an e-mail that cannot be sent is tried again on a later run.
    """
    from consult.services import notifications as notification_service

    # Links in the messages are built as if for a request to the portal's public address.
    with current_app.test_request_context("/", base_url=current_app.config["PORTAL_URL"]):
        report = notification_service.send_due()
    click.echo(
        _(
            "Reminders written: %(reminders)d. E-mails sent: %(sent)d, daily summaries: "
            "%(digests)d, to retry later: %(retried)d, given up: %(failed)d.",
            reminders=report.reminders,
            sent=report.sent,
            digests=report.digests,
            retried=report.retried,
            failed=report.failed,
        )
    )
    for error in dict.fromkeys(report.errors):
        click.echo(_("Could not send e-mail: %(error)s", error=error), err=True)


@click.command("worker")
@click.option("--workers", type=int, help="Jobs run at once (default JOB_WORKERS, 2).")
@click.option(
    "--threads", is_flag=True, help="Threads instead of processes (less memory, one core)."
)
@click.option("--no-periodic", is_flag=True, help="Leave the periodic tasks to another worker.")
def worker_command(workers, threads, no_periodic):
    """Run the background jobs (exports, e-mails, reminders) until stopped.

    SIGINT (Ctrl+C) lets running jobs finish; SIGTERM stops at once, and a job cut short is
    queued again when its lease runs out. Several workers, on one server or on several
    sharing REDIS_URL, may run at once.
    """
    import logging

    from consult.jobs.queue import make_consumer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = make_consumer(
        current_app._get_current_object(), workers, threads=threads, periodic=not no_periodic
    )
    consumer.run()


@attachments_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="List the files without removing them.")
def prune_attachments_command(dry_run):
    """Remove uploaded files that no attachment references (older than an hour)."""
    from consult import uploads

    orphans = uploads.orphaned_files()
    for path in orphans:
        click.echo(str(path))
        if not dry_run:
            path.unlink(missing_ok=True)
    size = sum(p.stat().st_size for p in orphans if p.exists()) if dry_run else None
    if dry_run:
        click.echo(_("%(n)d files no attachment references (%(size)d bytes).", n=len(orphans),
                     size=size))  # fmt: skip
    else:
        click.echo(_("%(n)d files no attachment references were removed.", n=len(orphans)))


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path):
    """Write a backup (database and uploaded files) to PATH, a .tar.gz; safe while running."""
    from consult.backup import BackupError, create_backup

    try:
        manifest = create_backup(path)
    except BackupError as exc:
        _fail(str(exc))
    click.echo(
        _(
            "Backup written to %(path)s (%(database)s database, %(files)d files).",
            path=str(path),
            database=manifest.database,
            files=manifest.files,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path, yes):
    """Replace the database and uploaded files with the backup in PATH. Stop the portal first."""
    from consult.backup import BackupError, read_manifest, restore_backup

    try:
        manifest = read_manifest(path)
        if not yes:
            click.confirm(
                _(
                    "Replace the database and every uploaded file with the backup taken on "
                    "%(date)s? What was written since then will be lost.",
                    date=format_datetime(manifest.created_at),
                ),
                abort=True,
            )
        restore_backup(path)
    except BackupError as exc:
        _fail(str(exc))
    click.echo(_("Backup of %(date)s restored.", date=format_datetime(manifest.created_at)))
    click.echo(_("Now run `flask --app run db upgrade`, then start the portal again."))


def _draft_or_fail(draft_id: int):
    from consult.models import Draft

    draft = db.session.get(Draft, draft_id)
    if draft is None:
        _fail(_("No draft with id %(id)d.", id=draft_id))
    return draft


@drafts_cli.command("export")
@click.option("--draft", "draft_id", type=int, required=True, help="The draft's id.")
@click.option("--for-review", "mode", flag_value="review", help="The copy made for review.")
@click.option(
    "--with-comments", "mode", flag_value="comments", help="With every submitted comment."
)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export_draft_command(draft_id, mode, output):
    """Write a draft as .docx: made for review, or with its comments and proposed changes."""
    from consult.services import word as word_service

    draft = _draft_or_fail(draft_id)
    if mode is None:
        _fail(_("Choose --for-review or --with-comments."))
    data = (
        word_service.review_copy(draft) if mode == "review" else word_service.comments_copy(draft)
    )
    Path(output).write_bytes(data)
    click.echo(_("Written to %(path)s.", path=output))


@comments_cli.command("import-word")
@click.option("--draft", "draft_id", type=int, required=True, help="The draft's id.")
@click.option("--department", "code", required=True, help="The department's code, e.g. STTTT.")
@click.option("--user", "email", required=True, help="The reviewer or lead who saves them.")
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what the file holds; save nothing.")
def import_word_command(draft_id, code, email, path, dry_run):
    """Read a marked-up Word file as a department's draft comments."""
    from consult.services import word as word_service
    from consult.services.comments import CommentError

    draft = _draft_or_fail(draft_id)
    user = User.by_email(email)
    department = db.session.scalar(select(Department).where(Department.code == code))
    if department is None:
        _fail(_("No department with code %(code)s.", code=code))
    if user is None or user.department_id != department.id:
        _fail(_("%(email)s is not an account of %(code)s.", email=email, code=code))
    file = Path(path)
    data = file.read_bytes()
    try:
        word_service.check_upload(data, current_app.config["MAX_IMPORT_BYTES"])
        lines = word_service.read_file(draft, department.id, data, file.name)
    except CommentError as exc:
        _fail(str(exc))
    for line in lines:
        state = (
            _("cannot be placed: %(why)s", why=line.problem)
            if line.problem
            else _("already saved")
            if line.duplicate
            else _("new")
        )
        click.echo(f"{line.number}. [{line.origin}] {line.section_title} — {state}")
        if line.quote:
            click.echo(f"   «{line.quote}»")
        click.echo(f"   {line.body}")
        if line.proposes_deletion:
            click.echo("   " + _("Proposed: delete this passage."))
        elif line.proposed_text:
            click.echo("   " + _("Proposed wording:") + f" {line.proposed_text}")
    savable = [line for line in lines if line.can_save]
    if dry_run or not savable:
        click.echo(
            _("%(n)d lines found, %(k)d to save; nothing was saved.", n=len(lines), k=len(savable))
        )
        return
    choices = [word_service.Choice(line.number, line.body, line.proposed_text) for line in savable]
    try:
        created = word_service.save_lines(draft, user, lines, choices, file.name)
    except CommentError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(_("%(n)d comments saved as drafts of the department.", n=len(created)))


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(departments_cli)
    app.cli.add_command(drafts_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(proposals_cli)
    app.cli.add_command(attachments_cli)
    app.cli.add_command(comments_cli)
    app.cli.add_command(api_tokens_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(report_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(restore_command)
