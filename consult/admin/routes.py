"""Administrator pages: departments and accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from consult.admin import bp
from consult.admin.forms import DepartmentForm, DepartmentImportForm, ResetPasswordForm, UserForm
from consult.documents.csv import write_audit_csv
from consult.documents.report import MIMETYPES
from consult.documents.xlsx import write_audit_xlsx
from consult.extensions import db
from consult.forms import EmptyForm
from consult.history import describe_audit_event, detail_of
from consult.models import AuditAction, Department, DepartmentKind, Role, User
from consult.models.base import utcnow
from consult.permissions import admin_required, load_or_404
from consult.services import accounts as account_service
from consult.services import audit as audit_service
from consult.services import exports
from consult.services.accounts import AccountError
from consult.services.audit import AuditFilter
from consult.timeutil import VIETNAM
from consult.utils import flash_form_errors, paginate, parse_date, parse_enum, send_written


@bp.route("/")
@admin_required
def index():
    return redirect(url_for("admin.list_users"))


# --- departments -------------------------------------------------------------------------


@bp.route("/departments")
@admin_required
def list_departments():
    query = select(Department).order_by(Department.kind, Department.name)
    kind = request.args.get("kind", "")
    if kind in {k.value for k in DepartmentKind}:
        query = query.where(Department.kind == DepartmentKind(kind))
    q = request.args.get("q", "").strip()
    if q:
        like = f"%{q}%"
        query = query.where(or_(Department.name.ilike(like), Department.code.ilike(like)))
    page = paginate(query)
    return render_template(
        "admin/departments.html",
        page=page,
        kinds=list(DepartmentKind),
        kind=kind,
        q=q,
        form=EmptyForm(),
    )


@bp.route("/departments/new", methods=["GET", "POST"])
@admin_required
def create_department():
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            department = account_service.upsert_department(
                code=form.code.data,
                name=form.name.data,
                kind=DepartmentKind(form.kind.data),
                email=form.email.data,
                phone=form.phone.data,
            )
        except AccountError as exc:
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Department %(code)s created.", code=department.code), "success")
            return redirect(url_for("admin.list_departments"))
    return render_template(
        "admin/department_form.html", form=form, department=None
    ), 422 if form.errors else 200


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_department(department_id: int):
    department = load_or_404(Department, department_id)
    form = DepartmentForm(obj=department)
    if request.method == "GET":
        form.kind.data = department.kind.value
    if form.validate_on_submit():
        try:
            account_service.upsert_department(
                code=form.code.data,
                name=form.name.data,
                kind=DepartmentKind(form.kind.data),
                email=form.email.data,
                phone=form.phone.data,
                department=department,
            )
        except AccountError as exc:
            db.session.rollback()
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Department %(code)s saved.", code=department.code), "success")
            return redirect(url_for("admin.list_departments"))
    return render_template(
        "admin/department_form.html", form=form, department=department
    ), 422 if form.errors else 200


@bp.route("/departments/<int:department_id>/active", methods=["POST"])
@admin_required
def toggle_department(department_id: int):
    department = load_or_404(Department, department_id)
    if EmptyForm().validate_on_submit():
        try:
            account_service.set_department_active(department, not department.is_active)
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            if department.is_active:
                flash(_("%(code)s reactivated.", code=department.code), "success")
            else:
                flash(_("%(code)s deactivated.", code=department.code), "success")
    return redirect(url_for("admin.list_departments"))


@bp.route("/departments/import", methods=["GET", "POST"])
@admin_required
def import_departments():
    form = DepartmentImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            errors = [_("The file must be saved as UTF-8 text.")]
        else:
            result = account_service.import_departments_csv(text)
            errors = result.errors
            if not errors:
                db.session.commit()
                flash(
                    _(
                        "%(created)d departments created, %(updated)d updated.",
                        created=result.created,
                        updated=result.updated,
                    ),
                    "success",
                )
                return redirect(url_for("admin.list_departments"))
            db.session.rollback()
    status = 422 if (errors or form.errors) else 200
    return render_template("admin/department_import.html", form=form, import_errors=errors), status


# --- users -------------------------------------------------------------------------------


@bp.route("/users")
@admin_required
def list_users():
    query = select(User).outerjoin(User.department).order_by(User.full_name)
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    q = request.args.get("q", "").strip()
    if q:
        like = f"%{q}%"
        query = query.where(
            or_(User.full_name.ilike(like), User.email.ilike(like), Department.code.ilike(like))
        )
    page = paginate(query)
    return render_template(
        "admin/users.html",
        page=page,
        roles=list(Role),
        role=role,
        q=q,
        form=EmptyForm(),
        locked=account_service.locked_emails(u.email for u in page.items),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create_user():
    form = UserForm()
    if request.method == "GET":
        form.locale.data = "vi"
    if form.validate_on_submit():
        try:
            user = account_service.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                password=form.password.data,
                department=form.department,
                locale=form.locale.data or None,
                may_create_proposals=form.may_create_proposals.data,
            )
        except AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/user_form.html", form=form, user=None
    ), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = load_or_404(User, user_id)
    form = UserForm(obj=user, editing=True)
    if request.method == "GET":
        form.role.data = user.role.value
        form.department_id.data = user.department_id or 0
    if form.validate_on_submit():
        try:
            account_service.update_user(
                user,
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                department=form.department,
                locale=form.locale.data or None,
                may_create_proposals=form.may_create_proposals.data,
            )
        except AccountError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        password_form=ResetPasswordForm(user),
        toggle_form=EmptyForm(),
        locked=account_service.is_locked(user.email),
    ), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    user = load_or_404(User, user_id)
    form = ResetPasswordForm(user)
    if form.validate_on_submit():
        # A new password from the administrator also lifts a lock from failed sign-ins.
        account_service.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("The password of %(email)s has been set.", email=user.email), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def toggle_user(user_id: int):
    user = load_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        try:
            account_service.set_user_active(user, not user.is_active, acting_user=current_user)
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            if user.is_active:
                flash(_("%(email)s reactivated.", email=user.email), "success")
            else:
                flash(_("%(email)s deactivated.", email=user.email), "success")
    return redirect(url_for("admin.list_users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@admin_required
def unlock_user(user_id: int):
    user = load_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        account_service.unlock_account(user)
        db.session.commit()
        flash(_("%(email)s can sign in again.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


# --- audit log ---------------------------------------------------------------------------


def _audit_filter() -> AuditFilter:
    return AuditFilter(
        action=parse_enum(AuditAction, request.args.get("action")),
        user=request.args.get("user", "").strip()[:255],
        start=parse_date(request.args.get("start")),
        end=parse_date(request.args.get("end")),
    )


@bp.route("/audit")
@admin_required
def audit_log():
    filters = _audit_filter()
    page = paginate(filters.query())
    details = [detail_of(e) for e in page.items]
    refs = audit_service.references(page.items, details)
    return render_template(
        "admin/audit.html",
        page=page,
        entries=[
            (e, describe_audit_event(e, d, refs)) for e, d in zip(page.items, details, strict=True)
        ],
        filters=filters,
        actions=list(AuditAction),
        export_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.route("/audit/export.<fmt>")
@admin_required
def export_audit_log(fmt: str):
    writers = {"csv": write_audit_csv, "xlsx": write_audit_xlsx}
    if fmt not in writers:
        abort(404)
    query = _audit_filter().query()
    # Recorded (and committed) before the rows are read, so the export lists itself.
    exports.record_download(
        "audit",
        None,
        actor=current_user,
        allowed=lambda user: user.is_admin,
        format=fmt,
        filters=request.args.to_dict(),
    )
    db.session.commit()
    writer = writers[fmt]
    events = db.session.scalars(query.execution_options(yield_per=500))
    stamp = utcnow().astimezone(VIETNAM).strftime("%Y%m%d-%H%M")
    return send_written(lambda out: writer(events, out), MIMETYPES[fmt], f"nhat-ky-{stamp}.{fmt}")
