"""Demo content, fictional and in Vietnamese: the Cần Thơ smart-city proposal, drafts, comments."""

from __future__ import annotations

PROPOSAL = {
    "code": "DTTM-CT",
    "title": (
        "Đề án xây dựng thành phố Cần Thơ phát triển trở thành đô thị thông minh, "
        "giai đoạn 2016-2025"
    ),
    "short_title": "Đề án đô thị thông minh Cần Thơ",
    "summary": (
        "Đề án định hướng xây dựng Cần Thơ trở thành đô thị thông minh theo lộ trình ba giai "
        "đoạn (2018-2020, 2021-2023, 2024-2025), trên cơ sở nền tảng công nghệ dùng chung, "
        "chính quyền số và các lĩnh vực ưu tiên của thành phố."
    ),
}

# ---------------------------------------------------------------------------------------------
# 1. Consulted bodies
# ---------------------------------------------------------------------------------------------

DEPARTMENTS: list[tuple[str, str, str, str]] = [
    # Sở, ban, ngành thành phố
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "vanthu.skhdt@cantho.gov.vn"),
    ("STTTT", "Sở Thông tin và Truyền thông", "department", "vanthu.stttt@cantho.gov.vn"),
    ("SXD", "Sở Xây dựng", "department", "vanthu.sxd@cantho.gov.vn"),
    ("STC", "Sở Tài chính", "department", "vanthu.stc@cantho.gov.vn"),
    ("SNV", "Sở Nội vụ", "department", "vanthu.snv@cantho.gov.vn"),
    ("SGTVT", "Sở Giao thông vận tải", "department", "vanthu.sgtvt@cantho.gov.vn"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "department", "vanthu.stnmt@cantho.gov.vn"),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "department",
        "vanthu.snnptnt@cantho.gov.vn",
    ),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", "vanthu.svhttdl@cantho.gov.vn"),
    ("SYT", "Sở Y tế", "department", "vanthu.syt@cantho.gov.vn"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "department", "vanthu.sgddt@cantho.gov.vn"),
    ("SCT", "Sở Công Thương", "department", "vanthu.sct@cantho.gov.vn"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "department", "vanthu.skhcn@cantho.gov.vn"),
    ("STP", "Sở Tư pháp", "department", "vanthu.stp@cantho.gov.vn"),
    (
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "department",
        "vanthu.sldtbxh@cantho.gov.vn",
    ),
    ("CA-TP", "Công an thành phố", "department", "vanthu.catp@cantho.gov.vn"),
    ("VP-UBND", "Văn phòng UBND thành phố", "department", "vanthu.vpubnd@cantho.gov.vn"),
    # Quận, huyện
    ("Q-NK", "UBND quận Ninh Kiều", "district", "vanthu.ninhkieu@cantho.gov.vn"),
    ("Q-BT", "UBND quận Bình Thủy", "district", "vanthu.binhthuy@cantho.gov.vn"),
    ("Q-CR", "UBND quận Cái Răng", "district", "vanthu.cairang@cantho.gov.vn"),
    ("Q-OM", "UBND quận Ô Môn", "district", "vanthu.omon@cantho.gov.vn"),
    ("Q-TN", "UBND quận Thốt Nốt", "district", "vanthu.thotnot@cantho.gov.vn"),
    ("H-PD", "UBND huyện Phong Điền", "district", "vanthu.phongdien@cantho.gov.vn"),
    ("H-CD", "UBND huyện Cờ Đỏ", "district", "vanthu.codo@cantho.gov.vn"),
    ("H-TL", "UBND huyện Thới Lai", "district", "vanthu.thoilai@cantho.gov.vn"),
    ("H-VT", "UBND huyện Vĩnh Thạnh", "district", "vanthu.vinhthanh@cantho.gov.vn"),
    # Cơ quan, đơn vị khác
    (
        "BQL-KCX",
        "Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ",
        "other",
        "vanthu.bqlkcx@cantho.gov.vn",
    ),
    ("TTRA-TP", "Thanh tra thành phố", "other", "vanthu.thanhtra@cantho.gov.vn"),
    ("BDT", "Ban Dân tộc", "other", "vanthu.bdt@cantho.gov.vn"),
    ("SNGV", "Sở Ngoại vụ", "other", "vanthu.sngv@cantho.gov.vn"),
    # Doanh nghiệp, đơn vị sự nghiệp
    ("VNPT-CT", "Viễn thông Cần Thơ (VNPT Cần Thơ)", "enterprise", "lienhe@vnpt-ct.example.vn"),
    ("VIETTEL-CT", "Viettel Cần Thơ", "enterprise", "lienhe@viettel-ct.example.vn"),
    ("MOBIFONE-CT", "MobiFone Cần Thơ", "enterprise", "lienhe@mobifone-ct.example.vn"),
    ("PC-CT", "Công ty Điện lực thành phố Cần Thơ", "enterprise", "lienhe@pc-ct.example.vn"),
    ("CTN-CT", "Công ty Cổ phần Cấp thoát nước Cần Thơ", "enterprise", "lienhe@ctn-ct.example.vn"),
    ("DHCT", "Trường Đại học Cần Thơ", "enterprise", "lienhe@dhct.example.vn"),
]

# The smart-city proposal is drafted by the Department of Planning and Investment with the
# consultant VNPT; the agriculture plan by the agriculture department, which consults SKHDT.
LEAD_AGENCY = "SKHDT"
BOARD_NAME = "Ban Soạn thảo Đề án đô thị thông minh"
# How the board heads and signs its official papers (Decree 30/2020/NĐ-CP); the chair signs.
PAPERS = {
    "parent_body": "UBND THÀNH PHỐ CẦN THƠ",
    "document_symbol": "BC-BST",
    "recipients": "UBND thành phố (để b/c)\nSở Kế hoạch và Đầu tư\nCác thành viên Ban Soạn thảo\n"
    "Lưu: VT, BST",
    "signer_authority": "TM. BAN SOẠN THẢO",
    "signer_title": "Trưởng ban",
}

# ---------------------------------------------------------------------------------------------
# Helpers to write the section bodies
# ---------------------------------------------------------------------------------------------


def _md(*blocks: str) -> str:
    """Paragraphs, lists and tables separated by a blank line."""
    return "\n\n".join(blocks)


def _ul(*items: str) -> str:
    return "\n".join(f"- {item}" for item in items)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _build(outline: list[tuple[int, str]], bodies: dict[str, str]):
    """Number an outline [(level, heading)] and attach each heading's body."""
    sections = []
    counters = [0, 0, 0]
    for level, heading in outline:
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        if level == 1:
            number = f"Chương {_ROMAN[counters[0] - 1]}"
        else:
            number = ".".join(str(n) for n in counters[:level])
        sections.append((level, number, heading, bodies[heading]))
    return sections


def _edit(text: str, *changes: tuple[str, str]) -> str:
    """A later draft's wording: each (old, new) replaces text that occurs exactly once."""
    for old, new in changes:
        # A plain str.replace would silently do nothing once the earlier body is reworded.
        if text.count(old) != 1:
            raise ValueError(f"edit matches {text.count(old)} times: {old!r}")
        text = text.replace(old, new)
    return text


# ---------------------------------------------------------------------------------------------
# 2. Drafts - headings and outline
# ---------------------------------------------------------------------------------------------

CH1 = "Sự cần thiết và căn cứ xây dựng Đề án"
S_NECESSITY = "Sự cần thiết xây dựng Đề án"
S_LEGAL = "Căn cứ pháp lý"
CH2 = "Tổng quan về đô thị thông minh"
S_CONCEPT = "Khái niệm và đặc trưng của đô thị thông minh"
S_EXPERIENCE = "Kinh nghiệm quốc tế và trong nước"
S_LESSONS = "Bài học kinh nghiệm đối với Cần Thơ"
CH3 = "Hiện trạng thành phố Cần Thơ"
S_CURRENT = "Hiện trạng hạ tầng kỹ thuật và công nghệ thông tin"
S_ASSESSMENT = "Đánh giá chung"
CH4 = "Quan điểm, tầm nhìn và mục tiêu"
S_VIEWPOINTS = "Quan điểm"
S_VISION = "Tầm nhìn và mục tiêu"
CH5 = "Kiến trúc tổng thể và nền tảng dùng chung"
S_ARCHITECTURE = "Kiến trúc tổng thể và hạ tầng kết nối"
S_DATA = "Trung tâm dữ liệu và nền tảng dùng chung"
S_DATACENTRE = "Trung tâm dữ liệu thành phố"
S_INTEGRATION = "Nền tảng tích hợp, chia sẻ dữ liệu"
S_IOC = "Trung tâm giám sát, điều hành đô thị thông minh"
S_SECURITY = "Bảo đảm an toàn, an ninh thông tin"
CH6 = "Các lĩnh vực ưu tiên triển khai"
S_PLANNING = "Quy hoạch và quản lý đô thị"
S_TRANSPORT = "Giao thông thông minh"
S_ENVIRONMENT = "Môi trường và chống ngập"
S_EGOV = "Chính quyền số và dịch vụ công"
S_HEALTH_EDU = "Y tế và giáo dục thông minh"
S_TOURISM_AGRI = "Du lịch và nông nghiệp thông minh"
S_TOURISM = "Du lịch thông minh"
S_AGRI = "Nông nghiệp thông minh"
S_SAFE_CITY = "An ninh, trật tự và thành phố an toàn"
CH7 = "Lộ trình triển khai và kinh phí"
S_ROADMAP = "Lộ trình triển khai"
S_REVIEW = "Rà soát, lồng ghép các dự án đã và đang triển khai"
S_PROJECTS = "Danh mục dự án ưu tiên"
S_FUNDING = "Kinh phí và nguồn vốn"
CH8 = "Giải pháp thực hiện"
S_POLICY = "Giải pháp về cơ chế, chính sách và hợp tác với doanh nghiệp"
S_PEOPLE = "Giải pháp về nguồn nhân lực"
CH9 = "Tổ chức thực hiện"
S_DEPARTMENTS = "Trách nhiệm của các sở, ngành"
S_DISTRICTS = "Trách nhiệm của UBND quận, huyện và doanh nghiệp"

# One outline serves the three drafts, so what each draft adds, drops or moves shows in the last
# column: (level, heading, drafts that have the section). Tourism stands twice because draft 3
# moves it after agriculture.
_ALL = (1, 2, 3)
_OUTLINE: list[tuple[int, str, tuple[int, ...]]] = [
    (1, CH1, _ALL),
    (2, S_NECESSITY, _ALL),
    (2, S_LEGAL, _ALL),
    (1, CH2, _ALL),
    (2, S_CONCEPT, _ALL),
    (2, S_EXPERIENCE, _ALL),
    (2, S_LESSONS, (1,)),
    (1, CH3, _ALL),
    (2, S_CURRENT, _ALL),
    (2, S_ASSESSMENT, _ALL),
    (1, CH4, _ALL),
    (2, S_VIEWPOINTS, _ALL),
    (2, S_VISION, _ALL),
    (1, CH5, _ALL),
    (2, S_ARCHITECTURE, _ALL),
    (2, S_DATA, _ALL),
    (3, S_DATACENTRE, _ALL),
    (3, S_INTEGRATION, _ALL),
    (2, S_IOC, _ALL),
    (2, S_SECURITY, (2, 3)),
    (1, CH6, _ALL),
    (2, S_PLANNING, _ALL),
    (2, S_TRANSPORT, _ALL),
    (2, S_ENVIRONMENT, _ALL),
    (2, S_EGOV, _ALL),
    (2, S_HEALTH_EDU, _ALL),
    (2, S_TOURISM_AGRI, (1,)),
    (2, S_TOURISM, (2,)),
    (2, S_AGRI, (2, 3)),
    (2, S_TOURISM, (3,)),
    (2, S_SAFE_CITY, _ALL),
    (1, CH7, _ALL),
    (2, S_ROADMAP, _ALL),
    (2, S_REVIEW, (3,)),
    (2, S_PROJECTS, _ALL),
    (2, S_FUNDING, _ALL),
    (1, CH8, _ALL),
    (2, S_POLICY, _ALL),
    (2, S_PEOPLE, _ALL),
    (1, CH9, _ALL),
    (2, S_DEPARTMENTS, _ALL),
    (2, S_DISTRICTS, _ALL),
]


def _outline(draft: int) -> list[tuple[int, str]]:
    return [(level, heading) for level, heading, drafts in _OUTLINE if draft in drafts]


# Priority projects as (name, lead body); each draft's table picks, numbers and costs them.
_PROJECT = {
    "data": ("Trung tâm dữ liệu và nền tảng tích hợp dùng chung", "Sở TT&TT"),
    "ioc": ("Trung tâm giám sát, điều hành đô thị thông minh", "Sở TT&TT"),
    "soc": ("Bảo đảm an toàn thông tin (SOC)", "Sở TT&TT"),
    "egov": ("Chính quyền số, Cổng dịch vụ công", "Văn phòng UBND thành phố"),
    "gis": ("Hệ thống thông tin quy hoạch đô thị (GIS)", "Sở Xây dựng"),
    "transport": ("Giao thông thông minh", "Sở GTVT"),
    "camera": ("Camera giám sát an ninh, trật tự", "Công an thành phố"),
    "environment": ("Quan trắc môi trường, cảnh báo ngập", "Sở TN&MT"),
    "health_edu": ("Y tế và giáo dục thông minh", "Sở Y tế, Sở GD&ĐT"),
    "tourism_agri": ("Du lịch và nông nghiệp thông minh", "Sở VHTTDL, Sở NN&PTNT"),
    "tourism": ("Du lịch thông minh", "Sở VHTTDL"),
    "agri": ("Nông nghiệp thông minh", "Sở NN&PTNT"),
}
# Draft 3 leaves the flood warning of Dự án 3 out of the project.
_PROJECT["environment_rest"] = (
    _PROJECT["environment"][0] + " (phần ngoài Dự án 3)",
    _PROJECT["environment"][1],
)


def _projects(
    intro: str, amount_columns: list[str], rows: list[tuple[str, ...]], totals: list[str]
) -> str:
    """The priority-project table; rows are (project key, amount per amount column)."""
    header = ["STT", "Dự án", "Cơ quan chủ trì", *amount_columns]
    table = [[str(n), *_PROJECT[key], *amounts] for n, (key, *amounts) in enumerate(rows, 1)]
    table.append(["", "**Tổng cộng**", "", *(f"**{total}**" for total in totals)])
    return _md(intro, _table(header, table))


# ---------------------------------------------------------------------------------------------
# Draft 1 - bodies
# ---------------------------------------------------------------------------------------------

_D1: dict[str, str] = {}

_D1[CH1] = (
    "Chương này nêu lý do thành phố cần một đề án tổng thể về đô thị thông minh và các văn bản "
    "làm căn cứ xây dựng Đề án."
)

_D1[S_NECESSITY] = _md(
    "Cần Thơ là thành phố trực thuộc Trung ương, đô thị loại I và là trung tâm kinh tế, văn "
    "hóa, khoa học của vùng đồng bằng sông Cửu Long. Quá trình đô thị hóa diễn ra nhanh trong "
    "những năm gần đây đặt áp lực lớn lên hạ tầng giao thông, thoát nước, môi trường và công "
    "tác quản lý đô thị. Ngập do triều cường và mưa lớn ở khu vực nội ô xảy ra ngày càng "
    "thường xuyên, trong khi nguồn lực đầu tư của thành phố còn hạn chế.",
    "Cuộc Cách mạng công nghiệp lần thứ tư mở ra cơ hội dùng công nghệ thông tin, Internet vạn "
    "vật và phân tích dữ liệu để nâng cao hiệu quả quản lý và chất lượng dịch vụ cho người "
    "dân. Tuy vậy, các hệ thống thông tin hiện có của thành phố được đầu tư riêng lẻ theo từng "
    "ngành, khó kết nối và chia sẻ dữ liệu. Vì vậy, một đề án tổng thể, có lộ trình và nguồn "
    "lực rõ ràng là yêu cầu cấp thiết.",
)

_D1[S_LEGAL] = _md(
    "Đề án được xây dựng trên cơ sở các văn bản chủ yếu sau:",
    _ul(
        "Luật Công nghệ thông tin số 67/2006/QH11 ngày 29/6/2006;",
        "Luật An toàn thông tin mạng số 86/2015/QH13 ngày 19/11/2015;",
        "Nghị quyết số 45-NQ/TW ngày 17/02/2005 của Bộ Chính trị về xây dựng và phát triển thành "
        "phố Cần Thơ trong thời kỳ công nghiệp hóa, hiện đại hóa đất nước;",
        "Nghị quyết số 36a/NQ-CP ngày 14/10/2015 của Chính phủ về Chính phủ điện tử;",
        "Chỉ thị số 16/CT-TTg ngày 04/5/2017 của Thủ tướng Chính phủ về việc tăng cường năng lực "
        "tiếp cận cuộc Cách mạng công nghiệp lần thứ 4;",
        # The wrong year (2016) is the subject of SNV's editorial comment on draft 1.
        "Quyết định số 1819/QĐ-TTg ngày 26/10/2016 của Thủ tướng Chính phủ phê duyệt Chương "
        "trình quốc gia về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước "
        "giai đoạn 2016-2020.",
    ),
)

_D1[CH2] = (
    "Chương này tóm lược các khái niệm cơ bản và kinh nghiệm xây dựng đô thị thông minh ở trong "
    "và ngoài nước để thành phố tham khảo."
)

_D1[S_CONCEPT] = _md(
    "Đô thị thông minh là đô thị sử dụng công nghệ thông tin, truyền thông và các giải pháp "
    "sáng tạo để nâng cao chất lượng sống của người dân, hiệu quả vận hành bộ máy và sức cạnh "
    "tranh của đô thị, đồng thời bảo đảm phát triển bền vững. Các cách tiếp cận có thể khác "
    "nhau, nhưng đều lấy người dân làm trung tâm và dùng dữ liệu làm cơ sở ra quyết định.",
    "Một đô thị thông minh thường có các đặc trưng sau:",
    _ul(
        "hạ tầng kết nối rộng khắp, thu thập dữ liệu theo thời gian thực từ cảm biến và thiết bị;",
        "dữ liệu được chia sẻ giữa các cơ quan trên một nền tảng dùng chung;",
        "chính quyền cung cấp dịch vụ trực tuyến, minh bạch, có sự tham gia của người dân;",
        "giao thông, môi trường, y tế, giáo dục được vận hành dựa trên phân tích dữ liệu.",
    ),
)

_D1[S_EXPERIENCE] = _md(
    "Trên thế giới, Singapore, Seoul (Hàn Quốc) và Barcelona (Tây Ban Nha) là những ví dụ về "
    "xây dựng đô thị thông minh theo lộ trình dài hạn, trong đó chính quyền giữ vai trò dẫn dắt "
    "còn doanh nghiệp tham gia đầu tư, vận hành. Các thành phố này đều khởi đầu bằng việc số "
    "hóa dịch vụ công và xây dựng kho dữ liệu dùng chung, sau đó mới mở rộng sang các lĩnh vực "
    "khác.",
    "Trong nước, Đà Nẵng đã vận hành nền tảng chính quyền điện tử và chia sẻ dữ liệu giữa các "
    "sở, ngành; Bình Dương hợp tác với đối tác quốc tế phát triển mô hình thành phố thông minh "
    "gắn với khu công nghiệp và đại học; Thành phố Hồ Chí Minh đang triển khai đề án với trọng "
    "tâm là kho dữ liệu dùng chung và trung tâm điều hành. Một số địa phương khác cũng đã có "
    "đề án hoặc dự án thí điểm.",
)

_D1[S_LESSONS] = (
    "Từ các kinh nghiệm nêu trên, có thể rút ra một số bài học cho Cần Thơ. Đô thị thông minh "
    "là xu hướng tất yếu, cần được quan tâm và triển khai quyết liệt. Các cơ quan, đơn vị cần "
    "nâng cao nhận thức và phối hợp chặt chẽ trong quá trình thực hiện."
)

_D1[CH3] = (
    "Nội dung hiện trạng được tổng hợp từ kết quả khảo sát, đánh giá hạ tầng kỹ thuật do Sở Kế "
    "hoạch và Đầu tư phối hợp với Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT) thực hiện "
    "trong năm 2017."
)

_D1[S_CURRENT] = _md(
    "Mạng viễn thông trên địa bàn phát triển khá đồng bộ với sự tham gia của VNPT, Viettel, "
    "MobiFone và một số nhà cung cấp khác. Mạng di động 4G đã phủ sóng khu vực các quận và "
    "trung tâm các huyện; cáp quang đã đến hầu hết các xã, phường. Mạng truyền số liệu chuyên "
    "dùng kết nối Văn phòng UBND thành phố với các sở, ngành và UBND quận, huyện.",
    "Trong cơ quan nhà nước, thành phố đã triển khai hệ thống quản lý văn bản và điều hành, thư "
    "điện tử công vụ, Cổng thông tin điện tử và phần mềm một cửa điện tử tại các sở, ngành, "
    "quận, huyện. Tuy nhiên, các hệ thống này do nhiều đơn vị đầu tư ở những thời điểm khác "
    "nhau, phần lớn chưa được tích hợp, dữ liệu còn phân tán và thành phố chưa có trung tâm dữ "
    "liệu tập trung đạt chuẩn.",
    "Về hạ tầng đô thị, đèn tín hiệu giao thông phần lớn hoạt động theo chu kỳ cố định; số "
    "lượng camera giám sát còn ít và chưa được kết nối tập trung. Thành phố chưa có mạng quan "
    "trắc môi trường tự động đủ dày để cảnh báo ngập và ô nhiễm.",
)

_D1[S_ASSESSMENT] = _md(
    "Điểm mạnh của thành phố là vị trí trung tâm vùng, hạ tầng viễn thông tương đối tốt, lãnh "
    "đạo thành phố quan tâm và đã có nền tảng ban đầu về ứng dụng công nghệ thông tin trong cơ "
    "quan nhà nước.",
    "Các hạn chế chủ yếu gồm:",
    _ul(
        "thiếu kiến trúc tổng thể và cơ chế chia sẻ dữ liệu giữa các ngành;",
        "nguồn nhân lực công nghệ thông tin trong cơ quan nhà nước còn mỏng;",
        "kinh phí đầu tư phân tán, chưa thu hút được doanh nghiệp tham gia;",
        "nhận thức về đô thị thông minh chưa đồng đều giữa các cơ quan, đơn vị.",
    ),
)

_D1[CH4] = ""

_D1[S_VIEWPOINTS] = _ul(
    "Xây dựng đô thị thông minh là nhiệm vụ lâu dài, có trọng tâm, trọng điểm, phù hợp với điều "
    "kiện và khả năng cân đối nguồn lực của thành phố.",
    "Lấy người dân và doanh nghiệp làm trung tâm; mức độ hài lòng của người dân là thước đo kết "
    "quả.",
    "Ưu tiên xây dựng nền tảng dùng chung, bảo đảm kết nối, chia sẻ dữ liệu, tránh đầu tư trùng "
    "lặp.",
    "Kết hợp vốn ngân sách với huy động doanh nghiệp tham gia đầu tư và cung cấp dịch vụ.",
)

_D1[S_VISION] = _md(
    "Đến năm 2025, Cần Thơ cơ bản trở thành đô thị thông minh, là hạt nhân lan tỏa mô hình đô "
    "thị thông minh trong vùng đồng bằng sông Cửu Long; chính quyền vận hành dựa trên dữ liệu, "
    "người dân và doanh nghiệp được hưởng các dịch vụ tiện ích, an toàn.",
    "Mục tiêu cụ thể đến năm 2020:",
    _ul(
        "100% sở, ngành và UBND quận, huyện kết nối với nền tảng tích hợp dùng chung;",
        "50% dịch vụ công được cung cấp trực tuyến ở mức độ 3, 4;",
        "đưa Trung tâm giám sát, điều hành đô thị thông minh vào vận hành;",
        "100% nút giao thông chính có camera giám sát kết nối về trung tâm.",
    ),
    "Mục tiêu đến năm 2025: hoàn thiện các hệ thống thông minh ở các lĩnh vực ưu tiên; 100% "
    "dịch vụ công đủ điều kiện được cung cấp trực tuyến mức độ 4; dữ liệu mở được công bố phục "
    "vụ người dân và doanh nghiệp.",
)

_D1[CH5] = (
    "Kiến trúc đô thị thông minh của Cần Thơ được thiết kế theo nhiều lớp, bảo đảm các ứng dụng "
    "chuyên ngành dùng chung hạ tầng, dữ liệu và dịch vụ nền tảng."
)

# Named because Viettel's comment on draft 1 quotes it and draft 2 replaces it.
_ARCH_IOT_CONSULTANT = (
    "Mạng IoT giai đoạn đầu được triển khai thí điểm trên hạ tầng của đơn vị tư vấn xây dựng Đề án."
)
_D1[S_ARCHITECTURE] = _md(
    "Kiến trúc tổng thể gồm bốn lớp:",
    _ul(
        "lớp cảm biến và thiết bị: camera, cảm biến mực nước, trạm quan trắc, thiết bị đo thông "
        "minh;",
        "lớp kết nối: mạng truyền số liệu chuyên dùng, cáp quang, mạng di động, mạng IoT băng hẹp;",
        "lớp dữ liệu và nền tảng dùng chung: trung tâm dữ liệu, nền tảng tích hợp, nền tảng IoT;",
        "lớp ứng dụng và dịch vụ cho chính quyền, người dân và doanh nghiệp.",
    ),
    "Hạ tầng kết nối tận dụng tối đa mạng lưới sẵn có của các doanh nghiệp viễn thông trên địa "
    "bàn. Thành phố thuê dịch vụ kết nối thay vì tự đầu tư mạng riêng, trừ các tuyến phục vụ an "
    "ninh, quốc phòng và mạng truyền số liệu chuyên dùng. " + _ARCH_IOT_CONSULTANT,
)

_D1[S_DATA] = (
    "Dữ liệu là tài nguyên cốt lõi của đô thị thông minh. Đề án đề xuất tập trung dữ liệu của "
    "các cơ quan nhà nước về trung tâm dữ liệu của thành phố và tổ chức chia sẻ qua nền tảng "
    "tích hợp dùng chung."
)

_D1[S_DATACENTRE] = (
    "Nâng cấp Trung tâm dữ liệu thành phố do Sở Thông tin và Truyền thông quản lý, đạt tiêu "
    "chuẩn tương đương Tier III và có hệ thống dự phòng đặt tại địa điểm khác. Trung tâm dữ "
    "liệu cung cấp hạ tầng điện toán đám mây cho các sở, ngành, quận, huyện, hạn chế việc từng "
    "đơn vị tự đầu tư máy chủ riêng."
)

_D1[S_INTEGRATION] = _md(
    "Xây dựng nền tảng tích hợp, chia sẻ dữ liệu cấp thành phố (LGSP) làm đầu mối kết nối các "
    "hệ thống thông tin của thành phố với nhau và với các hệ thống của Trung ương. Trên nền "
    "tảng này hình thành các cơ sở dữ liệu dùng chung:",
    _ul(
        "cơ sở dữ liệu về dân cư, hộ tịch phục vụ giải quyết thủ tục hành chính;",
        "cơ sở dữ liệu doanh nghiệp, hộ kinh doanh;",
        "cơ sở dữ liệu đất đai, quy hoạch và hạ tầng kỹ thuật;",
        "cơ sở dữ liệu cán bộ, công chức, viên chức.",
    ),
    "Mỗi cơ sở dữ liệu có một cơ quan chủ quản chịu trách nhiệm cập nhật và bảo đảm chất lượng "
    "dữ liệu.",
)

_D1[S_IOC] = _md(
    "Trung tâm giám sát, điều hành đô thị thông minh (IOC) tổng hợp, hiển thị và phân tích dữ "
    "liệu từ các lĩnh vực giao thông, an ninh, môi trường, dịch vụ công, giúp lãnh đạo thành phố "
    "nắm tình hình và ra quyết định kịp thời. Giai đoạn đầu, trung tâm tập trung vào giám sát "
    "giao thông, an ninh trật tự, phản ánh hiện trường của người dân và các chỉ số kinh tế - xã "
    "hội.",
    "Trung tâm đặt tại trụ sở UBND thành phố, do Sở Thông tin và Truyền thông quản lý vận hành, "
    "có sự tham gia trực của các cơ quan liên quan khi cần thiết.",
)

_D1[CH6] = (
    "Căn cứ hiện trạng và định hướng phát triển, Đề án lựa chọn các lĩnh vực ưu tiên dưới đây. "
    "Mỗi lĩnh vực được triển khai trên nền tảng dùng chung nêu tại Chương V."
)

# Named where a later draft inserts a paragraph between them.
_PLANNING_P1 = (
    "Xây dựng hệ thống thông tin địa lý (GIS) dùng chung về quy hoạch, đất đai, hạ tầng kỹ "
    "thuật, cho phép tra cứu thông tin quy hoạch trực tuyến. Số hóa hồ sơ quy hoạch phân khu, "
    "quy hoạch chi tiết đã được phê duyệt và cập nhật thường xuyên. Từng bước ứng dụng mô hình "
    "3D trong quản lý không gian đô thị tại khu vực trung tâm quận Ninh Kiều."
)
_PLANNING_P2 = (
    "Triển khai cấp giấy phép xây dựng trực tuyến và giám sát trật tự xây dựng bằng dữ liệu bản "
    "đồ, hình ảnh."
)
_D1[S_PLANNING] = _md(_PLANNING_P1, _PLANNING_P2)

_TRANSPORT_P1 = (
    "Xây dựng hệ thống điều khiển đèn tín hiệu giao thông thích ứng tại các nút giao có lưu "
    "lượng lớn, kết nối camera giám sát về Trung tâm điều hành. Cung cấp thông tin tình trạng "
    "giao thông, vị trí xe buýt và chỗ đỗ xe trên ứng dụng di động cho người dân."
)
_TRANSPORT_P2 = (
    "Từng bước xử lý vi phạm trật tự an toàn giao thông qua hình ảnh và thu phí đỗ xe không "
    "dùng tiền mặt tại các tuyến đường trung tâm."
)
_D1[S_TRANSPORT] = _md(_TRANSPORT_P1, _TRANSPORT_P2)

_D1[S_ENVIRONMENT] = _md(
    "Lắp đặt mạng lưới trạm quan trắc tự động chất lượng không khí, nước mặt và cảm biến đo mực "
    "nước tại các điểm thường xuyên ngập. Giai đoạn 2018-2020 lắp đặt 10 trạm quan trắc tự động "
    "và 30 điểm đo mực nước. Dữ liệu được truyền về Trung tâm điều hành để cảnh báo sớm triều "
    "cường, ngập úng và thông báo cho người dân qua ứng dụng di động.",
    "Ứng dụng công nghệ trong quản lý thu gom, vận chuyển chất thải rắn và giám sát xả thải của "
    "các cơ sở sản xuất trong khu công nghiệp.",
)

_D1[S_EGOV] = _md(
    "Hoàn thiện Cổng dịch vụ công và hệ thống một cửa điện tử dùng chung của thành phố, kết nối "
    "từ cấp thành phố đến cấp xã. Người dân, doanh nghiệp có thể nộp hồ sơ, theo dõi tiến độ, "
    "thanh toán phí, lệ phí và nhận kết quả trực tuyến.",
    "Xây dựng hệ thống tiếp nhận phản ánh, kiến nghị của người dân qua ứng dụng di động, tổng "
    "đài và mạng xã hội; kết quả xử lý được công khai. Triển khai chữ ký số, họp trực tuyến và "
    "văn bản điện tử liên thông giữa các cơ quan để giảm văn bản giấy.",
    "Đối với doanh nghiệp, ưu tiên các thủ tục về đầu tư, đất đai, xây dựng được giải quyết "
    "trực tuyến; thông tin về quy hoạch, mặt bằng sản xuất và chính sách hỗ trợ được cung cấp "
    "tại một đầu mối.",
)

_D1[S_HEALTH_EDU] = _md(
    "Trong lĩnh vực y tế, triển khai hồ sơ sức khỏe điện tử cho người dân, đặt lịch khám trực "
    "tuyến tại các bệnh viện tuyến thành phố và kết nối dữ liệu khám, chữa bệnh giữa các tuyến. "
    "Đến năm 2020, phấn đấu 70% người dân có hồ sơ sức khỏe điện tử.",
    "Trong lĩnh vực giáo dục, xây dựng cơ sở dữ liệu ngành, sổ liên lạc điện tử và kho học liệu "
    "trực tuyến dùng chung; thí điểm mô hình lớp học thông minh tại một số trường trung học phổ "
    "thông.",
)

# Named because draft 2 keeps it when it splits this section in two.
_TOURISM_P1 = (
    "Phát triển ứng dụng du lịch thông minh giới thiệu điểm đến, chợ nổi Cái Răng, các tuyến du "
    "lịch sông nước và miệt vườn; cung cấp bản đồ số, thuyết minh tự động và tiếp nhận phản hồi "
    "của du khách. Xây dựng cơ sở dữ liệu du lịch và thống kê lượt khách dựa trên dữ liệu thuê "
    "bao di động."
)
_D1[S_TOURISM_AGRI] = _md(
    _TOURISM_P1,
    "Trong nông nghiệp, thí điểm ứng dụng cảm biến theo dõi độ mặn, mực nước và sâu bệnh tại "
    "vùng sản xuất lúa, cây ăn trái tập trung; xây dựng hệ thống truy xuất nguồn gốc nông sản. "
    "Kết quả thí điểm được đánh giá trước khi nhân rộng.",
)

_D1[S_SAFE_CITY] = _md(
    "Xây dựng hệ thống camera giám sát an ninh, trật tự tại các tuyến đường, nút giao, khu vực "
    "công cộng và bến tàu du lịch; dữ liệu được lưu trữ tập trung và chia sẻ cho lực lượng chức "
    "năng. Ứng dụng phân tích hình ảnh để nhận dạng biển số phương tiện và phát hiện sự việc "
    "bất thường.",
    "Kết nối hệ thống báo cháy, cứu nạn, cứu hộ và cấp cứu y tế với Trung tâm điều hành; thiết "
    "lập số điện thoại và ứng dụng để người dân thông báo sự cố khẩn cấp.",
)

_D1[CH7] = (
    "Đề án được triển khai theo ba giai đoạn; các dự án ưu tiên và nguồn vốn dự kiến được nêu "
    "tại chương này."
)

_D1[S_ROADMAP] = _md(
    _table(
        ["Giai đoạn", "Thời gian", "Nội dung chủ yếu"],
        [
            [
                "Giai đoạn 1",
                "2018-2020",
                "Trung tâm dữ liệu, nền tảng tích hợp và Trung tâm điều hành; chính quyền số; "
                "giao thông thông minh; camera an ninh; môi trường và chống ngập; y tế, giáo "
                "dục, du lịch, nông nghiệp thông minh",
            ],
            [
                "Giai đoạn 2",
                "2021-2023",
                "Mở rộng các hệ thống đã triển khai ra toàn thành phố; xây dựng các cơ sở dữ "
                "liệu chuyên ngành còn thiếu",
            ],
            [
                "Giai đoạn 3",
                "2024-2025",
                "Hoàn thiện các hệ thống; đánh giá, tổng kết việc thực hiện Đề án",
            ],
        ],
    ),
    "Giai đoạn 1 tập trung toàn bộ các lĩnh vực ưu tiên để sớm tạo chuyển biến.",
)

_PROJECTS_INTRO = (
    "Các dự án ưu tiên triển khai trong giai đoạn 1 (kinh phí dự kiến, sẽ được xác định chính "
    "xác khi lập dự án):"
)
_PROJECTS_AMOUNT = ["Kinh phí dự kiến (tỷ đồng)"]
_D1[S_PROJECTS] = _projects(
    _PROJECTS_INTRO,
    _PROJECTS_AMOUNT,
    [
        ("data", "150"),
        ("ioc", "120"),
        ("egov", "80"),
        ("gis", "60"),
        ("transport", "180"),
        ("camera", "200"),
        ("environment", "90"),
        ("health_edu", "70"),
        ("tourism_agri", "50"),
    ],
    ["1.000"],
)

_FUNDING_LAST = (
    "Kinh phí cụ thể của từng dự án được xác định khi lập, thẩm định dự án theo quy định."
)
_D1[S_FUNDING] = _md(
    "Tổng kinh phí dự kiến thực hiện Đề án giai đoạn 2018-2025 khoảng 2.500 tỷ đồng, trong đó "
    "giai đoạn 1 khoảng 1.000 tỷ đồng. Nguồn vốn gồm ngân sách thành phố, vốn hỗ trợ của Trung "
    "ương, vốn ODA và vốn huy động từ doanh nghiệp.",
    _FUNDING_LAST,
)

_D1[CH8] = ""

_D1[S_POLICY] = _md(
    "Ban hành quy chế quản lý, chia sẻ và khai thác dữ liệu dùng chung của thành phố, quy định "
    "trách nhiệm cập nhật dữ liệu của từng cơ quan. Rà soát, điều chỉnh quy trình nghiệp vụ cho "
    "phù hợp với việc xử lý trên môi trường số.",
    "Xây dựng cơ chế khuyến khích doanh nghiệp tham gia đầu tư, cung cấp dịch vụ đô thị thông "
    "minh theo hình thức thuê dịch vụ, hợp tác công tư (PPP); bảo đảm công khai, cạnh tranh "
    "bình đẳng giữa các doanh nghiệp.",
)

_D1[S_PEOPLE] = (
    "Đào tạo, bồi dưỡng kiến thức về đô thị thông minh, khai thác dữ liệu và an toàn thông tin "
    "cho cán bộ, công chức; mỗi sở, ngành và quận, huyện bố trí ít nhất một cán bộ chuyên trách "
    "công nghệ thông tin. Có chính sách thu hút chuyên gia và sinh viên giỏi về làm việc tại các "
    "cơ quan nhà nước của thành phố."
)

_D1[CH9] = ""

_D1[S_DEPARTMENTS] = _md(
    "Thành lập Ban Chỉ đạo xây dựng đô thị thông minh do Chủ tịch UBND thành phố làm Trưởng ban; "
    "Sở Kế hoạch và Đầu tư là cơ quan thường trực. Trách nhiệm cụ thể của các sở, ngành như sau:",
    _ul(
        "Sở Kế hoạch và Đầu tư: tham mưu bố trí vốn, thẩm định các dự án; theo dõi, tổng hợp tình "
        "hình thực hiện Đề án.",
        "Sở Thông tin và Truyền thông: chủ trì triển khai nền tảng dùng chung, Trung tâm dữ liệu, "
        "Trung tâm điều hành; hướng dẫn về kiến trúc và tiêu chuẩn kỹ thuật.",
        "Sở Tài chính: cân đối, bố trí kinh phí chi thường xuyên; hướng dẫn việc thuê dịch vụ công "
        "nghệ thông tin.",
        "Công an thành phố: chủ trì hệ thống camera an ninh, trật tự; phối hợp bảo đảm an ninh "
        "mạng.",
        "Các sở chuyên ngành: chủ trì các dự án thuộc lĩnh vực phụ trách theo danh mục dự án ưu "
        "tiên của Đề án.",
    ),
)

_D1[S_DISTRICTS] = _md(
    "UBND các quận, huyện sử dụng các nền tảng dùng chung của thành phố, không đầu tư riêng lẻ "
    "các hệ thống trùng chức năng; bố trí nhân lực, kinh phí đối ứng theo phân cấp; tuyên truyền "
    "để người dân sử dụng dịch vụ trực tuyến.",
    "Các doanh nghiệp viễn thông, điện lực, cấp thoát nước phối hợp chia sẻ hạ tầng, dữ liệu "
    "phục vụ Trung tâm điều hành; chủ động đề xuất các dự án đầu tư theo hình thức xã hội hóa.",
)

# ---------------------------------------------------------------------------------------------
# Draft 2 - revises draft 1; the comments on draft 1 explain most edits
# ---------------------------------------------------------------------------------------------

_D2: dict[str, str] = dict(_D1)

# SNV's comment corrects the year of Decision 1819; the list, which ends the body, gains one
# more item: the ministry's guidance of January 2018.
_D2[S_LEGAL] = _edit(
    _D1[S_LEGAL],
    ("ngày 26/10/2016", "ngày 26/10/2015"),
    (
        "giai đoạn 2016-2020.",
        "giai đoạn 2016-2020;\n"
        + _ul(
            "Văn bản số 58/BTTTT-KHCN ngày 11/01/2018 của Bộ Thông tin và Truyền thông hướng dẫn "
            "các nguyên tắc định hướng về công nghệ thông tin và truyền thông trong xây dựng đô "
            "thị thông minh ở Việt Nam."
        ),
    ),
)

# The lessons section is dropped; its concrete lessons close this section instead.
_D2[S_EXPERIENCE] = _md(
    _D1[S_EXPERIENCE],
    "Bài học rút ra cho Cần Thơ: xây dựng nền tảng dữ liệu dùng chung trước khi đầu tư các ứng "
    "dụng chuyên ngành; chọn một số lĩnh vực có tác động rõ đến người dân để làm trước; mời "
    "doanh nghiệp tham gia ngay từ đầu nhưng bảo đảm chính quyền làm chủ dữ liệu.",
)

# SGTVT's objection narrows the camera target to the districts; the online target is raised.
_D2[S_VISION] = _edit(
    _D1[S_VISION],
    (
        "50% dịch vụ công được cung cấp trực tuyến ở mức độ 3, 4;",
        "100% dịch vụ công đủ điều kiện được cung cấp trực tuyến mức độ 3, trong đó ít nhất 30% "
        "ở mức độ 4;",
    ),
    (
        "100% nút giao thông chính có camera giám sát kết nối về trung tâm.",
        "80% nút giao thông chính tại các quận có camera giám sát kết nối về Trung tâm điều hành.",
    ),
)

# Named because it is also the text Viettel proposed in its comment on draft 1.
_ARCH_IOT_OPEN = (
    "Mạng IoT được triển khai theo tiêu chuẩn mở; đơn vị cung cấp được lựa chọn theo quy định "
    "của pháp luật về đấu thầu."
)
# Viettel's objection: no IoT network fixed in advance.
_D2[S_ARCHITECTURE] = _edit(_D1[S_ARCHITECTURE], (_ARCH_IOT_CONSULTANT, _ARCH_IOT_OPEN))

# Asked for by STTTT and the city police in their comments on draft 1.
_D2[S_SECURITY] = _md(
    "An toàn, an ninh thông tin là yêu cầu xuyên suốt trong toàn bộ quá trình thiết kế, đầu tư "
    "và vận hành các hệ thống của đô thị thông minh. Các hệ thống thông tin phải được xác định "
    "cấp độ và có phương án bảo vệ tương ứng trước khi đưa vào sử dụng.",
    "Các nhiệm vụ chủ yếu:",
    _ul(
        "xây dựng Trung tâm giám sát an toàn thông tin (SOC) của thành phố, kết nối với hệ thống "
        "giám sát quốc gia;",
        "kiểm tra, đánh giá an toàn thông tin định kỳ hằng năm và trước khi nâng cấp hệ thống;",
        "bảo vệ dữ liệu cá nhân của người dân thu thập qua camera, cảm biến và dịch vụ trực tuyến;",
        "thành lập đội ứng cứu sự cố an toàn thông tin mạng của thành phố.",
    ),
)

# SXD's comment: one lead body per database.
_D2[S_PLANNING] = _md(
    _PLANNING_P1,
    "Sở Xây dựng chủ trì cơ sở dữ liệu quy hoạch xây dựng và hạ tầng kỹ thuật; Sở Tài nguyên và "
    "Môi trường chủ trì cơ sở dữ liệu đất đai; hệ thống GIS dùng chung là nơi tích hợp và hiển "
    "thị dữ liệu.",
    _PLANNING_P2,
)

# Fewer new monitoring stations, since the existing ones are connected.
_D2[S_ENVIRONMENT] = _edit(
    _D1[S_ENVIRONMENT],
    (
        "lắp đặt 10 trạm quan trắc tự động và",
        "đầu tư mới 6 trạm quan trắc tự động, kết nối các trạm hiện có và lắp đặt",
    ),
)

# SNNPTNT's comment splits tourism and agriculture into two sections.
_D2[S_TOURISM] = _md(
    _TOURISM_P1,
    "Xây dựng cổng thông tin du lịch đa ngôn ngữ, kết nối với các cơ sở lưu trú, lữ hành trên "
    "địa bàn.",
)

_D2[S_AGRI] = _md(
    "Thí điểm ứng dụng cảm biến theo dõi độ mặn, mực nước và sâu bệnh tại vùng sản xuất lúa, "
    "cây ăn trái tập trung ở các huyện Thới Lai, Cờ Đỏ, Vĩnh Thạnh và Phong Điền. Xây dựng hệ "
    "thống truy xuất nguồn gốc nông sản, hỗ trợ hợp tác xã đưa sản phẩm lên sàn thương mại điện "
    "tử. Kết quả thí điểm được đánh giá trước khi nhân rộng.",
    "Xây dựng cơ sở dữ liệu về đất trồng, mùa vụ và giá nông sản để cung cấp thông tin cho nông "
    "dân qua ứng dụng di động.",
)

# The city office's comment: phase 1 was beyond what the city can fund.
_D2[S_ROADMAP] = _md(
    "Lộ trình được sắp xếp theo hướng giai đoạn 1 xây dựng nền tảng và triển khai các lĩnh vực "
    "cấp thiết; các giai đoạn sau mở rộng và nâng cấp.",
    _table(
        ["Giai đoạn", "Thời gian", "Nội dung chủ yếu", "Kết quả dự kiến"],
        [
            [
                "Giai đoạn 1",
                "2018-2020",
                "Xây dựng nền tảng công nghệ dùng chung; chính quyền số; quy hoạch đô thị thông "
                "minh; thành phố an toàn; ứng dụng thông minh trong nông nghiệp và du lịch",
                "Trung tâm dữ liệu, nền tảng tích hợp và Trung tâm điều hành đi vào hoạt động; "
                "Cổng dịch vụ công thống nhất",
            ],
            [
                "Giai đoạn 2",
                "2021-2023",
                "Vận hành đồng bộ các giải pháp trên nền tảng dùng chung; mở rộng phạm vi và "
                "hoàn thiện tính năng",
                "Các lĩnh vực ưu tiên kết nối, chia sẻ dữ liệu qua nền tảng dùng chung",
            ],
            [
                "Giai đoạn 3",
                "2024-2025",
                "Nâng cấp các giải pháp và mở rộng sang lĩnh vực mới; tăng năng lực xử lý, lưu "
                "trữ; tăng cường an toàn, bảo mật dữ liệu",
                "Cần Thơ cơ bản đạt các tiêu chí của đô thị thông minh",
            ],
        ],
    ),
)

# Adds the security project (SOC) and splits tourism from agriculture; lower amounts.
_D2[S_PROJECTS] = _projects(
    _PROJECTS_INTRO,
    _PROJECTS_AMOUNT,
    [
        ("data", "150"),
        ("ioc", "120"),
        ("soc", "40"),
        ("egov", "80"),
        ("gis", "60"),
        ("transport", "150"),
        ("camera", "180"),
        ("environment", "75"),
        ("health_edu", "70"),
        ("tourism", "25"),
        ("agri", "30"),
    ],
    ["980"],
)

# STC's comment asks for the split between budget and private funds.
_FUNDING_MODES = _md(
    "Các hình thức huy động vốn ngoài ngân sách:",
    _ul(
        "thuê dịch vụ công nghệ thông tin theo quy định;",
        "hợp tác công tư (PPP) đối với các dự án có khả năng thu hồi vốn;",
        "doanh nghiệp tự đầu tư hạ tầng, thu phí dịch vụ theo giá được phê duyệt.",
    ),
)
_D2[S_FUNDING] = _md(
    "Tổng kinh phí dự kiến thực hiện Đề án giai đoạn 2018-2025 khoảng 2.300 tỷ đồng, trong đó "
    "giai đoạn 1 khoảng 980 tỷ đồng. Ngân sách nhà nước (thành phố, Trung ương hỗ trợ, vốn ODA) "
    "dự kiến chiếm khoảng 65%; vốn huy động từ doanh nghiệp và các nguồn hợp pháp khác khoảng "
    "35%. Mức dự kiến được ước tính trên cơ sở suất đầu tư của các dự án tương tự đã triển "
    "khai.",
    _FUNDING_MODES,
    _FUNDING_LAST,
)

# The Cần Thơ University (DHCT) offered to train staff.
_D2[S_PEOPLE] = _md(
    _D1[S_PEOPLE],
    "Phối hợp với Trường Đại học Cần Thơ và các cơ sở đào tạo trên địa bàn xây dựng chương "
    "trình bồi dưỡng ngắn hạn, thực hiện các nhiệm vụ nghiên cứu ứng dụng phục vụ Đề án.",
)

# Q-NK's question: districts have no "counterpart funds" to give.
_D2[S_DISTRICTS] = _edit(
    _D1[S_DISTRICTS],
    ("bố trí nhân lực, kinh phí đối ứng theo phân cấp;", "bố trí nhân lực thực hiện;"),
    (
        "sử dụng dịch vụ trực tuyến.",
        "sử dụng dịch vụ trực tuyến. Kinh phí thực hiện nhiệm vụ cấp quận, huyện được cân đối "
        "trong dự toán ngân sách hằng năm theo phân cấp.",
    ),
)

# ---------------------------------------------------------------------------------------------
# Draft 3 - revises draft 2; the comments on draft 2 explain most edits
# ---------------------------------------------------------------------------------------------

_D3: dict[str, str] = dict(_D2)

# Editorial: coverage figures brought up to date.
_D3[S_CURRENT] = _edit(
    _D2[S_CURRENT],
    ("phủ sóng khu vực các quận", "phủ sóng toàn bộ các quận"),
    ("đến hầu hết các xã", "đến tất cả các xã"),
)

# STTTT's comment on draft 2: cite the decree on security levels.
_D3[S_SECURITY] = _edit(
    _D2[S_SECURITY],
    (
        "xác định cấp độ và",
        "xác định cấp độ an toàn theo Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ và",
    ),
)

# SGTVT's comment on draft 2.
_D3[S_TRANSPORT] = _md(
    _TRANSPORT_P1,
    "Khai thác dữ liệu từ thiết bị giám sát hành trình của xe buýt, xe khách và xe tải để quản "
    "lý hoạt động vận tải, cung cấp thông tin cho hành khách.",
    _TRANSPORT_P2,
)

# Answers the question of Cái Răng district (Q-CR) on its own one-stop software.
_D3[S_EGOV] = _edit(
    _D2[S_EGOV],
    ("đến cấp xã.", "đến cấp xã, thay thế dần các phần mềm một cửa riêng lẻ."),
)

# SYT found 70% too high; SGDDT asked to pilot in all general-education schools.
_D3[S_HEALTH_EDU] = _edit(
    _D2[S_HEALTH_EDU],
    (
        "phấn đấu 70% người dân có hồ sơ sức khỏe điện tử.",
        "phấn đấu 50% người dân có hồ sơ sức khỏe điện tử; nâng cấp hạ tầng công nghệ thông tin "
        "tại các trạm y tế xã, phường.",
    ),
    ("một số trường trung học phổ thông.", "một số trường phổ thông trên địa bàn các quận."),
)

# Phong Điền district's (H-PD) comment on draft 2.
_D3[S_TOURISM] = _md(
    _D2[S_TOURISM],
    "Đưa các điểm du lịch sinh thái, vườn cây ăn trái của huyện Phong Điền lên bản đồ số; hỗ trợ "
    "các hộ làm du lịch cộng đồng đăng thông tin và nhận đặt chỗ trực tuyến.",
)

# The city police keep the security-camera data (CA-TP's comment on draft 2).
_D3[S_SAFE_CITY] = _edit(
    _D2[S_SAFE_CITY],
    (
        "; dữ liệu được lưu trữ tập trung và chia sẻ cho lực lượng chức năng.",
        ". Dữ liệu camera phục vụ an ninh, trật tự do Công an thành phố quản lý và phân quyền "
        "khai thác cho Trung tâm điều hành; camera giao thông, ngập nước của các sở chuyên ngành "
        "kết nối trực tiếp về Trung tâm điều hành.",
    ),
)

# Projects under way join phase 1 (the city office's comment on draft 2), in both columns.
_D3[S_ROADMAP] = _edit(
    _D2[S_ROADMAP],
    (
        "xây dựng nền tảng và triển khai các lĩnh vực cấp thiết;",
        "xây dựng nền tảng, triển khai các lĩnh vực cấp thiết và kế thừa các dự án đã có;",
    ),
    (
        "trong nông nghiệp và du lịch |",
        "trong nông nghiệp và du lịch; rà soát, lồng ghép các dự án đã và đang triển khai |",
    ),
    (
        "Cổng dịch vụ công thống nhất |",
        "Cổng dịch vụ công thống nhất; các dự án hiện có kết nối vào nền tảng dùng chung |",
    ),
)

# Asked for by the city office and STC on draft 2 and by the city People's Committee.
_D3[S_REVIEW] = _md(
    "Theo chỉ đạo của UBND thành phố, Ban Soạn thảo đã rà soát các dự án do Nhà nước đầu tư đã "
    "và đang triển khai, các dự án thuộc nhóm xã hội hóa và hợp phần 3 của Dự án phát triển "
    "thành phố Cần Thơ và tăng cường khả năng thích ứng của đô thị (Dự án 3) để đưa vào lộ "
    "trình giai đoạn 1. Việc lồng ghép nhằm tận dụng hạ tầng, dữ liệu đã có và tránh đầu tư "
    "trùng lặp.",
    _ul(
        "Dự án sử dụng vốn nhà nước: hệ thống một cửa điện tử, quản lý văn bản và điều hành, "
        "mạng truyền số liệu chuyên dùng được nâng cấp và kết nối vào nền tảng tích hợp thay vì "
        "đầu tư mới.",
        "Dự án xã hội hóa: hệ thống camera tại một số khu đô thị mới, mạng wifi công cộng tại "
        "khu vực trung tâm và các dịch vụ thanh toán không dùng tiền mặt được kết nối dữ liệu "
        "theo chuẩn chung của thành phố.",
        "Hợp phần 3 của Dự án 3 (tăng cường năng lực quản lý rủi ro thiên tai của thành phố): "
        "hệ thống cảnh báo sớm ngập lụt và cơ sở dữ liệu quản lý rủi ro được xem là một cấu "
        "phần của lĩnh vực môi trường và chống ngập; Đề án không đầu tư lặp lại các hạng mục "
        "này.",
    ),
    "Danh mục chi tiết các dự án đã rà soát được tổng hợp tại phụ lục kèm theo Đề án.",
)

# STC's comment: leave out what is already funded, split budget and private funds.
_D3[S_PROJECTS] = _projects(
    "Các dự án ưu tiên triển khai trong giai đoạn 1, sau khi loại trừ các hạng mục đã được đầu "
    "tư hoặc thuộc Dự án 3 (kinh phí dự kiến, tỷ đồng):",
    ["Tổng", "Ngân sách nhà nước", "Xã hội hóa, PPP"],
    [
        ("data", "150", "110", "40"),
        ("ioc", "120", "120", "-"),
        ("soc", "40", "40", "-"),
        ("egov", "80", "80", "-"),
        ("gis", "60", "60", "-"),
        ("transport", "150", "90", "60"),
        ("camera", "180", "120", "60"),
        ("environment_rest", "45", "45", "-"),
        ("health_edu", "70", "50", "20"),
        ("agri", "30", "15", "15"),
        ("tourism", "25", "10", "15"),
    ],
    ["950", "740", "210"],
)

_D3[S_FUNDING] = _md(
    "Tổng kinh phí dự kiến thực hiện Đề án giai đoạn 2018-2025 khoảng 2.200 tỷ đồng, trong đó "
    "giai đoạn 1 khoảng 950 tỷ đồng. Trong giai đoạn 1, ngân sách nhà nước (thành phố, Trung "
    "ương hỗ trợ, vốn ODA) dự kiến khoảng 740 tỷ đồng, vốn xã hội hóa và hợp tác công tư khoảng "
    "210 tỷ đồng. Mức dự kiến được ước tính trên cơ sở suất đầu tư của các dự án tương tự và đã "
    "loại trừ các hạng mục trùng với dự án đang triển khai.",
    _FUNDING_MODES,
    _FUNDING_LAST,
)

# SKHDT leads the review of the projects under way.
_D3[S_DEPARTMENTS] = _edit(
    _D2[S_DEPARTMENTS],
    (
        "thẩm định các dự án; theo dõi",
        "thẩm định các dự án; chủ trì rà soát, lồng ghép các dự án đã và đang triển khai; theo dõi",
    ),
)

# Each section is (level, number, heading, body_markdown); a heading stays the same across
# drafts so that the app can follow a section and its comments from one draft to the next.
DRAFTS: list[dict] = [
    {
        "number": 1,
        "change_note": (
            "Dự thảo lần đầu, do Ban Soạn thảo xây dựng trên cơ sở kết quả khảo sát, đánh giá hạ "
            "tầng kỹ thuật và số liệu thu thập năm 2017."
        ),
        "sections": _build(_outline(1), _D1),
    },
    {
        "number": 2,
        "change_note": _md(
            "Tiếp thu ý kiến góp ý đối với dự thảo lần 1:",
            _ul(
                "bổ sung mục Bảo đảm an toàn, an ninh thông tin tại Chương V;",
                "tách mục Du lịch và nông nghiệp thông minh thành hai mục riêng;",
                "lược bỏ mục Bài học kinh nghiệm đối với Cần Thơ, đưa các bài học cụ thể vào mục "
                "Kinh nghiệm quốc tế và trong nước;",
                "viết lại bảng lộ trình triển khai, giai đoạn 1 tập trung vào nền tảng dùng chung "
                "và các lĩnh vực cấp thiết;",
                "điều chỉnh mục tiêu đến năm 2020, danh mục dự án ưu tiên và tổng kinh phí (từ "
                "khoảng 1.000 tỷ đồng xuống 980 tỷ đồng cho giai đoạn 1);",
                "chỉnh sửa căn cứ pháp lý, phân công chủ trì cơ sở dữ liệu quy hoạch, số trạm quan "
                "trắc và trách nhiệm kinh phí của quận, huyện.",
            ),
        ),
        "sections": _build(_outline(2), _D2),
    },
    {
        "number": 3,
        "change_note": _md(
            "Tiếp thu ý kiến góp ý đối với dự thảo lần 2 và chỉ đạo của UBND thành phố:",
            _ul(
                "bổ sung mục Rà soát, lồng ghép các dự án đã và đang triển khai (dự án vốn nhà "
                "nước, dự án xã hội hóa, hợp phần 3 của Dự án 3) vào giai đoạn 1;",
                "hoàn thiện bảng danh mục dự án ưu tiên, tách nguồn ngân sách và xã hội hóa; "
                "giai đoạn 1 còn khoảng 950 tỷ đồng;",
                "đưa mục Nông nghiệp thông minh lên trước mục Du lịch thông minh;",
                "làm rõ quản lý dữ liệu camera an ninh, căn cứ xác định cấp độ an toàn thông tin, "
                "mục tiêu hồ sơ sức khỏe điện tử;",
                "chỉnh sửa câu chữ ở một số mục.",
            ),
        ),
        "sections": _build(_outline(3), _D3),
    },
]

# Indicative comment periods (opened, deadline); the app shifts draft 3 relative to "now".
DRAFT_PERIODS: dict[int, tuple[str, str]] = {
    1: ("2018-01-05", "2018-01-26"),
    2: ("2018-03-05", "2018-03-23"),
    3: ("2018-04-16", "2018-05-11"),
}

# ---------------------------------------------------------------------------------------------
# 3. Comments, agreements and official letters
# ---------------------------------------------------------------------------------------------


def _c(
    draft: int,
    department: str,
    section_heading: str | None,
    kind: str,
    body: str,
    *,
    quote: str | None = None,
    proposed_text: str | None = None,
    status: str = "new",
    answer: str | None = None,
    duplicate_group: str | None = None,
) -> dict:
    comment = {
        "draft": draft,
        "department": department,
        "section_heading": section_heading,
        "kind": kind,
        "body": body,
        "quote": quote,
        "proposed_text": proposed_text,
        "status": status,
        "answer": answer,
    }
    if duplicate_group:
        comment["duplicate_group"] = duplicate_group
    return comment


_COMMENTS_1 = [
    _c(
        1,
        "VP-UBND",
        S_ROADMAP,
        "change",
        "Giai đoạn 1 (2018-2020) đang bố trí gần như toàn bộ các lĩnh vực ưu tiên, vượt khả "
        "năng cân đối vốn của thành phố trong kế hoạch đầu tư công trung hạn 2016-2020. Đề nghị "
        "sắp xếp lại lộ trình: giai đoạn 1 tập trung xây dựng nền tảng dùng chung, chính quyền "
        "số, quy hoạch đô thị, thành phố an toàn và một số lĩnh vực thành phố có lợi thế; các "
        "nội dung còn lại chuyển sang giai đoạn 2, 3.",
        quote="Giai đoạn 1 tập trung toàn bộ các lĩnh vực ưu tiên để sớm tạo chuyển biến.",
        proposed_text="Giai đoạn 1 (2018-2020): xây dựng nền tảng công nghệ dùng chung; chính "
        "quyền số; quy hoạch đô thị thông minh; thành phố an toàn; ứng dụng thông minh trong "
        "nông nghiệp và du lịch.",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 2 đã viết lại bảng lộ trình: giai đoạn 1 tập trung vào nền "
        "tảng dùng chung, chính quyền số, quy hoạch đô thị thông minh, thành phố an toàn và hai "
        "lĩnh vực có lợi thế là nông nghiệp, du lịch; các nội dung khác chuyển sang giai đoạn 2.",
    ),
    _c(
        1,
        "STTTT",
        S_ARCHITECTURE,
        "change",
        "Dự thảo chưa có nội dung riêng về bảo đảm an toàn, an ninh thông tin, trong khi phần "
        "lớn dữ liệu sẽ được tập trung về trung tâm dữ liệu và Trung tâm điều hành. Đề nghị bổ "
        "sung một mục về an toàn thông tin trong Chương V, gồm: xác định cấp độ hệ thống, giám "
        "sát an toàn thông tin tập trung, ứng cứu sự cố và kiểm tra định kỳ.",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 2 bổ sung mục Bảo đảm an toàn, an ninh thông tin tại "
        "Chương V với các nội dung theo đề nghị.",
        duplicate_group="an-toan-thong-tin",
    ),
    _c(
        1,
        "CA-TP",
        None,
        "change",
        "Công an thành phố đề nghị Đề án bổ sung yêu cầu bảo vệ an ninh mạng, phòng chống tấn "
        "công vào hệ thống thông tin của thành phố, nhất là hệ thống camera và các cơ sở dữ liệu "
        "về dân cư. Phương án bảo đảm an toàn thông tin cần có ngay từ khâu thiết kế, không để "
        "đến khi vận hành mới bổ sung.",
        status="accepted",
        answer="Tiếp thu. Nội dung bảo đảm an toàn, an ninh thông tin đã được bổ sung thành mục "
        "riêng trong dự thảo lần 2, trong đó có yêu cầu bảo vệ dữ liệu thu thập qua camera và "
        "cảm biến.",
        duplicate_group="an-toan-thong-tin",
    ),
    _c(
        1,
        "STC",
        S_FUNDING,
        "question",
        "Đề nghị làm rõ cơ sở tính toán tổng kinh phí dự kiến và cơ cấu giữa vốn ngân sách nhà "
        "nước với vốn huy động từ doanh nghiệp. Việc bố trí vốn ngân sách cho Đề án cần phù hợp "
        "với kế hoạch đầu tư công trung hạn và khả năng cân đối của ngân sách thành phố.",
        quote="khoảng 2.500 tỷ đồng",
        status="partly_accepted",
        answer="Tiếp thu một phần. Dự thảo lần 2 đã nêu cơ cấu nguồn vốn dự kiến (ngân sách "
        "khoảng 65%, vốn huy động khoảng 35%), phương pháp ước tính và điều chỉnh tổng kinh phí. "
        "Kinh phí chi tiết của từng dự án chỉ xác định được khi lập, thẩm định dự án nên Đề án "
        "chỉ nêu mức dự kiến.",
    ),
    _c(
        1,
        "SNV",
        S_LEGAL,
        "editorial",
        "Năm ban hành của Quyết định số 1819/QĐ-TTg của Thủ tướng Chính phủ bị ghi sai; đề nghị "
        "sửa lại cho chính xác.",
        quote="Quyết định số 1819/QĐ-TTg ngày 26/10/2016",
        proposed_text="Quyết định số 1819/QĐ-TTg ngày 26/10/2015",
        status="accepted",
        answer="Tiếp thu, đã chỉnh sửa trong dự thảo lần 2.",
    ),
    _c(
        1,
        "SXD",
        S_PLANNING,
        "change",
        "Đề nghị xác định rõ cơ quan chủ trì từng cơ sở dữ liệu để tránh chồng chéo: Sở Xây dựng "
        "chủ trì cơ sở dữ liệu quy hoạch xây dựng và hạ tầng kỹ thuật, Sở Tài nguyên và Môi "
        "trường chủ trì cơ sở dữ liệu đất đai. Hệ thống GIS dùng chung chỉ là nơi tích hợp, hiển "
        "thị dữ liệu.",
        quote="Xây dựng hệ thống thông tin địa lý (GIS) dùng chung về quy hoạch, đất đai, hạ "
        "tầng kỹ thuật",
        status="accepted",
        answer="Tiếp thu, đã bổ sung phân công chủ trì các cơ sở dữ liệu tại mục Quy hoạch và "
        "quản lý đô thị của dự thảo lần 2.",
    ),
    _c(
        1,
        "SNNPTNT",
        S_TOURISM_AGRI,
        "change",
        "Nông nghiệp là lĩnh vực thành phố có lợi thế nhưng dự thảo chỉ đề cập ngắn gọn, ghép "
        "chung với du lịch. Đề nghị tách thành mục riêng, nêu cụ thể vùng sản xuất chọn thí điểm "
        "(các huyện Thới Lai, Cờ Đỏ, Vĩnh Thạnh, Phong Điền) và giải pháp truy xuất nguồn gốc, "
        "kết nối tiêu thụ nông sản.",
        quote="thí điểm ứng dụng cảm biến theo dõi độ mặn, mực nước và sâu bệnh",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 2 tách thành hai mục Du lịch thông minh và Nông nghiệp "
        "thông minh; mục Nông nghiệp thông minh nêu địa bàn thí điểm và bổ sung giải pháp kết "
        "nối tiêu thụ qua sàn thương mại điện tử.",
    ),
    _c(
        1,
        "SGTVT",
        S_VISION,
        "objection",
        "Mục tiêu này không khả thi đến năm 2020: nhiều nút giao ở các huyện chưa có hạ tầng "
        "điện, truyền dẫn phù hợp và kinh phí đầu tư lớn. Đề nghị giới hạn phạm vi ở các quận "
        "nội thành.",
        quote="100% nút giao thông chính có camera giám sát kết nối về trung tâm",
        proposed_text="80% nút giao thông chính tại các quận nội thành có camera giám sát kết "
        "nối về Trung tâm điều hành",
        status="partly_accepted",
        answer="Tiếp thu một phần. Dự thảo lần 2 điều chỉnh mục tiêu thành 80% nút giao thông "
        "chính tại các quận; các nút giao ở huyện được xem xét ở giai đoạn 2 tùy khả năng bố trí "
        "vốn.",
    ),
    _c(
        1,
        "VIETTEL-CT",
        S_ARCHITECTURE,
        "objection",
        "Việc xác định trước hạ tầng IoT của một doanh nghiệp cụ thể có thể hạn chế cạnh tranh "
        "và tạo sự phụ thuộc về công nghệ. Đề nghị Đề án chỉ quy định yêu cầu kỹ thuật, tiêu "
        "chuẩn mở; việc lựa chọn nhà cung cấp thực hiện theo quy định về đấu thầu.",
        quote=_ARCH_IOT_CONSULTANT,
        proposed_text=_ARCH_IOT_OPEN,
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 2 bỏ nội dung xác định trước hạ tầng của đơn vị tư vấn; "
        "mạng IoT được triển khai theo tiêu chuẩn mở và nhà cung cấp được lựa chọn theo quy định.",
    ),
    _c(
        1,
        "Q-NK",
        S_DISTRICTS,
        "question",
        "Đề nghị làm rõ “kinh phí đối ứng” của quận, huyện là khoản kinh phí nào, tỷ lệ bao "
        "nhiêu. Ngân sách cấp quận hiện chủ yếu dành cho chi thường xuyên, khó bố trí vốn đối "
        "ứng cho các dự án công nghệ thông tin.",
        quote="bố trí nhân lực, kinh phí đối ứng theo phân cấp",
        status="partly_accepted",
        answer="Tiếp thu một phần. Dự thảo lần 2 bỏ khái niệm kinh phí đối ứng; nhiệm vụ của "
        "quận, huyện được cân đối trong dự toán ngân sách hằng năm theo phân cấp. Tỷ lệ cụ thể "
        "sẽ do Sở Tài chính hướng dẫn khi triển khai từng dự án.",
    ),
    _c(
        1,
        "SKHCN",
        S_LESSONS,
        "change",
        "Nội dung mục này còn chung chung, chưa rút ra được bài học cụ thể từ các kinh nghiệm đã "
        "nêu và trùng lặp với phần quan điểm ở Chương IV. Đề nghị lược bỏ hoặc viết lại, nêu rõ "
        "những việc Cần Thơ nên làm và nên tránh.",
        quote="Đô thị thông minh là xu hướng tất yếu, cần được quan tâm và triển khai quyết liệt.",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 2 lược bỏ mục này; các bài học cụ thể được đưa vào đoạn "
        "cuối mục Kinh nghiệm quốc tế và trong nước.",
    ),
    _c(
        1,
        "DHCT",
        S_PEOPLE,
        "change",
        "Trường Đại học Cần Thơ có đội ngũ giảng viên và phòng thí nghiệm về công nghệ thông tin, "
        "viễn thông, nông nghiệp công nghệ cao, sẵn sàng phối hợp đào tạo, bồi dưỡng và nghiên "
        "cứu ứng dụng. Đề nghị bổ sung nội dung hợp tác với các cơ sở đào tạo trên địa bàn.",
        status="accepted",
        answer="Tiếp thu, đã bổ sung vào mục Giải pháp về nguồn nhân lực của dự thảo lần 2.",
    ),
    _c(
        1,
        "STP",
        None,
        "general",
        "Đề án là văn bản định hướng, không phải văn bản quy phạm pháp luật. Đề nghị các nội "
        "dung về cơ chế, chính sách (quy chế chia sẻ dữ liệu, khuyến khích xã hội hóa) chỉ nêu "
        "định hướng; việc ban hành cụ thể thực hiện theo trình tự, thủ tục của Luật Ban hành văn "
        "bản quy phạm pháp luật.",
        status="noted",
        answer="Ghi nhận. Ban Soạn thảo thống nhất Đề án chỉ nêu định hướng; các quy chế sẽ được "
        "xây dựng, ban hành theo đúng trình tự khi triển khai.",
    ),
    _c(
        1,
        "SCT",
        S_EGOV,
        "change",
        "Đề nghị bổ sung dự án xây dựng sàn thương mại điện tử của thành phố bằng vốn ngân sách "
        "để hỗ trợ doanh nghiệp nhỏ và vừa, hợp tác xã quảng bá, tiêu thụ sản phẩm.",
        status="not_accepted",
        answer="Không tiếp thu. Sàn thương mại điện tử là dịch vụ các doanh nghiệp đã cung cấp "
        "có hiệu quả trên thị trường; Nhà nước không nên đầu tư cạnh tranh với doanh nghiệp. Đề "
        "án tập trung hỗ trợ kết nối thông tin và thủ tục trực tuyến cho doanh nghiệp.",
    ),
]

_COMMENTS_2 = [
    _c(
        2,
        "VP-UBND",
        S_ROADMAP,
        "general",
        "Đề nghị Ban Soạn thảo rà soát các dự án công nghệ thông tin, hạ tầng đô thị đã và đang "
        "được đầu tư bằng vốn nhà nước trên địa bàn (một cửa điện tử, quản lý văn bản, camera "
        "giao thông...) để kế thừa, lồng ghép vào lộ trình, tránh trùng lặp và lãng phí.",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 3 bổ sung mục Rà soát, lồng ghép các dự án đã và đang "
        "triển khai; các dự án phù hợp được đưa vào giai đoạn 1.",
        duplicate_group="ra-soat-du-an",
    ),
    _c(
        2,
        "STC",
        S_PROJECTS,
        "change",
        "Danh mục chưa thể hiện các dự án đã được bố trí vốn trong kế hoạch đầu tư công trung "
        "hạn. Đề nghị rà soát để không đề xuất vốn mới cho các hạng mục đã được đầu tư, đồng "
        "thời tách riêng nguồn ngân sách và nguồn xã hội hóa của từng dự án.",
        status="accepted",
        answer="Tiếp thu. Dự thảo lần 3 đã rà soát, loại trừ các hạng mục trùng và tách cột "
        "nguồn vốn trong bảng danh mục dự án ưu tiên.",
        duplicate_group="ra-soat-du-an",
    ),
    _c(
        2,
        "STTTT",
        S_SECURITY,
        "change",
        "Đề nghị dẫn chiếu cụ thể văn bản quy định về bảo đảm an toàn hệ thống thông tin theo "
        "cấp độ để các cơ quan chủ quản thực hiện thống nhất.",
        quote="phải được xác định cấp độ",
        proposed_text="phải được xác định cấp độ an toàn theo Nghị định số 85/2016/NĐ-CP ngày "
        "01/7/2016 của Chính phủ",
        status="accepted",
        answer="Tiếp thu, đã chỉnh sửa trong dự thảo lần 3.",
    ),
    _c(
        2,
        "CA-TP",
        S_SAFE_CITY,
        "change",
        "Dữ liệu camera phục vụ bảo đảm an ninh, trật tự phải do Công an thành phố quản lý và "
        "phân quyền khai thác theo quy định về bảo vệ bí mật nhà nước. Đề nghị sửa lại; Trung "
        "tâm điều hành chỉ khai thác các luồng hình ảnh được phân quyền.",
        quote="dữ liệu được lưu trữ tập trung và chia sẻ cho lực lượng chức năng",
        status="partly_accepted",
        answer="Tiếp thu một phần. Dự thảo lần 3 quy định dữ liệu camera phục vụ an ninh do Công "
        "an thành phố quản lý và phân quyền khai thác. Camera giao thông, ngập nước do các sở "
        "chuyên ngành đầu tư vẫn kết nối trực tiếp về Trung tâm điều hành để bảo đảm điều hành "
        "thống nhất.",
    ),
    _c(
        2,
        "SYT",
        S_HEALTH_EDU,
        "change",
        "Tỷ lệ 70% là quá cao so với thực tế, vì việc lập hồ sơ sức khỏe điện tử phụ thuộc hạ "
        "tầng của trạm y tế xã và hướng dẫn của Bộ Y tế. Đề nghị điều chỉnh còn 40%.",
        quote="Đến năm 2020, phấn đấu 70% người dân có hồ sơ sức khỏe điện tử.",
        proposed_text="Đến năm 2020, phấn đấu 40% người dân có hồ sơ sức khỏe điện tử.",
        status="partly_accepted",
        answer="Tiếp thu một phần. Dự thảo lần 3 điều chỉnh mục tiêu thành 50% để giữ tính định "
        "hướng, đồng thời bổ sung nhiệm vụ nâng cấp hạ tầng công nghệ thông tin tại trạm y tế "
        "xã, phường.",
    ),
    _c(
        2,
        "SGDDT",
        S_HEALTH_EDU,
        "editorial",
        "Đề nghị mở rộng đối tượng thí điểm ra các cấp học phổ thông, không giới hạn ở trung học "
        "phổ thông.",
        quote="thí điểm mô hình lớp học thông minh tại một số trường trung học phổ thông",
        proposed_text="thí điểm mô hình lớp học thông minh tại một số trường phổ thông trên địa "
        "bàn các quận",
        status="accepted",
        answer="Tiếp thu, đã chỉnh sửa trong dự thảo lần 3.",
    ),
    _c(
        2,
        "H-PD",
        S_TOURISM,
        "change",
        "Đề nghị bổ sung các điểm du lịch sinh thái, vườn cây ăn trái của huyện Phong Điền vào "
        "bản đồ số và ứng dụng du lịch thông minh; hỗ trợ các hộ làm du lịch cộng đồng đăng thông "
        "tin và nhận đặt chỗ trực tuyến.",
        status="accepted",
        answer="Tiếp thu, đã bổ sung vào mục Du lịch thông minh của dự thảo lần 3.",
    ),
    _c(
        2,
        "SGTVT",
        S_TRANSPORT,
        "change",
        "Đề nghị bổ sung nội dung khai thác dữ liệu từ thiết bị giám sát hành trình của xe buýt, "
        "xe khách, xe tải để quản lý hoạt động vận tải và cung cấp thông tin cho hành khách.",
        status="accepted",
        answer="Tiếp thu, đã bổ sung vào mục Giao thông thông minh của dự thảo lần 3.",
    ),
    _c(
        2,
        "SCT",
        S_EGOV,
        "general",
        "Đề nghị bổ sung nội dung hỗ trợ doanh nghiệp, hộ kinh doanh ứng dụng thương mại điện tử "
        "và thanh toán không dùng tiền mặt.",
        status="noted",
        answer="Ghi nhận. Nội dung này thuộc kế hoạch phát triển thương mại điện tử của thành "
        "phố; Đề án sẽ kết nối, tích hợp ở giai đoạn 2.",
    ),
    _c(
        2,
        "SLDTBXH",
        None,
        "general",
        "Đề án chưa đề cập việc ứng dụng công nghệ trong quản lý đối tượng bảo trợ xã hội, chi "
        "trả trợ cấp và giới thiệu việc làm. Đề nghị bổ sung các nội dung này vào nhóm dịch vụ "
        "cho người dân.",
        status="noted",
        answer="Ghi nhận. Giai đoạn 1 tập trung vào các lĩnh vực ưu tiên theo chỉ đạo của UBND "
        "thành phố; các dịch vụ an sinh xã hội sẽ được xem xét ở giai đoạn 2 trên nền tảng dùng "
        "chung.",
    ),
    _c(
        2,
        "PC-CT",
        S_DISTRICTS,
        "change",
        "Đề nghị đưa dự án lắp đặt công tơ điện tử đo xa và hệ thống chiếu sáng công cộng thông "
        "minh vào danh mục dự án ưu tiên sử dụng vốn ngân sách thành phố.",
        quote="chia sẻ hạ tầng, dữ liệu phục vụ Trung tâm điều hành",
        status="not_accepted",
        answer="Không tiếp thu. Việc đầu tư công tơ điện tử thuộc kế hoạch của ngành điện, thực "
        "hiện bằng vốn của doanh nghiệp. Chiếu sáng công cộng thông minh sẽ được xem xét ở giai "
        "đoạn 2, ưu tiên theo hình thức xã hội hóa.",
    ),
    _c(
        2,
        "Q-CR",
        S_EGOV,
        "question",
        "Hệ thống một cửa điện tử dùng chung có thay thế phần mềm một cửa quận đang sử dụng hay "
        "không? Dữ liệu hồ sơ hiện có sẽ được chuyển đổi như thế nào?",
        quote="Hoàn thiện Cổng dịch vụ công và hệ thống một cửa điện tử dùng chung của thành phố",
        status="noted",
        answer="Giải trình: hệ thống dùng chung sẽ thay thế dần các phần mềm riêng lẻ; dữ liệu "
        "hiện có được chuyển đổi trong quá trình triển khai, không làm gián đoạn việc tiếp nhận "
        "hồ sơ. Nội dung chi tiết thuộc phạm vi dự án, không đưa vào Đề án.",
    ),
]

_COMMENTS_3 = [
    _c(
        3,
        "VP-UBND",
        S_ROADMAP,
        "change",
        "Đề nghị ghi rõ mốc hoàn thành việc rà soát, lồng ghép các dự án trong giai đoạn 1 (trước "
        "quý IV/2018) để làm căn cứ bố trí vốn trong kế hoạch năm 2019.",
        quote="rà soát, lồng ghép các dự án đã và đang triển khai",
        status="under_review",
    ),
    _c(
        3,
        "SXD",
        S_REVIEW,
        "question",
        "Đề nghị làm rõ phạm vi các hạng mục của hợp phần 3 được lồng ghép, đơn vị quản lý sau "
        "khi Dự án 3 kết thúc và cách kết nối dữ liệu về Trung tâm điều hành, tránh mỗi bên vận "
        "hành một hệ thống riêng.",
        quote="hệ thống cảnh báo sớm ngập lụt và cơ sở dữ liệu quản lý rủi ro",
        status="new",
        duplicate_group="hop-phan-3",
    ),
    _c(
        3,
        "STNMT",
        S_REVIEW,
        "change",
        "Hợp phần 3 của Dự án 3 có nội dung cảnh báo ngập, quản lý rủi ro thiên tai trùng với "
        "nhiệm vụ quan trắc, cảnh báo ngập trong mục Môi trường và chống ngập. Đề nghị thống "
        "nhất một đầu mối quản lý dữ liệu cảnh báo ngập và nêu rõ phần việc Đề án đầu tư thêm.",
        status="new",
        duplicate_group="hop-phan-3",
    ),
    _c(
        3,
        "STC",
        S_PROJECTS,
        "question",
        "Phần vốn xã hội hóa khoảng 210 tỷ đồng dự kiến huy động theo hình thức nào (thuê dịch "
        "vụ, PPP hay doanh nghiệp tự đầu tư)? Đã có doanh nghiệp đăng ký hoặc cam kết tham gia "
        "hay chưa?",
        status="under_review",
    ),
    _c(
        3,
        "SNV",
        S_DEPARTMENTS,
        "change",
        "Đề nghị bổ sung việc thành lập Tổ giúp việc Ban Chỉ đạo gồm cán bộ của các sở, ngành "
        "liên quan, do lãnh đạo Sở Kế hoạch và Đầu tư làm tổ trưởng, để bảo đảm điều phối "
        "thường xuyên.",
        quote="Sở Kế hoạch và Đầu tư là cơ quan thường trực",
        status="accepted",
        answer="Tiếp thu; nội dung sẽ được bổ sung trong dự thảo trình phê duyệt.",
    ),
    _c(
        3,
        "STP",
        S_LEGAL,
        "editorial",
        "Đề nghị sắp xếp các căn cứ theo thứ tự hiệu lực pháp lý (luật, nghị quyết, nghị định, "
        "quyết định, chỉ thị, văn bản hướng dẫn) và ghi đầy đủ trích yếu của từng văn bản.",
        status="accepted",
        answer="Tiếp thu; sẽ chỉnh sửa trong dự thảo trình phê duyệt.",
    ),
    _c(
        3,
        "CA-TP",
        S_SAFE_CITY,
        "change",
        "Đề nghị bổ sung nhiệm vụ xây dựng cơ sở dữ liệu phương tiện vi phạm, kết nối với hệ "
        "thống xử phạt qua hình ảnh, và lộ trình lắp camera tại các bến tàu khách, bến phà.",
        quote="Ứng dụng phân tích hình ảnh để nhận dạng biển số phương tiện",
        status="under_review",
    ),
    _c(
        3,
        "SVHTTDL",
        S_TOURISM,
        "change",
        "Đề nghị bổ sung chỉ tiêu đến năm 2020 cho lĩnh vực du lịch, như tỷ lệ điểm du lịch có "
        "thông tin trên bản đồ số và tỷ lệ cơ sở lưu trú kết nối với cổng thông tin du lịch.",
        status="new",
    ),
    _c(
        3,
        "SNNPTNT",
        S_AGRI,
        "change",
        "Đề nghị gắn hệ thống truy xuất nguồn gốc với mã số vùng trồng phục vụ xuất khẩu trái "
        "cây, và giao Sở Nông nghiệp và Phát triển nông thôn quản lý cơ sở dữ liệu mùa vụ.",
        quote="Xây dựng hệ thống truy xuất nguồn gốc nông sản",
        status="new",
    ),
    _c(
        3,
        "Q-BT",
        S_DISTRICTS,
        "question",
        "Quận có phải bố trí cán bộ trực tại Trung tâm điều hành khi có sự cố trên địa bàn hay "
        "không? Đề nghị làm rõ cơ chế phối hợp giữa Trung tâm điều hành và UBND quận, huyện.",
        status="new",
    ),
    _c(
        3,
        "H-TL",
        S_AGRI,
        "general",
        "Huyện Thới Lai đề nghị được chọn làm địa bàn thí điểm đầu tiên của mô hình nông nghiệp "
        "thông minh, do có vùng lúa chất lượng cao và cánh đồng lớn đã được quy hoạch.",
        status="noted",
        answer="Ghi nhận. Địa bàn thí điểm cụ thể sẽ được xác định khi lập dự án nông nghiệp "
        "thông minh.",
    ),
    _c(
        3,
        "DHCT",
        S_PEOPLE,
        "change",
        "Đề nghị bổ sung mô hình phòng thí nghiệm đô thị thông minh đặt tại Trường Đại học Cần "
        "Thơ để thử nghiệm các giải pháp trước khi áp dụng rộng rãi.",
        status="new",
    ),
    _c(
        3,
        "VIETTEL-CT",
        S_ARCHITECTURE,
        "question",
        "Đề nghị nêu rõ các tiêu chuẩn kết nối IoT được chấp nhận (ví dụ NB-IoT, LoRaWAN) và yêu "
        "cầu về định dạng dữ liệu để doanh nghiệp chủ động chuẩn bị hạ tầng.",
        quote="Mạng IoT được triển khai theo tiêu chuẩn mở",
        status="new",
    ),
    _c(
        3,
        "STTTT",
        S_IOC,
        "change",
        "Trung tâm điều hành cần hoạt động liên tục 24/7. Đề nghị bổ sung phương án tổ chức bộ "
        "phận vận hành chuyên trách, có biên chế và cơ chế điều động cán bộ các sở, ngành trực "
        "tại trung tâm.",
        quote="do Sở Thông tin và Truyền thông quản lý vận hành",
        status="under_review",
    ),
    _c(
        3,
        "SYT",
        S_HEALTH_EDU,
        "change",
        "Đề nghị bổ sung nội dung khám, chữa bệnh từ xa giữa bệnh viện tuyến thành phố và trung "
        "tâm y tế các huyện.",
        status="new",
    ),
    _c(
        3,
        "VP-UBND",
        None,
        "editorial",
        "Đề nghị bổ sung bảng giải thích từ ngữ viết tắt (IOC, LGSP, SOC, IoT, PPP) ở phần đầu "
        "Đề án để thuận tiện cho người đọc.",
        status="new",
    ),
]

COMMENTS: list[dict] = _COMMENTS_1 + _COMMENTS_2 + _COMMENTS_3

# Bodies that answered "thống nhất với dự thảo, không có ý kiến khác": (code, letter, date).
AGREED: dict[int, list[tuple[str, str, str]]] = {
    1: [
        ("SYT", "41/SYT-NVY", "2018-01-15"),
        ("SGDDT", "58/SGDĐT-VP", "2018-01-16"),
        ("SLDTBXH", "77/SLĐTBXH-VP", "2018-01-17"),
        ("SVHTTDL", "63/SVHTTDL-VP", "2018-01-18"),
        ("STNMT", "112/STNMT-VP", "2018-01-19"),
        ("SNGV", "27/SNgV-VP", "2018-01-19"),
        ("Q-BT", "86/UBND-VP", "2018-01-22"),
        ("Q-CR", "94/UBND-VP", "2018-01-22"),
        ("Q-OM", "71/UBND-VP", "2018-01-23"),
        ("H-PD", "102/UBND-VP", "2018-01-23"),
        ("H-CD", "66/UBND-VP", "2018-01-24"),
        ("BQL-KCX", "35/BQL-VP", "2018-01-24"),
        ("TTRA-TP", "19/TTr-VP", "2018-01-25"),
        ("BDT", "12/BDT-VP", "2018-01-25"),
        ("CTN-CT", "28/CTN-KT", "2018-01-25"),
        ("PC-CT", "310/PCCT-KT", "2018-01-26"),
    ],
    2: [
        ("SNV", "412/SNV-VP", "2018-03-12"),
        ("SXD", "688/SXD-QHKT", "2018-03-13"),
        ("STNMT", "590/STNMT-VP", "2018-03-13"),
        ("SNNPTNT", "455/SNNPTNT-VP", "2018-03-14"),
        ("SVHTTDL", "402/SVHTTDL-VP", "2018-03-14"),
        ("SKHCN", "233/SKHCN-QLCN", "2018-03-15"),
        ("STP", "301/STP-XDKTVB", "2018-03-15"),
        ("MOBIFONE-CT", "64/MBF-CT", "2018-03-16"),
        ("Q-NK", "612/UBND-VP", "2018-03-16"),
        ("Q-BT", "498/UBND-VP", "2018-03-19"),
        ("Q-OM", "377/UBND-VP", "2018-03-19"),
        ("Q-TN", "421/UBND-VP", "2018-03-20"),
        ("H-CD", "355/UBND-VP", "2018-03-20"),
        ("H-VT", "318/UBND-VP", "2018-03-21"),
        ("BQL-KCX", "188/BQL-VP", "2018-03-21"),
        ("TTRA-TP", "97/TTr-VP", "2018-03-22"),
        ("BDT", "54/BDT-VP", "2018-03-22"),
        ("SNGV", "146/SNgV-VP", "2018-03-22"),
        ("VIETTEL-CT", "215/VTCT-KHDN", "2018-03-23"),
        ("CTN-CT", "134/CTN-KT", "2018-03-23"),
        ("DHCT", "702/ĐHCT-TCCB", "2018-03-23"),
    ],
    3: [
        ("SGDDT", "1035/SGDĐT-VP", "2018-04-23"),
        ("SLDTBXH", "1288/SLĐTBXH-VP", "2018-04-25"),
        ("SKHCN", "512/SKHCN-QLCN", "2018-04-26"),
        ("Q-OM", "902/UBND-VP", "2018-05-02"),
        ("H-CD", "847/UBND-VP", "2018-05-03"),
        ("BDT", "121/BDT-VP", "2018-05-04"),
        ("CTN-CT", "301/CTN-KT", "2018-05-07"),
    ],
}

# Official letters of the bodies that commented on each draft: code -> (letter, date).
RESPONSE_LETTERS: dict[int, dict[str, tuple[str, str]]] = {
    1: {
        "VP-UBND": ("145/VPUB-KT", "2018-01-22"),
        "STTTT": ("98/STTTT-CNTT", "2018-01-18"),
        "CA-TP": ("256/CATP-PV05", "2018-01-23"),
        "STC": ("187/STC-ĐT", "2018-01-24"),
        "SNV": ("125/SNV-VP", "2018-01-16"),
        "SXD": ("176/SXD-QHKT", "2018-01-19"),
        "SNNPTNT": ("132/SNNPTNT-KH", "2018-01-22"),
        "SGTVT": ("164/SGTVT-QLVT", "2018-01-24"),
        "VIETTEL-CT": ("48/VTCT-KHDN", "2018-01-25"),
        "Q-NK": ("118/UBND-VP", "2018-01-25"),
        "SKHCN": ("57/SKHCN-QLCN", "2018-01-17"),
        "DHCT": ("151/ĐHCT-TCCB", "2018-01-26"),
        "STP": ("83/STP-XDKTVB", "2018-01-23"),
        "SCT": ("109/SCT-QLTM", "2018-01-26"),
    },
    2: {
        "VP-UBND": ("702/VPUB-KT", "2018-03-16"),
        "STC": ("811/STC-ĐT", "2018-03-20"),
        "STTTT": ("465/STTTT-CNTT", "2018-03-14"),
        "CA-TP": ("1105/CATP-PV05", "2018-03-21"),
        "SYT": ("623/SYT-NVY", "2018-03-19"),
        "SGDDT": ("587/SGDĐT-VP", "2018-03-15"),
        "H-PD": ("341/UBND-VP", "2018-03-20"),
        "SGTVT": ("734/SGTVT-QLVT", "2018-03-21"),
        "SCT": ("498/SCT-QLTM", "2018-03-22"),
        "SLDTBXH": ("702/SLĐTBXH-VP", "2018-03-22"),
        "PC-CT": ("1420/PCCT-KT", "2018-03-23"),
        "Q-CR": ("466/UBND-VP", "2018-03-23"),
    },
    3: {
        "SXD": ("1342/SXD-QHKT", "2018-05-02"),
        "STNMT": ("1187/STNMT-VP", "2018-05-03"),
        "STC": ("1456/STC-ĐT", "2018-05-04"),
        "SNV": ("892/SNV-VP", "2018-04-24"),
        "STP": ("615/STP-XDKTVB", "2018-04-25"),
        "CA-TP": ("2034/CATP-PV05", "2018-05-07"),
        "SVHTTDL": ("958/SVHTTDL-VP", "2018-05-02"),
        "SNNPTNT": ("1011/SNNPTNT-KH", "2018-05-03"),
        "Q-BT": ("934/UBND-VP", "2018-05-04"),
        "H-TL": ("712/UBND-VP", "2018-04-26"),
        "DHCT": ("1388/ĐHCT-TCCB", "2018-05-07"),
        "VIETTEL-CT": ("402/VTCT-KHDN", "2018-05-08"),
        "STTTT": ("905/STTTT-CNTT", "2018-04-30"),
        "SYT": ("1296/SYT-NVY", "2018-05-08"),
        "VP-UBND": ("2210/VPUB-KT", "2018-05-08"),
    },
}

# ---------------------------------------------------------------------------------------------
# 4. Workshop on draft 3
# ---------------------------------------------------------------------------------------------

WORKSHOP: dict = {
    "title": (
        "Hội thảo giới thiệu nội dung Đề án xây dựng thành phố Cần Thơ phát triển trở thành đô "
        "thị thông minh, giai đoạn 2016-2025 (dự thảo lần 3)"
    ),
    "place": "Hội trường UBND thành phố Cần Thơ, số 2 Hòa Bình, quận Ninh Kiều",
    "agenda_headings": [
        S_ARCHITECTURE,
        S_IOC,
        S_ROADMAP,
        S_REVIEW,
        S_PROJECTS,
        S_AGRI,
        S_TOURISM,
    ],
    "floor_comments": [
        {
            "department": "Q-NK",
            "guest_name": None,
            "section_heading": S_IOC,
            "body": "Đề nghị Trung tâm điều hành chuyển phản ánh hiện trường của người dân về "
            "UBND phường để xử lý ngay, có thời hạn phản hồi cụ thể và công khai kết quả trên "
            "ứng dụng.",
        },
        {
            "department": "MOBIFONE-CT",
            "guest_name": None,
            "section_heading": S_ARCHITECTURE,
            "body": "MobiFone Cần Thơ sẵn sàng chia sẻ hạ tầng trạm phát sóng và dữ liệu thống "
            "kê ẩn danh về mật độ thuê bao để phục vụ điều hành giao thông và du lịch; đề nghị "
            "Đề án quy định rõ cơ chế chia sẻ dữ liệu với doanh nghiệp.",
        },
        {
            "department": None,
            "guest_name": "Ông Trần Minh Khoa, Hội Tin học thành phố Cần Thơ",
            "section_heading": S_PROJECTS,
            "body": "Danh mục dự án nên có chỉ số đánh giá hiệu quả cho từng dự án, công bố định "
            "kỳ để người dân theo dõi, thay vì chỉ nêu kinh phí và cơ quan chủ trì.",
        },
        {
            "department": "H-VT",
            "guest_name": None,
            "section_heading": S_AGRI,
            "body": "Đề nghị bổ sung huyện Vĩnh Thạnh vào nhóm địa bàn ưu tiên lắp đặt cảm biến "
            "mực nước, vì vùng sản xuất lúa của huyện thường bị ảnh hưởng khi lũ về.",
        },
    ],
}

# ---------------------------------------------------------------------------------------------
# 5. A second consultation on the same portal: the agriculture department's plan
# ---------------------------------------------------------------------------------------------
# Led by the agriculture department with its own board; the Department of Planning and
# Investment, which leads the smart-city proposal, is one of the bodies consulted here.

AGRI_PROPOSAL = {
    "code": "KH-CDS-NN",
    "title": (
        "Kế hoạch chuyển đổi số ngành nông nghiệp thành phố Cần Thơ giai đoạn 2021-2025, "
        "định hướng đến năm 2030"
    ),
    "summary": (
        "Kế hoạch đưa dữ liệu, cảm biến và dịch vụ số vào sản xuất lúa, cây ăn trái và thủy "
        "sản của thành phố, gắn với nền tảng dùng chung của đô thị thông minh."
    ),
    "lead_agency": "SNNPTNT",
    "board_name": "Tổ biên tập Kế hoạch chuyển đổi số ngành nông nghiệp",
    "papers": {
        "parent_body": "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
        "document_symbol": "BC-TBT",
        "recipients": "Ban Giám đốc Sở (để b/c)\nCác phòng, đơn vị thuộc Sở\nLưu: VT, TBT",
        "signer_authority": "TM. TỔ BIÊN TẬP",
        "signer_title": "Tổ trưởng",
    },
    "invited": ["SKHDT", "STTTT", "STC", "SKHCN", "H-PD", "H-TL", "H-VT", "DHCT"],
}

AGRI_SECTIONS: list[tuple[int, str, str, str]] = [
    (
        1,
        "I.",
        "Mục đích, yêu cầu",
        _md(
            "Ứng dụng công nghệ số trong toàn bộ chuỗi sản xuất, chế biến và tiêu thụ nông sản "
            "của thành phố, nâng cao năng suất, chất lượng và thu nhập của nông dân.",
            "Kế thừa hạ tầng và cơ sở dữ liệu dùng chung của thành phố, không đầu tư trùng lặp.",
        ),
    ),
    (
        1,
        "II.",
        "Nhiệm vụ trọng tâm",
        "Các nhiệm vụ được triển khai theo thứ tự ưu tiên dưới đây.",
    ),
    (
        2,
        "1.",
        "Cơ sở dữ liệu nông nghiệp",
        _md(
            "Xây dựng cơ sở dữ liệu vùng trồng, mã số vùng trồng, cơ sở nuôi trồng thủy sản và "
            "hợp tác xã, cập nhật hằng quý, kết nối với nền tảng tích hợp dữ liệu của thành phố.",
            _ul(
                "Năm 2022: hoàn thành dữ liệu vùng lúa chất lượng cao;",
                "Năm 2023: dữ liệu vùng cây ăn trái và thủy sản.",
            ),
        ),
    ),
    (
        2,
        "2.",
        "Cảm biến và cảnh báo sớm",
        _md(
            "Lắp đặt trạm quan trắc mực nước, độ mặn và thời tiết tại các huyện Phong Điền, Cờ "
            "Đỏ, Thới Lai và Vĩnh Thạnh; gửi cảnh báo qua ứng dụng và tin nhắn đến hộ sản xuất.",
        ),
    ),
    (
        2,
        "3.",
        "Sàn giao dịch và truy xuất nguồn gốc",
        _md(
            "Hỗ trợ hợp tác xã đưa sản phẩm lên sàn thương mại điện tử, gắn mã truy xuất nguồn "
            "gốc cho gạo, trái cây và cá tra xuất khẩu.",
        ),
    ),
    (
        1,
        "III.",
        "Kinh phí thực hiện",
        _md(
            "Kinh phí từ ngân sách thành phố bố trí trong dự toán hằng năm của Sở Nông nghiệp và "
            "Phát triển nông thôn, lồng ghép các chương trình mục tiêu và huy động doanh nghiệp.",
            "Tổng kinh phí dự kiến: 48 tỷ đồng cho giai đoạn 2021-2025.",
        ),
    ),
    (
        1,
        "IV.",
        "Tổ chức thực hiện",
        _md(
            "Sở Nông nghiệp và Phát triển nông thôn chủ trì; Sở Thông tin và Truyền thông hướng "
            "dẫn kết nối nền tảng dùng chung; UBND các quận, huyện tổ chức triển khai tại địa bàn.",
        ),
    ),
]

# Bodies that answered on the plan's draft 1, and their comments (all submitted).
AGRI_RESPONSES: dict[str, tuple[str, str]] = {
    "SKHDT": ("1875/SKHĐT-KTN", "2021-08-12"),
    "STC": ("2014/STC-HCSN", "2021-08-13"),
    "H-VT": ("688/UBND-VP", "2021-08-11"),
}
AGRI_AGREED: list[tuple[str, str, str]] = [("SKHCN", "903/SKHCN-QLCN", "2021-08-10")]

AGRI_COMMENTS: list[dict] = [
    {
        "department": "SKHDT",
        "section_heading": "Kinh phí thực hiện",
        "kind": "change",
        "body": "Đề nghị tách kinh phí đầu tư (trạm quan trắc, hạ tầng dữ liệu) khỏi kinh phí "
        "thường xuyên và đăng ký danh mục đầu tư công trung hạn 2021-2025 để có cơ sở bố trí vốn.",
        "quote": "Tổng kinh phí dự kiến: 48 tỷ đồng cho giai đoạn 2021-2025.",
        "proposed_text": "Tổng kinh phí dự kiến: 48 tỷ đồng cho giai đoạn 2021-2025, trong đó "
        "vốn đầu tư công 31 tỷ đồng và kinh phí sự nghiệp 17 tỷ đồng.",
        "status": "accepted",
        "answer": "Tiếp thu. Dự thảo lần 2 tách hai nguồn vốn và bổ sung danh mục đăng ký đầu tư "
        "công trung hạn.",
    },
    {
        "department": "SKHDT",
        "section_heading": "Cơ sở dữ liệu nông nghiệp",
        "kind": "general",
        "body": "Cơ sở dữ liệu cần dùng chung mã định danh hợp tác xã với hệ thống đăng ký kinh "
        "doanh để tránh nhập liệu hai lần.",
        "quote": None,
        "proposed_text": None,
        "status": "under_review",
        "answer": None,
    },
    {
        "department": "STC",
        "section_heading": "Kinh phí thực hiện",
        "kind": "objection",
        "body": "Việc huy động doanh nghiệp cần nêu cơ chế cụ thể; nếu không, đề nghị không tính "
        "phần này vào tổng kinh phí.",
        "quote": None,
        "proposed_text": None,
        "status": "partly_accepted",
        "answer": "Tiếp thu một phần: phần huy động doanh nghiệp được nêu riêng, không tính vào "
        "tổng kinh phí từ ngân sách; cơ chế cụ thể sẽ ban hành theo từng dự án.",
    },
    {
        "department": "H-VT",
        "section_heading": "Cảm biến và cảnh báo sớm",
        "kind": "change",
        "body": "Đề nghị bố trí ít nhất hai trạm quan trắc mực nước tại huyện Vĩnh Thạnh, nơi đầu "
        "nguồn lũ của thành phố.",
        "quote": None,
        "proposed_text": None,
        "status": "new",
        "answer": None,
    },
]
