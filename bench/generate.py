"""Fill an empty database with a realistic consultation at national scale, in Vietnamese.

Usage: python bench/generate.py [--comments 100000] [--departments 120] [--reviewers 1200]
                                [--sections 300] [--reset]
The database comes from DATABASE_URL (SQLite or PostgreSQL). The schema is built by the real
migrations (``flask db upgrade``); ``--reset`` first empties the database (SQLite: the file;
PostgreSQL: the ``public`` schema). Prints one JSON object describing what it made.

What it makes: the drafting body and N consulted bodies (the real Cần Thơ ones first), ten
reviewers and a lead per body, a drafting team; one proposal with three drafts of S sections
each (drafts 1 and 2 superseded, draft 3 open, every body invited); on draft 3, the official
responses (most bodies comment, some agree, a few stay silent) and the comments: 70% answered,
5% quoting a passage of their section, 10% proposing a wording, 3% duplicates of an earlier
comment on the same section, 5% general comments. One section (``bench_section_id`` in the
output) has exactly 300 comments, for the section page benchmark.

Fast by construction: texts are drawn from a pool of sentences whose folded search text and
rendered HTML are computed once (checked against the app's own ``fold`` and
``render_markdown`` on a sample), and rows go in by executemany batches of SQLAlchemy Core
inserts (COPY on PostgreSQL). One million comments take a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "CanTho-2018"  # noqa: S105  (benchmark accounts, like the demo's)
DOMAIN = "bench.example.vn"
PROPOSAL_CODE = "QG-CDS"
BENCH_SECTION_POSITION = 12  # a level-2 section early in the draft
BENCH_SECTION_COMMENTS = 300
BATCH = 10_000

# ---------------------------------------------------------------------------------------------
# Vietnamese text: phrases combined into sentences, sentences into comments.


def _phrases(text: str) -> list[str]:
    """Phrases separated by "|" (written as prose, wrapped freely)."""
    return [" ".join(p.split()) for p in text.split("|")]


def _words(text: str) -> list[str]:
    return text.split()


SUBJECTS = _phrases(
    """Ban Soạn thảo|Đề án|Dự thảo|Thành phố|Các sở, ngành|Ủy ban nhân dân các quận, huyện
|Trung tâm điều hành đô thị thông minh|Nền tảng dùng chung|Cơ sở dữ liệu dùng chung
|Hệ thống camera giám sát|Cổng dịch vụ công trực tuyến|Trung tâm dữ liệu thành phố
|Doanh nghiệp viễn thông|Người dân và doanh nghiệp|Lộ trình triển khai|Nguồn vốn ngân sách
|Mô hình hợp tác công tư|Hạ tầng kết nối Internet vạn vật|Kiến trúc chính quyền điện tử
|Hệ thống quản lý văn bản|Nhóm giải pháp giao thông thông minh|Kế hoạch đào tạo nhân lực"""
)
VERBS = _phrases(
    """cần bổ sung|đề nghị làm rõ|nên xem xét lại|cần cụ thể hóa|chưa thể hiện rõ
|cần thống nhất|đề nghị điều chỉnh|nên ưu tiên|cần đánh giá kỹ|đề nghị tách riêng
|cần lồng ghép|chưa phù hợp với|nên rà soát|đề nghị bổ sung số liệu về|cần phân kỳ"""
)
OBJECTS = _phrases(
    """trách nhiệm của từng sở, ngành|kinh phí thực hiện giai đoạn 2018-2020
|tiêu chí đánh giá mức độ thông minh|cơ chế chia sẻ dữ liệu giữa các cơ quan
|phương án bảo đảm an toàn thông tin|hiện trạng hạ tầng công nghệ thông tin
|quy hoạch chung thành phố đến năm 2030|danh mục dự án ưu tiên|chỉ số hài lòng của người dân
|nhu cầu của doanh nghiệp nhỏ và vừa|khả năng tích hợp với hệ thống hiện có
|tác động đến ngân sách địa phương|vai trò của Trường Đại học Cần Thơ
|nội dung về nông nghiệp công nghệ cao|giải pháp chống ngập và quan trắc môi trường
|dịch vụ y tế và giáo dục thông minh|phát triển du lịch sinh thái miệt vườn
|chuẩn kết nối và định dạng dữ liệu|thời hạn hoàn thành từng nhiệm vụ
|cơ chế giám sát, đánh giá thực hiện"""
)
TAILS = _phrases(
    """theo quy định hiện hành|cho phù hợp với thực tiễn địa phương|trước khi trình phê duyệt
|để bảo đảm tính khả thi|trong giai đoạn tiếp theo|nhằm tránh chồng chéo, lãng phí
|cho thống nhất với Nghị quyết của Thành ủy|để các đơn vị có cơ sở triển khai
|và nêu rõ đơn vị chủ trì, đơn vị phối hợp|bảo đảm hiệu quả đầu tư"""
)
ANSWER_OPENINGS = _phrases(
    """Ban Soạn thảo tiếp thu và đã chỉnh sửa tại dự thảo
|Ban Soạn thảo xin tiếp thu một phần, vì
|Ban Soạn thảo xin giải trình như sau:|Ban Soạn thảo ghi nhận ý kiến, nội dung này
|Xin cảm ơn ý kiến của Quý cơ quan.|Ban Soạn thảo đã rà soát và"""
)
HEADING_TOPICS = _phrases(
    """Sự cần thiết xây dựng Đề án|Căn cứ pháp lý|Khái niệm đô thị thông minh
|Kinh nghiệm quốc tế|Kinh nghiệm trong nước|Hiện trạng hạ tầng công nghệ thông tin
|Hiện trạng chính quyền điện tử|Quan điểm phát triển|Tầm nhìn đến năm 2030|Mục tiêu đến năm 2025
|Kiến trúc ICT đô thị thông minh|Hạ tầng kết nối và IoT|Trung tâm dữ liệu|Cơ sở dữ liệu dùng chung
|Nền tảng tích hợp, chia sẻ dữ liệu|Trung tâm điều hành thông minh|An toàn, an ninh thông tin
|Quy hoạch đô thị thông minh|Giao thông thông minh|Môi trường và chống ngập
|Dịch vụ công trực tuyến|Doanh nghiệp thông minh|Công dân thông minh|Y tế thông minh
|Giáo dục thông minh|Du lịch thông minh|Nông nghiệp thông minh|An ninh, trật tự
|Lộ trình giai đoạn 2018-2020|Lộ trình giai đoạn 2021-2025|Nguồn vốn và cơ chế tài chính
|Giải pháp về cơ chế, chính sách|Giải pháp về nguồn nhân lực|Hợp tác với doanh nghiệp
|Tổ chức thực hiện|Trách nhiệm của các sở, ngành|Trách nhiệm của UBND quận, huyện"""
)
PLACES = _phrases(
    """An Bình|Hưng Lợi|Xuân Khánh|Tân An|Thới Bình|An Hòa|Cái Khế|An Khánh|Bùi Hữu Nghĩa
|Long Hòa|Long Tuyền|Trà An|Trà Nóc|Thới An Đông|Lê Bình|Thường Thạnh|Phú Thứ|Hưng Phú
|Châu Văn Liêm|Thới Hòa|Thới Long|Phước Thới|Trường Lạc|Thuận Hưng|Trung Kiên|Tân Lộc
|Nhơn Ái|Giai Xuân|Tân Thới|Trường Long|Mỹ Khánh|Thạnh Phú|Trung An|Đông Thắng|Thới Xuân
|Định Môn|Trường Thành|Xuân Thắng|Vĩnh Trinh|Thạnh Quới|Thạnh An|Thạnh Lộc"""
)
FAMILY = _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý")
MIDDLE = _words("Văn Thị Minh Ngọc Thanh Quốc Thu Hữu Kim Đức")
GIVEN = _words("An Bình Châu Dũng Giang Hà Hải Hạnh Hùng Khoa Lan Long Mai Nam Phúc Quân Tâm Thảo")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    folded: str


class TextPool:
    """Sentences and paragraphs whose search text and HTML are computed once."""

    def __init__(self, rng: random.Random, size: int = 4000) -> None:
        from consult.textsearch import fold

        self.rng = rng
        seen: dict[str, Sentence] = {}
        while len(seen) < size:
            text = " ".join(
                [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
            )
            text = text[0].upper() + text[1:] + "."
            seen.setdefault(text, Sentence(text, fold(text)))
        self.sentences = list(seen.values())
        self.answers = [
            Sentence(f"{rng.choice(ANSWER_OPENINGS)} {s.text[0].lower()}{s.text[1:]}", "")
            for s in self.sentences[:800]
        ]

    def paragraphs(self, n_sentences: int) -> list[list[Sentence]]:
        picked = [self.rng.choice(self.sentences) for _ in range(n_sentences)]
        if n_sentences >= 4 and self.rng.random() < 0.5:
            cut = self.rng.randint(2, n_sentences - 1)
            return [picked[:cut], picked[cut:]]
        return [picked]

    @staticmethod
    def markdown(paragraphs: list[list[Sentence]]) -> str:
        return "\n\n".join(" ".join(s.text for s in p) for p in paragraphs)

    @staticmethod
    def html(paragraphs: list[list[Sentence]]) -> str:
        # What render_markdown makes of plain paragraphs (checked in check_fast_paths).
        return "".join(
            f"<p>{escape(' '.join(s.text for s in p), quote=False)}</p>\n" for p in paragraphs
        )

    @staticmethod
    def folded(paragraphs: list[list[Sentence]]) -> str:
        return " ".join(s.folded for p in paragraphs for s in p)


def check_fast_paths(samples: list[tuple[str, str, str]]) -> None:
    """The precomputed HTML and search text must be what the app itself would store."""
    from consult.markup import render_markdown
    from consult.textsearch import fold

    for markdown, html, search_text in samples:
        assert str(render_markdown(markdown)) == html, (markdown, html)
        assert fold(markdown) == search_text, (markdown, search_text)


# ---------------------------------------------------------------------------------------------
# The database


def reset_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _naive(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


class Loader:
    """Bulk rows into tables: Core executemany batches, or COPY on PostgreSQL."""

    def __init__(self, connection) -> None:
        self.conn = connection
        self.postgres = connection.dialect.name == "postgresql"

    def insert(self, table, rows: list[dict]) -> None:
        for start in range(0, len(rows), BATCH):
            self.conn.execute(table.insert(), rows[start : start + BATCH])

    def stream(self, table, columns: list[str], rows: Iterator[tuple]) -> int:
        """Rows as tuples of plain values (naive UTC datetimes, enum values as strings)."""
        n = 0
        if self.postgres:
            raw = self.conn.connection.dbapi_connection
            with (
                raw.cursor() as cur,
                cur.copy(
                    f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
        cursor = self.conn.connection.dbapi_connection.cursor()
        batch: list[tuple] = []
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
        return n

    def fix_sequences(self, tables) -> None:
        if not self.postgres:
            return
        import sqlalchemy as sa

        for table in tables:
            self.conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _sqlite_value(value):
    # SQLAlchemy's SQLite DateTime storage format, so the app reads these rows back as its own.
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


# ---------------------------------------------------------------------------------------------
# Generation


def department_specs(n: int) -> list[tuple[str, str, str]]:
    from consult.demo import content

    specs = [(code, name, kind) for code, name, kind, _email in content.DEPARTMENTS][:n]
    i = 0
    while len(specs) < n:
        place = PLACES[i % len(PLACES)]
        round_ = i // len(PLACES)
        ward = "phường" if i % 3 else "xã"
        name = f"UBND {ward} {place}" + (f" ({round_ + 1})" if round_ else "")
        specs.append((f"P-{i + 1:04d}", name, "district"))
        i += 1
    return specs


def outline(n: int, rng: random.Random) -> list[tuple[int, str, str]]:
    """(level, number, heading) for n sections: chapters, then sections and subsections."""
    chapters = 9
    result: list[tuple[int, str, str]] = []
    per_chapter = [n // chapters + (1 if c < n % chapters else 0) for c in range(chapters)]
    topic = 0
    for c, size in enumerate(per_chapter, start=1):
        result.append((1, f"{c}.", HEADING_TOPICS[topic % len(HEADING_TOPICS)].upper()))
        topic += 1
        sub, subsub = 0, 0
        for _ in range(size - 1):
            if sub == 0 or rng.random() < 0.45:
                sub += 1
                subsub = 0
                result.append((2, f"{c}.{sub}.", HEADING_TOPICS[topic % len(HEADING_TOPICS)]))
            else:
                subsub += 1
                name = HEADING_TOPICS[topic % len(HEADING_TOPICS)]
                result.append((3, f"{c}.{sub}.{subsub}.", f"{name} (nội dung {subsub})"))
            topic += 1
    return result[:n]


@dataclass
class GeneratedSection:
    level: int
    number: str
    heading: str
    body: str


def section_texts(
    n: int, pool: TextPool, rng: random.Random
) -> list[tuple[GeneratedSection, list]]:
    """Each section with the sentences of its body (comments quote them)."""
    sections = []
    for level, number, heading in outline(n, rng):
        paragraphs = [pool.paragraphs(rng.randint(2, 4)) for _ in range(rng.randint(2, 5))]
        paragraphs = [p for ps in paragraphs for p in ps]
        body = TextPool.markdown(paragraphs)
        sections.append((GeneratedSection(level, number, heading, body), paragraphs))
    return sections


def generate(
    url: str,
    *,
    comments: int = 100_000,
    departments: int = 120,
    reviewers: int = 1200,
    sections: int = 300,
    seed: int = 2018,
) -> dict:
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from consult import create_app
    from consult.config import Config
    from consult.extensions import db
    from consult.markup import render_markdown
    from consult.models import (
        Comment,
        Department,
        DepartmentResponse,
        Draft,
        DraftInvitation,
        Proposal,
        ProposalMember,
        Section,
        User,
    )
    from consult.textsearch import fold

    class BenchConfig(Config):
        # Config read DATABASE_URL when it was imported: name the database explicitly.
        SQLALCHEMY_DATABASE_URI = url

    started = time.perf_counter()
    rng = random.Random(seed)
    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        if db.session.execute(db.select(Department.id).limit(1)).first():
            raise SystemExit("The database is not empty: pass --reset to start afresh.")
    migrated = time.perf_counter()

    pool = TextPool(rng)
    now = datetime.now(UTC).replace(microsecond=0)
    opened = now - timedelta(days=30)
    closes = now + timedelta(days=30)

    # -- departments and accounts --------------------------------------------------------
    dept_rows = [
        {
            "id": 1,
            "code": "BST",
            "name": "Ban Soạn thảo Đề án chuyển đổi số quốc gia",
            "kind": "other",
            "email": f"bst@{DOMAIN}",
            "is_active": True,
            "created_at": opened,
            "updated_at": opened,
        }
    ]
    for i, (code, name, kind) in enumerate(department_specs(departments), start=2):
        dept_rows.append(
            {
                "id": i,
                "code": code,
                "name": name,
                "kind": kind,
                "email": f"vanthu.{code.lower()}@{DOMAIN}",
                "is_active": True,
                "created_at": opened,
                "updated_at": opened,
            }
        )
    consulted = [d["id"] for d in dept_rows[1:]]

    with app.app_context():
        password_hash = generate_password_hash(PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
    user_rows: list[dict] = []

    def person() -> str:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def add_user(email: str, role: str, department_id: int) -> int:
        user_rows.append(
            {
                "id": len(user_rows) + 1,
                "email": email,
                "full_name": person(),
                "password_hash": password_hash,
                "role": role,
                "department_id": department_id,
                "locale": "vi",
                "is_active": True,
                "created_at": opened,
                "updated_at": opened,
            }
        )
        return len(user_rows)

    add_user(f"quantri@{DOMAIN}", "admin", 1)
    drafting = [add_user(f"bst{i}@{DOMAIN}", "reviewer", 1) for i in range(1, 11)]
    organizer = add_user(f"hoithao@{DOMAIN}", "reviewer", 1)
    authors: dict[int, list[int]] = {}
    leads: dict[int, int] = {}
    for i, d in enumerate(dept_rows[1:]):
        code = d["code"].lower()
        count = max(reviewers // departments + (1 if i < reviewers % departments else 0), 1)
        authors[d["id"]] = [
            add_user(f"chuyenvien{k}.{code}@{DOMAIN}", "reviewer", d["id"])
            for k in range(1, count + 1)
        ]
        leads[d["id"]] = add_user(f"lanhdao.{code}@{DOMAIN}", "lead", d["id"])

    # -- the proposal, three drafts of the same sections ---------------------------------
    texts = section_texts(sections, pool, rng)
    keys = [secrets.token_hex(8) for _ in texts]
    proposal_row = {
        "id": 1,
        "code": PROPOSAL_CODE,
        "title": "Đề án chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030",
        "summary": "Dự thảo đề án lấy ý kiến rộng rãi các bộ, ngành và địa phương.",
        "place": "Hà Nội",
        "visibility": "internal",
        "created_by_id": drafting[0],
        "lead_agency_id": 1,
        "board_name": "Ban Soạn thảo Đề án chuyển đổi số quốc gia",
        "created_at": opened - timedelta(days=120),
        "updated_at": opened,
    }
    draft_rows, section_rows = [], []
    for number in (1, 2, 3):
        published = opened - timedelta(days=40 * (3 - number))
        is_last = number == 3
        draft_rows.append(
            {
                "id": number,
                "proposal_id": 1,
                "number": number,
                "status": "open" if is_last else "superseded",
                "change_note": "" if number == 1 else f"Dự thảo lần {number}",
                "opens_at": published,
                "closes_at": closes if is_last else published + timedelta(days=30),
                "published_at": published,
                "closed_at": None if is_last else published + timedelta(days=30),
                "departments_see_each_other": False,
                "silence_counts_as_agreement": False,
                "created_at": published - timedelta(days=5),
                "updated_at": published,
            }
        )
        for position, ((section, _paragraphs), key) in enumerate(zip(texts, keys, strict=True)):
            section_rows.append(
                {
                    "id": len(section_rows) + 1,
                    "draft_id": number,
                    "key": key,
                    "position": position,
                    "level": section.level,
                    "number": section.number,
                    "heading": section.heading,
                    "body": section.body,
                    "body_html": str(render_markdown(section.body, anchor_prefix=f"s-{key}")),
                    "created_at": published,
                    "updated_at": published,
                }
            )
    draft3_sections = [r["id"] for r in section_rows if r["draft_id"] == 3]
    bench_section = draft3_sections[BENCH_SECTION_POSITION]

    # -- invitations and official responses on draft 3 ------------------------------------
    invitation_rows = [
        {"id": i, "draft_id": 3, "department_id": d, "created_at": opened}
        for i, d in enumerate(consulted, start=1)
    ]
    shuffled = consulted[:]
    rng.shuffle(shuffled)
    n_agree = max(len(consulted) // 10, 1)
    n_silent = max(len(consulted) // 15, 1)
    agreeing = shuffled[:n_agree]
    commenting = shuffled[n_agree + n_silent :] or shuffled[:1]
    response_rows, response_of, response_time = [], {}, {}
    for department_id in agreeing + commenting:
        rid = len(response_rows) + 1
        at = opened + timedelta(days=rng.randint(5, 28), minutes=rng.randint(0, 600))
        response_rows.append(
            {
                "id": rid,
                "draft_id": 3,
                "department_id": department_id,
                "sequence": 1,
                "kind": "agree" if department_id in agreeing else "comments",
                "submitted_by_id": leads[department_id],
                "submitted_at": at,
                "letter_number": f"{rng.randint(10, 999)}/{rng.choice(['SKHĐT', 'UBND', 'STC'])}",
                "letter_date": at.date(),
                "note": "",
            }
        )
        response_of[department_id] = rid
        response_time[department_id] = at

    with app.app_context():
        engine = db.engine
    samples = []
    with engine.begin() as conn:
        loader = Loader(conn)
        loader.insert(Department.__table__, dept_rows)
        loader.insert(User.__table__, user_rows)
        loader.insert(Proposal.__table__, [proposal_row])
        # The drafting team is the proposal's board (the first one chairs it).
        loader.insert(
            ProposalMember.__table__,
            [
                {"proposal_id": 1, "user_id": uid, "seat": "chair" if n == 0 else "member",
                 "added_at": opened}
                for n, uid in enumerate(drafting)
            ]
            + [{"proposal_id": 1, "user_id": organizer, "seat": "organizer", "added_at": opened}],
        )  # fmt: skip
        loader.insert(Draft.__table__, draft_rows)
        loader.insert(Section.__table__, section_rows)
        loader.insert(DraftInvitation.__table__, invitation_rows)
        loader.insert(DepartmentResponse.__table__, response_rows)

        # -- the comments, streamed -----------------------------------------------------------
        columns = [
            "id", "draft_id", "section_id", "department_id", "author_id", "submitted_at",
            "response_id", "kind", "body", "body_html", "quote", "proposed_text", "source",
            "search_text", "status", "answer", "answer_html", "answered_at", "answered_by_id",
            "assignee_id", "duplicate_of_id", "version", "created_at", "updated_at",
        ]  # fmt: skip
        other_sections = [s for s in draft3_sections if s != bench_section]
        weights = [rng.paretovariate(1.5) for _ in other_sections]
        section_paragraphs = {
            sid: paragraphs for sid, (_s, paragraphs) in zip(draft3_sections, texts, strict=True)
        }
        kinds = ["general", "change", "change", "question", "objection", "editorial"]
        finals = ["accepted", "accepted", "partly_accepted", "not_accepted", "noted"]
        recent: dict[int | None, list[tuple[int, str, str, str]]] = {}

        def comment_rows() -> Iterator[tuple]:
            span = (closes - timedelta(days=29) - opened).total_seconds()
            for cid in range(1, comments + 1):
                if cid <= min(BENCH_SECTION_COMMENTS, comments):
                    section_id = bench_section
                elif rng.random() < 0.05:
                    section_id = None
                else:
                    section_id = rng.choices(other_sections, weights)[0]
                department = rng.choice(commenting)
                submitted = response_time[department]
                created = opened + timedelta(seconds=rng.random() * span)
                created = min(created, submitted - timedelta(minutes=5))
                earlier = recent.get(section_id)
                duplicate_of = None
                if earlier and rng.random() < 0.03:
                    duplicate_of, body, body_html, folded = rng.choice(earlier)
                else:
                    paragraphs = pool.paragraphs(rng.randint(2, 6))
                    body = TextPool.markdown(paragraphs)
                    body_html = TextPool.html(paragraphs)
                    folded = TextPool.folded(paragraphs)
                    if len(samples) < 200:
                        samples.append((body, body_html, folded))
                quote = proposed = None
                if section_id is not None and rng.random() < 0.05:
                    quote = rng.choice(rng.choice(section_paragraphs[section_id])).text
                if rng.random() < 0.10:
                    proposed = rng.choice(pool.sentences).text
                search_text = " ".join(
                    filter(None, [folded, quote and fold(quote), proposed and fold(proposed)])
                )
                status, answer, answer_html, answered_at, answered_by = (
                    "new",
                    None,
                    None,
                    None,
                    None,
                )
                roll = rng.random()
                if duplicate_of is not None:
                    status = "under_review"  # a duplicate's own status is not used
                elif roll < 0.70 / 0.97:
                    status = rng.choice(finals)
                    answer = rng.choice(pool.answers).text
                    answer_html = f"<p>{escape(answer, quote=False)}</p>\n"
                    answered_by = rng.choice(drafting)
                    answered_at = submitted + timedelta(hours=rng.randint(1, 24 * 25))
                elif roll < 0.85:
                    status = "under_review"
                assignee = rng.choice(drafting) if status != "new" and rng.random() < 0.6 else None
                if duplicate_of is None and len(recent.setdefault(section_id, [])) < 50:
                    recent[section_id].append((cid, body, body_html, folded))
                yield (
                    cid, 3, section_id, department, rng.choice(authors[department]),
                    _naive(submitted), response_of[department], rng.choice(kinds), body,
                    body_html, quote, proposed, "online", search_text, status, answer,
                    answer_html, _naive(answered_at), answered_by, assignee, duplicate_of,
                    1, _naive(created), _naive(answered_at or submitted),
                )  # fmt: skip

        loaded = time.perf_counter()
        n = loader.stream(Comment.__table__, columns, comment_rows())
        comments_s = time.perf_counter() - loaded
        loader.fix_sequences(
            [
                Department.__table__,
                User.__table__,
                Proposal.__table__,
                Draft.__table__,
                Section.__table__,
                DraftInvitation.__table__,
                DepartmentResponse.__table__,
                Comment.__table__,
            ]
        )
    check_fast_paths(samples)
    if engine.dialect.name == "postgresql":
        # What autovacuum would do shortly after a bulk load.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return {
        "database": engine.dialect.name,
        "departments": departments,
        "users": len(user_rows),
        "sections_per_draft": sections,
        "comments": n,
        "bench_proposal": PROPOSAL_CODE,
        "bench_draft": 3,
        "bench_section_id": bench_section,
        "bench_user": f"bst1@{DOMAIN}",
        "migrate_s": round(migrated - started, 1),
        "comments_s": round(comments_s, 1),
        "total_s": round(time.perf_counter() - started, 1),
    }


def draft_docx(n_sections: int = 300, seed: int = 7) -> bytes:
    """A .docx draft of ``n_sections`` sections, as the drafting team would upload it."""
    from consult.documents.exporter import export_docx

    rng = random.Random(seed)
    sections = [s for s, _p in section_texts(n_sections, TextPool(rng, 1000), rng)]
    return export_docx("Đề án chuyển đổi số quốc gia (dự thảo lần 4)", sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=120)
    parser.add_argument("--reviewers", type=int, default=1200)
    parser.add_argument("--sections", type=int, default=300)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Set DATABASE_URL (sqlite:////path/bench.db or postgresql://...).")
    from consult.config import normalise_database_url

    url = normalise_database_url(url)
    os.environ.setdefault("SECRET_KEY", "bench")
    if args.reset:
        reset_database(url)
    figures = generate(
        url,
        comments=args.comments,
        departments=args.departments,
        reviewers=args.reviewers,
        sections=args.sections,
    )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
