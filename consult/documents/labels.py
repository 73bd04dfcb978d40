"""The wording of the report documents, translated like the rest of the interface.

Each label has its key as message context, so that a word used twice in the documents
("Comments" as a sheet name and as a count) can read differently in Vietnamese. Labels
with {braces} are ``str.format`` templates filled by the writers (see summary.py)."""

from flask_babel import lazy_pgettext as _p

LABELS = {
    "lang": _p("lang", "en-GB"),
    "thousands_sep": _p("thousands_sep", ","),
    "national_name": _p("national_name", "SOCIALIST REPUBLIC OF VIETNAM"),
    "motto": _p("motto", "Independence - Freedom - Happiness"),
    "place_date": _p("place_date", "{place}, {day} {month_name} {year}"),
    "number_line": _p("number_line", "No. {number}/{symbol}"),
    "addressee_label": _p("addressee_label", "To:"),
    "archive_line": _p("archive_line", "Filed: Records, {unit}"),
    "archive_plain": _p("archive_plain", "Filed: Records"),
    "month_1": _p("month_1", "January"),
    "month_2": _p("month_2", "February"),
    "month_3": _p("month_3", "March"),
    "month_4": _p("month_4", "April"),
    "month_5": _p("month_5", "May"),
    "month_6": _p("month_6", "June"),
    "month_7": _p("month_7", "July"),
    "month_8": _p("month_8", "August"),
    "month_9": _p("month_9", "September"),
    "month_10": _p("month_10", "October"),
    "month_11": _p("month_11", "November"),
    "month_12": _p("month_12", "December"),
    "title": _p("title", "SUMMARY OF COMMENTS, ACCEPTANCE AND EXPLANATIONS"),
    "title_draft": _p("title_draft", "ON THE DRAFT {title} (version {number})"),
    "counts_heading": _p("counts_heading", "I. THE CONSULTATION"),
    "count_consulted": _p("count_consulted", "1. Bodies consulted: {n}, of which: {by_kind}."),
    "count_consulted_plain": _p("count_consulted_plain", "1. Bodies consulted: {n}."),
    "count_period": _p("count_period", "Comment period: from {opens} to {closes}."),
    "count_letters": _p("count_letters", "Official letters received: {n}."),
    "count_results": _p("count_results", "2. Results: {n} bodies answered, of which:"),
    "count_agreed": _p(
        "count_agreed", "a) {n} bodies agreed with the draft without further comments: {bodies}."
    ),
    "count_agreed_zero": _p(
        "count_agreed_zero", "a) No body agreed with the draft without further comments."
    ),
    "agreed_with_letter": _p("agreed_with_letter", "{body} (letter no. {letter})"),
    "count_commented": _p(
        "count_commented", "b) {n} bodies sent comments, {comments} comments in total."
    ),
    "count_by_status": _p("count_by_status", "How they were handled: {items}."),
    "count_item": _p("count_item", "{label}: {n}"),
    "count_not_responded": _p("count_not_responded", "c) {n} bodies did not answer: {bodies}."),
    "count_not_responded_zero": _p("count_not_responded_zero", "c) Every body consulted answered."),
    "silence_agreement": _p(
        "silence_agreement",
        "As stated in the request for comments, a body that did not answer "
        "is considered to agree with the draft.",
    ),
    "list_separator": _p("list_separator", "; "),
    "table_heading": _p("table_heading", "II. COMMENTS, ACCEPTANCE AND EXPLANATIONS"),
    "col_number": _p("col_number", "No."),
    "col_section": _p("col_section", "Section"),
    "col_departments": _p("col_departments", "Commenting body"),
    "col_comment": _p("col_comment", "Comment"),
    "col_answer": _p("col_answer", "Acceptance or explanation"),
    "col_status": _p("col_status", "Result"),
    "general_section": _p("general_section", "General comments"),
    "section_continued": _p("section_continued", "(continued)"),
    "quote": _p("quote", "“{quote}”"),
    "proposed_prefix": _p("proposed_prefix", "Proposed wording:"),
    "proposed_deletion": _p("proposed_deletion", "Proposed: delete this passage."),
    "proposed_deletion_section": _p("proposed_deletion_section", "Proposed: delete this section."),
    "no_answer": "",  # an empty answer cell: nothing to translate
    "no_rows": _p("no_rows", "No comments."),
    "recipients_label": _p("recipients_label", "Recipients:"),
    "sheet_rows": _p("sheet_rows", "Comments"),
    "sheet_counts": _p("sheet_counts", "Figures"),
    "xcol_number": _p("xcol_number", "No."),
    "xcol_section_number": _p("xcol_section_number", "Section no."),
    "xcol_section_heading": _p("xcol_section_heading", "Section heading"),
    "xcol_departments": _p("xcol_departments", "Commenting bodies"),
    "xcol_kind": _p("xcol_kind", "Kind"),
    "xcol_source": _p("xcol_source", "Source"),
    "xcol_quote": _p("xcol_quote", "Quoted passage"),
    "xcol_comment": _p("xcol_comment", "Comment"),
    "xcol_proposed": _p("xcol_proposed", "Proposed wording"),
    "xcol_answer": _p("xcol_answer", "Acceptance or explanation"),
    "xcol_status": _p("xcol_status", "Result"),
    "xcol_submitted_at": _p("xcol_submitted_at", "Submitted at"),
    "xcol_answered_at": _p("xcol_answered_at", "Answered at"),
    "xcol_comment_ids": _p("xcol_comment_ids", "Comment ids"),
    "stat_label": _p("stat_label", "Figure"),
    "stat_value": _p("stat_value", "Value"),
    "stat_issuing_body": _p("stat_issuing_body", "Drafting body"),
    "stat_proposal": _p("stat_proposal", "Draft"),
    "stat_draft_number": _p("stat_draft_number", "Draft version"),
    "stat_issued_on": _p("stat_issued_on", "Issued on"),
    "stat_period_opens": _p("stat_period_opens", "Comment period opens"),
    "stat_period_closes": _p("stat_period_closes", "Comment period closes"),
    "stat_consulted": _p("stat_consulted", "Bodies consulted"),
    "stat_letters": _p("stat_letters", "Official letters received"),
    "stat_responded": _p("stat_responded", "Bodies that answered"),
    "stat_agreed": _p("stat_agreed", "Bodies that agreed without comments"),
    "stat_commented": _p("stat_commented", "Bodies that commented"),
    "stat_comments": _p("stat_comments", "Comments"),
    "stat_not_responded": _p("stat_not_responded", "Bodies that did not answer"),
    "stat_silence": _p("stat_silence", "Silence counts as agreement"),
    "stat_by_kind": _p("stat_by_kind", "Consulted: {label}"),
    "stat_by_status": _p("stat_by_status", "Result: {label}"),
    "stat_agreed_bodies": _p("stat_agreed_bodies", "Bodies that agreed with the draft"),
    "stat_letter": _p("stat_letter", "Letter no."),
    "stat_not_responded_bodies": _p("stat_not_responded_bodies", "Bodies that did not answer"),
    "yes": _p("yes", "Yes"),
    "no": _p("no", "No"),
    "chart_unavailable": _p(
        "chart_unavailable", "(The chart cannot be shown in Word; see the PDF.)"
    ),
    "chart_empty": _p("chart_empty", "No data yet"),
}


def document_labels() -> dict[str, str]:
    """The labels in the reader's language (Vietnamese unless English is chosen)."""
    return {key: str(value) for key, value in LABELS.items()}
