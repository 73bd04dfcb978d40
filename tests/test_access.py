"""Who may open which route: one table for every route of the app, checked for every role.

A route added without an entry in ACCESS makes test_every_route_is_in_the_table fail.
"""

from __future__ import annotations

import pytest

from consult import create_app
from consult.extensions import db
from consult.models import Role

ANONYMOUS = None
EVERYONE = "everyone"
SIGNED_IN = "signed-in"
BY_OBJECT = "signed-in, then the object decides"
# Organizers and admins pass the role check; the workshop then admits only its organizer
# (and admins): another organizer is refused with 403 (tested in test_workshops.py).
RunsTheWorkshop = frozenset({Role.ORGANIZER, Role.ADMIN})
ALL_ROLES = tuple(Role)
DRAFTING_TEAM = {Role.DRAFTING, Role.ADMIN}
DEPARTMENT_ROLES = {Role.REVIEWER, Role.LEAD}

# endpoint -> EVERYONE (anonymous too), SIGNED_IN (any role), or the set of roles allowed.
ACCESS: dict[str, object] = {
    "static": EVERYONE,
    "main.index": EVERYONE,
    "main.set_language": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": EVERYONE,
    "auth.change_password": SIGNED_IN,
    "admin.index": {Role.ADMIN},
    "admin.list_departments": {Role.ADMIN},
    "admin.create_department": {Role.ADMIN},
    "admin.edit_department": {Role.ADMIN},
    "admin.toggle_department": {Role.ADMIN},
    "admin.import_departments": {Role.ADMIN},
    "admin.list_users": {Role.ADMIN},
    "admin.create_user": {Role.ADMIN},
    "admin.edit_user": {Role.ADMIN},
    "admin.reset_password": {Role.ADMIN},
    "admin.toggle_user": {Role.ADMIN},
    "admin.unlock_user": {Role.ADMIN},
    "admin.audit_log": {Role.ADMIN},
    "admin.export_audit_log": {Role.ADMIN},
    # The proposal under test is internal: reading needs an account.
    "drafts.list_proposals": EVERYONE,
    "drafts.view_proposal": SIGNED_IN,
    "drafts.view_draft": SIGNED_IN,
    "drafts.read_draft": SIGNED_IN,
    "drafts.view_section": SIGNED_IN,
    "drafts.export_draft": SIGNED_IN,
    "drafts.compare_drafts": SIGNED_IN,
    "drafts.compare_drafts_docx": SIGNED_IN,
    "drafts.create_proposal": DRAFTING_TEAM,
    "drafts.edit_proposal": DRAFTING_TEAM,
    "drafts.start_next_draft": DRAFTING_TEAM,
    "drafts.import_draft": DRAFTING_TEAM,
    "drafts.confirm_import": DRAFTING_TEAM,
    "drafts.preview_import": DRAFTING_TEAM,
    "drafts.import_example": DRAFTING_TEAM,
    "drafts.edit_draft_note": DRAFTING_TEAM,
    "drafts.create_section": DRAFTING_TEAM,
    "drafts.edit_section": DRAFTING_TEAM,
    "drafts.move_section": DRAFTING_TEAM,
    "drafts.delete_section": DRAFTING_TEAM,
    "drafts.publish_draft": DRAFTING_TEAM,
    "drafts.close_draft": DRAFTING_TEAM,
    "drafts.extend_deadline": DRAFTING_TEAM,
    # Comments: reviewers and leads write for their department; objects are checked again
    # per department (see test_comments.py); a private object answers 404.
    "comments.create_comment": DEPARTMENT_ROLES,
    "comments.view_comment": SIGNED_IN,
    "comments.edit_comment": DEPARTMENT_ROLES,
    # A reviewer may also delete a draft comment they wrote themselves (test_comments.py).
    "comments.delete_comment": {Role.LEAD},
    "comments.download_attachment": SIGNED_IN,
    "comments.my_department": DEPARTMENT_ROLES,
    "comments.merge_comments": {Role.LEAD},
    "comments.submit_response": {Role.LEAD},
    "comments.agree_with_draft": {Role.LEAD},
    "comments.view_response": SIGNED_IN,
    "comments.participation": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "comments.grant_extension": DRAFTING_TEAM,
    "comments.consultation_settings": DRAFTING_TEAM,
    "triage.inbox": DRAFTING_TEAM,
    "triage.bulk_action": DRAFTING_TEAM,
    "triage.triage_comment": DRAFTING_TEAM,
    "triage.mark_duplicates": DRAFTING_TEAM,
    "triage.separate_duplicate": DRAFTING_TEAM,
    "triage.link_section": DRAFTING_TEAM,
    "triage.dashboard": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    # The drafting team and the commenting department discuss: decided per comment.
    "triage.post_message": BY_OBJECT,
    # Each user's own notifications; another user's notification answers 404.
    "notifications.index": SIGNED_IN,
    "notifications.settings": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    "notifications.open_notification": BY_OBJECT,
    "reports.summary": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "reports.download": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "reports.everything": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "workshops.list_workshops": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "workshops.view_workshop": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    "workshops.download": {Role.DRAFTING, Role.ADMIN, Role.ORGANIZER},
    # Organizers run workshops; each is edited only by the organizer who runs it.
    "workshops.create_workshop": {Role.ORGANIZER, Role.ADMIN},
    "workshops.edit_workshop": RunsTheWorkshop,
    "workshops.record_attendance": RunsTheWorkshop,
    "workshops.add_guest": RunsTheWorkshop,
    "workshops.record_comment": RunsTheWorkshop,
    # Background jobs: each user's list; a job is seen by its requester and by those who may
    # see its subject's page (tested in test_jobs.py); anyone else gets 404.
    "jobs.list_jobs": SIGNED_IN,
    "jobs.view_job": BY_OBJECT,
    "jobs.job_status": BY_OBJECT,
    "jobs.download": BY_OBJECT,
    "jobs.cancel": BY_OBJECT,
    "jobs.retry": BY_OBJECT,
}

# Routes that act on the draft in preparation (draft 2) rather than the published draft 1.
PREPARATION_ROUTES = {
    "drafts.create_section",
    "drafts.edit_section",
    "drafts.move_section",
    "drafts.delete_section",
    "drafts.publish_draft",
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


def _allowed(endpoint: str, role: Role | None) -> bool:
    rule = ACCESS[endpoint]
    if rule == EVERYONE:
        return True
    if rule in (SIGNED_IN, BY_OBJECT):
        return role is not None
    return role in rule


@pytest.fixture
def url_values(make_department, make_user, make_proposal):
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
    proposal = make_proposal(code="DTTM-CT")
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
    response = DepartmentResponse(
        draft=proposal.drafts[0], department=department, kind=ResponseKind.AGREE,
        submitted_by=comment.author,
    )  # fmt: skip
    db.session.add(response)
    db.session.commit()
    organizer = make_user(Role.ORGANIZER)
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
        notification_id=notification.id,
        comment_id=comment.id,
        attachment_id=attachment.id,
        response_id=response.id,
        workshop_id=workshop.id,
        kind="packet",
        token="no-such-preview",
    )
    preparation = {**published, "number": 2, "section_id": draft2.sections[0].id}
    return published, preparation, department


CASES = [(rule.endpoint, rule.rule, role) for rule in _rules() for role in (ANONYMOUS, *ALL_ROLES)]


@pytest.mark.parametrize(
    ("endpoint", "path", "role"),
    CASES,
    ids=[f"{e}-{r.value if r else 'anonymous'}" for e, _p, r in CASES],
)
def test_route_access(app, client, auth, url_values, endpoint, path, role):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    published, preparation, department = url_values
    values = preparation if endpoint in PREPARATION_ROUTES else published
    # "code" is a language on the language switch and a proposal code elsewhere.
    values = {**values, "code": "en" if endpoint == "main.set_language" else "DTTM-CT"}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
    if role in DEPARTMENT_ROLES:
        auth.login_as(role, department=department)
    else:
        auth.login_as(role)
    method = "GET" if "GET" in rule.methods else "POST"
    response = client.open(url, method=method)
    response.close()
    location = response.headers.get("Location", "")
    if ACCESS[endpoint] == BY_OBJECT and role is not None:
        assert response.status_code in (302, 403, 404) and not location.startswith("/login")
    elif ACCESS[endpoint] is RunsTheWorkshop and role is Role.ORGANIZER:
        assert response.status_code == 403  # a new organizer does not run this workshop
    elif _allowed(endpoint, role):
        assert response.status_code != 403, f"{role} refused at {url}"
        assert not location.startswith("/login"), f"{role} sent to login at {url}"
        assert response.status_code < 500
    elif role is None:
        assert response.status_code == 302 and location.startswith("/login"), url
    else:
        assert response.status_code == 403, f"{role} allowed at {url}"


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
