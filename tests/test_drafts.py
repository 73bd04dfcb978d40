"""Proposals and drafts: create, import, edit, publish, read, compare; who may do each."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Draft, DraftStatus, Proposal, Role, Seat, Section, Visibility
from consult.models.base import utcnow
from consult.models.drafts import IllegalTransition
from consult.services import drafts as draft_service
from tests.conftest import login


def _md_upload(text: str, name: str = "du-thao.md"):
    return {"file": (io.BytesIO(text.encode("utf-8")), name)}


def _reload(proposal: Proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def _import(client, proposal, data, change_note=""):
    """Upload, check the preview, confirm; returns the preview page."""
    preview = client.post(
        f"/proposals/{proposal.code}/import",
        data={**data, "change_note": change_note},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    page = preview.get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    # An import that removes sections is saved only once the team confirms it (issue 18).
    removes = {"remove_ok": "y"} if 'id="import-removes"' in page else {}
    confirm = client.post(
        f"/proposals/{proposal.code}/import/confirm",
        data={"token": token, "change_note": change_note, **removes},
    )
    assert confirm.status_code == 302
    return page


def test_drafting_team_creates_a_proposal(client, auth):
    auth.login_as(Role.REVIEWER, may_create_proposals=True)
    response = client.post(
        "/proposals/new",
        data={"code": "dttm-ct", "title": "Đề án đô thị thông minh", "visibility": "public"},
    )
    assert response.status_code == 302
    proposal = Proposal.by_code("DTTM-CT")
    assert proposal.visibility is Visibility.PUBLIC
    assert [d.status for d in proposal.drafts] == [DraftStatus.PREPARATION]


def test_proposal_code_must_be_unique(client, auth, make_proposal):
    make_proposal(code="DTTM-CT")
    auth.login_as(Role.REVIEWER, may_create_proposals=True)
    response = client.post(
        "/proposals/new", data={"code": "DTTM-CT", "title": "Khác", "visibility": "internal"}
    )
    assert response.status_code == 422
    assert "Mã này đã được dùng" in response.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 1


def test_markdown_import_shows_a_preview_then_saves(client, auth, make_proposal):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    text = (
        "# Chương I. Sự cần thiết\n\nMở đầu.\n\n## 1.1. Bối cảnh\n\n- một\n- hai\n\n"
        "## 1.2. Mục tiêu\n\n| Giai đoạn | Năm |\n|---|---|\n| 1 | 2018-2020 |\n"
    )
    preview = client.post(
        f"/proposals/{proposal.code}/import",
        data=_md_upload(text),
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Bối cảnh" in page and "3" in page
    assert _reload(proposal).drafts[0].sections == []  # nothing saved before confirming

    _import(client, proposal, _md_upload(text))
    sections = _reload(proposal).drafts[0].sections
    assert [(s.level, s.number, s.heading) for s in sections] == [
        (1, "Chương I", "Sự cần thiết"),
        (2, "1.1", "Bối cảnh"),
        (2, "1.2", "Mục tiêu"),
    ]
    assert "<li" in sections[1].body_html and "<table" in sections[2].body_html


def test_docx_import(client, auth, make_proposal):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    document = docx.Document()
    document.add_heading("Chương II. Hiện trạng đô thị", level=1)
    document.add_paragraph("Cần Thơ có hạ tầng viễn thông phát triển.")
    document.add_heading("2.1. Hạ tầng mạng", level=2)
    document.add_paragraph("Cáp quang đến 100% phường, xã.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    _import(client, proposal, {"file": (io.BytesIO(buffer.getvalue()), "du-thao.docx")})
    sections = _reload(proposal).drafts[0].sections
    assert [(s.number, s.heading) for s in sections] == [
        ("Chương II", "Hiện trạng đô thị"),
        ("2.1", "Hạ tầng mạng"),
    ]
    assert "Cáp quang" in sections[1].body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("du-thao.docx", b"this is not a zip file", "docx"),
        ("du-thao.md", b"", "Tệp trống."),
        ("du-thao.pdf", b"%PDF-1.4", ".docx"),
    ],
)
def test_bad_files_get_a_clear_error_and_create_nothing(
    client, auth, make_proposal, name, content, message
):
    proposal = make_proposal()
    login(client, proposal.chair)
    response = client.post(
        f"/proposals/{proposal.code}/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(_reload(proposal).drafts) == 1


def test_too_large_import_is_refused(app, client, auth, make_proposal):
    proposal = make_proposal()
    app.config["MAX_IMPORT_BYTES"] = 1000
    login(client, proposal.chair)
    response = client.post(
        f"/proposals/{proposal.code}/import",
        data=_md_upload("# Chương I\n\n" + "chữ " * 1000),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert len(_reload(proposal).drafts) == 1


def test_expired_or_foreign_preview_token_saves_nothing(client, auth, make_proposal):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    response = client.post(
        f"/proposals/{proposal.code}/import/confirm", data={"token": "../../etc/passwd"}
    )
    assert response.status_code == 302
    assert _reload(proposal).drafts[0].sections == []


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_example_files_can_be_downloaded_and_imported(client, auth, make_proposal, fmt):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    response = client.get(f"/proposals/{proposal.code}/import/example.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    _import(client, proposal, {"file": (io.BytesIO(response.data), f"mau.{fmt}")})
    assert len(_reload(proposal).drafts[0].sections) >= 3


def test_identity_survives_publish_copy_and_reimport(client, auth, make_proposal):
    proposal = make_proposal()
    login(client, proposal.chair)
    draft1 = proposal.drafts[0]
    keys1 = {s.heading: s.key for s in draft1.sections}

    assert client.post(f"/proposals/{proposal.code}/drafts/next").status_code == 302
    proposal = _reload(proposal)
    draft2 = proposal.drafts[1]
    assert draft2.status is DraftStatus.PREPARATION
    assert {s.heading: s.key for s in draft2.sections} == keys1

    revised = (
        "# Chương I. Sự cần thiết và căn cứ pháp lý\n\nThành phố Cần Thơ là đô thị trung tâm.\n\n"
        "## 1.1. Sự cần thiết\n\n"
        "Cần xây dựng **đô thị thông minh** để nâng cao chất lượng sống.\n\n"
        "## 1.2. Cơ sở pháp lý\n\n- Nghị quyết 36a/NQ-CP\n- Quyết định của UBND thành phố\n\n"
        "# Chương II. Hiện trạng\n\nHạ tầng viễn thông đã phủ sóng toàn thành phố và nông thôn.\n\n"
        "## 2.1. An toàn thông tin\n\nMới bổ sung.\n\n"
    )
    _import(client, proposal, _md_upload(revised))
    proposal = _reload(proposal)
    assert len(proposal.drafts) == 2  # replaced the draft in preparation, no draft 3
    keys2 = {s.heading: s.key for s in proposal.drafts[1].sections}
    assert keys2["Sự cần thiết"] == keys1["Sự cần thiết"]
    assert keys2["Cơ sở pháp lý"] == keys1["Căn cứ pháp lý"]  # reworded heading, same number
    assert keys2["Hiện trạng"] == keys1["Hiện trạng"]
    # "2.1" now heads a different text: matched by number, so it continues the old 2.1.
    assert keys2["An toàn thông tin"] == keys1["Hạ tầng công nghệ thông tin"]

    page = client.get(f"/proposals/{proposal.code}/compare?from=1&to=2").get_data(as_text=True)
    assert "Cơ sở pháp lý" in page and "Hiện trạng" in page
    assert "Sự cần thiết</h2>" not in page  # unchanged sections are not listed
    assert "nông thôn" in page and "redline-ins" in page


def test_compare_lists_added_removed_and_moved(client, auth, make_proposal):
    proposal = make_proposal()
    draft2 = draft_service.start_next_draft(proposal)
    sections = draft2.sections
    draft_service.move_section(sections[3], "up")  # Chương II (with 2.1) before Chương I
    draft_service.delete_section(next(s for s in draft2.sections if s.number == "1.2"))
    draft_service.add_section(
        draft2, after=draft2.sections[-1], level=2, number="1.3", heading="Bài học", body="Mới."
    )
    db.session.commit()
    login(client, proposal.chair)
    page = client.get(f"/proposals/{proposal.code}/compare").get_data(as_text=True)
    assert "Căn cứ pháp lý" in page and "Bài học" in page
    assert "change-moved" in page and "change-added" in page and "change-removed" in page
    docx_response = client.get(f"/proposals/{proposal.code}/compare.docx?from=1&to=2")
    assert docx_response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_response.data)).paragraphs)
    assert "Bài học" in text and "Căn cứ pháp lý" in text


def test_sections_are_edited_online_while_in_preparation(client, auth, make_proposal):
    proposal = make_proposal(publish=False)
    login(client, proposal.chair)
    draft = proposal.drafts[0]
    first = draft.sections[0]
    base = f"/proposals/{proposal.code}/drafts/1/sections"
    response = client.post(
        f"{base}/{first.id}/edit",
        data={
            "number": "Chương I",
            "heading": "Sự cần thiết",
            "body": "Xin chào <script>x</script>",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Section, first.id)
    assert edited.heading == "Sự cần thiết"
    assert "<script>" not in edited.body_html and "&lt;script&gt;" in edited.body_html

    response = client.post(
        f"{base}/new",
        data={"after": first.id, "level": 2, "number": "1.0", "heading": "Mở đầu", "body": ""},
    )
    assert response.status_code == 302
    headings = [s.heading for s in _reload(proposal).drafts[0].sections]
    assert headings.index("Mở đầu") == headings.index("Căn cứ pháp lý") + 1

    chapter2 = next(s for s in _reload(proposal).drafts[0].sections if s.number == "Chương II")
    client.post(f"{base}/{chapter2.id}/move", data={"direction": "up"})
    numbers = [s.number for s in _reload(proposal).drafts[0].sections]
    assert numbers[:2] == ["Chương II", "2.1"]

    client.post(f"{base}/{chapter2.id}/delete")
    numbers = [s.number for s in _reload(proposal).drafts[0].sections]
    assert "Chương II" not in numbers and "2.1" not in numbers


def test_section_form_rejects_bad_input(client, auth, make_proposal):
    proposal = make_proposal(publish=False)
    login(client, proposal.chair)
    section = proposal.drafts[0].sections[0]
    base = f"/proposals/{proposal.code}/drafts/1/sections"
    response = client.post(f"{base}/{section.id}/edit", data={"number": "1", "heading": ""})
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)
    response = client.post(f"{base}/new", data={"level": 9, "heading": "X"})
    assert response.status_code == 422
    count = len(_reload(proposal).drafts[0].sections)
    assert count == 5
    response = client.post(f"{base}/{section.id}/move", data={"direction": "sideways"})
    assert response.status_code == 302
    assert client.post(f"{base}/999999/edit", data={"heading": "X"}).status_code == 404


def test_published_text_can_no_longer_be_changed(client, auth, make_proposal):
    proposal = make_proposal()
    login(client, proposal.chair)
    section = proposal.drafts[0].sections[0]
    base = f"/proposals/{proposal.code}/drafts/1/sections"
    assert client.post(f"{base}/{section.id}/edit", data={"heading": "X"}).status_code == 403
    assert client.post(f"{base}/{section.id}/delete").status_code == 403
    assert client.post(f"{base}/new", data={"heading": "X", "level": 1}).status_code == 403
    with pytest.raises(IllegalTransition):
        draft_service.update_section(section, number="", heading="X", body="")
    db.session.expire_all()
    assert db.session.get(Section, section.id).heading == "Sự cần thiết và căn cứ pháp lý"


def test_publish_close_and_extend(client, auth, make_proposal):
    proposal = make_proposal()
    login(client, proposal.chair)
    client.post(f"/proposals/{proposal.code}/drafts/next")
    bad = client.post(
        f"/proposals/{proposal.code}/drafts/2/publish",
        data={"opens_at": "2030-05-10T08:00", "closes_at": "2030-05-01T17:00"},
    )
    assert bad.status_code == 422
    assert "phải đóng sau khi mở" in bad.get_data(as_text=True)
    ok = client.post(
        f"/proposals/{proposal.code}/drafts/2/publish",
        # Draft 1 is still open: the board confirms that its period ends now.
        data={"opens_at": "2030-05-01T08:00", "closes_at": "2030-05-20T17:00", "confirm": "y"},
    )
    assert ok.status_code == 302
    proposal = _reload(proposal)
    draft1, draft2 = proposal.drafts
    assert draft2.status is DraftStatus.OPEN
    assert draft1.status is DraftStatus.SUPERSEDED
    # 08:00 in Vietnam is 01:00 UTC.
    assert draft2.opens_at.hour == 1 and draft2.closes_at.hour == 10
    assert draft2.period_state() == "upcoming"

    client.post(f"/proposals/{proposal.code}/drafts/2/close")
    assert _reload(proposal).drafts[1].status is DraftStatus.CLOSED
    response = client.post(
        f"/proposals/{proposal.code}/drafts/2/deadline", data={"closes_at": "2031-01-10T17:00"}
    )
    assert response.status_code == 302
    draft2 = _reload(proposal).drafts[1]
    assert draft2.status is DraftStatus.OPEN and draft2.closes_at.year == 2031


def test_comment_period_edges(make_proposal):
    proposal = make_proposal(publish=False)
    draft = proposal.drafts[0]
    now = utcnow()
    opens, closes = now + timedelta(hours=1), now + timedelta(days=3)
    draft.publish(opens, closes, now=now)
    assert not draft.is_accepting_comments(opens - timedelta(seconds=1))
    assert draft.is_accepting_comments(opens)
    assert draft.is_accepting_comments(closes - timedelta(seconds=1))
    assert not draft.is_accepting_comments(closes)
    with pytest.raises(IllegalTransition):
        draft.publish(opens, closes, now=now)


def test_reading_pages(client, auth, make_proposal):
    proposal = make_proposal()
    auth.login_as(Role.REVIEWER)
    draft = proposal.drafts[0]
    toc = client.get(f"/proposals/{proposal.code}/drafts/1").get_data(as_text=True)
    for s in draft.sections:
        assert s.heading in toc
    assert "Đang lấy ý kiến đến" in toc or "Mở góp ý" in toc
    second = draft.sections[1]
    page = client.get(f"/proposals/{proposal.code}/drafts/1/sections/{second.id}").get_data(
        as_text=True
    )
    assert "<strong>đô thị thông minh</strong>" in page
    assert draft.sections[0].heading in page and draft.sections[2].heading in page  # prev/next
    full = client.get(f"/proposals/{proposal.code}/drafts/1/full").get_data(as_text=True)
    assert all(f'id="{s.anchor}"' in full for s in draft.sections)
    assert f'id="{second.anchor}-p1"' in full  # paragraph anchors


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_export_round_trips(client, auth, make_proposal, fmt):
    from consult.documents.importer import parse_upload

    proposal = make_proposal()
    auth.login_as(Role.REVIEWER)
    response = client.get(f"/proposals/{proposal.code}/drafts/1/export.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    parsed = parse_upload(f"x.{fmt}", response.data)
    headings = [p.heading for p in parsed]
    for s in proposal.drafts[0].sections:
        assert s.heading in headings


def test_internal_proposal_visibility(client, auth, make_proposal):
    proposal = make_proposal(publish=False)
    response = client.get(f"/proposals/{proposal.code}/drafts/1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login_as(Role.REVIEWER)
    # A draft in preparation is the drafting team's: others learn nothing of it.
    assert client.get(f"/proposals/{proposal.code}").status_code == 404
    assert client.get(f"/proposals/{proposal.code}/drafts/1").status_code == 404
    assert proposal.title not in client.get("/proposals").get_data(as_text=True)


def test_public_proposal_is_readable_without_an_account(client, make_proposal):
    proposal = make_proposal(visibility=Visibility.PUBLIC)
    draft_service.start_next_draft(proposal)
    db.session.commit()
    assert client.get("/proposals").status_code == 200
    assert proposal.title in client.get("/proposals").get_data(as_text=True)
    page = client.get(f"/proposals/{proposal.code}/drafts/1/full")
    assert page.status_code == 200
    assert "Sự cần thiết" in page.get_data(as_text=True)
    # the draft in preparation stays hidden
    assert client.get(f"/proposals/{proposal.code}/drafts/2").status_code == 302


def test_only_one_draft_in_preparation(make_proposal):
    proposal = make_proposal()
    draft_service.start_next_draft(proposal)
    with pytest.raises(IllegalTransition):
        draft_service.start_next_draft(proposal)
    assert db.session.scalars(select(Draft).where(Draft.proposal_id == proposal.id)).all()


def test_drafts_import_cli(runner, make_proposal, tmp_path):
    proposal = make_proposal()
    path = tmp_path / "du-thao-2.md"
    path.write_text("# Chương I. Sự cần thiết và căn cứ pháp lý\n\nBản mới.\n", encoding="utf-8")
    result = runner.invoke(
        args=["drafts", "import", "--proposal", proposal.code.lower(), "--file", str(path)]
    )
    assert result.exit_code == 0, result.output
    proposal = _reload(proposal)
    assert len(proposal.drafts) == 2
    assert proposal.drafts[1].sections[0].key == proposal.drafts[0].sections[0].key
    bad = tmp_path / "x.md"
    bad.write_text("", encoding="utf-8")
    result = runner.invoke(
        args=["drafts", "import", "--proposal", proposal.code, "--file", str(bad)]
    )
    assert result.exit_code != 0
    result = runner.invoke(args=["drafts", "import", "--proposal", "NOPE", "--file", str(path)])
    assert result.exit_code != 0


def test_home_page_lists_the_drafts_each_visitor_may_read(client, auth, make_proposal):
    public = make_proposal(visibility=Visibility.PUBLIC)
    internal = make_proposal()
    internal.title = "Đề án nội bộ"
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f"/proposals/{public.code}/drafts/1" in page
    assert f"/proposals/{internal.code}/drafts/1" not in page
    auth.login_as(Role.LEAD)
    page = client.get("/").get_data(as_text=True)
    assert f"/proposals/{internal.code}/drafts/1/my-department" in page


def test_a_markdown_import_with_control_characters_exports_to_word(client, auth, make_proposal):
    """Issue 17, finding 5: \\x01 in an imported file neither reaches the sections nor
    breaks the Word export."""
    proposal = make_proposal(publish=False)
    login(client, proposal.chair)
    _import(client, proposal, _md_upload("# Chương I\x01\n\nNội dung\x01 có\x0b ký tự lạ.\n"))
    draft = _reload(proposal).drafts[-1]
    assert all("\x01" not in s.heading + (s.body or "") for s in draft.sections)
    response = client.get(f"/proposals/{proposal.code}/drafts/{draft.number}/export.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    assert "Nội dung có ký tự lạ." in text


def test_anonymous_visitors_cannot_tell_which_proposals_exist(client, make_proposal):
    """Issue 17, finding 8: an internal proposal and one that does not exist, a hidden draft
    and a missing one, all answer the same: please sign in."""
    internal = make_proposal()
    public = make_proposal(visibility=Visibility.PUBLIC)
    answers = set()
    for path in (
        f"/proposals/{internal.code}",
        "/proposals/KHONG-CO",
        f"/proposals/{internal.code}/drafts/1",
        "/proposals/KHONG-CO/drafts/1",
        f"/proposals/{public.code}/drafts/7",
        "/proposals/KHONG-CO/drafts/1/export.docx",
    ):
        response = client.get(path)
        answers.add((response.status_code, response.headers.get("Location", "").split("?")[0]))
    assert answers == {(302, "/login")}


@pytest.mark.parametrize("state", ["closed", "superseded"])
def test_a_closed_or_superseded_draft_cannot_be_published_again(client, auth, make_proposal, state):
    """Issue 17 (a test that could not fail): only re-publishing an open draft was tried."""
    proposal = make_proposal()
    draft = proposal.drafts[0]
    if state == "closed":
        draft.close()
    else:
        draft_service.start_next_draft(proposal)
        db.session.flush()
        draft.supersede()
    db.session.commit()
    with pytest.raises(IllegalTransition):
        draft.publish(utcnow(), utcnow() + timedelta(days=3))
    db.session.rollback()
    login(client, proposal.chair)
    response = client.post(
        f"/proposals/{proposal.code}/drafts/1/publish",
        data={"opens_at": "2030-05-01T08:00", "closes_at": "2030-05-20T17:00"},
    )
    assert response.status_code == 403
    assert _reload(proposal).drafts[0].status.value == state


def test_word_decree_typed_in_body_styles_imports_with_its_long_article_title(
    client, auth, make_proposal
):
    # Runs on SQLite and PostgreSQL: a 700-character heading used to exceed a 500 column.
    from tests.test_importer_structure import LONG_TITLE, decree, docx_bytes, rich_document

    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    upload = {"file": (io.BytesIO(docx_bytes(decree())), "nghi-dinh.docx")}
    page = _import(client, proposal, upload)
    assert "Từ của tệp nằm trong các phần" in page or "Words of the file" in page
    sections = _reload(proposal).drafts[0].sections
    assert [s.number for s in sections] == [
        "", "Chương I", "Điều 1", "Điều 2", "Chương II", "Mục 1", "Điều 3", "Điều 4", ""
    ]  # fmt: skip
    assert sections[6].heading == LONG_TITLE.strip() and len(sections[6].heading) > 600

    upload = {"file": (io.BytesIO(rich_document()), "gop-y.docx")}
    preview = client.post(
        f"/proposals/{proposal.code}/import", data=upload, content_type="multipart/form-data"
    )
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "image1.png" in text  # what could not be kept is named
    assert "2" in text and ("tracked" in text or "theo dõi thay đổi" in text)


def test_import_preview_lists_what_changes_and_the_team_corrects_a_match(
    client, auth, make_proposal
):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    first = (
        "# Chương I. Quy định chung\n\nA.\n\n# Chương II. Phạm vi\n\nB.\n\n# Chương III. Cũ\n\nC.\n"
    )
    _import(client, proposal, _md_upload(first))
    before = {s.number: s.key for s in _reload(proposal).drafts[0].sections}

    second = "# Chương I. Tổng quan\n\nA.\n\n# Chương IV. Phạm vi\n\nB.\n\n# Chương V. Mới\n\nD.\n"
    preview = client.post(
        f"/proposals/{proposal.code}/import",
        data=_md_upload(second),
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    # Number alone between two headings is a question; a heading alone is a renumbering.
    assert "Quy định chung" in page and ("The same section?" in page or "Cùng một phần?" in page)
    assert "Chương II" in page  # "renumbered: was Chương II"
    assert "Chương III Cũ" in page  # listed among the sections that will be removed
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    # The team says Chương I "Tổng quan" is a new section, not the old "Quy định chung".
    confirm = client.post(
        f"/proposals/{proposal.code}/import/confirm",
        data={"token": token, "match-0": "", "match-1": before["Chương II"], "match-2": "",
              "remove_ok": "y"},
    )  # fmt: skip
    assert confirm.status_code == 302
    after = _reload(proposal).drafts[0].sections
    assert [s.number for s in after] == ["Chương I", "Chương IV", "Chương V"]
    assert after[0].key != before["Chương I"]
    assert after[1].key == before["Chương II"]


def test_the_team_chooses_clauses_as_sections_in_the_preview(client, auth, make_proposal):
    proposal = make_proposal(sections=[], publish=False)
    login(client, proposal.chair)
    text = "QUYẾT ĐỊNH\nĐiều 1. Phạm vi\n1. Khoản một.\n2. Khoản hai.\nĐiều 2. Hiệu lực\nTừ nay.\n"
    upload = {"file": (io.BytesIO(text.encode()), "qd.txt")}
    preview = client.post(
        f"/proposals/{proposal.code}/import", data=upload, content_type="multipart/form-data"
    )
    page = preview.get_data(as_text=True)
    assert "Khoản 1" not in page  # articles stay whole by default
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    again = client.post(
        f"/proposals/{proposal.code}/import/confirm",
        data={"token": token, "split": "clauses", "action": "split"},
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Khoản 1" in page and "Khoản 2" in page
    assert _reload(proposal).drafts[0].sections == []  # still nothing saved
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    saved = client.post(
        f"/proposals/{proposal.code}/import/confirm", data={"token": token, "split": "clauses"}
    )
    assert saved.status_code == 302
    sections = _reload(proposal).drafts[0].sections
    assert [(s.level, s.number) for s in sections] == [
        (1, ""), (1, "Điều 1"), (2, "Khoản 1"), (2, "Khoản 2"), (1, "Điều 2")
    ]  # fmt: skip
    assert sections[2].body == "1\\. Khoản một."


def test_services_refuse_people_without_the_right(consultation):
    """The services check the same model rules as the routes: the last line of defence."""
    from consult.exceptions import NotAllowed
    from consult.services import comments as comment_service

    c = consultation
    draft2 = draft_service.start_next_draft(c.proposal, actor=c.people.member)
    for person in (c.people.outsider, c.people.organizer, c.people.reviewer):
        with pytest.raises(NotAllowed):
            draft_service.add_section(
                draft2, after=None, level=1, number="", heading="X", body="", actor=person
            )
        with pytest.raises(NotAllowed):
            comment_service.close_draft(c.draft, actor=person)
        with pytest.raises(NotAllowed):
            draft_service.seat_member(c.proposal, person, person, Seat.MEMBER)
    added = draft_service.add_section(
        draft2, after=None, level=1, number="", heading="Mục mới", body="", actor=c.people.member
    )
    assert added in draft2.sections and added.heading == "Mục mới"


def test_home_page_shows_each_user_their_proposals(client, consultation):
    c = consultation
    drafting_title, consulted_title = (
        "Đề án bạn tham gia soạn thảo",
        "Đề án cơ quan bạn được lấy ý kiến",
    )

    def section_of(page: str, code: str) -> str:
        """The heading of the home-page group listing proposal ``code``."""
        link = page.index(f"/proposals/{code}/drafts/")
        return page[:link].rsplit("<h2", 1)[1]

    login(client, c.people.member)
    page = client.get("/").get_data(as_text=True)
    assert drafting_title in section_of(page, "DTTM-CT")
    assert "/proposals/KH-NN/" not in page  # another board's draft in preparation
    login(client, c.people.reviewer)
    page = client.get("/").get_data(as_text=True)
    assert consulted_title in section_of(page, "DTTM-CT")
    login(client, c.people.outsider)
    page = client.get("/").get_data(as_text=True)
    assert drafting_title in section_of(page, "KH-NN")
    assert "Các đề án khác" in section_of(page, "DTTM-CT")


def test_the_lead_agency_is_never_consulted_on_its_own_proposal(client, consultation):
    from consult.services import comments as comment_service

    c = consultation
    lead_agency = c.proposal.lead_agency
    comment_service.invite_departments(c.draft, [lead_agency, c.stttt], actor=c.people.drafting)
    db.session.commit()
    assert {i.department_id for i in c.draft.invitations} == {c.stttt.id}
    # Nor can a consulted body be made the lead agency.
    login(client, c.people.drafting)
    response = client.post(
        f"/proposals/{c.proposal.code}/edit",
        data={"code": c.proposal.code, "title": c.proposal.title, "visibility": "internal",
              "lead_agency": c.stttt.id},
    )  # fmt: skip
    assert response.status_code == 422
    assert "không thể đồng thời chủ trì" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, c.proposal.id).lead_agency_id == lead_agency.id


def test_only_invited_bodies_read_each_others_comments(consultation, make_user, make_department):
    from consult.models import CommentKind
    from consult.services import comments as comment_service

    c = consultation
    c.draft.departments_see_each_other = True
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=CommentKind.GENERAL, body="Ý kiến."
    )
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    not_invited = make_user(Role.REVIEWER, department=make_department())
    assert comment.can_view(c.people.other_reviewer)  # SXD is invited
    assert not comment.can_view(not_invited)
    assert not comment.can_view(c.people.outsider)


def test_a_body_invited_to_a_draft_in_preparation_cannot_become_its_lead(consultation):
    from consult.services import comments as comment_service

    c = consultation
    draft2 = draft_service.start_next_draft(c.proposal, actor=c.people.drafting)
    comment_service.invite_departments(draft2, [c.sxd], actor=c.people.drafting)
    with pytest.raises(draft_service.BoardError):
        draft_service.update_proposal(c.proposal, c.people.drafting, lead_agency=c.sxd)


def test_the_board_page_refuses_bad_seats_and_changes_nothing(client, consultation):
    from consult.models import ProposalMember

    c = consultation
    before = db.session.query(ProposalMember).count()
    login(client, c.people.drafting)
    base = f"/proposals/{c.proposal.code}/board"
    for data, message in (
        ({"email": "khong-co@example.vn", "seat": "member"}, "Không có tài khoản đang hoạt động"),
        ({"email": c.people.reviewer.email, "seat": "chair"}, "Lựa chọn không hợp lệ"),
        ({"email": "", "seat": "member"}, "Trường này là bắt buộc"),
    ):
        response = client.post(base, data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    # The chair cannot be removed; a member (not the chair) cannot change the board.
    client.post(f"{base}/remove", data={"user_id": c.people.drafting.id})
    login(client, c.people.member)
    assert (
        client.post(base, data={"email": c.people.reviewer.email, "seat": "member"}).status_code
        == 403
    )
    assert client.post(f"{base}/remove", data={"user_id": c.people.organizer.id}).status_code == 403
    db.session.expire_all()
    assert db.session.query(ProposalMember).count() == before
    assert c.proposal.chair.id == c.people.drafting.id


def test_publishing_over_an_open_draft_asks_first(client, consultation):
    """Issue 18: publishing draft 2 silently closed draft 1, still open with bodies silent.
    The board is told the days left and who has not responded, and nothing changes until
    it confirms."""
    from consult.services import comments as comment_service

    c = consultation
    comment_service.agree_with_draft(c.draft, c.people.other_lead)
    db.session.commit()
    login(client, c.people.drafting)
    client.post(f"/proposals/{c.proposal.code}/drafts/next")
    url = f"/proposals/{c.proposal.code}/drafts/2/publish"
    data = {"opens_at": "2030-05-01T08:00", "closes_at": "2030-05-20T17:00"}
    page = client.get(url).get_data(as_text=True)
    assert "Dự thảo lần 1 vẫn đang lấy ý kiến: còn 7 ngày." in page
    asked = client.post(url, data=data)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200
    # days left rounded up, the silent body named, the agreeing one not
    assert "còn 7 ngày" in text and "Sở Thông tin và Truyền thông" in text
    assert "Sở Xây dựng" not in text.split('id="publish-warning"')[1].split("</div>")[0]
    assert 'name="confirm" value="y"' in text and "Chờ, chưa phát hành" in text
    proposal = _reload(c.proposal)
    assert [d.status for d in proposal.drafts] == [DraftStatus.OPEN, DraftStatus.PREPARATION]
    # The service refuses without the confirmation too.
    with pytest.raises(IllegalTransition):
        comment_service.publish_draft(
            proposal.drafts[1], utcnow(), utcnow() + timedelta(days=5), actor=c.people.drafting
        )
    db.session.rollback()
    done = client.post(url, data={**data, "confirm": "y"})
    assert done.status_code == 302
    proposal = _reload(c.proposal)
    assert [d.status for d in proposal.drafts] == [DraftStatus.SUPERSEDED, DraftStatus.OPEN]


def test_publishing_after_the_previous_draft_closed_asks_nothing(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    client.post(f"{c.base}/close")
    client.post(f"/proposals/{c.proposal.code}/drafts/next")
    url = f"/proposals/{c.proposal.code}/drafts/2/publish"
    assert 'id="publish-warning"' not in client.get(url).get_data(as_text=True)
    done = client.post(url, data={"opens_at": "2030-05-01T08:00", "closes_at": "2030-05-20T17:00"})
    assert done.status_code == 302


def test_days_left_are_rounded_up(make_proposal):
    draft = make_proposal().drafts[0]
    assert draft.days_left(draft.closes_at - timedelta(days=2, hours=1)) == 3
    assert draft.days_left(draft.closes_at - timedelta(days=2)) == 2
    assert draft.days_left(draft.closes_at + timedelta(minutes=1)) == 0


def test_an_import_that_removes_sections_says_so_and_is_confirmed(client, make_proposal):
    """Issue 18: an import removed 33 sections with only "found 9 sections" shown. The
    preview lists what goes before the save button, and saving needs the box ticked."""
    proposal = make_proposal(publish=False)
    login(client, proposal.chair)
    before = [s.title for s in _reload(proposal).drafts[0].sections]
    preview = client.post(
        f"/proposals/{proposal.code}/import",
        data=_md_upload("# Chương I. Sự cần thiết và căn cứ pháp lý\n\nMới.\n"),
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    warning = page.split('id="import-removes"')[1].split("</div>")[0]
    assert "Lưu sẽ xoá 4 phần của dự thảo" in warning
    for title in before[1:]:
        assert title in warning
    assert page.index('id="import-removes"') < page.index('id="submit"')
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    refused = client.post(f"/proposals/{proposal.code}/import/confirm", data={"token": token})
    assert refused.status_code == 422
    assert "Đánh dấu ô để xác nhận" in refused.get_data(as_text=True)
    assert [s.title for s in _reload(proposal).drafts[0].sections] == before
    # The page shown again carries a new token; with the box ticked the import is saved.
    token = refused.get_data(as_text=True).split('name="token" type="hidden" value="')[1]
    token = token.split('"')[0]
    done = client.post(
        f"/proposals/{proposal.code}/import/confirm", data={"token": token, "remove_ok": "y"}
    )
    assert done.status_code == 302
    assert len(_reload(proposal).drafts[0].sections) == 1


def test_the_service_refuses_an_unconfirmed_removal(make_proposal):
    from consult.documents.importer import ParsedSection

    proposal = make_proposal(publish=False)
    with pytest.raises(draft_service.SectionsWouldBeRemoved) as refused:
        draft_service.import_draft(
            proposal, [ParsedSection(1, "I", "Mới", "")], allow_removal=False
        )
    assert len(refused.value.removed) == 5
    db.session.rollback()
    assert len(_reload(proposal).drafts[0].sections) == 5


def test_the_whole_draft_page_renders_headings_at_their_level(client, auth, make_proposal):
    """Issue 18: headings all alike with a stray "§" before each, numbers without the
    punctuation the exports give them ("a)", "1.")."""
    from consult.models import Role

    sections = [
        (1, "I", "Sự cần thiết", "Mở đầu."),
        (2, "1", "Bối cảnh", "Nội dung."),
        (3, "a", "Kinh nghiệm Singapore", "Nội dung."),
        (2, "Điều 5", "Phạm vi", "Nội dung."),
    ]
    proposal = make_proposal(sections=sections)
    auth.login_as(Role.REVIEWER)
    page = client.get(f"/proposals/{proposal.code}/drafts/1/full").get_data(as_text=True)
    assert "§" not in page
    article = page.split('class="document"')[1]
    for tag, number, heading in (
        ("h2", "I.", "Sự cần thiết"),
        ("h3", "1.", "Bối cảnh"),
        ("h4", "a)", "Kinh nghiệm Singapore"),
        ("h3", "Điều 5.", "Phạm vi"),
    ):
        shown = f'<span class="sec-number">{number}</span> {heading}'
        heading_html = article.split(shown)[0].rsplit("<h", 1)[1]
        assert heading_html.startswith(tag[1:]), (number, heading_html[:40])
        assert f'<span class="toc-number">{number}</span> {heading}' in article
    # The same punctuation as the Word export.
    exported = client.get(f"/proposals/{proposal.code}/drafts/1/export.docx").data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(exported)).paragraphs)
    assert "a) Kinh nghiệm Singapore" in text and "1. Bối cảnh" in text


@pytest.mark.nodb
def test_a_number_typed_with_its_punctuation_keeps_it():
    from consult.numbering import join_heading_number, punctuated_number

    assert join_heading_number("a)", "Kinh nghiệm") == "a) Kinh nghiệm"
    assert punctuated_number("a)", "Kinh nghiệm") == "a)"
    assert punctuated_number("1.2", "Quốc tế") == "1.2."
    assert punctuated_number("b", "") == "b)"
