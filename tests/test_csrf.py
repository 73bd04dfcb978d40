"""Every state-changing route refuses a request without a valid CSRF token."""

from __future__ import annotations

import pytest

from consult import create_app
from consult.config import TestConfig
from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    Department,
    DepartmentResponse,
    Draft,
    Job,
    Notification,
    NotificationKind,
    NotificationPreference,
    Proposal,
    Role,
    Section,
    User,
    Workshop,
    WorkshopParticipant,
)
from consult.services import comments as comment_service
from tests.conftest import login

POST_RULES = sorted(
    (rule.endpoint, rule.rule)
    for rule in create_app(TestConfig).url_map.iter_rules()
    if "POST" in rule.methods
)


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize(("endpoint", "path"), POST_RULES, ids=[e for e, _ in POST_RULES])
def test_post_without_token_is_refused_and_changes_nothing(
    csrf_app, client, make_user, make_department, make_proposal, endpoint, path
):
    admin = make_user(Role.ADMIN)
    proposal = make_proposal(code="DTTM-CT")
    target_department = make_department()
    target_user = make_user(Role.REVIEWER, department=target_department)
    draft = proposal.drafts[0]
    comment_service.invite_departments(draft, [target_department])
    comment = comment_service.create_comment(
        draft, draft.sections[0], target_user, kind=CommentKind.GENERAL, body="Góp ý."
    )
    workshop = Workshop(
        draft=draft, organizer=admin, title="Hội thảo", starts_at=draft.opens_at, place="UBND"
    )
    db.session.add(workshop)
    notification = Notification(
        user=admin, kind=NotificationKind.DRAFT_PUBLISHED, params={}, link="/"
    )
    db.session.add(notification)
    job = Job(kind="report", params={"draft_id": draft.id, "fmt": "csv"}, requested_by=admin)
    db.session.add(job)
    db.session.commit()
    # Sign in with CSRF off, then turn it back on for the request under test.
    csrf_app.config["WTF_CSRF_ENABLED"] = False
    login(client, admin)
    csrf_app.config["WTF_CSRF_ENABLED"] = True
    before = _snapshot()

    with csrf_app.test_request_context():
        from flask import url_for

        values = {
            "department_id": target_department.id,
            "user_id": target_user.id,
            "code": "en" if endpoint == "main.set_language" else proposal.code,
            "number": 1,
            "section_id": proposal.drafts[0].sections[0].id,
            "comment_id": comment.id,
            "workshop_id": workshop.id,
            "notification_id": notification.id,
            "job_id": job.id,
            "fmt": "csv" if endpoint == "reports.download" else "docx",
            "kind": "packet",
        }
        rule = next(r for r in csrf_app.url_map.iter_rules() if r.rule == path)
        url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
    response = client.post(url, data={"code": "NEW", "name": "x", "email": "n@example.vn"})
    assert response.status_code == 400
    assert "tải lại trang" in response.get_data(as_text=True)
    assert _snapshot() == before


def _snapshot():
    db.session.expire_all()
    return (
        [
            (u.email, u.is_active, u.password_hash, u.locale)
            for u in db.session.query(User).order_by(User.id)
        ],
        [(d.code, d.is_active) for d in db.session.query(Department).order_by(Department.id)],
        [(p.code, p.title, p.visibility) for p in db.session.query(Proposal)],
        [(d.number, d.status, d.change_note) for d in db.session.query(Draft).order_by(Draft.id)],
        [
            (s.key, s.position, s.level, s.heading, s.body)
            for s in db.session.query(Section).order_by(Section.id)
        ],
        [
            (c.body, c.deleted_at, c.response_id)
            for c in db.session.query(Comment).order_by(Comment.id)
        ],
        db.session.query(DepartmentResponse).count(),
        [(w.title, w.place) for w in db.session.query(Workshop)],
        [(p.guest_name, p.attended) for p in db.session.query(WorkshopParticipant)],
        [n.read_at for n in db.session.query(Notification)],
        [(p.kind, p.channel) for p in db.session.query(NotificationPreference)],
        [u.email_digest for u in db.session.query(User)],
        [(j.state, j.attempts, j.cancel_requested) for j in db.session.query(Job)],
    )


def test_login_form_carries_a_token(csrf_app, client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
