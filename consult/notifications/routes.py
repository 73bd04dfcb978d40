"""The notifications page, opening a notification, and notification settings."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.documents.texts import describe
from consult.extensions import db
from consult.forms import EmptyForm
from consult.models import Channel, Notification, NotificationKind
from consult.notifications import bp
from consult.notifications.forms import preferences_form
from consult.permissions import load_or_404
from consult.services import notifications as notification_service
from consult.utils import paginate


@bp.route("/notifications")
@login_required
def index():
    page = paginate(notification_service.inbox_query(current_user))
    items = [(n, describe(n)) for n in page.items]
    return render_template("notifications/index.html", page=page, items=items, form=EmptyForm())


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    notification = load_or_404(Notification, notification_id)
    if EmptyForm().validate_on_submit():
        notification_service.mark_read(notification)
        db.session.commit()
        return redirect(notification.link)
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        count = notification_service.mark_all_read(current_user)
        db.session.commit()
        if count:
            flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = preferences_form(current_user)
    if request.method == "GET":
        chosen = notification_service.preferences_of(current_user)
        for field in form.kind_fields():
            field.data = chosen[NotificationKind(field.name.removeprefix("kind_"))].value
        form.digest.data = current_user.email_digest
    if form.validate_on_submit():
        channels = {
            NotificationKind(field.name.removeprefix("kind_")): Channel(field.data)
            for field in form.kind_fields()
        }
        notification_service.save_preferences(current_user, channels, form.digest.data)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), (422 if form.errors else 200)
