"""Reading a marked-up Word file: every comment and change found, with its quote and section,
however Word or LibreOffice wrote it."""

from __future__ import annotations

import io
import zipfile

import pytest

from consult.documents.word_markup import MarkupError, SectionRef, read_markup
from tests.wordfiles import LIBREOFFICE, WORD, Note, Para, Table, build_docx

pytestmark = pytest.mark.nodb

SECTIONS = [
    SectionRef(
        "k1", "1.1", "Sự cần thiết", "Cần xây dựng đô thị thông minh để nâng cao chất lượng sống."
    ),
    SectionRef(
        "k2",
        "1.2",
        "Căn cứ pháp lý",
        "Nghị quyết 36a/NQ-CP về Chính phủ điện tử. Quyết định của UBND thành phố. "
        "Chỉ tiêu Năm 2025 Dịch vụ công 50%",
    ),
    SectionRef(
        "k3", "2.1", "Hạ tầng", "Trung tâm dữ liệu còn phân tán. Trung tâm điều hành chưa có."
    ),
    SectionRef(
        "k4",
        "2.2",
        "Chỉ tiêu",
        "Nghị quyết 36a/NQ-CP về Chính phủ điện tử. Chỉ tiêu Năm 2025 Dịch vụ công 50% "
        "Quyết định của UBND thành phố.",
    ),
]


def heading(text: str, key: str | None = None, style: str = "Heading1") -> Para:
    pieces = [("bookmark", f"consult_{key}")] if key else []
    return Para([*pieces, text], style=style)


def test_word_comments_with_ranges_replies_and_authors():
    data = build_docx(
        [
            Para(["Đề án đô thị thông minh"], style="Title"),
            heading("1.1 Sự cần thiết", "k1"),
            Para(
                [
                    "Cần xây dựng ",
                    ("start", 1),
                    "đô thị thông minh",
                    ("end", 1),
                    " để nâng cao chất lượng sống.",
                ]
            ),
            heading("1.2 Căn cứ pháp lý", "k2"),
            Para([("start", 3), "Nghị quyết 36a/NQ-CP về Chính phủ điện tử."]),
            Para(["Quyết định của UBND", ("end", 3), " thành phố."]),
        ],
        [
            Note(1, "Võ Thanh Tâm", "Nên nói rõ tiêu chí."),
            Note(2, "Huỳnh Ngọc Lan", "Đồng ý, thêm bộ chỉ số.", parent=1),
            Note(3, "Võ Thanh Tâm", "Cập nhật căn cứ mới\nNghị quyết 2025."),
        ],
    )
    report = read_markup(data, SECTIONS)
    comments = [f for f in report.findings if f.kind == "comment"]
    assert len(comments) == 2  # the reply is kept with its thread
    first, second = comments
    assert first.section_key == "k1" and first.quote == "đô thị thông minh"
    assert first.body == "Nên nói rõ tiêu chí."
    assert first.replies == [("Huỳnh Ngọc Lan", "Đồng ý, thêm bộ chỉ số.")]
    assert first.authors == ["Võ Thanh Tâm", "Huỳnh Ngọc Lan"]
    assert first.quote_prefix == "Cần xây dựng" and first.quote_suffix.startswith("để nâng cao")
    # Across two paragraphs, with a line break inside the comment's own text.
    assert second.section_key == "k2"
    assert second.quote == "Nghị quyết 36a/NQ-CP về Chính phủ điện tử. Quyết định của UBND"
    assert second.body == "Cập nhật căn cứ mới\nNghị quyết 2025."
    assert report.by_bookmark == 2 and all(f.placed for f in comments)


def test_libreoffice_replies_are_comments_on_the_same_range_and_stay_with_their_thread():
    data = build_docx(
        [
            heading("1.1 Sự cần thiết", "k1"),
            Para(
                [
                    "Cần xây dựng ",
                    ("start", 0), ("start", 1), "đô thị thông minh", ("end", 1), ("end", 0),
                    " để ", ("start", 2), "nâng cao", ("end", 2), " chất lượng sống.",
                ]
            ),  # fmt: skip
        ],
        # In comments.xml the thread's first comment comes first, whatever its id.
        [Note(1, "Võ Thanh Tâm", "Nêu rõ tiêu chí."), Note(0, "Huỳnh Ngọc Lan", "Đồng ý."),
         Note(2, "Huỳnh Ngọc Lan", "Một ý khác.")],
        dialect=LIBREOFFICE,
    )  # fmt: skip
    comments = [f for f in read_markup(data, SECTIONS).findings if f.kind == "comment"]
    assert [(c.quote, c.body, c.replies) for c in comments] == [
        ("đô thị thông minh", "Nêu rõ tiêu chí.", [("Huỳnh Ngọc Lan", "Đồng ý.")]),
        ("nâng cao", "Một ý khác.", []),
    ]


def test_tracked_changes_inside_and_across_paragraphs_one_proposal_per_paragraph():
    data = build_docx(
        [
            heading("1.1 Sự cần thiết", "k1"),
            # Two changes in one paragraph become one proposal, widened to whole words.
            Para(
                [
                    "Cần xây dựng đô thị ",
                    ("del", "thông minh"),
                    ("ins", "số"),
                    " để ",
                    ("ins", "từng bước "),
                    "nâng cao chất lượng sống.",
                ]
            ),
            heading("2.1 Hạ tầng", "k3"),
            # A deletion running over a paragraph mark: one deletion proposal per paragraph.
            Para(["Trung tâm dữ liệu ", ("del", "còn phân tán.")], mark="del"),
            Para([("del", "Trung tâm điều hành"), " chưa có."]),
        ]
    )
    changes = [f for f in read_markup(data, SECTIONS).findings if f.kind == "change"]
    assert len(changes) == 3
    one, two, three = changes
    assert (one.section_key, one.quote, one.proposed_text) == (
        "k1",
        "thông minh để nâng",
        "số để từng bước nâng",
    )
    assert not one.proposes_deletion
    assert (two.section_key, two.quote, two.proposes_deletion, two.proposed_text) == (
        "k3",
        "còn phân tán.",
        True,
        None,
    )
    assert (three.quote, three.proposes_deletion) == ("Trung tâm điều hành", True)
    assert three.quote_suffix == "chưa có."


def test_changes_in_table_cells_moved_text_and_part_of_a_word():
    data = build_docx(
        [
            heading("2.2 Chỉ tiêu", "k4"),
            Para(["Nghị quyết 36a/NQ-CP về Chính phủ điện tử."]),
            Table(
                [
                    [[Para(["Chỉ tiêu"])], [Para(["Năm ", ("del", "2025"), ("ins", "2026")])]],
                    [[Para(["Dịch vụ công"])], [Para(["50", ("ins", ",5"), "%"])]],
                ]
            ),
            # Moved below the first paragraph: gone from here, inserted there.
            Para([("from", "Quyết định của UBND thành phố.")]),
        ]
    )
    findings = read_markup(data, SECTIONS).findings
    changes = [(f.quote, f.proposed_text, f.proposes_deletion, f.moved) for f in findings]
    assert changes == [
        ("2025", "2026", False, False),
        ("50%", "50,5%", False, False),  # part of a word: widened to "50%"
        ("Quyết định của UBND thành phố.", None, True, True),
    ]
    assert all(f.section_key == "k4" and f.kind == "change" for f in findings)


def test_a_new_paragraph_joins_the_proposal_on_the_paragraph_before_it():
    data = build_docx(
        [
            heading("2.2 Chỉ tiêu", "k4"),
            Para(["Nghị quyết 36a/NQ-CP về Chính phủ điện tử."]),
            Para([("to", "Nghị quyết 2025 về chuyển đổi số.")], mark="ins"),
            Para([("ins", "Và một đoạn nữa.")], mark="ins"),
            Para(["Chỉ tiêu Năm 2025 Dịch vụ công 50% Quyết định của UBND thành phố."]),
        ]
    )
    (finding,) = read_markup(data, SECTIONS).findings
    assert finding.quote == "Nghị quyết 36a/NQ-CP về Chính phủ điện tử."
    assert finding.proposed_text == (
        "Nghị quyết 36a/NQ-CP về Chính phủ điện tử.\n\nNghị quyết 2025 về chuyển đổi số."
        "\n\nVà một đoạn nữa."
    )
    assert finding.moved


def test_sections_by_heading_and_number_when_the_bookmarks_are_gone_libreoffice():
    data = build_docx(
        [
            heading("1.1 Sự cần thiết"),
            Para(
                [
                    "Cần xây dựng ",
                    ("start", 1),
                    "đô thị",
                    ("end", 1),
                    " thông minh để nâng cao chất lượng sống.",
                ]
            ),
            heading("1.2 Căn cứ pháp lý (sửa tên)"),  # heading edited: found by its number
            Para([("start", 2), "Nghị quyết 36a/NQ-CP", ("end", 2), " về Chính phủ điện tử."]),
            heading("3.9 Một mục không có trong dự thảo"),
            Para([("start", 3), "Nội dung", ("end", 3), " mới."]),
        ],
        [Note(1, "A", "Một."), Note(2, "B", "Hai."), Note(3, "C", "Ba.")],
        dialect=LIBREOFFICE,
    )
    report = read_markup(data, SECTIONS)
    comments = {f.body: f for f in report.findings if f.kind == "comment"}
    assert comments["Một."].section_key == "k1" and comments["Một."].quote == "đô thị"
    assert comments["Hai."].section_key == "k2"
    assert comments["Ba."].section_key is None and comments["Ba."].problem == "unknown_heading"
    assert report.by_bookmark == 0 and report.sections_found == 2


def test_untracked_edits_are_found_against_the_draft():
    data = build_docx(
        [
            heading("1.1 Sự cần thiết", "k1"),
            Para(["Cần xây dựng đô thị số để nâng cao chất lượng sống."]),
            heading("2.1 Hạ tầng", "k3"),
            Para(["Trung tâm dữ liệu còn phân tán. Trung tâm điều hành chưa có."]),
        ]
    )
    findings = read_markup(data, SECTIONS).findings
    (untracked,) = [f for f in findings if f.kind == "untracked"]
    assert (untracked.section_key, untracked.quote, untracked.proposed_text) == (
        "k1",
        "thông minh",
        "số",
    )


def test_a_comment_on_the_title_is_general_and_a_change_outside_sections_is_listed():
    data = build_docx(
        [
            Para(
                [("start", 1), "Đề án đô thị thông minh", ("end", 1), ("ins", " (lần 3)")],
                style="Title",
            ),
            heading("1.1 Sự cần thiết", "k1"),
            Para(["Cần xây dựng đô thị thông minh để nâng cao chất lượng sống."]),
        ],
        [Note(1, "A", "Góp ý chung về đề án.")],
    )
    findings = read_markup(data, SECTIONS).findings
    comment = next(f for f in findings if f.kind == "comment")
    assert comment.section_key is None and comment.placed and comment.quote is None
    change = next(f for f in findings if f.kind == "change")
    assert change.problem == "outside_sections"


def test_same_file_same_fingerprints_and_word_renumbering_changes_nothing():
    def file(first_id):
        return build_docx(
            [
                heading("1.1 Sự cần thiết", "k1"),
                Para(
                    [
                        "Cần ",
                        ("start", first_id),
                        "xây dựng",
                        ("end", first_id),
                        " đô thị thông minh để nâng cao chất lượng sống.",
                    ]
                ),
            ],
            [Note(first_id, "A", "Ý kiến.")],
            dialect=WORD,
        )

    one = read_markup(file(1), SECTIONS).findings
    two = read_markup(file(7), SECTIONS).findings
    assert [f.fingerprint for f in one] == [f.fingerprint for f in two]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"not a zip", "not a valid Word"),
    ],
)
def test_broken_files_are_refused_with_a_reason(data, message):
    with pytest.raises(MarkupError, match=message):
        read_markup(data, SECTIONS)


def test_macros_are_refused():
    data = build_docx([Para(["x"])])
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\0" * 10)
    with pytest.raises(MarkupError, match="macros"):
        read_markup(buffer.getvalue(), SECTIONS)


def test_the_boards_copy_anchors_a_repeated_quote_where_its_context_says():
    from types import SimpleNamespace

    from consult.documents.word_review import WordComment, export_with_comments

    text = "Đầu tư hạ tầng số cho quận Ninh Kiều. Sau đó đầu tư hạ tầng số cho huyện Phong Điền."
    section = SimpleNamespace(key="k", level=1, number="1.", heading="Hạ tầng", body=text)
    comment = WordComment(
        "k", "Sở TTTT", "Ưu tiên huyện.", quote="hạ tầng số",
        quote_prefix="Ninh Kiều. Sau đó đầu tư", quote_suffix="cho huyện Phong Điền.",
        proposed_text="hạ tầng viễn thông",
    )  # fmt: skip
    data = export_with_comments("Đề án", [section], [comment])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    body = xml[xml.index("Đầu tư") :]
    # The range and the tracked change sit on the second "hạ tầng số", not the first.
    assert body.index("commentRangeStart") > body.index("Sau đó")
    assert body.index("<w:delText") > body.index("Sau đó")
