"""Finding a quoted passage of the rendered section in its Markdown source, and changing it."""

from __future__ import annotations

import unicodedata

import pytest

from consult.documents.passages import (
    EXACT,
    FORMATTING,
    NORMALISED,
    blocks,
    choose_by_context,
    find_passage,
    insert_block,
    removal_span,
    rendered_view,
    revert,
    splice,
)

pytestmark = pytest.mark.nodb


def apply(source: str, quote: str, wording: str) -> str:
    (occurrence,) = find_passage(source, quote)
    return splice(source, occurrence.start, occurrence.end, occurrence.replacement(wording))


def test_an_exact_quote_is_found_at_its_offsets():
    source = "Đến năm 2020, 50% hồ sơ được giải quyết trực tuyến."
    (found,) = find_passage(source, "50% hồ sơ")
    assert found.method == EXACT
    assert source[found.start : found.end] == "50% hồ sơ"
    assert found.context_before == "Đến năm 2020, "
    assert apply(source, "50% hồ sơ", "80% hồ sơ") == (
        "Đến năm 2020, 80% hồ sơ được giải quyết trực tuyến."
    )


def test_spaces_and_unicode_forms_are_normalised():
    # The section was typed with decomposed diacritics and a line break; the reader's browser
    # quoted it composed, on one line, with a non-breaking space.
    source = unicodedata.normalize("NFD", "Trung tâm điều hành\nthông minh của thành phố.")
    quote = "điều hành\u00a0thông  minh"
    (found,) = find_passage(source, quote)
    assert found.method == NORMALISED
    assert unicodedata.normalize("NFC", source[found.start : found.end]) == (
        "điều hành\nthông minh"
    )
    result = splice(source, found.start, found.end, "giám sát")
    assert unicodedata.normalize("NFC", result) == "Trung tâm giám sát của thành phố."


def test_a_quote_across_bold_italic_and_a_link_maps_back_to_the_source():
    source = (
        "Theo **Nghị quyết 26** và _Quyết định [950/QĐ-TTg](https://vanban.gov.vn/950)_ năm 2018."
    )
    assert rendered_view(source).text == "Theo Nghị quyết 26 và Quyết định 950/QĐ-TTg năm 2018."
    (found,) = find_passage(source, "Nghị quyết 26 và Quyết định 950/QĐ-TTg")
    assert found.method == FORMATTING
    assert source[found.start : found.end] == (
        "**Nghị quyết 26** và _Quyết định [950/QĐ-TTg](https://vanban.gov.vn/950)_"
    )
    assert apply(source, "Nghị quyết 26 và Quyết định 950/QĐ-TTg", "Nghị quyết 45") == (
        "Theo Nghị quyết 45 năm 2018."
    )


def test_a_quote_inside_a_bold_run_keeps_the_bold():
    source = "Tỷ lệ phủ sóng đạt **95% dân số** vào năm 2020."
    (found,) = find_passage(source, "95% dân số")
    assert (
        apply(source, "95% dân số", "99% dân số")
        == "Tỷ lệ phủ sóng đạt **99% dân số** vào năm 2020."
    )
    assert found.method == EXACT


def test_a_quote_that_covers_part_of_a_bold_run_keeps_the_rest_of_its_words():
    source = "Xây dựng **trung tâm dữ liệu** dùng chung."
    (found,) = find_passage(source, "dữ liệu dùng chung")
    assert found.widened and found.keep_before == "trung tâm "
    assert apply(source, "dữ liệu dùng chung", "dữ liệu của thành phố") == (
        "Xây dựng trung tâm dữ liệu của thành phố."
    )


def test_list_markers_headings_escapes_and_entities_are_not_part_of_the_rendered_text():
    source = "### Mục tiêu\n\n- Chính quyền \\*số\\* &amp; minh bạch\n- Đô thị `an toàn`"
    assert rendered_view(source).text == "Mục tiêu Chính quyền *số* & minh bạch Đô thị an toàn"
    (found,) = find_passage(source, "minh bạch Đô thị an toàn")
    assert source[found.start : found.end] == "minh bạch\n- Đô thị `an toàn`"


def test_snake_case_and_lone_stars_stay_as_typed():
    source = "Biến so_luong_ho_so và phép tính 2 * 3 * 4."
    assert rendered_view(source).text == source
    assert len(find_passage(source, "so_luong_ho_so")) == 1


def test_a_quote_that_occurs_twice_gives_both_places_with_their_context():
    source = (
        "Giai đoạn 1: camera giám sát giao thông.\n\n"
        "Giai đoạn 2: mở rộng camera giám sát giao thông."
    )
    found = find_passage(source, "camera giám sát giao thông")
    assert len(found) == 2
    assert found[0].context_before.endswith("Giai đoạn 1: ")
    assert found[1].context_before.endswith("mở rộng ")
    assert choose_by_context(found, None, None) is None  # the board chooses
    assert choose_by_context(found, "Giai đoạn 2: mở rộng", "") is found[1]
    assert choose_by_context(found, "", ".") is None  # both are followed by a full stop


def test_a_quote_that_is_no_longer_in_the_text_is_not_found():
    assert find_passage("Nội dung đã được viết lại hoàn toàn.", "nội dung cũ") == []
    assert find_passage("Văn bản.", "   ") == []


def test_a_removal_takes_one_of_the_spaces_around_it():
    source = "Ưu tiên nông nghiệp công nghệ cao và du lịch."
    (found,) = find_passage(source, " công nghệ cao")
    start, end = removal_span(source, found.start + 1, found.end)
    assert splice(source, start, end, "") == "Ưu tiên nông nghiệp và du lịch."


def test_insertion_after_a_chosen_paragraph():
    source = "Đoạn một.\n\n- mục a\n- mục b\n\nĐoạn ba."
    assert [b.preview for b in blocks(source)] == ["Đoạn một.", "mục a mục b", "Đoạn ba."]
    text, at = insert_block(source, 2, "Đoạn mới.")
    assert text == "Đoạn một.\n\n- mục a\n- mục b\n\nĐoạn mới.\n\nĐoạn ba."
    assert text[at:].startswith("Đoạn mới.")
    assert insert_block(source, 3, "Cuối.")[0] == source + "\n\nCuối.\n"
    assert insert_block("", 0, "Đầu tiên.")[0] == "Đầu tiên.\n"


def test_revert_puts_the_passage_back_even_after_other_changes_in_the_section():
    before = "Mục tiêu 50% vào năm 2020. Kinh phí 100 tỷ đồng."
    after = "Mục tiêu 80% vào năm 2020. Kinh phí 100 tỷ đồng."
    assert revert(after, before, after, 9, "50%", "80%") == before
    later = "Mục tiêu 80% vào năm 2020. Kinh phí 120 tỷ đồng."  # another change since
    assert revert(later, before, after, 9, "50%", "80%") == (
        "Mục tiêu 50% vào năm 2020. Kinh phí 120 tỷ đồng."
    )


def test_revert_of_a_wording_edited_by_hand_is_refused():
    before, after = "Mục tiêu 50%.", "Mục tiêu 80%."
    assert revert("Mục tiêu 85%.", before, after, 9, "50%", "80%") is None
    assert revert("80% và 80%.", before, after, 9, "50%", "80%") is None  # which one?


def test_revert_of_an_insertion_and_of_a_removal():
    source = "Đoạn một.\n\nĐoạn hai."
    inserted, _at = insert_block(source, 1, "Đoạn mới.")
    edited = inserted.replace("Đoạn hai.", "Đoạn hai, sửa.")
    assert revert(edited, source, inserted, _at, "", "Đoạn mới.") == "Đoạn một.\n\nĐoạn hai, sửa."
    before = "Ưu tiên nông nghiệp công nghệ cao và du lịch."
    start, end = removal_span(before, 20, 34)
    after = splice(before, start, end, "")
    edited = after.replace("du lịch", "du lịch sinh thái")
    assert revert(edited, before, after, start, before[start:end], "") == (
        "Ưu tiên nông nghiệp công nghệ cao và du lịch sinh thái."
    )
