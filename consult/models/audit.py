"""The audit log: who did what, when and from where, for security and data-changing events."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.models.accounts import User, enum_column
from consult.models.base import UTCDateTime, utcnow


class AuditAction(enum.StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOCKOUT = "login.lockout"
    LOGOUT = "logout"
    SESSION_END = "session.end"
    API_TOKEN_CREATE = "api_token.create"  # noqa: S105  (an event name)
    API_TOKEN_REVOKE = "api_token.revoke"  # noqa: S105
    PASSWORD_CHANGE = "password.change"  # noqa: S105  (an event name)
    PASSWORD_CHECK_FAILED = "password.check_failed"  # noqa: S105
    PASSWORD_RESET = "password.reset"  # noqa: S105
    ACCOUNT_UNLOCK = "account.unlock"
    USER_CREATE = "user.create"
    USER_UPDATE = "user.update"
    ROLE_CHANGE = "user.role"
    USER_DEACTIVATE = "user.deactivate"
    USER_ACTIVATE = "user.activate"
    DEPARTMENT_CREATE = "department.create"
    DEPARTMENT_UPDATE = "department.update"
    DEPARTMENT_DEACTIVATE = "department.deactivate"
    DEPARTMENT_ACTIVATE = "department.activate"
    DEPARTMENT_IMPORT = "department.import"
    COMMENT_CREATE = "comment.create"
    RESPONSE_SUBMIT = "response.submit"
    COMMENT_STATUS = "comment.status"
    COMMENT_ANSWER = "comment.answer"
    COMMENT_MERGE = "comment.merge"
    COMMENT_IMPORT = "comment.import"
    COMMENT_ASSIGN = "comment.assign"
    DRAFT_PUBLISH = "draft.publish"
    DRAFT_CLOSE = "draft.close"
    DRAFT_EXTEND = "draft.extend"
    DRAFT_SETTINGS = "draft.settings"
    DRAFT_REMIND = "draft.remind"
    WORKSHOP_CHANGE = "workshop.change"
    EXPORT = "export"
    PROPOSAL_CREATE = "proposal.create"
    PROPOSAL_UPDATE = "proposal.update"
    BOARD_ADD = "board.add"
    BOARD_REMOVE = "board.remove"
    BOARD_CHAIR = "board.chair"
    CHANGE_APPLY = "consolidation.apply"
    CHANGE_UNDO = "consolidation.undo"

    @property
    def label(self) -> str:
        return str(AUDIT_ACTION_LABELS[self])


AUDIT_ACTION_LABELS = {
    AuditAction.LOGIN: _l("Signed in"),
    AuditAction.LOGIN_FAILED: _l("Failed sign-in"),
    AuditAction.LOCKOUT: _l("Sign-in locked after failures"),
    AuditAction.LOGOUT: _l("Signed out"),
    AuditAction.SESSION_END: _l("Session ended from the sessions page"),
    AuditAction.API_TOKEN_CREATE: _l("API token created"),
    AuditAction.API_TOKEN_REVOKE: _l("API token revoked"),
    AuditAction.PASSWORD_CHANGE: _l("Password changed"),
    AuditAction.PASSWORD_CHECK_FAILED: _l("Wrong current password when changing it"),
    AuditAction.PASSWORD_RESET: _l("Password set by an administrator"),
    AuditAction.ACCOUNT_UNLOCK: _l("Sign-in unlocked"),
    AuditAction.USER_CREATE: _l("Account created"),
    AuditAction.USER_UPDATE: _l("Account edited"),
    AuditAction.ROLE_CHANGE: _l("Role changed"),
    AuditAction.USER_DEACTIVATE: _l("Account deactivated"),
    AuditAction.USER_ACTIVATE: _l("Account reactivated"),
    AuditAction.DEPARTMENT_CREATE: _l("Department created"),
    AuditAction.DEPARTMENT_UPDATE: _l("Department edited"),
    AuditAction.DEPARTMENT_DEACTIVATE: _l("Department deactivated"),
    AuditAction.DEPARTMENT_ACTIVATE: _l("Department reactivated"),
    AuditAction.DEPARTMENT_IMPORT: _l("Departments imported"),
    AuditAction.COMMENT_CREATE: _l("Draft comment written"),
    AuditAction.RESPONSE_SUBMIT: _l("Official response submitted"),
    AuditAction.PROPOSAL_CREATE: _l("Proposal created"),
    AuditAction.PROPOSAL_UPDATE: _l("Proposal edited"),
    AuditAction.BOARD_ADD: _l("Seat on a proposal given"),
    AuditAction.BOARD_REMOVE: _l("Seat on a proposal removed"),
    AuditAction.BOARD_CHAIR: _l("Board chair handed over"),
    AuditAction.CHANGE_APPLY: _l("Accepted comments applied to the next draft"),
    AuditAction.CHANGE_UNDO: _l("An applied change undone"),
    AuditAction.COMMENT_STATUS: _l("Comment status changed"),
    AuditAction.COMMENT_ANSWER: _l("Comment answered"),
    AuditAction.COMMENT_MERGE: _l("Comments merged or separated"),
    AuditAction.COMMENT_IMPORT: _l("Comments read from a Word file"),
    AuditAction.COMMENT_ASSIGN: _l("Comments assigned"),
    AuditAction.DRAFT_PUBLISH: _l("Draft published"),
    AuditAction.DRAFT_CLOSE: _l("Comment period closed"),
    AuditAction.DRAFT_EXTEND: _l("Deadline extended"),
    AuditAction.DRAFT_SETTINGS: _l("Consultation settings changed"),
    AuditAction.DRAFT_REMIND: _l("Bodies reminded to respond"),
    AuditAction.WORKSHOP_CHANGE: _l("Workshop changed"),
    AuditAction.EXPORT: _l("Export or download"),
}


class AuditEvent(db.Model):
    """One event; never updated. The actor's email is kept as typed, so a failed sign-in
    with an unknown email, or an account deleted later, still reads clearly."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_created_at", "action", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    actor_email: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, 40), nullable=False)
    object_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[int | None] = mapped_column(nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"
