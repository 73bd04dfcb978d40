"""Every role's journey on the demo data, in Chromium, as the civil servants use the portal.

Each step asserts what the user must see (flash messages, statuses, counts), saves
screenshots at desktop and phone sizes and runs axe-core (see conftest.py).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

DRAFT = "/proposals/DTTM-CT/drafts/3"
PROPOSAL_TITLE = "Đề án xây dựng thành phố Cần Thơ phát triển trở thành đô thị thông minh"
SECTION_72 = "7.2 Rà soát, lồng ghép các dự án đã và đang triển khai"
STTTT = "Sở Thông tin và Truyền thông"
PDF_LETTER = {
    "name": "cong-van-125-STTTT.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def flash(page):
    return page.locator(".flash")


def menu(page, name: str, *, nav: str = "Menu chính"):
    return page.get_by_role("navigation", name=nav).get_by_role("link", name=name)


def open_draft_3(j) -> None:
    """From the home page: Proposals › the smart-city proposal › draft 3."""
    page = j.page
    menu(page, "Đề án").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đề án")
    j.check("proposals")
    page.get_by_role("link", name=re.compile(PROPOSAL_TITLE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROPOSAL_TITLE)
    j.check("proposal")
    page.get_by_role("link", name="Dự thảo lần 3", exact=True).first.click()
    expect(page.locator(".draft-meta")).to_contain_text("Đang lấy ý kiến")
    j.check("draft-3")


def test_department_comments_and_lead_submits(journey):
    """A reviewer quotes a passage, a colleague edits the comment, the lead submits."""
    j = journey("1-department-response")
    page = j.page

    j.login("chuyenvien.stttt@demo.example.vn")
    expect(page.locator(".user-menu summary")).to_contain_text("Chuyên viên")
    j.check("home")
    open_draft_3(j)

    page.get_by_role("link", name="6.2 Giao thông thông minh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("6.2 Giao thông thông minh")
    expect(page.locator(".select-hint")).to_be_visible()  # the script is running
    j.check("section")

    # Select a passage with the mouse: the floating button quotes it in the form.
    passage = page.locator(".prose[data-commentable] p").first
    passage.click(click_count=3)
    quote_button = page.get_by_role("button", name="Góp ý đoạn này")
    expect(quote_button).to_be_visible()
    j.check("passage-selected")
    quote_button.click()
    expect(page.get_by_label("Đoạn trích dẫn")).to_have_value(re.compile("điều khiển đèn tín hiệu"))

    page.get_by_label("Loại góp ý").select_option(label="Đề xuất sửa đổi")
    page.get_by_role("textbox", name="Góp ý", exact=True).fill(
        "Đề nghị nêu rõ số nút giao được lắp đèn tín hiệu thích ứng trong giai đoạn 1."
    )
    page.get_by_label("Đề xuất nội dung thay thế").fill(
        "Xây dựng hệ thống điều khiển đèn tín hiệu thích ứng tại 40 nút giao trọng điểm."
    )
    page.get_by_label("Tệp đính kèm").set_input_files(
        {
            "name": "so-lieu-nut-giao.pdf",
            "mimeType": "application/pdf",
            "buffer": PDF_LETTER["buffer"],
        }
    )
    j.check("comment-filled")
    page.get_by_role("button", name="Lưu thành góp ý nháp của cơ quan").click()
    expect(flash(page)).to_contain_text("Đã lưu góp ý thành bản nháp của cơ quan")
    thread = page.locator("article.comment-thread", has_text="40 nút giao")
    expect(thread.locator("blockquote.quoted")).to_contain_text("điều khiển đèn tín hiệu")
    expect(thread.locator(".attachments")).to_contain_text("so-lieu-nut-giao.pdf")
    expect(thread.locator(".status")).to_have_text("Bản nháp của cơ quan, chưa gửi")
    j.check("comment-saved")

    # A second reviewer of the department edits it.
    j.logout()
    j.login("chuyenvien2.stttt@demo.example.vn")
    page.get_by_role("link", name="Góp ý và ý kiến chính thức của cơ quan tôi").first.click()
    j.check("my-department")
    card = page.locator("article.comment", has_text="40 nút giao")
    card.get_by_role("link", name="Sửa").click()
    j.check("edit-comment")
    body = page.get_by_role("textbox", name="Góp ý", exact=True)
    body.fill(body.input_value() + " Kèm theo lộ trình lắp đặt từng năm.")
    page.get_by_role("button", name="Lưu").click()
    expect(flash(page)).to_contain_text("Đã lưu góp ý.")
    expect(page.locator("article.comment", has_text="lộ trình lắp đặt từng năm")).to_be_visible()
    j.check("comment-edited")

    # The lead submits the department's response with its official letter.
    j.logout()
    j.login("lanhdao.stttt@demo.example.vn")
    # The bell tells the lead that draft 3 was published; opening the notification leads
    # to the draft and clears the count.
    expect(page.locator(".bell-count")).to_contain_text("1")
    page.get_by_role("link", name=re.compile("^Thông báo")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    j.check("notifications")
    page.get_by_role("link", name="Cài đặt thông báo").click()
    expect(page.get_by_role("group", name="Sắp hết hạn góp ý")).to_be_visible()
    j.check("notification-settings")
    page.get_by_role("link", name="Quay lại thông báo").click()
    page.get_by_role("button", name=re.compile("Dự thảo 3 của .* đang được lấy ý kiến")).click()
    expect(page).to_have_url(re.compile(r"/proposals/DTTM-CT/drafts/3$"))
    expect(page.locator(".bell-count")).to_have_count(0)
    page.get_by_role("link", name="Góp ý và ý kiến chính thức của cơ quan tôi").first.click()
    expect(page.locator("#pending-title .badge")).to_have_text("2")
    j.check("lead-my-department")
    page.get_by_label("Số công văn").fill("125/STTTT-VP")
    page.get_by_label("Ngày công văn").fill("20/04/2018")
    page.get_by_label("Bản quét công văn").set_input_files(PDF_LETTER)
    page.get_by_role("button", name="Gửi ý kiến chính thức của cơ quan").click()
    expect(flash(page)).to_contain_text(f"Đã gửi ý kiến của {STTTT} (2 góp ý).")
    response = page.locator("article.response")
    expect(response).to_contain_text("Công văn số 125/STTTT-VP (20/04/2018)")
    expect(response.get_by_role("link", name="Bản quét công văn")).to_be_visible()
    expect(response.locator(".status", has_text="Đã gửi")).to_have_count(2)
    expect(page.locator("#pending-title .badge")).to_have_text("0")
    j.check("response-submitted")


def test_department_agrees_by_keyboard(journey):
    """Another department answers "agree, no comments", with the keyboard only."""
    j = journey("2-agree-keyboard")
    page = j.page
    j.goto("/login")
    j.check("login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    # Signing in with empty fields: the errors are announced and tied to their fields.
    tab_to(page, "Đăng nhập").press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Vui lòng sửa các lỗi sau")
    email = page.get_by_role("textbox", name="Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    error_id = email.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_be_visible()
    j.check("login-errors")

    tab_to(page, "Email").type("lanhdao.sgtvt@demo.example.vn")
    tab_to(page, "Mật khẩu").type("CanTho-2018")
    page.keyboard.press("Enter")
    expect(page.locator(".user-menu summary")).to_contain_text("Lãnh đạo")
    j.check("home")
    tab_to(page, "Đề án").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đề án")
    j.audit()
    tab_to(page, re.compile(PROPOSAL_TITLE)).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROPOSAL_TITLE)
    j.audit()
    tab_to(page, "Dự thảo lần 3").press("Enter")
    expect(page.locator(".draft-meta")).to_contain_text("Đang lấy ý kiến")
    j.audit()
    tab_to(page, "Góp ý và ý kiến chính thức của cơ quan tôi").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Giao thông vận tải")
    expect(page.locator("#responses-title + p")).to_have_text("Chưa gửi ý kiến nào.")
    j.check("my-department")

    agree = page.locator("section", has=page.locator("#agree-title"))
    tab_to(page, "Số công văn", within=agree).type("88/SGTVT-KHTC")
    # Typed day first as offices write it, whatever the browser's language (no picker).
    letter_date = tab_to(page, "Ngày công văn", within=agree)
    expect(letter_date).to_have_attribute("placeholder", "dd/mm/yyyy")
    letter_date.type("22/04/2018")
    tab_to(page, "Gửi: thống nhất với dự thảo, không có ý kiến khác").press("Enter")
    expect(flash(page)).to_have_text("Đã ghi nhận: cơ quan bạn thống nhất với dự thảo.")
    response = page.locator("article.response")
    expect(response).to_contain_text("Thống nhất với dự thảo, không có ý kiến khác")
    expect(response).to_contain_text("Công văn số 88/SGTVT-KHTC (22/04/2018)")
    expect(page.locator("#agree-title")).to_have_count(0)
    j.check("agreed")


def tab_to(page, name, *, within=None, limit: int = 120):
    """Press Tab until the element named ``name`` has the focus; check the focus is visible."""
    scope = within or page
    target = None
    for role in ("button", "link", "textbox", "combobox", "checkbox"):
        candidate = scope.get_by_role(role, name=name, exact=isinstance(name, str))
        if candidate.count():
            target = candidate.first
            break
    if target is None:
        target = scope.get_by_label(name).first
    for _press in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError(f"{name!r} cannot be reached with the Tab key")
    outline = target.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )
    assert outline, f"the keyboard focus on {name!r} is not visible"
    return target


def inbox_rows(page):
    return page.locator("table.inbox tbody tr")


def test_drafting_team_answers_every_comment(journey):
    """Filter, merge duplicates, answer with each result, link to draft 4, all answered."""
    j = journey("3-drafting-team")
    page = j.page
    j.login("bst@demo.example.vn")
    j.check("home")

    # The next draft exists (the demo has draft 4 in preparation), so comments can be
    # linked to its sections.
    menu(page, "Đề án").click()
    j.audit()
    page.get_by_role("link", name=re.compile(PROPOSAL_TITLE)).first.click()
    row = page.locator("table.data-table tr", has_text="Dự thảo lần 4")
    expect(row).to_contain_text("Đang soạn thảo")
    expect(row).to_contain_text("Tiếp thu ý kiến góp ý đối với dự thảo lần 3.")
    j.check("draft-4-in-preparation")

    j.goto(DRAFT)
    j.audit()
    page.get_by_role("link", name="Hộp góp ý").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp góp ý")
    total = inbox_rows(page).count()
    expect(page.get_by_role("status").last).to_have_text(f"Có {total} góp ý phù hợp.")
    j.check("inbox")

    # Live filter: choosing a section reloads the list at once.
    page.get_by_role("combobox", name="Mục", exact=True).select_option(label=SECTION_72)
    expect(page).to_have_url(re.compile(r"section=\d+"))
    expect(page.get_by_role("status").last).to_have_text("Có 2 góp ý phù hợp.")
    expect(page.get_by_role("combobox", name="Mục", exact=True)).to_be_focused()
    for row in inbox_rows(page).all():
        expect(row.locator("td").nth(2)).to_have_text(SECTION_72)
    j.check("inbox-filtered")

    # Merge two comments that say the same thing.
    inbox_rows(page).first.locator("td").nth(1).get_by_role("link").click()
    first_id = int(page.get_by_role("heading", level=1).inner_text().split("#")[1])
    similar = page.locator("ul.similar input[type=checkbox]:not([disabled])")
    expect(similar.first).to_be_visible()
    j.check("comment")
    duplicate_id = int(similar.first.get_attribute("value"))
    similar.first.check()
    page.get_by_role("button", name="Gộp các góp ý đã chọn vào góp ý này (trùng nội dung)").click()
    expect(flash(page)).to_have_text(
        f"Đã gộp 1 góp ý: các góp ý này nhận chung ý kiến trả lời của #{first_id}."
    )
    # The merged comment is no longer offered: it shows its group instead of a checkbox.
    expect(page.locator(f"ul.similar input[value='{duplicate_id}']")).to_have_count(0)
    expect(page.locator("ul.similar li.merged", has_text=f"#{duplicate_id}")).to_contain_text(
        f"đã gộp với #{first_id}"
    )
    j.check("merged")

    # Answer comments with each result; link the first to a section of draft 4.
    results = [
        ("Tiếp thu", "Đã bổ sung vào mục 7.2 của dự thảo lần 4."),
        ("Tiếp thu một phần", "Tiếp thu nội dung về dữ liệu; lộ trình giữ nguyên."),
        ("Giải trình, không tiếp thu", "Nội dung thuộc kế hoạch hằng năm, không đưa vào Đề án."),
        ("Ghi nhận", "Ghi nhận để xem xét ở giai đoạn 2."),
    ]
    answered_ids = []
    for n, (label, answer) in enumerate(results):
        if n:
            page.get_by_role("link", name="Quay lại hộp góp ý").click()
            page.get_by_role("combobox", name="Tình trạng trả lời").select_option(
                label="Chưa trả lời"
            )
            expect(page).to_have_url(re.compile("answered=no"))
            inbox_rows(page).first.locator("td").nth(1).get_by_role("link").click()
        comment_id = int(page.get_by_role("heading", level=1).inner_text().split("#")[1])
        page.get_by_role("combobox", name="Kết quả").select_option(label=label)
        page.get_by_role("textbox", name="Ý kiến tiếp thu, giải trình").fill(answer)
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect(flash(page)).to_have_text(f"Đã lưu góp ý #{comment_id}.")
        expect(page.locator(".history")).to_contain_text(answer)
        answered_ids.append(comment_id)
        if n == 0:
            j.check("answered-accepted")
            page.get_by_label("Đã tiếp thu tại").select_option(label=SECTION_72)
            page.get_by_role("button", name="Lưu liên kết").click()
            expect(flash(page)).to_have_text("Đã lưu liên kết.")
            j.check("linked-to-draft-4")
        else:
            j.audit()
    assert len(set(answered_ids)) == 4

    # The rest at once, from the inbox.
    page.get_by_role("link", name="Quay lại hộp góp ý").click()
    page.get_by_role("combobox", name="Tình trạng trả lời").select_option(label="Chưa trả lời")
    expect(page).to_have_url(re.compile("answered=no"))
    remaining = inbox_rows(page).count()
    assert remaining > 0
    for box in page.locator("table.inbox input[name=comment_id]").all():
        box.check()
    page.get_by_label("Thao tác").select_option(label="Đặt kết quả và ý kiến trả lời")
    page.locator("#bulk-form").get_by_label("Kết quả").select_option(label="Ghi nhận")
    page.get_by_label("Một ý kiến trả lời chung cho các góp ý đã chọn").fill(
        "Ban Soạn thảo ghi nhận, sẽ nghiên cứu trong quá trình triển khai."
    )
    j.check("bulk-answer")
    page.get_by_role("button", name="Áp dụng cho các góp ý đã chọn").click()
    expect(flash(page)).to_have_text(f"Đã cập nhật {remaining} góp ý.")
    expect(page.locator("table.inbox tbody")).to_contain_text("Không có góp ý nào phù hợp")
    j.check("inbox-empty")

    page.get_by_role("link", name="Tổng quan").first.click()
    expect(page.locator(".all-answered")).to_have_text("✓ Đã trả lời tất cả góp ý.")
    expect(page.locator(".progress-card")).to_contain_text(
        re.compile(r"Đã trả lời (\d+) / \1 góp ý")
    )
    j.check("dashboard-all-answered")


def export(j, button_name: str, step: str) -> bytes:
    """Press an export button: the job's page follows the work, then offers the file."""
    page = j.page
    origin = page.url
    page.get_by_role("button", name=button_name, exact=True).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    link = page.get_by_role("link", name=re.compile("^Tải xuống "))
    expect(link).to_be_visible()
    j.check(step)
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    j.goto(origin)
    return data


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_workshop_organizer_records_the_floor(journey):
    """An organizer creates a workshop, records two comments and downloads its papers."""
    j = journey("4-workshop")
    page = j.page
    j.login("hoithao@demo.example.vn")
    j.check("home")
    page.get_by_role("link", name="Hội thảo", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội thảo")
    j.check("workshops")
    page.get_by_role("link", name="Hội thảo mới").click()
    j.check("new-workshop")

    title = "Hội thảo góp ý giao thông và nông nghiệp thông minh"
    page.get_by_label("Tên").fill(title)
    page.get_by_label("Ngày giờ (giờ Việt Nam)").fill("15/05/2018 08:30")
    page.get_by_label("Địa điểm").fill("Hội trường UBND thành phố Cần Thơ")
    page.get_by_role("checkbox", name="6.2 Giao thông thông minh").check()
    page.get_by_role("checkbox", name="6.6 Nông nghiệp thông minh").check()
    page.get_by_role("checkbox", name="Sở Giao thông vận tải").check()
    page.get_by_role("checkbox", name="Sở Nông nghiệp và Phát triển nông thôn").check()
    page.get_by_role("button", name="Lưu").click()
    expect(flash(page)).to_have_text("Đã tạo hội thảo.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".draft-meta")).to_contain_text("15/05/2018 08:30")
    expect(page.locator("#floor h2 .badge")).to_have_text("0")
    j.check("workshop")

    page.get_by_label("Họ tên khách mời").fill("Nguyễn Văn Hậu")
    page.get_by_label("Cơ quan, tổ chức").fill("Hợp tác xã nông nghiệp Phong Điền")
    page.get_by_role("button", name="Thêm khách mời").click()
    expect(flash(page)).to_have_text("Đã thêm khách mời.")

    floor = [
        ("Sở Giao thông vận tải", "6.2 Giao thông thông minh",
         "Đề nghị ưu tiên lắp đèn tín hiệu thích ứng ở nút giao Nguyễn Văn Cừ."),
        ("Nguyễn Văn Hậu", "6.6 Nông nghiệp thông minh",
         "Hợp tác xã cần được hỗ trợ cảm biến đo mặn trong mùa khô."),
    ]  # fmt: skip
    for n, (speaker, section, text) in enumerate(floor, start=1):
        form = page.locator("#floor form")
        who = form.get_by_label("Người phát biểu")
        who.select_option(label=who.locator("option", has_text=speaker).first.inner_text())
        form.get_by_label("Mục", exact=True).select_option(label=section)
        form.get_by_role("textbox", name="Góp ý", exact=True).fill(text)
        form.get_by_role("button", name="Ghi nhận ý kiến").click()
        expect(flash(page)).to_have_text("Đã ghi nhận ý kiến; ý kiến được chuyển vào hộp góp ý.")
        expect(page.locator("#floor h2 .badge")).to_have_text(str(n))
        expect(page.locator("#floor article.comment", has_text=text)).to_contain_text(speaker)
    j.check("floor-comments")

    packet = docx_text(export(j, "Tài liệu DOCX", "packet-docx"))
    assert title in packet
    assert "6.2 Giao thông thông minh" in packet and "6.6 Nông nghiệp thông minh" in packet
    assert "Trung tâm điều hành" in packet or "đèn tín hiệu" in packet  # the agenda's text
    packet_pdf = squash(pdf_text(export(j, "Tài liệu PDF", "packet-pdf")))
    assert squash(title) in packet_pdf

    report = docx_text(export(j, "Báo cáo DOCX", "report-docx"))
    assert title in report
    for speaker, _section, text in floor:
        assert text in report and speaker in report
    report_pdf = squash(pdf_text(export(j, "Báo cáo PDF", "report-pdf")))
    for _speaker, _section, text in floor:
        assert squash(text) in report_pdf

    # The draft's summary report now holds the comments from the floor too.
    page.get_by_role("link", name="Báo cáo tổng hợp của dự thảo").click()
    expect(page.locator("h1.report-title")).to_contain_text("BẢN TỔNG HỢP Ý KIẾN")
    for _speaker, _section, text in floor:
        expect(page.locator("table.report-table")).to_contain_text(text)
    j.check("summary-report")
    summary = docx_text(export(j, "DOCX", "summary-docx"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in summary
    for speaker, _section, text in floor:
        assert text in summary and speaker in summary


def test_visitor_reads_a_public_proposal_without_javascript(journey):
    """Without signing in and without JavaScript: switch language, read the public draft."""
    j = journey("5-visitor-no-js", javascript=False)
    page = j.page
    j.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng lấy ý kiến góp ý")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    j.check("home")

    page.get_by_role("button", name="EN – English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultation portal")
    expect(menu(page, "Proposals", nav="Main menu")).to_be_visible()
    j.check("home-english")
    menu(page, "Proposals", nav="Main menu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals")
    j.check("proposals-english")
    page.get_by_role("button", name="VI – Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đề án")
    j.check("proposals")

    page.get_by_role("link", name=re.compile(PROPOSAL_TITLE)).first.click()
    expect(page.get_by_text("Công khai: ai cũng đọc được")).to_be_visible()
    j.check("proposal")
    page.get_by_role("link", name="Dự thảo lần 3", exact=True).first.click()
    expect(page.locator(".draft-meta")).to_contain_text("Đang lấy ý kiến")
    j.check("draft-3")
    page.get_by_role("link", name="7.3 Danh mục dự án ưu tiên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("7.3 Danh mục dự án ưu tiên")
    expect(page.locator(".prose table")).to_be_visible()
    expect(page.locator("#comment-form")).to_have_count(0)  # visitors read, they do not comment
    j.check("section")
    page.get_by_role("link", name="Mục lục").click()
    page.get_by_role("link", name="Đọc toàn văn dự thảo").click()
    expect(page.locator(".document")).to_contain_text("Chương IX")
    j.check("full-draft")

    # Printed, the draft is the document alone: no menus, no forms.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".document")).to_be_visible()
    page.screenshot(path=j.folder / "print-full-draft.png", full_page=True)
    page.emulate_media(media="screen")


def test_chair_seats_a_board_member_who_then_triages(journey):
    """The chair gives a seat on the board; the new member finds the proposal among those
    they draft and opens its inbox; another proposal's chair learns nothing of it."""
    j = journey("6-board")
    page = j.page
    j.login("bst@demo.example.vn")
    menu(page, "Đề án").click()
    j.audit()
    page.get_by_role("link", name=re.compile(PROPOSAL_TITLE)).first.click()
    j.audit()
    page.get_by_role("link", name="Quản lý Ban Soạn thảo và ban tổ chức").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ban Soạn thảo và ban tổ chức")
    j.check("board")
    page.get_by_label("Email của tài khoản").fill("lanhdao.snv@demo.example.vn")
    page.get_by_label("Vai trò").select_option(label="Thành viên Ban Soạn thảo")
    page.get_by_role("button", name="Thêm").click()
    expect(flash(page)).to_have_text("Mai Thị Nội đã được phân công.")
    expect(page.locator("table tbody tr", has_text="Mai Thị Nội")).to_contain_text(
        "Thành viên Ban Soạn thảo"
    )
    j.check("seated")

    j.logout()
    j.login("lanhdao.snv@demo.example.vn")
    drafting = page.locator(
        "section", has=page.get_by_role("heading", name="Đề án bạn tham gia soạn thảo")
    )
    expect(drafting).to_contain_text(PROPOSAL_TITLE)
    j.check("home-as-member")
    drafting.get_by_role("link", name="Hộp góp ý").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp góp ý")
    j.check("inbox-as-member")

    j.logout()
    j.login("bst.snn@demo.example.vn")
    # Asked directly (with this browser's session), not loaded: the page would log its 404.
    response = page.request.get(f"{DRAFT}/inbox")
    assert response.status == 404 and "Không tìm thấy trang" in response.text()


def test_board_exports_the_summary_report_as_a_job(journey, worker_at_work):
    """The board exports draft 3's summary report: a progress page, then the file; the job
    page also ends up offering it without JavaScript (it refreshes itself)."""
    import openpyxl

    j = journey("7-board-export")
    page = j.page
    j.login("bst@demo.example.vn")
    j.check("home")
    j.goto("/proposals/DTTM-CT/drafts/3/report")
    expect(page.locator("h1.report-title")).to_contain_text("BẢN TỔNG HỢP Ý KIẾN")
    j.check("summary-report")
    worker_at_work.clear()  # the worker is busy elsewhere: the job waits its turn
    page.get_by_role("button", name="XLSX", exact=True).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    job_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo tổng hợp ý kiến dự thảo lần 3 của DTTM-CT (XLSX)"
    )
    expect(page.locator("#job-state")).to_have_text("Đang chờ thực hiện")
    expect(page.locator("progress#job-progress")).to_be_visible()
    expect(page.get_by_role("button", name="Hủy")).to_be_visible()
    j.check("job-waiting")
    worker_at_work.set()
    # The script follows the job to its end: the page then offers the file.
    link = page.get_by_role("link", name="Tải xuống DTTM-CT-tong-hop-y-kien-du-thao-3.xlsx")
    expect(link).to_be_visible()
    expect(page.locator("#job-state")).to_have_text("Đã xong")
    j.check("job-done")
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "DTTM-CT-tong-hop-y-kien-du-thao-3.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Số mục", "Tên mục", "Cơ quan góp ý") and len(rows) > 10

    # The job is listed under the user's menu, and its page answers after a reload.
    page.locator(".user-menu summary").click()
    page.locator(".user-menu").get_by_role("link", name="Việc đang xử lý của tôi").click()
    expect(page.get_by_role("link", name=re.compile("dự thảo lần 3"))).to_be_visible()
    j.check("my-jobs")
    page.get_by_role("link", name=re.compile("dự thảo lần 3")).click()
    expect(page).to_have_url(job_url)
    page.reload()
    expect(page.get_by_role("link", name=re.compile("^Tải xuống "))).to_be_visible()

    # Without JavaScript: the page refreshes itself until the file is ready.
    plain = journey("7-board-export-no-js", javascript=False)
    plain.context.add_cookies(j.context.cookies())
    plain.goto("/proposals/DTTM-CT/drafts/3/report")
    plain.check("summary-report")
    plain.page.get_by_role("button", name="CSV", exact=True).click()
    expect(plain.page).to_have_url(re.compile(r"/jobs/\d+$"))
    expect(plain.page.get_by_role("link", name=re.compile("^Tải xuống .*\\.csv$"))).to_be_visible()
    plain.check("job-done")


def test_board_takes_the_answers_to_draft_3_into_draft_4(journey):
    """Consolidation: two accepted wordings applied, a conflict merged, draft 4 published,
    and the comparison of drafts 3 and 4 shows each change beside the comment behind it."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    j = journey("9-consolidation")
    page = j.page
    j.login("bst@demo.example.vn")
    j.check("home")
    j.goto("/proposals/DTTM-CT/drafts/4")
    j.check("draft-4")
    page.get_by_role("link", name="Tiếp thu góp ý về Dự thảo lần 3").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo lần 4")
    j.check("consolidation")

    def card(kind: str, title: str):
        heading = page.get_by_role("heading", level=2, name=re.compile(re.escape(title)))
        return page.locator(f"section.{kind}").filter(has=heading)

    def apply(section: str, marker: str, step: str) -> None:
        comment = card("consolidation-section", section).locator(
            "article.consolidation-comment", has_text=marker
        )
        comment.get_by_role("button", name="Áp dụng…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Kiểm tra thay đổi trước khi áp dụng"
        )
        expect(page.locator(".redline ins").first).to_be_visible()
        j.check(f"{step}-redline")
        page.get_by_role("button", name="Áp dụng", exact=True).click()
        expect(flash(page)).to_contain_text("Đã áp dụng thay đổi vào mục")
        expect(
            page.locator("section.consolidation-section", has_text=section).locator(".current-text")
        ).to_contain_text(marker)

    apply("5.1 Kiến trúc tổng thể", "NB-IoT", "iot")
    apply("6.8 An ninh, trật tự", "cơ sở dữ liệu phương tiện vi phạm", "camera")
    j.check("two-applied")

    # Two departments proposed different wordings for one passage: the board merges them.
    ioc = card("consolidation-section", "5.3 Trung tâm giám sát")
    conflict = ioc.locator(".conflict")
    expect(conflict).to_contain_text("Sở Nội vụ")
    expect(conflict).to_contain_text("Công an thành phố")
    merged = (
        "do Sở Thông tin và Truyền thông quản lý vận hành thông qua bộ phận vận hành chuyên "
        "trách, hoạt động liên tục 24/7; Công an thành phố phối hợp bảo đảm an ninh, an toàn "
        "thông tin"
    )
    merge_form = conflict.locator(".conflict-choice").last
    merge_form.get_by_label("Nội dung áp dụng").fill(merged)
    merge_form.get_by_role("button", name="Áp dụng nội dung đã hợp nhất…").click()
    expect(page.locator(".redline")).to_contain_text("24/7")
    j.check("merged-redline")
    page.get_by_role("button", name="Áp dụng", exact=True).click()
    expect(flash(page)).to_contain_text("Đã áp dụng thay đổi vào mục 5.3")
    ioc = card("consolidation-section", "5.3 Trung tâm giám sát")
    expect(ioc.locator(".conflict")).to_have_count(0)
    expect(ioc.locator(".applied-changes")).to_contain_text("Sở Nội vụ, Công an thành phố")
    j.check("conflict-resolved")

    # Publish draft 4.
    j.goto("/proposals/DTTM-CT/drafts/4")
    page.get_by_role("link", name="Công bố…").click()
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(second=0, microsecond=0)
    page.get_by_label("Bắt đầu nhận góp ý (giờ Việt Nam)").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Hạn góp ý (giờ Việt Nam)").fill(
        (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    )
    j.check("publish")
    page.get_by_role("button", name="Công bố và mở lấy ý kiến").click()
    # Draft 3 is still open: the board confirms that its period ends now.
    page.get_by_role(
        "button", name="Vẫn phát hành và kết thúc lấy ý kiến Dự thảo lần 3 ngay"
    ).click()
    expect(flash(page)).to_have_text("Đã công bố dự thảo lần 4.")
    j.check("published")

    # Compare drafts 3 -> 4: each change with the comments that caused it.
    j.goto("/proposals/DTTM-CT/compare?from=3&to=4")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự thảo lần 3")
    for section, speakers in (
        ("5.1 Kiến trúc tổng thể", ["Viettel Cần Thơ"]),
        ("5.3 Trung tâm giám sát", ["Sở Nội vụ", "Công an thành phố"]),
        ("6.8 An ninh, trật tự", ["Công an thành phố"]),
    ):
        item = card("compare-item", section)
        for speaker in speakers:
            expect(item.locator(".caused-by")).to_contain_text(speaker)
    j.check("compare-3-4")


def test_department_works_in_word(journey, worker_at_work):
    """A reviewer downloads draft 3 for review, marks it up in "Word" (comments, a reply and
    tracked changes, written with lxml as Word writes them), uploads it, keeps all lines but
    one; the lead downloads the generated letter and submits with its scan."""
    from tests.wordfiles import MarkUp

    j = journey("8-word")
    page = j.page
    j.login("chuyenvien.sxd@demo.example.vn")
    j.check("home")
    open_draft_3(j)
    page.get_by_role("link", name="Làm việc với Word").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Làm việc với Word")
    j.check("word-page")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải về để góp ý (.docx)").click()
    review = Path(info.value.path()).read_bytes()
    assert "consult_" in docx_xml(review)

    markup = MarkUp(review)
    # Passages of the body, each inside one run of the file (as a reader selects them).
    body_runs = [
        " ".join(run.text.split()[:7])
        for paragraph in docx.Document(io.BytesIO(review)).paragraphs
        if not paragraph.style.name.startswith(("Heading", "Title"))
        for run in paragraph.runs
        if len(run.text.split()) > 12
    ]
    first, second, third = body_runs[2], body_runs[6], body_runs[10]
    markup.comment(
        first,
        "Đề nghị làm rõ trách nhiệm của Sở Xây dựng.",
        author="Lê Văn Xây",
        replies=[("Trần Thị Dựng", "Đồng ý, bổ sung lộ trình.")],
    )
    markup.replace(second.split()[-1], second.split()[-1] + " (sửa)")
    markup.replace(third, None)
    marked = markup.save()

    page.get_by_label("Tệp Word đã góp ý (.docx)").set_input_files(
        {"name": "du-thao-3-SXD-gop-y.docx", "mimeType": DOCX_MIME, "buffer": marked}
    )
    page.get_by_role("button", name="Đọc tệp").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    preview_link = page.get_by_role("link", name="Mở bản xem trước")
    expect(preview_link).to_be_visible()
    j.check("word-job")
    preview_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nội dung đọc được từ tệp Word")
    lines = page.locator("li.word-line")
    expect(lines).to_have_count(3)
    expect(lines.first).to_contain_text("Đồng ý, bổ sung lộ trình.")
    j.check("word-preview")
    # Keep all but the second line (the changed word).
    lines.nth(1).get_by_role("checkbox").uncheck()
    page.get_by_role("button", name="Lưu các dòng đã chọn thành góp ý dự thảo của cơ quan").click()
    expect(flash(page)).to_contain_text("Đã lưu 2 góp ý dự thảo của cơ quan.")
    expect(page.locator("article.comment", has_text="trách nhiệm của Sở Xây dựng")).to_be_visible()
    expect(page.get_by_text("Đề xuất: bỏ đoạn này.")).to_be_visible()
    j.check("word-saved")

    j.logout()
    j.login("lanhdao.sxd@demo.example.vn")
    j.check("lead-home")
    open_draft_3(j)
    page.get_by_role("link", name="Làm việc với Word").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải công văn (.docx)").click()
    letter = Path(info.value.path()).read_bytes()
    letter_text = docx_text(letter)
    assert "V/v góp ý" in letter_text and "Sở Xây dựng".upper() in letter_text.upper()
    assert "trách nhiệm của Sở Xây dựng" in letter_text and "Nơi nhận" in letter_text
    j.check("letter")
    # The signed letter comes back scanned, and goes with the response.
    j.goto(DRAFT + "/my-department")
    expect(page.locator("#pending-title .badge")).to_have_text("2")
    page.get_by_label("Số công văn").fill("1402/SXD-QHKT")
    page.get_by_label("Ngày công văn").fill("2018-05-09")
    page.get_by_label("Bản quét công văn").set_input_files(
        {**PDF_LETTER, "name": "cong-van-1402-SXD.pdf"}
    )
    page.get_by_role("button", name="Gửi ý kiến chính thức của cơ quan").click()
    expect(flash(page)).to_contain_text("Đã gửi ý kiến của Sở Xây dựng (2 góp ý).")
    j.check("submitted")


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()
