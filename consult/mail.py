"""E-mails for notifications: built in the recipient's language, plain text and HTML, with a
calendar file for workshops, and sent over SMTP (Flask-Mail's settings) or, without
MAIL_SERVER, written to the log."""

from __future__ import annotations

import email.policy
import smtplib
from urllib.parse import urljoin

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mail import BadHeaderError, Connection, Message

from consult.documents.ics import workshop_calendar
from consult.documents.texts import describe
from consult.models import Notification, NotificationKind, User
from consult.text import single_line, xml_safe

# One SMTP conversation should never hang a run of send-due.
SMTP_TIMEOUT = 30


class PortalMessage(Message):
    """Flask-Mail's message, with headers kept on one line up to 998 characters.

    Python 3.11's SMTP policy refolds an encoded Subject at 78 characters and drops the
    space at the fold ("Đề án xây" arrives as "Đề ánxây"); Flask-Mail has already folded
    the encoded words correctly, so the policy must not fold them again.
    """

    def __init__(self, subject: str = "", **kwargs):
        # User text (a workshop or proposal title) reaches the Subject: on one line, so it
        # can never end the header and start another (Bcc: ...).
        for part in ("body", "html"):
            if kwargs.get(part):
                kwargs[part] = xml_safe(kwargs[part])
        super().__init__(subject=single_line(subject), **kwargs)

    def _message(self):
        message = super()._message()
        message.policy = email.policy.SMTP.clone(max_line_length=998)
        return message


class TimedConnection(Connection):
    """Flask-Mail's connection, with a socket timeout."""

    def configure_host(self):
        state = self.mail
        timeout = current_app.config.get("MAIL_TIMEOUT", SMTP_TIMEOUT)
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def recipient_locale(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def absolute(link: str) -> str:
    """A stored link (a path, with the script root when the portal runs under one) as the
    address to open from an e-mail."""
    return urljoin(current_app.config["PORTAL_URL"], link)


def build_message(notification: Notification) -> Message:
    user = notification.user
    with force_locale(recipient_locale(user)):
        text = describe(notification)
        context = {
            "user": user,
            "items": [(notification, text)],
            "absolute": absolute,
            "settings_url": absolute("/notifications/settings"),
        }
        message = PortalMessage(
            subject=f"[{current_app.config['PORTAL_NAME']}] {text.subject}",
            recipients=[user.email],
            body=render_template("notifications/email/message.txt", **context),
            html=render_template("notifications/email/message.html", **context),
        )
        if notification.kind is NotificationKind.WORKSHOP:
            event = notification.params.get("event")
            message.attach(
                "workshop.ics",  # a fixed name: no user text in the part's headers
                "text/calendar; method=" + ("CANCEL" if event == "cancelled" else "REQUEST"),
                workshop_calendar(notification.params, user.email),
            )
    return message


def build_digest(user: User, notifications: list[Notification]) -> Message:
    with force_locale(recipient_locale(user)):
        items = [(n, describe(n)) for n in notifications]
        context = {
            "user": user,
            "items": items,
            "absolute": absolute,
            "settings_url": absolute("/notifications/settings"),
            "digest": True,
        }
        message = PortalMessage(
            subject=f"[{current_app.config['PORTAL_NAME']}] "
            + _("Your daily summary: %(num)d notifications", num=len(items)),
            recipients=[user.email],
            body=render_template("notifications/email/message.txt", **context),
            html=render_template("notifications/email/message.html", **context),
        )
        for notification, _text in items:
            if notification.kind is NotificationKind.WORKSHOP:
                message.attach(
                    f"workshop-{notification.params['workshop']}.ics",
                    "text/calendar",
                    workshop_calendar(notification.params, user.email),
                )
    return message


# --- sending --------------------------------------------------------------------------------


def _deliver(messages: list[tuple[object, Message]]):
    """Send over one SMTP connection; yields (key, error or None) for each message."""
    if not current_app.config.get("MAIL_SERVER"):
        for key, message in messages:
            current_app.logger.info(
                "E-mail (MAIL_SERVER is not set, so it is logged instead of sent)\n"
                "To: %s\nSubject: %s\n\n%s",
                ", ".join(message.recipients),
                message.subject,
                message.body,
            )
            yield key, None
        return
    try:
        connection = TimedConnection(current_app.extensions["mail"])
        with connection:
            for key, message in messages:
                try:
                    connection.send(message)
                except smtplib.SMTPRecipientsRefused as exc:
                    yield key, f"refused: {exc}"
                except (BadHeaderError, ValueError, UnicodeError) as exc:
                    # This message cannot be written: it fails alone, the batch goes on.
                    yield key, Unsendable(f"{exc.__class__.__name__}: {exc}")
                else:
                    yield key, None
    except (OSError, smtplib.SMTPException) as exc:
        # The server is unreachable or dropped us: what was not yet sent is tried later.
        current_app.logger.warning("SMTP delivery failed: %s", exc)
        yield None, f"{exc.__class__.__name__}: {exc}"


class Unsendable(str):
    """The reason a message can never be sent (it cannot be built or written), as opposed
    to a server that is down or refuses it for now: no later try would succeed."""


def send_notifications(batch: list[Notification]):
    """Send one e-mail per notification; returns (sent, [(not sent, error)]).

    An error that is an `Unsendable` concerns that message alone.
    """
    by_id = {n.id: n for n in batch}
    sent, failed, messages = [], [], []
    for notification in batch:
        try:
            messages.append((notification.id, build_message(notification)))
        except Exception as exc:  # noqa: BLE001  (one bad row must not stop everyone's mail)
            current_app.logger.exception("Notification %s cannot be written", notification.id)
            failed.append(([notification], Unsendable(f"{exc.__class__.__name__}: {exc}")))
    for key, error in _deliver(messages):
        if key is None:  # the connection broke: the rest is not sent
            done = {n.id for n in sent} | {n.id for group, _e in failed for n in group}
            failed.append(([n for n in batch if n.id not in done], error))
            break
        if error:
            failed.append(([by_id[key]], error))
        else:
            sent.append(by_id[key])
    return sent, failed


def send_digest(user: User, notifications: list[Notification]) -> str | None:
    """Send one digest; returns the error, or None when it went out."""
    try:
        message = build_digest(user, notifications)
    except Exception as exc:  # noqa: BLE001  (one bad digest must not stop the others)
        current_app.logger.exception("The digest of user %s cannot be written", user.id)
        return Unsendable(f"{exc.__class__.__name__}: {exc}")
    for _key, error in _deliver([(user.id, message)]):
        return error
    return None
