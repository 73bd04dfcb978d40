"""Who may open which route: one table for every route of the app, checked for every role.

A route added without an entry in ACCESS makes test_every_route_is_in_the_table fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from consult import create_app
from consult.extensions import db
from consult.models import Role, Seat
from tests.conftest import login

ANONYMOUS = None
# The people the matrix signs in: each global role, and each seat on the proposal under
# test (DTTM-CT), plus the chair of another proposal and a reviewer of the lead agency.
ADMIN, REVIEWER, LEAD = "admin", "reviewer", "lead"
CHAIR, MEMBER, ORGANIZER = "chair", "member", "organizer"
OUTSIDER, LEAD_AGENCY = "board of another proposal", "lead agency reviewer"
ACTORS = (ADMIN, REVIEWER, LEAD, CHAIR, MEMBER, ORGANIZER, OUTSIDER, LEAD_AGENCY)
INSIDERS = frozenset({ADMIN, CHAIR, MEMBER, ORGANIZER})
BOARD = frozenset({ADMIN, CHAIR, MEMBER})
EVERYONE = frozenset({ANONYMOUS, *ACTORS})
SIGNED_IN = frozenset(ACTORS)
DEPARTMENT = frozenset({REVIEWER, LEAD})


@dataclass(frozen=True)
class Rule:
    """Who is let in; the refusal everyone else gets (insiders may get their own)."""

    allowed: frozenset
    refusal: int = 403
    insider_refusal: int | None = None
    overrides: tuple = ()  # (actor, status) pairs

    def expected(self, actor) -> int | None:
        if actor in self.allowed:
            return None
        if actor in dict(self.overrides):
            return dict(self.overrides)[actor]
        if actor in INSIDERS and self.insider_refusal is not None:
            return self.insider_refusal
        return self.refusal


OPEN = Rule(EVERYONE)
ANY_ACCOUNT = Rule(SIGNED_IN)
ADMINS = Rule(frozenset({ADMIN}))
# Board rights: outsiders learn nothing (404); organizers, who see the proposal, get 403.
BOARD_ONLY = Rule(BOARD, refusal=404, insider_refusal=403)
INSIDERS_ONLY = Rule(INSIDERS, refusal=404)
# The draft in preparation: only the board sees it (organizers too get 404).
PREPARATION = Rule(BOARD, refusal=404)
# The department's unsubmitted work: nobody else sees it.
DEPARTMENT_WORK = Rule(DEPARTMENT, refusal=404)

# endpoint -> Rule
ACCESS: dict[str, Rule] = {
    "static": OPEN,
    "main.index": OPEN,
    "main.set_language": OPEN,
    "auth.login": OPEN,
    "auth.logout": OPEN,
    "auth.change_password": ANY_ACCOUNT,
    "auth.list_sessions": ANY_ACCOUNT,
    "auth.end_other_sessions": ANY_ACCOUNT,
    # The matrix posts no session of the actor's: everyone gets 404 (ending one's own
    # session is tested in test_sessions.py).
    "auth.end_session": Rule(frozenset(), refusal=404),
    "admin.index": ADMINS,
    "admin.list_departments": ADMINS,
    "admin.create_department": ADMINS,
    "admin.edit_department": ADMINS,
    "admin.toggle_department": ADMINS,
    "admin.import_departments": ADMINS,
    "admin.list_users": ADMINS,
    "admin.create_user": ADMINS,
    "admin.edit_user": ADMINS,
    "admin.reset_password": ADMINS,
    "admin.toggle_user": ADMINS,
    "admin.unlock_user": ADMINS,
    "admin.audit_log": ADMINS,
    "admin.export_audit_log": ADMINS,
    # The proposal under test is internal: reading needs an account.
    "drafts.list_proposals": OPEN,
    "drafts.view_proposal": ANY_ACCOUNT,
    "drafts.view_draft": ANY_ACCOUNT,
    "drafts.read_draft": ANY_ACCOUNT,
    "drafts.view_section": ANY_ACCOUNT,
    "drafts.export_draft": ANY_ACCOUNT,
    "drafts.compare_drafts": ANY_ACCOUNT,
    # Only the board sees two drafts (one is in preparation): others have nothing to compare.
    "drafts.compare_drafts_docx": Rule(BOARD, refusal=404),
    # Administrators and the accounts they allow (the chairs here) start proposals.
    "drafts.create_proposal": Rule(frozenset({ADMIN, CHAIR, OUTSIDER})),
    "drafts.edit_proposal": BOARD_ONLY,
    "drafts.board": INSIDERS_ONLY,
    "drafts.remove_member": Rule(frozenset({ADMIN, CHAIR}), refusal=404, insider_refusal=403),
    "drafts.hand_over_chair": Rule(frozenset({ADMIN, CHAIR}), refusal=404, insider_refusal=403),
    "drafts.start_next_draft": BOARD_ONLY,
    "drafts.import_draft": BOARD_ONLY,
    "drafts.confirm_import": BOARD_ONLY,
    "drafts.preview_import": BOARD_ONLY,
    "drafts.import_example": BOARD_ONLY,
    "drafts.edit_draft_note": BOARD_ONLY,
    "drafts.create_section": PREPARATION,
    "drafts.edit_section": PREPARATION,
    "drafts.move_section": PREPARATION,
    "drafts.delete_section": PREPARATION,
    "drafts.publish_draft": PREPARATION,
    "drafts.close_draft": BOARD_ONLY,
    "drafts.extend_deadline": BOARD_ONLY,
    # Comments: reviewers and leads write for their body where it is consulted; the lead
    # agency's people and board members do not (they act in their seat there).
    "comments.create_comment": Rule(DEPARTMENT),
    "comments.view_comment": DEPARTMENT_WORK,
    "comments.edit_comment": DEPARTMENT_WORK,
    # A reviewer may delete a draft comment they wrote themselves (test_comments.py).
    "comments.delete_comment": Rule(frozenset({LEAD}), refusal=404, overrides=((REVIEWER, 403),)),
    "comments.download_attachment": DEPARTMENT_WORK,
    # Any body consulted on the proposal has a page (the outsider's body is not invited).
    "comments.my_department": Rule(DEPARTMENT | {OUTSIDER}),
    "comments.merge_comments": Rule(frozenset({LEAD})),
    "comments.submit_response": Rule(frozenset({LEAD})),
    "comments.agree_with_draft": Rule(frozenset({LEAD})),
    "comments.view_response": Rule(INSIDERS | DEPARTMENT, refusal=404),
    "comments.participation": INSIDERS_ONLY,
    # Working in Word: the page and the copy to review are the draft's (every reader); the
    # upload is for a consulted body's people (one not invited is told so, 302); a preview
    # is its requester's alone (this job is someone else's: 404); the copy with every
    # comment is the board's and organizers', like the report; the letter is the lead's.
    "comments.word_page": ANY_ACCOUNT,
    "comments.review_copy": ANY_ACCOUNT,
    "comments.word_upload": Rule(DEPARTMENT | {OUTSIDER}),
    "comments.word_preview": Rule(
        frozenset(), overrides=((REVIEWER, 404), (LEAD, 404), (OUTSIDER, 404))
    ),
    "comments.comments_copy": INSIDERS_ONLY,
    "comments.response_letter": Rule(frozenset({LEAD})),
    "comments.grant_extension": BOARD_ONLY,
    # "Remind now" is the board's; organizers read participation and download its table.
    "comments.remind_bodies": BOARD_ONLY,
    "comments.participation_xlsx": INSIDERS_ONLY,
    "comments.consultation_settings": BOARD_ONLY,
    "triage.inbox": BOARD_ONLY,
    "triage.bulk_action": BOARD_ONLY,
    "triage.triage_comment": BOARD_ONLY,
    "triage.mark_duplicates": BOARD_ONLY,
    "triage.separate_duplicate": BOARD_ONLY,
    "triage.link_section": BOARD_ONLY,
    "triage.dashboard": INSIDERS_ONLY,
    # Consolidation works on the draft in preparation: its board alone.
    "consolidation.overview": PREPARATION,
    "consolidation.preview_change": PREPARATION,
    "consolidation.apply_change": PREPARATION,
    "consolidation.undo_change": PREPARATION,
    "consolidation.apply_all": PREPARATION,
    # The board and the commenting department discuss a submitted comment.
    "triage.post_message": Rule(BOARD | DEPARTMENT, refusal=404, insider_refusal=403),
    # Each user's own notifications; another user's notification answers 404.
    "notifications.index": ANY_ACCOUNT,
    "notifications.settings": ANY_ACCOUNT,
    "notifications.read_all": ANY_ACCOUNT,
    "notifications.open_notification": Rule(frozenset(), refusal=404),
    "reports.summary": INSIDERS_ONLY,
    "reports.download": INSIDERS_ONLY,
    "reports.everything": INSIDERS_ONLY,
    "workshops.list_workshops": INSIDERS_ONLY,
    "workshops.view_workshop": INSIDERS_ONLY,
    "workshops.download": INSIDERS_ONLY,
    # The proposal's organizers and board run its workshops.
    "workshops.create_workshop": INSIDERS_ONLY,
    "workshops.edit_workshop": INSIDERS_ONLY,
    "workshops.record_attendance": INSIDERS_ONLY,
    "workshops.add_guest": INSIDERS_ONLY,
    "workshops.record_comment": INSIDERS_ONLY,
    # The board's chair and the organizers decide early recording; a member sees the page.
    "workshops.set_early_recording": Rule(
        frozenset({ADMIN, CHAIR, ORGANIZER}), refusal=404, insider_refusal=403
    ),
    # Background jobs: each user's list; a job is seen by its requester and by those who may
    # see its subject's page (tested in test_jobs.py). This one is about no draft: its
    # requester's alone, so everyone here gets 404.
    # Personal access tokens on the account page; the matrix posts no token of the actor's.
    "auth.api_tokens": ANY_ACCOUNT,
    "auth.revoke_api_token": Rule(frozenset(), refusal=404),
    # The JSON API: the same rules as the pages, reached through the same loaders. Anonymous
    # callers get a 401 problem where a visitor would be sent to sign in (API_ANONYMOUS).
    "api-docs.openapi_json": OPEN,
    "api-docs.openapi_swagger_ui": OPEN,
    "api.index": OPEN,
    "api.list_proposals": OPEN,  # lists what the caller may read
    "api.get_proposal": ANY_ACCOUNT,
    "api.list_drafts": ANY_ACCOUNT,
    "api.get_draft": ANY_ACCOUNT,
    "api.list_sections": ANY_ACCOUNT,
    "api.get_section": ANY_ACCOUNT,
    "api.list_comments": ANY_ACCOUNT,  # lists the submitted comments the caller may read
    "api.get_comment": Rule(DEPARTMENT, refusal=404, overrides=((ANONYMOUS, 404),)),
    "api.participation": INSIDERS_ONLY,
    "api.report_counts": INSIDERS_ONLY,
    "api.create_comment": Rule(DEPARTMENT),
    "api.submit_response": Rule(frozenset({LEAD})),
    "api.answer_comment": BOARD_ONLY,
    "jobs.list_jobs": ANY_ACCOUNT,
    "jobs.view_job": Rule(frozenset(), refusal=404),
    "jobs.job_status": Rule(frozenset(), refusal=404),
    "jobs.download": Rule(frozenset(), refusal=404),
    "jobs.cancel": Rule(frozenset(), refusal=404),
    "jobs.retry": Rule(frozenset(), refusal=404),
}

# Routes on a submitted comment (triage, discussion) rather than on a draft comment.
SUBMITTED_COMMENT_ROUTES = {
    "triage.triage_comment",
    "triage.mark_duplicates",
    "triage.separate_duplicate",
    "triage.link_section",
    "triage.post_message",
    "api.answer_comment",
}

# A valid body for each API write: what is refused is the caller, not the data.
API_BODIES = {
    "api.create_comment": {"kind": "general", "text": "Góp ý qua API."},
    "api.submit_response": {"kind": "agree"},
    "api.answer_comment": {"status": "under_review"},
}


def method_of(rule) -> str:
    return (
        "GET"
        if "GET" in rule.methods
        else next(m for m in ("POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
    )


# Routes that act on the draft in preparation (draft 2) rather than the published draft 1.
PREPARATION_ROUTES = {
    "drafts.create_section",
    "drafts.edit_section",
    "drafts.move_section",
    "drafts.delete_section",
    "drafts.publish_draft",
    "consolidation.overview",
    "consolidation.preview_change",
    "consolidation.apply_change",
    "consolidation.undo_change",
    "consolidation.apply_all",
}


def _rules():
    app = create_app_for_listing()
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


def create_app_for_listing():
    from consult.config import TestConfig

    return create_app(TestConfig)


def test_every_route_is_in_the_table():
    endpoints = {rule.endpoint for rule in _rules()}
    missing = endpoints - ACCESS.keys()
    stale = ACCESS.keys() - endpoints
    assert not missing, f"routes without an access entry: {sorted(missing)}"
    assert not stale, f"entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def url_values(request, make_department, make_user, make_proposal, make_seated, lead_agency):
    """Values for the URL arguments of every route: existing objects of each kind.

    The proposal has draft 1 open for comments and draft 2 in preparation.
    """
    from consult.models import (
        Attachment,
        CommentKind,
        DepartmentResponse,
        Notification,
        NotificationKind,
        ResponseKind,
        Workshop,
    )
    from consult.services import comments as comment_service
    from consult.services import drafts as draft_service

    department = make_department()
    other = make_user(Role.REVIEWER, department=department)
    chair = make_user(Role.REVIEWER, department=lead_agency, may_create_proposals=True)
    proposal = make_proposal(code="DTTM-CT", chair=chair)
    comment_service.invite_departments(proposal.drafts[0], [department])
    draft2 = draft_service.start_next_draft(proposal)
    db.session.commit()
    published = {
        "department_id": department.id,
        "user_id": other.id,
        "filename": "css/consult.css",
        "number": 1,
        "section_id": proposal.drafts[0].sections[0].id,
        "fmt": "docx",
    }
    # A department invited to comment, with a draft comment, an attachment and a response;
    # the reviewers and leads under test belong to it.
    author = make_user(Role.REVIEWER, department=department)
    draft1 = proposal.drafts[0]
    comment = comment_service.create_comment(
        draft1, draft1.sections[1], author, kind=CommentKind.GENERAL, body="Góp ý thử."
    )
    attachment = Attachment(
        comment=comment, stored_name="0" * 32, original_name="a.pdf",
        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=author,
    )  # fmt: skip
    db.session.add(attachment)
    from consult import uploads

    path = uploads.stored_path(attachment.stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4")
    request.addfinalizer(lambda: path.unlink(missing_ok=True))  # the data folder is shared
    response = DepartmentResponse(
        draft=proposal.drafts[0], department=department, kind=ResponseKind.AGREE,
        submitted_by=comment.author,
    )  # fmt: skip
    db.session.add(response)
    submitted = comment_service.create_comment(
        draft1, draft1.sections[0], author, kind=CommentKind.GENERAL, body="Góp ý đã gửi."
    )
    submitted.submit(response)
    db.session.commit()
    organizer = make_seated(proposal, Seat.ORGANIZER)
    people = {
        CHAIR: chair,
        MEMBER: make_seated(proposal, Seat.MEMBER),
        ORGANIZER: organizer,
        OUTSIDER: make_proposal(code="KH-NN").chair,
        LEAD_AGENCY: make_user(Role.REVIEWER, department=lead_agency),
    }
    workshop = Workshop(
        draft=draft1, organizer=organizer, title="Hội thảo", starts_at=draft1.opens_at, place="UBND"
    )
    db.session.add(workshop)
    notification = Notification(
        user=author, kind=NotificationKind.DRAFT_PUBLISHED, params={}, link="/"
    )
    db.session.add(notification)
    from consult.models import Job

    # About no draft (a deleted one): only its requester sees it.
    job = Job(kind="report", params={"draft_id": 0, "fmt": "csv"}, requested_by=author)
    db.session.add(job)
    db.session.commit()
    published.update(
        job_id=job.id,
        token="no-such-preview",
        notification_id=notification.id,
        comment_id=comment.id,
        attachment_id=attachment.id,
        response_id=response.id,
        workshop_id=workshop.id,
        kind="packet",
        key=proposal.drafts[0].sections[0].key,
    )
    preparation = {**published, "number": 2, "section_id": draft2.sections[0].id}
    return published, preparation, department, people, submitted.id


CASES = [(rule.endpoint, rule.rule, actor) for rule in _rules() for actor in (ANONYMOUS, *ACTORS)]


@pytest.mark.parametrize(
    ("endpoint", "path", "actor"),
    CASES,
    ids=[f"{e}-{a or 'anonymous'}" for e, _p, a in CASES],
)
def test_route_access(app, client, auth, url_values, endpoint, path, actor):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    published, preparation, department, people, submitted_id = url_values
    values = preparation if endpoint in PREPARATION_ROUTES else published
    if endpoint in SUBMITTED_COMMENT_ROUTES:
        values = {**values, "comment_id": submitted_id}
    if endpoint == "admin.export_audit_log":
        values = {**values, "fmt": "csv"}
    # "code" is a language on the language switch and a proposal code elsewhere.
    values = {**values, "code": "en" if endpoint == "main.set_language" else "DTTM-CT"}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
    if actor in (REVIEWER, LEAD):
        auth.login_as(Role(actor), department=department)
    elif actor == ADMIN:
        auth.login_as(Role.ADMIN)
    elif actor is not None:
        login(client, people[actor])
    response = client.open(url, method=method_of(rule), json=API_BODIES.get(endpoint))
    response.close()
    location = response.headers.get("Location", "")
    expected = ACCESS[endpoint].expected(actor)
    if expected is None:
        assert response.status_code not in (401, 403, 404), f"{actor} refused at {url}"
        assert not location.startswith("/login"), f"{actor} sent to login at {url}"
        assert response.status_code < 500
    elif endpoint.startswith("api"):
        assert response.mimetype == "application/problem+json", url
        if actor is None and ANONYMOUS not in dict(ACCESS[endpoint].overrides):
            expected = 401
        assert response.status_code == expected, f"{actor} at {url}"
    elif actor is None:
        assert response.status_code == 302 and location.startswith("/login"), url
    else:
        assert response.status_code == expected, f"{actor} at {url}"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/departments/999999/edit",
        "/admin/users/999999/edit",
    ],
)
def test_missing_objects_are_404(client, auth, path):
    auth.login_as(Role.ADMIN)
    assert client.get(path).status_code == 404
    assert client.post(path.replace("/edit", "/active")).status_code == 404


# The second line, behind the role check: the objects of the world above (an unsubmitted
# comment of the department, its attachment, its response, its author's notification) are out
# of reach of reviewers and leads of another department, on every route that takes their id.
OBJECT_ARGUMENTS = {"comment_id", "attachment_id", "response_id", "notification_id"}
OBJECT_CASES = [
    (rule.endpoint, rule.rule, role)
    for rule in _rules()
    if rule.arguments & OBJECT_ARGUMENTS
    for role in (Role.REVIEWER, Role.LEAD)
]


@pytest.mark.parametrize(
    ("endpoint", "path", "role"),
    OBJECT_CASES,
    ids=[f"{e}-{r.value}" for e, _p, r in OBJECT_CASES],
)
def test_another_departments_objects_are_out_of_reach(
    app, client, auth, url_values, endpoint, path, role
):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    published = {**url_values[0], "code": "DTTM-CT"}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{a: published[a] for a in rule.arguments})
    auth.login_as(role)  # of a department of their own, not the one that owns the objects
    response = client.open(url, method=method_of(rule), json=API_BODIES.get(endpoint))
    assert response.status_code in (403, 404), f"{role} reached {url}: {response.status_code}"
    assert "Góp ý thử." not in response.get_data(as_text=True)


API_CASES = [(rule.endpoint, rule.rule) for rule in _rules() if rule.endpoint.startswith("api.")]


@pytest.mark.parametrize("ending", ["revoked", "expired"])
@pytest.mark.parametrize(("endpoint", "path"), API_CASES, ids=[e for e, _p in API_CASES])
def test_api_refuses_revoked_and_expired_tokens(app, client, url_values, endpoint, path, ending):
    """Every API operation: a token that ended opens nothing, not even public reading."""
    from datetime import timedelta

    from flask import url_for

    from consult.models import ApiScope
    from consult.models.base import utcnow
    from consult.services import api_tokens

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    published, _preparation, _department, people, submitted_id = url_values
    values = {**published, "code": "DTTM-CT"}
    if endpoint in SUBMITTED_COMMENT_ROUTES:
        values["comment_id"] = submitted_id
    token, secret = api_tokens.create(people[CHAIR], name="hết hạn", scope=ApiScope.WRITE)
    if ending == "revoked":
        api_tokens.revoke(people[CHAIR], token.id)
    else:
        token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with app.test_request_context():
        url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
    response = client.open(
        url,
        method=method_of(rule),
        json=API_BODIES.get(endpoint),
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 401, url
    assert response.mimetype == "application/problem+json"
