"""Where a quoted passage is: its context tells several occurrences apart; a proposal to
delete a passage has its own meaning and reads as such on cards, in the inbox and reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.documents.common import _comment_parts, _sheet_values
from consult.documents.summary import VIETNAMESE_LABELS, ReportRow
from consult.extensions import db
from consult.models import Comment, ProposedChange
from consult.models.comments import locate_passage, passage_context, passage_occurrences
from consult.services import comments as comment_service
from consult.services.comments import CommentError
from tests.conftest import login

TEXT = "Đầu tư hạ tầng số cho quận Ninh Kiều. Sau đó đầu tư hạ tầng số cho huyện Phong Điền."


@pytest.mark.nodb
def test_every_occurrence_is_found_and_the_context_picks_one():
    first, second = TEXT.index("hạ tầng số"), TEXT.rindex("hạ tầng số")
    assert passage_occurrences(TEXT, "hạ tầng số") == [(first, first + 10), (second, second + 10)]
    # Without context, two occurrences: nobody can say which one is meant.
    assert locate_passage(TEXT, "hạ tầng số") is None
    assert locate_passage(TEXT, "hạ tầng số", suffix="cho huyện") == (second, second + 10)
    assert locate_passage(TEXT, "hạ tầng số", prefix="Đầu tư") == (first, first + 10)
    prefix, suffix = passage_context(TEXT, second, second + 10)
    assert prefix == "Đầu tư hạ tầng số cho quận Ninh Kiều. Sau đó đầu tư"[-40:].lstrip()
    assert suffix == "cho huyện Phong Điền."
    assert locate_passage(TEXT, "hạ tầng số", prefix, suffix) == (second, second + 10)
    assert passage_occurrences(TEXT, "không có") == []
    assert locate_passage(TEXT, "") is None


@pytest.mark.nodb
def test_matching_ignores_spaces_line_breaks_and_unicode_forms():
    text = "Trung tâm\n\ndữ liệu   còn phân tán."
    decomposed = "d\u01b0\u0303 liê\u0323u"  # "dữ liệu" typed with combining marks
    start, end = locate_passage(text, f"tâm {decomposed}")
    assert text[start:end] == "tâm\n\ndữ liệu"
    start, end = locate_passage(text.replace("ữ", "\u01b0\u0303"), "dữ liệu còn")
    assert text.replace("ữ", "\u01b0\u0303")[start:end].endswith("còn")


@pytest.fixture
def repeated(consultation, make_proposal):
    """A draft whose section says "hạ tầng số" twice, open to STTTT."""
    c = consultation
    proposal = make_proposal(code="DA-HT", sections=[(1, "1.", "Hạ tầng", TEXT)])
    draft = proposal.drafts[0]
    comment_service.invite_departments(draft, [c.stttt], actor=proposal.chair)
    db.session.commit()
    c.repeated = draft
    return c


def _post(client, draft, **data):
    payload = {"section_id": draft.sections[0].id, "kind": "change", "body": "Đề nghị sửa."}
    payload.update(data)
    return client.post(
        f"/proposals/{draft.proposal.code}/drafts/{draft.number}/comments",
        data=payload,
        content_type="multipart/form-data",
    )


def _only_comment() -> Comment:
    db.session.expire_all()
    (comment,) = db.session.scalars(select(Comment))
    return comment


def test_the_selection_context_locates_the_second_occurrence(client, repeated):
    c = repeated
    login(client, c.people.reviewer)
    # What static/js/comments.js sends for a selection of the second "hạ tầng số".
    response = _post(
        client,
        c.repeated,
        quote="hạ tầng số",
        quote_prefix="Ninh Kiều. Sau đó đầu tư",
        quote_suffix="cho huyện Phong Điền.",
    )
    assert response.status_code == 302
    comment = _only_comment()
    second = TEXT.rindex("hạ tầng số")
    assert comment.locate_quote(TEXT) == (second, second + 10)
    # Stored from the section's own text, not as the browser sent it.
    assert comment.quote_prefix.endswith("Sau đó đầu tư")
    assert comment.quote_suffix == "cho huyện Phong Điền."


def test_a_repeated_quote_without_context_keeps_none_and_a_unique_one_gets_it(client, repeated):
    c = repeated
    login(client, c.people.reviewer)
    assert _post(client, c.repeated, quote="hạ tầng số").status_code == 302
    comment = _only_comment()
    assert (comment.quote_prefix, comment.quote_suffix) == (None, None)
    assert comment.locate_quote(TEXT) is None
    assert len(comment.quote_occurrences(TEXT)) == 2
    comment_service.edit_comment(
        comment, c.people.reviewer, kind=comment.kind, body="Sửa.", quote="quận Ninh Kiều",
        proposed_text=None,
    )  # fmt: skip
    db.session.commit()
    assert comment.quote_prefix == "Đầu tư hạ tầng số cho"
    assert comment.quote_suffix.startswith(". Sau đó")


def test_a_deletion_proposal_is_its_own_meaning_everywhere(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = _post(
        client, c.draft, section_id=c.section.id, quote="để nâng cao", proposes_deletion="y"
    )
    assert response.status_code == 302
    comment = _only_comment()
    assert comment.proposes_deletion and comment.proposal is ProposedChange.DELETE
    assert comment.proposed_text is None
    page = client.get(f"{c.base}/sections/{c.section.id}").get_data(as_text=True)
    assert "Đề xuất: bỏ đoạn này." in page
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    login(client, c.people.drafting)
    inbox = client.get(f"{c.base}/inbox").get_data(as_text=True)
    assert "Đề xuất bỏ" in inbox
    report = client.get(f"{c.base}/report").get_data(as_text=True)
    assert "Đề xuất bỏ đoạn này." in report


def test_new_wording_and_deletion_at_once_are_refused(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = _post(
        client, c.draft, section_id=c.section.id, proposed_text="x", proposes_deletion="y"
    )
    assert response.status_code == 422
    assert "không đồng thời cả hai" in response.get_data(as_text=True)
    assert db.session.scalars(select(Comment)).all() == []
    with pytest.raises(CommentError):
        comment_service.create_comment(
            c.draft, None, c.people.reviewer, kind=comment_service.CommentKind.GENERAL,
            body="Bỏ.", proposes_deletion=True,
        )  # fmt: skip


@pytest.mark.nodb
def test_report_cells_say_delete_rather_than_nothing():
    row = ReportRow(
        number=1, section_number="1.1", section_heading="Sự cần thiết", section_key="k",
        departments=["STTTT"], kind="Đề xuất sửa", source="Trực tuyến", comment="Thừa.",
        quote="để nâng cao", proposes_deletion=True,
    )  # fmt: skip
    labels = dict(VIETNAMESE_LABELS)
    assert ("BI", "Đề xuất bỏ đoạn này.") in _comment_parts(row, labels)
    assert "Đề xuất bỏ đoạn này." in _sheet_values(row, labels)
    row.quote = None
    assert "Đề xuất bỏ mục này." in _sheet_values(row, labels)
