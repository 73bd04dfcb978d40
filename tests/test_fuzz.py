"""Every form, fuzzed: random, huge, empty and nonsense values never give a 500, and a
rejected form changes nothing in the database.

The forms are not listed by hand: every page of the app is opened as each role, every
``<form method="post">`` found there is read (its fields, their kinds and choices), and each
one is posted again and again with values drawn by Hypothesis, signed in as the role whose
page showed it. A POST route that no page shows makes the test fail, so a new form is fuzzed
as soon as it exists.

Examples per form: HYPOTHESIS_PROFILE=thorough for a long run (see conftest.py).
"""

from __future__ import annotations

import io
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import url_for
from hypothesis import given
from hypothesis import strategies as st

from consult.extensions import db
from consult.models import (
    Attachment,
    CommentKind,
    CommentStatus,
    Role,
    SignInFailures,
    Workshop,
)
from consult.models.base import utcnow
from consult.services import comments as comment_service
from consult.services import drafts as draft_service
from consult.services import triage as triage_service
from tests.conftest import PASSWORD, login

# Tables whose rows a refused request may legitimately add or touch: its own trace (a
# session's last-seen time is written at most once a minute, whatever the request).
LOGGING_TABLES = {"audit_events", "sign_in_failures", "user_sessions"}

# POST routes no page shows as a form, and why.
NOT_ON_A_PAGE: dict[str, str] = {
    # Shown only after a file was uploaded and previewed (tests/test_drafts.py posts it).
    "drafts.confirm_import": "preview step of an upload",
    # Shown only before the workshop's day; the fuzzed world's workshop is under way
    # (tests/test_workshops.py posts it).
    "workshops.set_early_recording": "a workshop still to come",
    # Shown only once a marked-up Word file was read by a job (tests/test_word.py posts it).
    "comments.word_preview": "preview step of a Word upload",
    # Shown only on the redline a preview returns (tests/test_consolidation.py posts it).
    "consolidation.apply_change": "redline of a previewed change",
    # The JSON API takes JSON, not forms: tests/test_api_fuzz.py runs Schemathesis on it.
    "api.create_comment": "JSON API",
    "api.submit_response": "JSON API",
}

# Forms that change who is signed in or the language: fuzzed last.
LAST = ("auth.logout", "main.set_language", "auth.login")

NASTY = [
    "", " ", "\x00", "\x00abc", "0", "-1", "2147483648", "99999999999999999999", "1e309", "NaN",
    "None", "null", "true", "<script>alert(1)</script>", "' OR '1'='1' --", "%s%s%n", "{{7*7}}",
    "../../etc/passwd", "²", "١٢٣", "\u202egnp.exe", "\ufeff", "a\r\nb", "🙂" * 30, "\t\n",
    "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30", "2030-05-01T08:00", "2030-05-01",
    "31/12/2018", "31/02/2027 08:00", "31/12/2026 25:00", "٣١/١٢/٢٠٢٦", "x@y", "a" * 256,
    *map(str, (2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 922337203685477580)),
    "/\r\nX-Injected: 1", "//evil.example/", "https://evil.example/",
]  # fmt: skip
# Numbers at the edges of 32- and 64-bit integers, and the addresses a probe tries in ``next``.
EDGES = [
    "-1", "2147483648", "9223372036854775808", "922337203685477580", "18446744073709551616",
    "/\r\nX-Injected: 1",
]  # fmt: skip
# Every name a view reads from the query string or the form outside a WTForms form, and how it
# is covered: URL parameters are sent at the EDGES to every page; form fields are posted by
# test_every_form_survives_fuzzing with the form they belong to.
URL_PARAMETERS = {
    "page", "after", "next", "q", "section", "department", "kind", "status", "source",
    "assignee", "answered", "sort", "from", "to", "start", "end", "action", "user", "role",
    "present", "all", "change_note", "tracked", "body", "since", "cursor", "limit",
}  # fmt: skip
FORM_FIELDS = {
    "comment_id", "duplicate_id", "session_id", "token_id", "direction", "department_id",
    "allowed",
}  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.sampled_from([300, 5_000, 60_000]).map(lambda n: "Ở" * n),
)
FILE_STARTS = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"MZ", b"<html>"]


class _Forms(HTMLParser):
    """The forms of a page: action, method and fields (name, kind, choices, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").upper()
            self._form = {"action": a.get("action") or "", "method": method, "fields": {}}
            self.forms.append(self._form)
            return
        if self._form is not None and a.get("formaction"):
            # A button that posts the same fields elsewhere (the language switch).
            self._form.setdefault("formactions", []).append(a["formaction"])
        if self._form is None or not a.get("name") or a["name"] == "csrf_token":
            if tag == "option" and self._select is not None:
                self._select["choices"].append(a.get("value", ""))
            return
        name = a["name"]
        fields = self._form["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            field = fields.setdefault(name, {"kind": kind, "choices": [], "value": ""})
            if kind in ("checkbox", "radio"):
                field["choices"].append(a.get("value", "y"))
            else:
                field["value"] = a.get("value", "")
            if "multiple" in a:
                field["multiple"] = True
        elif tag == "textarea":
            fields[name] = {"kind": "textarea", "choices": [], "value": ""}
        elif tag == "select":
            self._select = fields[name] = {
                "kind": "select",
                "choices": [],
                "value": "",
                "multiple": "multiple" in a,
            }

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _value(field: dict):
    kind, choices = field["kind"], field["choices"]
    if kind == "file":
        one = st.tuples(st.sampled_from(FILE_STARTS), st.binary(max_size=300), TEXT).map(
            lambda t: (io.BytesIO(t[0] + t[1]), t[2][:200] or "f")
        )
        return st.lists(one, max_size=3)
    if choices:
        pick = st.one_of(st.sampled_from(choices), TEXT)
        if field.get("multiple") or kind == "checkbox":
            return st.lists(pick, max_size=4)
        return pick
    return st.one_of(st.just(field["value"]), TEXT)


def _form_data(fields: dict):
    """Each field: left out, or a value of its kind."""
    return st.fixed_dictionaries({}, optional={name: _value(f) for name, f in fields.items()})


def _snapshot() -> dict:
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in LOGGING_TABLES:
            continue
        rows = db.session.execute(table.select()).all()
        state[table.name] = sorted(repr(tuple(r)) for r in rows)
    db.session.rollback()
    return state


def _world(consultation, make_user, make_department, make_proposal):
    """Something for every form to act on: a draft open for comments with comments in every
    state, a draft in preparation, a workshop, and one person per role."""
    c = consultation
    p = c.people
    sections = c.draft.sections
    # Proposed wordings on sections 1 and 3, so that draft 2's consolidation page offers its
    # forms (apply, preview, apply all, and undo of the one applied below).
    wordings = {1: ("đô thị thông minh", "đô thị thông minh, bền vững"),
                3: ("toàn thành phố", "toàn bộ thành phố")}  # fmt: skip
    submitted = [
        comment_service.create_comment(
            c.draft,
            sections[i],
            p.reviewer,
            kind=CommentKind.CHANGE,
            body=f"Góp ý số {i}.",
            quote=wordings.get(i, (None, None))[0],
            proposed_text=wordings.get(i, (None, ""))[1],
        )  # fmt: skip
        for i in (1, 2, 3)
    ]
    db.session.commit()
    comment_service.submit_response(c.draft, p.lead)
    db.session.commit()
    triage_service.mark_duplicates(submitted[0], [submitted[1]], p.drafting)
    for i in (1, 2):
        draft_comment = comment_service.create_comment(
            c.draft, sections[i], p.other_reviewer, kind=CommentKind.GENERAL, body="Dự thảo."
        )
    db.session.add(
        Attachment(
            comment=draft_comment,
            stored_name="0" * 32,
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=p.other_reviewer,
        )  # fmt: skip
    )
    workshop = Workshop(
        draft=c.draft, organizer=p.organizer, title="Hội thảo", starts_at=c.draft.opens_at,
        place="UBND",
    )  # fmt: skip
    db.session.add(workshop)
    db.session.commit()
    from consult.services import workshops as workshop_service

    workshop_service.add_guest(workshop, "Khách", "Trường Đại học Cần Thơ")
    for comment in (submitted[0], submitted[2]):
        triage_service.answer_comment(
            comment, p.drafting, status=CommentStatus.ACCEPTED, answer="Tiếp thu."
        )
    draft2 = draft_service.start_next_draft(c.proposal)
    from consult.services import consolidation

    consolidation.apply_all(draft2, p.drafting, section=draft2.sections[1])
    # A department that has written nothing yet (its lead sees "agree with the draft"), an
    # account locked by failed sign-ins, a proposal ready for its next draft.
    quiet = make_department(code="SYT", name="Sở Y tế")
    comment_service.invite_departments(c.draft, [c.stttt, c.sxd, quiet])
    c.quiet_lead = make_user(Role.LEAD, department=quiet)
    c.locked = make_user(Role.REVIEWER, department=c.sxd)
    db.session.add(
        SignInFailures(
            email=c.locked.email, failures=5, window_started_at=utcnow(),
            locked_until=utcnow() + timedelta(minutes=15),
        )
    )  # fmt: skip
    c.second = make_proposal(code="DA-2")
    # The drafting member's exports: one waiting (its page offers Cancel), one failed (Retry).
    from consult.models import Job, JobState

    c.jobs = [
        Job(kind="report", params={"draft_id": c.draft.id, "fmt": "csv"}, requested_by=p.drafting,
            state=state, error="Lỗi." if state is JobState.FAILED else None)
        for state in (JobState.QUEUED, JobState.FAILED)
    ]  # fmt: skip
    db.session.add_all(c.jobs)
    # An API token of the administrator's: the tokens page offers to revoke it.
    from consult.models import ApiScope
    from consult.services import api_tokens

    api_tokens.create(p.admin, name="Cổng dữ liệu", scope=ApiScope.READ)
    db.session.commit()
    # The administrator is signed in elsewhere too: their sessions page offers to end it.
    from flask import current_app

    elsewhere = current_app.test_client()
    elsewhere.post("/login", data={"email": p.admin.email, "password": PASSWORD})
    c.workshop, c.draft_comment, c.submitted = workshop, draft_comment, submitted
    return c


def _values(c) -> dict:
    draft2 = c.proposal.drafts[1]
    return {
        "code": c.proposal.code,
        "number": 1,
        "section_id": c.draft.sections[1].id,
        "key": c.draft.sections[1].key,
        "comment_id": c.draft_comment.id,
        "workshop_id": c.workshop.id,
        "department_id": c.sxd.id,
        "user_id": c.locked.id,
        "response_id": 1,
        "attachment_id": 1,
        "job_id": c.jobs[0].id,
        "token": "no-such-preview",
        "_draft2": draft2,
    }


def _pages(app, c) -> list[str]:
    """Every page (GET route) with values for its arguments; downloads left out."""
    values = _values(c)
    draft2 = values.pop("_draft2")
    pages = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            if {"fmt", "filename", "kind"} & rule.arguments or "attachment" in rule.endpoint:
                continue
            args = {a: values[a] for a in rule.arguments}
            pages.append(url_for(rule.endpoint, **args))
            if "number" in rule.arguments:
                pages.append(url_for(rule.endpoint, **{**args, "number": 2}))
                if "section_id" in rule.arguments:
                    pages.append(
                        url_for(rule.endpoint, **{**args, "number": 2,
                                                  "section_id": draft2.sections[0].id})
                    )  # fmt: skip
            if "comment_id" in rule.arguments:
                for other in c.submitted:
                    pages.append(url_for(rule.endpoint, **{**args, "comment_id": other.id}))
    pages.append(url_for("drafts.view_proposal", code=c.second.code))
    pages.append(url_for("jobs.view_job", job_id=c.jobs[1].id))
    return sorted(set(pages))


def _discover(app, client, c) -> dict[str, tuple]:
    """endpoint -> (user, url, fields) for every POST form shown on some page."""
    adapter = app.url_map.bind("localhost")
    p = c.people
    found: dict[str, tuple] = {}
    pages = _pages(app, c)
    values = _values(c)
    # The narrowest role first: a form shown to several roles is fuzzed as the one it is for.
    people = (p.other_lead, c.quiet_lead, p.other_reviewer, p.organizer, p.drafting, p.admin)
    for user in (*people, None):
        if user is None:
            client.post("/logout")
        else:
            login(client, user)
        for page in pages:
            response = client.get(page)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for form, target in (
                # A form whose buttons carry formaction posts only there.
                (f, t)
                for f in parser.forms
                for t in f.get("formactions") or [f["action"]]
            ):
                action = urlsplit(target or page)
                method = form["method"]
                try:
                    endpoint, args = adapter.match(action.path, method=method)
                except Exception:  # noqa: S112  (a GET-only page that posts elsewhere)
                    continue
                if method == "GET":
                    endpoint = f"{endpoint} (search)"
                url = action.path + (f"?{action.query}" if action.query else "")
                # A list page shows one button per row: fuzz the one for the world's own
                # target object (not, say, the deactivation of a person signing in here).
                rank = (len(form["fields"]), sum(values.get(k) == v for k, v in args.items()))
                if endpoint not in found or rank > found[endpoint][0]:
                    found[endpoint] = (rank, (user, url, form["fields"]))
    return {endpoint: form for endpoint, (_rank, form) in found.items()}


def test_every_form_survives_fuzzing(
    app, client, consultation, make_user, make_department, make_proposal
):
    c = _world(consultation, make_user, make_department, make_proposal)
    forms = _discover(app, client, c)

    post_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    missing = post_endpoints - forms.keys() - NOT_ON_A_PAGE.keys()
    assert not missing, f"POST routes that no page shows as a form: {sorted(missing)}"

    assert len([e for e in forms if e.endswith("(search)")]) >= 5  # the filters of the lists
    order = sorted(forms, key=lambda e: (e in LAST, LAST.index(e) if e in LAST else 0, e))
    for endpoint in order:
        user, url, fields = forms[endpoint]
        try:
            _fuzzer(client, endpoint, user, url, fields)()
        except Exception as exc:
            exc.add_note(f"while fuzzing {endpoint} at {url} as {user}")
            raise


def _fuzzer(client, endpoint, user, url, fields):
    multipart = any(f["kind"] == "file" for f in fields.values())

    signed_in = [False]

    @given(data=_form_data(fields))
    def post(data):
        if user is not None and not signed_in[0]:
            login(client, user)
            signed_in[0] = True
        with client.session_transaction() as session:
            session.pop("_flashes", None)
        before = _snapshot()
        if endpoint.endswith("(search)"):
            # A search or filter: never a 500, never a change.
            response = client.get(url, query_string=data)
            assert response.status_code < 500, (endpoint, url, data)
            assert _snapshot() == before, endpoint
            return
        response = client.post(
            url, data=data, content_type="multipart/form-data" if multipart else None
        )
        assert response.status_code < 500, (endpoint, url, data)
        if endpoint in LAST or response.headers.get("Location", "").startswith("/login"):
            signed_in[0] = False
        with client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        refused = response.status_code >= 400 or any(cat == "error" for cat, _m in flashes)
        if refused:
            assert _snapshot() == before, (endpoint, response.status_code, flashes)

    return post


def test_discovery_reads_fields_kinds_and_choices():
    parser = _Forms()
    parser.feed(
        '<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">'
        '<input name="a" value="1"><textarea name="b"></textarea>'
        '<select name="c" multiple><option value="1">x</option><option value="2">y</option>'
        '</select><input type="checkbox" name="d" value="7"><input type="file" name="e">'
        '<button type="submit">Go</button></form><form method="get"><input name="q"></form>'
    )
    assert parser.forms[1] == {"action": "", "method": "GET", "fields": {
        "q": {"kind": "text", "choices": [], "value": ""}}}  # fmt: skip
    assert parser.forms[:1] == [
        {
            "action": "/x",
            "method": "POST",
            "fields": {
                "a": {"kind": "text", "choices": [], "value": "1"},
                "b": {"kind": "textarea", "choices": [], "value": ""},
                "c": {"kind": "select", "choices": ["1", "2"], "value": "", "multiple": True},
                "d": {"kind": "checkbox", "choices": ["7"], "value": ""},
                "e": {"kind": "file", "choices": [], "value": ""},
            },
        }
    ]


def _names_read_by_views() -> set[str]:
    import re
    from pathlib import Path

    pattern = re.compile(r'(?:request\.(?:args|values|form)|\bargs)\.(?:get|getlist)\(\s*"(\w+)"')
    root = Path(__file__).resolve().parent.parent / "consult"
    return {name for path in root.rglob("*.py") for name in pattern.findall(path.read_text())}


def test_every_parameter_a_view_reads_is_fuzzed():
    read = _names_read_by_views()
    assert "page" in read and "next" in read  # the scan sees them
    missing = read - URL_PARAMETERS - FORM_FIELDS
    assert not missing, f"parameters read by views but fuzzed nowhere: {sorted(missing)}"


def test_every_page_survives_url_parameters_at_the_edges(
    app, client, consultation, make_user, make_department, make_proposal
):
    """Issue 17 (finding 6, and the 'Also'): page, after, next, ids and filters at the
    64-bit edges, on every page, as the people who see the most pages; never a 500."""
    c = _world(consultation, make_user, make_department, make_proposal)
    pages = _pages(app, c)
    for user in (c.people.admin, c.people.lead, None):
        if user is None:
            client.post("/logout")
        else:
            login(client, user)
        for page in pages:
            for value in EDGES:
                response = client.get(page, query_string=dict.fromkeys(URL_PARAMETERS, value))
                assert response.status_code < 500, (page, value, user)
    for value in EDGES:
        data = {"email": c.people.reviewer.email, "password": "x"}
        response = client.post("/login", query_string={"next": value}, data=data)
        assert response.status_code < 500, value
