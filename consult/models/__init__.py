"""All models, imported here so Alembic and the app see the whole schema."""

from consult.models.accounts import (
    ApiScope,
    ApiToken,
    Department,
    DepartmentKind,
    Role,
    SignInFailures,
    User,
    UserSession,
)
from consult.models.audit import AuditAction, AuditEvent
from consult.models.comments import (
    Attachment,
    Comment,
    CommentEvent,
    CommentKind,
    CommentMessage,
    CommentRevision,
    CommentSource,
    CommentStatus,
    DepartmentResponse,
    DraftInvitation,
    ProposedChange,
    ResponseKind,
)
from consult.models.consolidation import AppliedChange, ChangeKind
from consult.models.drafts import (
    Draft,
    DraftStatus,
    Proposal,
    ProposalMember,
    Seat,
    Section,
    Visibility,
)
from consult.models.jobs import Job, JobState
from consult.models.notifications import (
    Channel,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from consult.models.workshops import Workshop, WorkshopParticipant

__all__ = [
    "ApiScope",
    "ApiToken",
    "AppliedChange",
    "ChangeKind",
    "Attachment",
    "AuditAction",
    "AuditEvent",
    "Comment",
    "CommentEvent",
    "CommentKind",
    "CommentMessage",
    "CommentRevision",
    "CommentSource",
    "CommentStatus",
    "Channel",
    "EmailState",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "DepartmentResponse",
    "DraftInvitation",
    "ProposedChange",
    "ResponseKind",
    "Department",
    "DepartmentKind",
    "Draft",
    "Job",
    "JobState",
    "DraftStatus",
    "Proposal",
    "ProposalMember",
    "Seat",
    "Role",
    "Section",
    "SignInFailures",
    "User",
    "UserSession",
    "Visibility",
    "Workshop",
    "WorkshopParticipant",
]
