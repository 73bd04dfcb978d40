"""What the JSON API reads and writes, as marshmallow schemas (they make the OpenAPI document).

Request bodies are checked here for their shape only (types, unknown fields); what a value
must be (required, length, a valid choice) is checked by the portal's own WTForms forms, so
the API gives the same messages as the pages.
"""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from consult.models import (
    ApiScope,
    CommentKind,
    CommentSource,
    CommentStatus,
    DepartmentKind,
    DraftStatus,
    ResponseKind,
    Visibility,
)
from consult.services.triage import DUPLICATES

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


def _enum(enum_cls, **kw):
    return fields.String(metadata={"enum": _values(enum_cls), **kw.pop("metadata", {})}, **kw)


class Schema(ma.Schema):
    class Meta:
        ordered = True


# --- errors -----------------------------------------------------------------------------------


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Validation messages by field, in the caller's language."},
    )


# --- reading ----------------------------------------------------------------------------------


class DepartmentSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = _enum(DepartmentKind, required=True)


class DraftSummarySchema(Schema):
    number = fields.Integer(required=True)
    status = _enum(DraftStatus, required=True)
    opens_at = fields.DateTime(allow_none=True, required=True)
    closes_at = fields.DateTime(allow_none=True, required=True)


class ProposalSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    visibility = _enum(Visibility, required=True)
    lead_agency = fields.Nested(DepartmentSchema, required=True)
    board_name = fields.String(required=True)
    drafts = fields.List(fields.Nested(DraftSummarySchema), required=True)


class InvitationSchema(Schema):
    department = fields.Nested(DepartmentSchema, required=True)
    deadline = fields.DateTime(allow_none=True, required=True)


class DraftSchema(Schema):
    proposal = fields.String(required=True, metadata={"description": "The proposal's code."})
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    status = _enum(DraftStatus, required=True)
    period = fields.String(
        required=True,
        metadata={
            "description": "upcoming, open or ended for a draft open for comments; else its status."
        },
    )
    change_note = fields.String(required=True)
    opens_at = fields.DateTime(allow_none=True, required=True)
    closes_at = fields.DateTime(allow_none=True, required=True)
    published_at = fields.DateTime(allow_none=True, required=True)
    closed_at = fields.DateTime(allow_none=True, required=True)
    sections = fields.Integer(required=True, metadata={"description": "How many sections."})
    invited = fields.List(
        fields.Nested(InvitationSchema),
        required=True,
        metadata={
            "description": "Every invited body and its deadline for the board and organizers; "
            "for a consulted body, its own."
        },
    )


class SectionSchema(Schema):
    key = fields.String(
        required=True, metadata={"description": "The section's identity across drafts."}
    )
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    level = fields.Integer(required=True)
    number = fields.String(required=True)
    heading = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "Markdown."})
    html = fields.String(required=True, metadata={"description": "Sanitized HTML."})


class CommentSchema(Schema):
    id = fields.Integer(required=True)
    proposal = fields.String(required=True)
    draft = fields.Integer(required=True)
    section = fields.String(
        allow_none=True, required=True, metadata={"description": "Section key; null: general."}
    )
    kind = _enum(CommentKind, required=True)
    source = _enum(CommentSource, required=True)
    text = fields.String(required=True, metadata={"description": "Markdown."})
    html = fields.String(required=True)
    quote = fields.String(allow_none=True, required=True)
    proposed_text = fields.String(allow_none=True, required=True)
    departments = fields.List(
        fields.Nested(DepartmentSchema),
        required=True,
        metadata={"description": "Every body that made this point (duplicates included)."},
    )
    speaker = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    submitted_at = fields.DateTime(allow_none=True, required=True)
    status = _enum(
        CommentStatus,
        required=True,
        metadata={"description": "The result that applies (a duplicate's primary's)."},
    )
    answer = fields.String(allow_none=True, required=True)
    answer_html = fields.String(allow_none=True, required=True)
    answered_at = fields.DateTime(allow_none=True, required=True)
    duplicate_of = fields.Integer(allow_none=True, required=True)
    version = fields.Integer(required=True)


class ResponseSummarySchema(Schema):
    sequence = fields.Integer(required=True)
    kind = _enum(ResponseKind, required=True)
    submitted_at = fields.DateTime(required=True)
    letter_number = fields.String(allow_none=True, required=True)
    letter_date = fields.Date(allow_none=True, required=True)


class ParticipationSchema(Schema):
    department = fields.Nested(DepartmentSchema, required=True)
    state = fields.String(required=True, metadata={"enum": ["none", "commented", "agreed"]})
    deadline = fields.DateTime(allow_none=True, required=True)
    submitted_comments = fields.Integer(required=True)
    responses = fields.List(fields.Nested(ResponseSummarySchema), required=True)


class AgreedSchema(Schema):
    name = fields.String(required=True)
    letter_number = fields.String(allow_none=True, required=True)


class ReportCountsSchema(Schema):
    consulted = fields.Integer(required=True)
    consulted_by_kind = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    letters_received = fields.Integer(required=True)
    responded = fields.Integer(required=True)
    commented = fields.Integer(required=True)
    agreed = fields.List(fields.Nested(AgreedSchema), required=True)
    not_responded = fields.List(fields.String(), required=True)
    comments = fields.Integer(required=True)
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    silence_counts_as_agreement = fields.Boolean(required=True)


class ResponseSchema(ResponseSummarySchema):
    id = fields.Integer(required=True)
    department = fields.Nested(DepartmentSchema, required=True)
    comments = fields.List(fields.Integer(), required=True)


class IndexSchema(Schema):
    version = fields.String(required=True)
    openapi = fields.String(required=True)
    docs = fields.String(required=True)
    proposals = fields.String(required=True)
    user = fields.String(allow_none=True, required=True)
    scope = fields.String(
        allow_none=True, required=True, metadata={"enum": [*_values(ApiScope), None]}
    )


def page_of(item_schema, name: str):
    """A page of items and the cursor of the next one (null on the last page)."""
    return type(
        f"{name}PageSchema",
        (Schema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(allow_none=True, required=True),
        },
    )


ProposalPageSchema = page_of(ProposalSchema, "Proposal")
DraftPageSchema = page_of(DraftSchema, "Draft")
SectionPageSchema = page_of(SectionSchema, "Section")
CommentPageSchema = page_of(CommentSchema, "Comment")


# --- query arguments --------------------------------------------------------------------------


class PageArgs(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    cursor = fields.String(
        metadata={"description": "Opaque: the next_cursor of the previous page."}
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT)
    )


class CommentFilterArgs(PageArgs):
    section = fields.String(
        metadata={"description": "A section key, or `general` for comments on the whole draft."}
    )
    body = fields.String(metadata={"description": "The code of the commenting body."})
    status = fields.String(metadata={"enum": [*_values(CommentStatus), DUPLICATES]})
    kind = _enum(CommentKind)
    source = _enum(CommentSource)
    answered = fields.String(metadata={"enum": ["yes", "no"]})
    q = fields.String(
        validate=ma.validate.Length(max=200),
        metadata={"description": "Words of the text or quote, with or without diacritics."},
    )
    since = fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "Submitted at or after."}
    )


# --- request bodies ---------------------------------------------------------------------------


class CommentCreateSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    section = fields.String(
        allow_none=True, metadata={"description": "Section key; omitted or null: general comment."}
    )
    kind = _enum(CommentKind, required=True)
    text = fields.String(required=True, metadata={"description": "Markdown."})
    quote = fields.String(allow_none=True)
    proposed_text = fields.String(allow_none=True)


class ResponseCreateSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    kind = fields.String(
        load_default=ResponseKind.COMMENTS.value,
        metadata={
            "enum": _values(ResponseKind),
            "description": "comments: submit the body's draft comments; agree: no comments.",
        },
    )
    letter_number = fields.String(allow_none=True)
    letter_date = fields.String(allow_none=True, metadata={"format": "date"})
    note = fields.String(allow_none=True)


class AnswerSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    status = _enum(CommentStatus, required=True)
    answer = fields.String(allow_none=True)
    version = fields.Integer(
        allow_none=True,
        metadata={"description": "The comment's version as read: a later save is refused (409)."},
    )


# marshmallow's and webargs's own messages, listed so that pybabel extracts them into our
# catalogue: problem details translate them (consult.api.problems).
MARSHMALLOW_MESSAGES = (
    _l("Missing data for required field."),
    _l("Unknown field."),
    _l("Field may not be null."),
    _l("Not a valid string."),
    _l("Not a valid integer."),
    _l("Not a valid datetime."),
    _l("Not a valid boolean."),
    _l("Invalid input type."),
    _l("Invalid input."),
    _l("Must be greater than or equal to 1 and less than or equal to 200."),
    _l("Longer than maximum length 200."),
    _l("Not a valid aware datetime."),
    _l("Invalid JSON body."),
)
