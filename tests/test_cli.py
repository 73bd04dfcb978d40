"""Command-line tools for accounts, departments and the demo."""

from consult.extensions import db
from consult.models import Department, DepartmentKind, Role, User
from tests.conftest import login


def test_users_create_and_list(runner, make_department):
    make_department(code="STTTT")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Lan@cantho.gov.vn",
            "--name",
            "Huỳnh Ngọc Lan",
            "--role",
            "reviewer",
            "--department",
            "stttt",
            "--password",
            "Mat-khau-2018",
        ],
    )
    assert result.exit_code == 0, result.output
    user = User.by_email("lan@cantho.gov.vn")
    assert user.role is Role.REVIEWER and user.department.code == "STTTT"
    assert user.check_password("Mat-khau-2018")
    listing = runner.invoke(args=["users", "list"])
    assert "lan@cantho.gov.vn\treviewer\tSTTTT\tactive" in listing.output


def test_users_create_refuses_bad_input(runner, make_department):
    make_department(code="STTTT")
    base = ["users", "create", "--email", "x@cantho.gov.vn", "--name", "X", "--role", "reviewer"]
    cases = [
        (["--department", "NOPE", "--password", "Mat-khau-2018"], "Không có cơ quan"),
        (["--department", "STTTT", "--password", "short"], "10"),
        (["--password", "Mat-khau-2018"], "phải thuộc một cơ quan"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=base + extra)
        assert result.exit_code != 0
        assert message in result.output, extra
    assert User.by_email("x@cantho.gov.vn") is None


def test_users_deactivate_activate_and_set_password(runner, make_user):
    user = make_user(Role.LEAD)
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_active
    assert runner.invoke(args=["users", "activate", user.email]).exit_code == 0
    result = runner.invoke(
        args=["users", "set-password", user.email, "--password", "New-pass-2026"]
    )
    assert result.exit_code == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("New-pass-2026")
    assert runner.invoke(args=["users", "deactivate", "nobody@x.vn"]).exit_code != 0


def test_departments_import_and_list(runner, tmp_path):
    path = tmp_path / "coquan.csv"
    path.write_text(
        "code,name,kind,email\nSYT,Sở Y tế,department,vanthu.syt@cantho.gov.vn\n"
        "H-PD,UBND huyện Phong Điền,district,\n",
        encoding="utf-8-sig",
    )
    result = runner.invoke(args=["departments", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã tạo 2 cơ quan, cập nhật 0 cơ quan." in result.output
    assert Department.by_code("H-PD").kind is DepartmentKind.DISTRICT
    result = runner.invoke(args=["departments", "import", str(path)])
    assert "Đã tạo 0 cơ quan, cập nhật 2 cơ quan." in result.output
    listing = runner.invoke(args=["departments", "list"]).output
    assert "SYT\tdepartment\tactive\tSở Y tế" in listing


def test_departments_import_with_errors_imports_nothing(runner, tmp_path):
    path = tmp_path / "coquan.csv"
    path.write_text("code,name,kind\nSYT,Sở Y tế,department\nBAD,,department\n", encoding="utf-8")
    result = runner.invoke(args=["departments", "import", str(path)])
    assert result.exit_code != 0
    assert "Dòng 3" in result.output
    assert Department.by_code("SYT") is None


def test_seed_demo_is_idempotent_and_loads_the_proposal(runner, client):
    from consult.demo import content
    from consult.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
    from consult.models import DraftStatus, Proposal, Section
    from consult.models.base import utcnow
    from consult.timeutil import in_vietnam

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output
    counts = (
        db.session.query(User).count(),
        db.session.query(Department).count(),
        db.session.query(Section).count(),
    )
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert counts == (
        db.session.query(User).count(),
        db.session.query(Department).count(),
        db.session.query(Section).count(),
    )
    assert counts[0] > len(DEMO_ACCOUNTS)  # plus a lead for each other responding body
    assert counts[1] == len(content.DEPARTMENTS)

    proposal = Proposal.by_code("DTTM-CT")
    statuses = [d.status for d in proposal.drafts]
    assert statuses == [
        DraftStatus.SUPERSEDED,
        DraftStatus.SUPERSEDED,
        DraftStatus.OPEN,
        DraftStatus.PREPARATION,  # draft 4, where draft 3's answers are taken in
    ]
    draft3 = proposal.drafts[2]
    assert draft3.is_accepting_comments()
    # Due in about two days, at the end of a working day (reminders are due at once).
    hours_left = (draft3.closes_at - utcnow()).total_seconds() / 3600
    assert 1 < hours_left <= 72
    assert in_vietnam(draft3.closes_at).strftime("%H:%M") == "17:00"
    keys2 = {s.key for s in proposal.drafts[1].sections}
    carried = [s for s in draft3.sections if s.key in keys2]
    assert len(carried) >= len(draft3.sections) - 3  # a section keeps its identity

    for account in DEMO_ACCOUNTS:
        login(client, account, DEMO_PASSWORD)


def test_demo_responses_to_the_open_draft_fall_inside_its_period(runner):
    from consult.models import DepartmentResponse, Proposal
    from consult.models.base import utcnow

    runner.invoke(args=["seed-demo"])
    draft3 = Proposal.by_code("DTTM-CT").drafts[2]
    responses = db.session.query(DepartmentResponse).filter_by(draft_id=draft3.id).all()
    assert responses
    assert all(draft3.opens_at <= r.submitted_at <= utcnow() for r in responses)


def test_demo_drafts_1_and_2_are_fully_answered_and_searchable(runner):
    from consult.models import Proposal
    from consult.services import triage as triage_service
    from consult.services.triage import InboxFilters

    runner.invoke(args=["seed-demo"])
    draft1, draft2, draft3, _draft4 = Proposal.by_code("DTTM-CT").drafts
    for draft in (draft1, draft2):
        assert triage_service.dashboard(draft).all_answered
    board3 = triage_service.dashboard(draft3)
    assert 0 < board3.unanswered < board3.total
    assert board3.duplicates >= 1
    found = db.session.scalars(triage_service.inbox_query(draft1, InboxFilters(q="an toan"))).all()
    assert found and all("an toan" in c.search_text for c in found)


def test_demo_has_a_workshop_with_comments_from_the_floor(runner):
    from consult.models import CommentSource, Workshop

    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])
    (workshop,) = db.session.query(Workshop).all()
    assert workshop.agenda and workshop.comments
    assert {c.source for c in workshop.comments} == {CommentSource.WORKSHOP}
    assert any(c.guest_name for c in workshop.comments) or all(
        c.department for c in workshop.comments
    )


def test_attachments_prune_removes_files_no_row_references(app, runner, consultation, tmp_path):
    """Issue 17, finding 2: files left by a crash go; attached files and fresh uploads stay."""
    import io
    import os
    import time

    from werkzeug.datastructures import FileStorage

    from consult.extensions import db
    from consult.services import comments as comment_service
    from tests.test_uploads import make_pdf

    app.config["DATA_DIR"] = str(tmp_path)
    c = consultation
    pdf = FileStorage(stream=io.BytesIO(make_pdf()), filename="a.pdf")
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind="change", body="Có phụ lục.", files=[pdf]
    )
    db.session.commit()
    folder = tmp_path / "attachments"
    kept = folder / comment.attachments[0].stored_name
    orphan, fresh, temp = folder / ("a" * 32), folder / ("b" * 32), folder / ".upload-x.tmp"
    for path in (orphan, fresh, temp):
        path.write_bytes(b"left behind")
    old = time.time() - 2 * 3600
    for path in (kept, orphan, temp):
        os.utime(path, (old, old))

    result = runner.invoke(args=["attachments", "prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert orphan.exists() and "2" in result.output
    result = runner.invoke(args=["attachments", "prune"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted([kept.name, fresh.name])


def test_drafts_import_prints_the_preview_and_dry_run_saves_nothing(
    runner, make_proposal, tmp_path
):
    from docx import Document

    from consult.models import Proposal

    proposal = make_proposal(sections=[], publish=False)
    document = Document()
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương;")
    document.add_paragraph("Điều 1. Phạm vi")
    document.add_paragraph("1. Nội dung.")
    path = tmp_path / "quyet-dinh.docx"
    document.save(path)
    args = ["drafts", "import", "--proposal", proposal.code, "--file", str(path)]

    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "QUYẾT ĐỊNH" in result.output and "Điều 1 Phạm vi" in result.output
    assert "18 of 18 (100.0%)" in result.output or "18 trên 18 (100.0%)" in result.output
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).drafts[0].sections == []

    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    sections = db.session.get(Proposal, proposal.id).drafts[0].sections
    assert [s.number for s in sections] == ["", "Điều 1"]


def test_drafts_import_says_which_sections_it_removes(runner, make_proposal, tmp_path):
    """Issue 18: the preview (and so the command's) said nothing of the sections removed."""
    proposal = make_proposal(publish=False)
    path = tmp_path / "du-thao.md"
    path.write_text("# Chương I. Sự cần thiết và căn cứ pháp lý\n\nMới.\n", encoding="utf-8")
    args = ["drafts", "import", "--proposal", proposal.code, "--file", str(path), "--dry-run"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "removes 4 sections" in result.output or "xoá 4 phần" in result.output
    assert "2.1 Hạ tầng công nghệ thông tin" in result.output
