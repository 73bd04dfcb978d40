"""Departments who work in Word: the copy to review, a marked-up file read back as draft
comments (previewed, ticked, saved once), and the board's copy with every comment in it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from consult.documents.word_review import read_back
from consult.extensions import db
from consult.jobs import queue
from consult.models import AuditEvent, Comment, CommentStatus, Job
from consult.services import comments as comment_service
from consult.services import triage as triage_service
from consult.services import word as word_service
from tests.conftest import login
from tests.wordfiles import MarkUp

BOARD = "Ban Soạn thảo"  # the author of the board's answers in Word
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _comments():
    db.session.expire_all()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def marked_up(c) -> bytes:
    """The copy for review, marked up as a specialist would in Word."""
    markup = MarkUp(word_service.review_copy(c.draft))
    markup.comment(
        "đô thị thông minh",
        "Nên nêu rõ tiêu chí đô thị thông minh.",
        replies=[("Huỳnh Ngọc Lan", "Đồng ý, dẫn bộ tiêu chí của Bộ.")],
    )
    markup.replace("nâng cao", "cải thiện")
    markup.replace(" đã phủ sóng toàn thành phố", None)
    markup.edit_untracked("còn phân tán", "còn phân tán, chưa kết nối")
    return markup.save()


def _upload(client, c, data: bytes, name="du-thao-gop-y.docx"):
    return client.post(
        f"{c.base}/word/upload",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _preview_url(app, client, c, data) -> str:
    response = _upload(client, c, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    job_url = response.headers["Location"]
    assert queue.work_off(app) == 1
    page = client.get(job_url).get_data(as_text=True)
    match = re.search(r'href="([^"]*/word/preview/\d+)"', page)
    assert match, page[:2000]
    return match.group(1)


def test_the_review_copy_is_a4_times_new_roman_with_a_bookmark_per_section(client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    response = client.get(f"{c.base}/review.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    document = Document(io.BytesIO(response.data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Times New Roman"
    bookmarks = read_back(response.data)["bookmarks"]
    assert [f"consult_{s.key}" for s in c.draft.sections] == [
        b for b in bookmarks if b.startswith("consult_")
    ]
    assert db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc())).detail


def test_round_trip_mark_up_preview_keep_all_but_one_save_once(app, client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    data = marked_up(c)
    preview = _preview_url(app, client, c, data)
    page = client.get(preview).get_data(as_text=True)
    assert "Nên nêu rõ tiêu chí đô thị thông minh." in page
    assert "Huỳnh Ngọc Lan" in page  # the reply, kept with its comment
    lines = word_service.lines_from_json(db.session.scalars(select(Job)).one().params["lines"])
    by_origin = {}
    for line in lines:
        by_origin.setdefault(line.origin, []).append(line)
    (comment_line,) = by_origin["comment"]
    assert comment_line.quote == "đô thị thông minh" and comment_line.section_id == c.section.id
    changes = by_origin["change"]
    assert {(line.quote, line.proposed_text, line.proposes_deletion) for line in changes} == {
        ("nâng cao", "cải thiện", False),
        ("đã phủ sóng toàn thành phố", None, True),
    }
    (untracked,) = by_origin["untracked"]
    assert (untracked.quote, untracked.proposed_text) == ("tán.", "tán, chưa kết nối.")
    # Keep all but the untracked line; edit the comment's text.
    form = {f"keep-{line.number}": "1" for line in lines if line.origin != "untracked"}
    form.update({f"body-{line.number}": line.body for line in lines})
    form.update({f"proposed-{line.number}": line.proposed_text or "" for line in lines})
    form[f"body-{comment_line.number}"] = "Nên nêu rõ tiêu chí (đã sửa)."
    response = client.post(preview, data=form)
    assert response.status_code == 302
    saved = _comments()
    assert len(saved) == 3
    assert all(not s.is_submitted and s.department_id == c.stttt.id for s in saved)
    assert all(s.author_id == c.people.reviewer.id for s in saved)
    comment = next(s for s in saved if s.kind.value == "general")
    assert comment.body.startswith("Nên nêu rõ tiêu chí (đã sửa).")
    assert "Võ Thanh Tâm" in comment.import_note and "Huỳnh Ngọc Lan" in comment.import_note
    deletion = next(s for s in saved if s.proposes_deletion)
    assert deletion.quote == "đã phủ sóng toàn thành phố" and deletion.proposed_text is None
    # A colleague sees them on the department's page, as typed comments.
    login(client, c.people.reviewer2)
    page = client.get(f"{c.base}/my-department").get_data(as_text=True)
    assert "Nên nêu rõ tiêu chí (đã sửa)." in page and "Đề xuất: bỏ đoạn này." in page
    # The same file again: everything is already there; nothing is saved twice.
    login(client, c.people.reviewer)
    preview = _preview_url(app, client, c, data)
    page = client.get(preview).get_data(as_text=True)
    assert page.count("Đã lưu từ lần tải lên trước") == 3
    assert len(_comments()) == 3


def test_the_boards_copy_holds_every_submitted_comment_with_its_answer(app, client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    data = marked_up(c)
    preview = _preview_url(app, client, c, data)
    job = db.session.scalars(select(Job)).one()
    lines = word_service.lines_from_json(job.params["lines"])
    form = {f"keep-{line.number}": "1" for line in lines}
    form.update({f"body-{line.number}": line.body for line in lines})
    form.update({f"proposed-{line.number}": line.proposed_text or "" for line in lines})
    assert client.post(preview, data=form).status_code == 302
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    saved = _comments()
    answered = next(s for s in saved if s.kind.value == "general")
    triage_service.answer_comment(
        answered, c.people.drafting, status=CommentStatus.ACCEPTED, answer="Tiếp thu, bổ sung."
    )
    db.session.commit()
    login(client, c.people.drafting)
    response = client.get(f"{c.base}/with-comments.docx")
    assert response.status_code == 200
    back = read_back(response.data)
    texts = [x["text"] for x in back["comments"]]
    for comment in saved:
        assert any(comment.body.split("\n")[0] in t for t in texts), comment.body
    assert all(x["author"] for x in back["comments"])
    assert {x["author"] for x in back["comments"]} == {
        "Sở Thông tin và Truyền thông",
        "Ban Soạn thảo",
    } or ("Sở Thông tin và Truyền thông" in {x["author"] for x in back["comments"]})
    assert any("Tiếp thu, bổ sung." in t for t in texts)  # the answer, as a reply
    assert "cải thiện" in back["insertions"]
    assert "nâng cao" in back["deletions"]
    assert any("đã phủ sóng toàn thành phố" in d for d in back["deletions"])
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        extended = archive.read("word/commentsExtended.xml").decode()
    assert "paraIdParent" in extended


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not word", "Word"),
        (b"", "Tệp trống."),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_changes(
    app, client, consultation, data, message
):
    c = consultation
    login(client, c.people.reviewer)
    response = _upload(client, c, data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    assert _comments() == [] and queue.work_off(app) == 0


def test_a_file_with_macros_is_refused(app, client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    buffer = io.BytesIO(word_service.review_copy(c.draft))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\0" * 16)
    response = _upload(client, c, buffer.getvalue())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "macro" in page
    assert queue.work_off(app) == 0


def test_only_its_requester_opens_a_preview(app, client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    preview = _preview_url(app, client, c, marked_up(c))
    login(client, c.people.reviewer2)
    assert client.get(preview).status_code == 404
    login(client, c.people.other_reviewer)
    assert client.get(preview).status_code in (403, 404)


def test_command_line_import_dry_run_then_save(runner, consultation, tmp_path):
    c = consultation
    path = tmp_path / "gop-y.docx"
    path.write_bytes(marked_up(c))
    args = ["comments", "import-word", "--draft", str(c.draft.id), "--department", "STTTT"]
    args += ["--user", c.people.reviewer.email, "--file", str(path)]
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "đô thị thông minh" in result.output and _comments() == []
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert len(_comments()) == 4
    result = runner.invoke(args=args)
    assert len(_comments()) == 4


def test_command_line_exports(runner, consultation, tmp_path):
    c = consultation
    out = tmp_path / "review.docx"
    result = runner.invoke(
        args=["drafts", "export", "--draft", str(c.draft.id), "--for-review", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert any(b.startswith("consult_") for b in read_back(out.read_bytes())["bookmarks"])
    out = tmp_path / "comments.docx"
    result = runner.invoke(
        args=[
            "drafts",
            "export",
            "--draft",
            str(c.draft.id),
            "--with-comments",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert read_back(out.read_bytes())["comments"] == []


def test_the_lead_downloads_the_letter_with_the_comments_by_section(client, consultation):
    c = consultation
    for section, body, proposed in (
        (c.draft.sections[3], "Bổ sung số liệu hạ tầng.", None),
        (c.section, "Làm rõ tiêu chí.", "xây dựng đô thị số"),
        (None, "Thống nhất về cơ bản.", None),
    ):
        comment_service.create_comment(
            c.draft, section, c.people.reviewer, kind="general", body=body,
            proposed_text=proposed,
        )  # fmt: skip
    db.session.commit()
    login(client, c.people.reviewer)
    assert client.get(f"{c.base}/my-department/letter.docx").status_code == 403
    login(client, c.people.lead)
    response = client.get(f"{c.base}/my-department/letter.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]
    flat = "\n".join(" | ".join(row) for row in cells)
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in flat + text
    assert "STTTT-VP" in flat + text and "V/v góp ý" in flat + text
    assert "Kính gửi" in text and "Nơi nhận" in flat + text
    assert "Đặng Quốc Thông" in flat + text  # the lead signs
    table = next(t for t in document.tables if "Nội dung góp ý" in t.rows[0].cells[-2].text)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    # General comments first, then in the order of the draft.
    assert [r[1] for r in rows] == ["Góp ý chung", c.section.title, c.draft.sections[3].title]
    assert rows[1][3] == "xây dựng đô thị số"


def test_the_boards_copy_never_holds_a_departments_unsubmitted_comment(client, consultation):
    c = consultation
    comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="general", body="Ý kiến nội bộ chưa gửi."
    )
    db.session.commit()
    login(client, c.people.drafting)
    back = read_back(client.get(f"{c.base}/with-comments.docx").data)
    assert back["comments"] == [] and back["insertions"] == []
