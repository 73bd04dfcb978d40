"""Benchmark: the triage inbox and a diacritics-insensitive search on N generated comments.

Usage: python bench/triage_inbox.py [--comments 20000]
Builds a throw-away SQLite database (or DATABASE_URL), loads the demo, adds N submitted
comments in Vietnamese to draft 3, then times the inbox pages through the app (as a
signed-in drafting team member) and prints one JSON object of figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = """
đề nghị bổ sung làm rõ quy hoạch đô thị thông minh trung tâm dữ liệu an toàn thông tin
giao thông camera giám sát nông nghiệp du lịch y tế giáo dục lộ trình kinh phí ngân sách
xã hội hóa hạ tầng kết nối nền tảng dùng chung chính quyền số dịch vụ công trực tuyến
phân công trách nhiệm sở ngành quận huyện doanh nghiệp viễn thông cơ sở dữ liệu
""".split()  # noqa: SIM905  (prose reads better than a list of syllables)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.db")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DATA_DIR", f"{tmp}/data")

    from flask_migrate import upgrade

    from consult import create_app
    from consult.demo.seed import DEMO_PASSWORD, seed_demo
    from consult.extensions import db
    from consult.models import Comment, CommentKind, CommentStatus, Proposal, Role, User
    from consult.textsearch import fold

    app = create_app()
    with app.app_context():
        upgrade()
        seed_demo()
        draft = Proposal.by_code("DTTM-CT").drafts[2]
        responses = db.session.execute(
            db.text("SELECT id, department_id, submitted_by_id FROM department_responses "
                    "WHERE draft_id = :d AND kind = 'comments'"), {"d": draft.id}
        ).all()  # fmt: skip
        sections = [s.id for s in draft.sections]
        rng = random.Random(42)
        rows = []
        for _ in range(args.comments):
            rid, dept, author = rng.choice(responses)
            body = sentence(rng, rng.randint(12, 40))
            rows.append({
                "draft_id": draft.id, "section_id": rng.choice(sections), "department_id": dept,
                "author_id": author, "response_id": rid,
                "kind": rng.choice(list(CommentKind)).value,
                "body": body, "body_html": f"<p>{body}</p>", "search_text": fold(body),
                "status": rng.choice(list(CommentStatus)[:6]).value, "source": "online",
                "version": 1,
            })  # fmt: skip
        start = time.perf_counter()
        db.session.execute(Comment.__table__.insert(), rows)
        db.session.commit()
        load_s = time.perf_counter() - start
        member = db.session.scalar(db.select(User).where(User.role == Role.DRAFTING))
        email = member.email
        one_comment = db.session.scalar(
            db.select(Comment.id).where(Comment.draft_id == draft.id).order_by(Comment.id.desc())
        )

    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in without a browser form
    client = app.test_client()
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    base = "/proposals/DTTM-CT/drafts/3/inbox"

    def timed(url: str) -> list[float]:
        client.get(url)  # warm up
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            status = client.get(url).status_code
            assert status == 200, (url, status)
            samples.append((time.perf_counter() - t) * 1000)
        return samples

    figures = {"comments": args.comments, "load_s": round(load_s, 2)}
    for name, url in {
        "inbox": base,
        "inbox_filtered": f"{base}?status=new&answered=no&sort=newest",
        "inbox_search_without_diacritics": f"{base}?q=quy+hoach+do+thi",
        "inbox_search_with_diacritics": f"{base}?q=quy+hoạch+đô+thị",
        "triage_page_with_similar_comments": f"/comments/{one_comment}/triage",
    }.items():
        samples = sorted(timed(url))
        figures[f"{name}_p50_ms"] = round(statistics.median(samples), 1)
        figures[f"{name}_p95_ms"] = round(samples[int(0.95 * (len(samples) - 1))], 1)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
