"""Objects, not only routes: changing an id in the URL reaches nothing of another department.

Department STTTT writes a comment with an attachment and keeps it unsubmitted. The people of
SXD, the drafting team and the organizers pass the route's role check, then must be refused
on the object itself: 404 for what they may not even know exists, never its content.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Attachment, Comment, DepartmentResponse
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "Ý kiến nội bộ chưa gửi của Sở Thông tin"


@pytest.fixture
def unsubmitted(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = client.post(
        f"{c.base}/comments",
        data={"section_id": c.section.id, "kind": "change", "body": SECRET,
              "files": (io.BytesIO(PDF), "Phụ lục mật.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    c.comment = db.session.scalar(select(Comment))
    c.attachment = db.session.scalar(select(Attachment))
    # Its own department reads and downloads it: the refusals below are about the object.
    assert client.get(f"/comments/{c.comment.id}").status_code == 200
    download = client.get(f"/attachments/{c.attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    return c


# Everyone but the department itself: another department, the proposal's chair, a board
# member and an organizer, the chair of another proposal, and an administrator.
OUTSIDERS = ["other_reviewer", "other_lead", "drafting", "member", "organizer", "outsider", "admin"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_read_an_unsubmitted_comment_or_its_file(client, unsubmitted, who):
    c = unsubmitted
    login(client, getattr(c.people, who))
    for path in (f"/comments/{c.comment.id}", f"/attachments/{c.attachment.id}"):
        response = client.get(path)
        assert response.status_code == 404, (who, path)
        assert SECRET not in response.get_data(as_text=True)
        assert response.data != PDF
    for path in (f"{c.base}/sections/{c.section.id}", f"{c.base}/full", f"{c.base}"):
        assert SECRET not in client.get(path).get_data(as_text=True), (who, path)


@pytest.mark.parametrize("who", ["other_reviewer", "other_lead"])
def test_another_department_cannot_edit_delete_merge_or_discuss_it(client, unsubmitted, who):
    c = unsubmitted
    login(client, getattr(c.people, who))
    comment_id = c.comment.id
    assert client.get(f"/comments/{comment_id}/edit").status_code == 404
    edit = client.post(
        f"/comments/{comment_id}/edit",
        data={"kind": "change", "body": "Sửa trộm.", "quote": "", "proposed_text": ""},
    )
    assert edit.status_code == 404
    assert client.post(f"/comments/{comment_id}/delete").status_code == 404
    assert client.post(f"/comments/{comment_id}/messages", data={"body": "x"}).status_code == 404
    if who == "other_lead":
        # Their own merge form cannot pull the other department's comment in.
        client.post(f"{c.base}/my-department/merge", data={"comment_id": [comment_id]})
        # Nor can their response carry it.
        client.post(f"{c.base}/my-department/submit", data={})
    db.session.expire_all()
    comment = db.session.get(Comment, comment_id)
    assert comment.body == SECRET and comment.deleted_at is None and comment.response_id is None
    assert comment.department_id == c.stttt.id
    assert not comment.messages


def test_the_drafting_team_cannot_triage_it_before_submission(client, unsubmitted):
    c = unsubmitted
    login(client, c.people.drafting)
    assert client.get(f"/comments/{c.comment.id}/triage").status_code == 404
    response = client.post(
        f"/comments/{c.comment.id}/triage",
        data={"status": "accepted", "answer": "x", "assignee_id": 0, "version": 1},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Comment, c.comment.id).answer is None


def test_a_response_and_its_letter_stay_with_their_department(client, unsubmitted):
    """Once submitted, the response is the drafting team's to read, not another department's
    (unless the drafting team lets departments read each other)."""
    c = unsubmitted
    login(client, c.people.lead)
    client.post(
        f"{c.base}/my-department/submit",
        data={"response-letter": (io.BytesIO(PDF), "Công văn.pdf")},
        content_type="multipart/form-data",
    )
    response = db.session.scalar(select(DepartmentResponse))
    letter = db.session.scalar(select(Attachment).where(Attachment.comment_id.is_(None)))
    assert response is not None and letter is not None
    login(client, c.people.other_lead)
    assert client.get(f"/responses/{response.id}").status_code == 404
    assert client.get(f"/attachments/{letter.id}").status_code == 404
    assert client.get(f"/comments/{c.comment.id}").status_code == 404
    login(client, c.people.drafting)
    assert client.get(f"/responses/{response.id}").status_code == 200
    assert client.get(f"/attachments/{letter.id}").status_code == 200
    # The board of another proposal learns nothing of this one's submitted work.
    login(client, c.people.outsider)
    for path in (
        f"/responses/{response.id}",
        f"/attachments/{letter.id}",
        f"/comments/{c.comment.id}",
        f"/comments/{c.comment.id}/triage",
        f"{c.base}/inbox",
        f"{c.base}/report",
        f"{c.base}/participation",
        f"/proposals/{c.proposal.code}/board",
    ):
        assert client.get(path).status_code == 404, path
    # A member of this proposal's board reads and triages it.
    login(client, c.people.member)
    assert client.get(f"/comments/{c.comment.id}/triage").status_code == 200
    assert client.get(f"/responses/{response.id}").status_code == 200


def test_ids_that_do_not_exist_are_404_not_500(client, consultation):
    # Each path asked by someone whose role may open it, so that only the missing object
    # can refuse (a reviewer is refused workshops whatever their id: 403).
    people = consultation.people
    for user, paths in (
        (people.reviewer, ("/comments/999999", "/comments/999999/edit", "/attachments/999999",
                           "/responses/999999", "/comments/0")),
        (people.drafting, ("/workshops/999999", "/responses/999999", "/attachments/999999")),
    ):  # fmt: skip
        login(client, user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.role, path)
