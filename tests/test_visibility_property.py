"""The SQL that lists the comments a user may read is the twin of ``Comment.can_view``.

Hypothesis builds whole random worlds (bodies, accounts of every role, proposals with
boards and organizers, drafts in every state, invitations, comments submitted or not,
removed or not, duplicates or not) and checks, for every user of each world and every
draft, that ``Comment.visible_clause`` returns exactly the comments ``can_view`` admits.
"""

from __future__ import annotations

from datetime import timedelta

from flask_login import AnonymousUserMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Comment,
    CommentKind,
    Department,
    DepartmentResponse,
    Draft,
    DraftInvitation,
    DraftStatus,
    Proposal,
    ProposalMember,
    ResponseKind,
    Role,
    Seat,
    User,
    Visibility,
)
from consult.models.base import utcnow
from tests.conftest import _empty_tables

BODIES = 3

user_spec = st.tuples(
    st.sampled_from(list(Role)),
    st.integers(0, BODIES),  # BODIES: no body
)
proposal_spec = st.fixed_dictionaries(
    {
        "lead": st.integers(0, BODIES - 1),
        "public": st.booleans(),
        # per user index: no seat, or a seat
        "seats": st.dictionaries(st.integers(0, 5), st.sampled_from(list(Seat)), max_size=4),
        "drafts": st.lists(
            st.fixed_dictionaries(
                {
                    "status": st.sampled_from(list(DraftStatus)),
                    "see_each_other": st.booleans(),
                    "invited": st.sets(st.integers(0, BODIES - 1)),
                    "comments": st.lists(
                        st.fixed_dictionaries(
                            {
                                "body": st.integers(0, BODIES - 1),
                                "submitted": st.booleans(),
                                "deleted": st.booleans(),
                                "duplicate": st.booleans(),
                            }
                        ),
                        max_size=6,
                    ),
                }
            ),
            min_size=1,
            max_size=3,
        ),
    }
)
world_spec = st.fixed_dictionaries(
    {
        "users": st.lists(user_spec, min_size=1, max_size=6),
        "proposals": st.lists(proposal_spec, min_size=1, max_size=2),
    }
)


def _build(world) -> tuple[list[User], list[Draft]]:
    now = utcnow()
    bodies = [Department(code=f"B{i}", name=f"Cơ quan {i}") for i in range(BODIES)]
    db.session.add_all(bodies)
    users = []
    for n, (role, body) in enumerate(world["users"]):
        department = bodies[body] if body < BODIES else None
        if role.speaks_for_body and department is None:
            department = bodies[0]
        user = User(email=f"u{n}@example.vn", full_name=f"U{n}", role=role, department=department)
        user.password_hash = "x"  # noqa: S105 (never signs in)
        users.append(user)
    db.session.add_all(users)
    drafts = []
    for p, spec in enumerate(world["proposals"]):
        proposal = Proposal(
            code=f"P{p}",
            title="Đề án",
            lead_agency=bodies[spec["lead"]],
            visibility=Visibility.PUBLIC if spec["public"] else Visibility.INTERNAL,
        )
        chair_given = False
        for index, seat in spec["seats"].items():
            if index >= len(users) or (seat is Seat.CHAIR and chair_given):
                continue
            chair_given = chair_given or seat is Seat.CHAIR
            proposal.members.append(ProposalMember(user=users[index], seat=seat))
        db.session.add(proposal)
        for number, d in enumerate(spec["drafts"], start=1):
            draft = Draft(
                proposal=proposal,
                number=number,
                status=d["status"],
                departments_see_each_other=d["see_each_other"],
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=1),
            )
            db.session.add(draft)
            for body in sorted(d["invited"]):
                db.session.add(DraftInvitation(draft=draft, department=bodies[body]))
            author = users[0]
            primary = None
            sequences: dict[int, int] = {}
            for c in d["comments"]:
                comment = Comment(
                    draft=draft,
                    department=bodies[c["body"]],
                    author=author,
                    kind=CommentKind.GENERAL,
                    body="x",
                )
                if c["submitted"]:
                    response = DepartmentResponse(
                        draft=draft,
                        department=bodies[c["body"]],
                        kind=ResponseKind.COMMENTS,
                        submitted_by=author,
                        sequence=sequences.setdefault(c["body"], 0) + 1,
                    )
                    sequences[c["body"]] += 1
                    db.session.add(response)
                    comment.submit(response, now)
                    if c["duplicate"] and primary is not None:
                        comment.duplicate_of = primary
                    primary = primary or comment
                if c["deleted"]:
                    comment.deleted_at = now
                db.session.add(comment)
            drafts.append(draft)
    db.session.commit()
    return users, drafts


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=world_spec)
def test_visible_comments_query_matches_can_view(app, world):
    _empty_tables()
    users, drafts = _build(world)
    viewers = [*users, AnonymousUserMixin()]
    for draft in drafts:
        every = list(db.session.scalars(select(Comment).where(Comment.draft_id == draft.id)))
        for user in viewers:
            admitted = {c.id for c in every if c.can_view(user)}
            listed = set(
                db.session.scalars(select(Comment.id).where(Comment.visible_clause(draft, user)))
            )
            assert listed == admitted, (user, draft, draft.status)
    db.session.rollback()
