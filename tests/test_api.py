"""The JSON API: its OpenAPI document, tokens, reading, writing through the services, errors.

Every response below is also checked against the OpenAPI document by the client itself
(tests/openapi_check.py, called from conftest's IsolatedClient).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from consult.api import paging
from consult.extensions import db
from consult.models import (
    ApiScope,
    ApiToken,
    AuditAction,
    AuditEvent,
    Comment,
    CommentKind,
    CommentStatus,
    Visibility,
)
from consult.models.base import utcnow
from consult.services import accounts as account_service
from consult.services import api_tokens
from consult.services import comments as comment_service
from tests.conftest import login

V1 = "/api/v1"


def bearer(user, scope: ApiScope = ApiScope.READ, **kw) -> dict:
    _token, secret = api_tokens.create(user, name="thử", scope=scope, **kw)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def draft_url(c, tail: str = "") -> str:
    return f"{V1}/proposals/{c.proposal.code}/drafts/1{tail}"


def submitted_comment(c, body="Đề nghị bổ sung quy hoạch hạ tầng số.", section=None):
    comment = comment_service.create_comment(
        c.draft, section or c.section, c.people.reviewer, kind=CommentKind.CHANGE, body=body
    )
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    return comment


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get(f"{V1}/openapi.json")
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert {"bearerAuth", "sessionCookie"} <= spec["components"]["securitySchemes"].keys()


def test_the_docs_page_uses_the_vendored_swagger_ui_and_no_inline_script(client):
    page = client.get(f"{V1}/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "http" not in html.split("<body>")[1]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_anonymous_callers_read_public_proposals_published_drafts_only(client, make_proposal):
    public = make_proposal(code="CONG-KHAI", visibility=Visibility.PUBLIC)
    make_proposal(code="NOI-BO")  # internal
    make_proposal(code="CHUA-DANG", visibility=Visibility.PUBLIC, publish=False)
    listing = client.get(f"{V1}/proposals").get_json()
    assert [p["code"] for p in listing["items"]] == [public.code]
    draft = client.get(f"{V1}/proposals/CONG-KHAI/drafts/1").get_json()
    assert draft["status"] == "open" and draft["period"] == "open"
    assert draft["invited"] == []  # who is consulted is the board's business
    sections = client.get(f"{V1}/proposals/CONG-KHAI/drafts/1/sections").get_json()["items"]
    assert sections[1]["number"] == "1.1" and "**đô thị thông minh**" in sections[1]["text"]
    assert "<strong>đô thị thông minh</strong>" in sections[1]["html"]
    one = client.get(f"{V1}/proposals/CONG-KHAI/drafts/1/sections/{sections[1]['key']}")
    assert one.get_json()["heading"] == "Sự cần thiết"
    # Internal and unpublished proposals: the anonymous visitor is asked to sign in.
    for code in ("NOI-BO", "CHUA-DANG"):
        refused = client.get(f"{V1}/proposals/{code}")
        assert refused.status_code == 401
        assert refused.mimetype == "application/problem+json"
    # Nobody's comments.
    assert client.get(f"{V1}/proposals/CONG-KHAI/drafts/1/comments").get_json()["items"] == []


def test_a_token_reads_as_its_owner_and_a_bad_one_is_refused(client, consultation):
    c = consultation
    headers = bearer(c.people.reviewer)
    me = client.get(f"{V1}/", headers=headers).get_json()
    assert me["user"] == c.people.reviewer.email and me["scope"] == "read"
    draft = client.get(draft_url(c), headers=headers).get_json()
    # A consulted body sees its own invitation and deadline; the board sees every body's.
    assert [i["department"]["code"] for i in draft["invited"]] == ["STTTT"]
    board = client.get(draft_url(c), headers=bearer(c.people.organizer)).get_json()
    assert {i["department"]["code"] for i in board["invited"]} == {"STTTT", "SXD"}
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        refused = client.get(draft_url(c), headers={"Authorization": header})
        assert refused.status_code == 401
        assert "Bearer" in refused.headers["WWW-Authenticate"]
    # A bad token is refused even beside a signed-in session's cookie.
    login(client, c.people.reviewer)
    assert client.get(draft_url(c), headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.get(draft_url(c)).status_code == 200  # the session alone


def test_only_the_hash_is_stored(consultation):
    token, secret = api_tokens.create(consultation.people.reviewer, name="a", scope=ApiScope.READ)
    assert token.token_hash == ApiToken.hash_token(secret) != secret
    assert secret not in str(db.session.get(ApiToken, token.id).__dict__)


@pytest.mark.parametrize("ending", ["revoke", "expire", "password", "deactivate", "role"])
def test_a_token_ends_with_revocation_expiry_password_change_and_deactivation(
    client, consultation, ending
):
    c = consultation
    user = c.people.reviewer
    headers = bearer(user)
    assert client.get(draft_url(c), headers=headers).status_code == 200
    token = db.session.scalars(db.select(ApiToken)).one()
    if ending == "revoke":
        api_tokens.revoke(user, token.id)
    elif ending == "expire":
        token.expires_at = utcnow() - timedelta(seconds=1)
    elif ending == "password":
        account_service.change_own_password(user, "Another-horse-43")
    elif ending == "deactivate":
        account_service.set_user_active(user, False)
    else:
        account_service.update_user(
            user, email=user.email, full_name=user.full_name, role=type(user.role)("lead"),
            department=user.department, locale=None,
        )  # fmt: skip
    db.session.commit()
    refused = client.get(draft_url(c), headers=headers)
    assert refused.status_code == 401
    assert refused.get_json()["status"] == 401


def test_comments_list_uses_the_inbox_filters_and_visibility(client, consultation):
    c = consultation
    first = submitted_comment(c, "Đề nghị bổ sung quy hoạch hạ tầng số.")
    comment_service.create_comment(
        c.draft, None, c.people.reviewer, kind=CommentKind.QUESTION, body="Kinh phí lấy từ đâu?"
    )
    comment_service.submit_response(c.draft, c.people.lead)
    # SXD's draft comment: nobody but SXD reads it.
    hidden = comment_service.create_comment(
        c.draft, c.section, c.people.other_reviewer, kind=CommentKind.GENERAL, body="Chưa gửi."
    )
    db.session.commit()
    board = bearer(c.people.drafting)
    url = draft_url(c, "/comments")
    everything = client.get(url, headers=board).get_json()["items"]
    assert [x["text"] for x in everything] == [first.body, "Kinh phí lấy từ đâu?"]
    assert everything[0]["departments"] == [{"code": "STTTT", "name": c.stttt.name,
                                            "kind": "department"}]  # fmt: skip
    assert everything[0]["section"] == c.section.key and everything[1]["section"] is None
    # Search without diacritics, section, kind, status, body and "submitted since".
    found = client.get(url, query_string={"q": "quy hoach"}, headers=board).get_json()["items"]
    assert [x["id"] for x in found] == [first.id]
    general = client.get(url, query_string={"section": "general"}, headers=board).get_json()
    assert [x["kind"] for x in general["items"]] == ["question"]
    by_key = client.get(url, query_string={"section": c.section.key}, headers=board).get_json()
    assert [x["id"] for x in by_key["items"]] == [first.id]
    assert client.get(url, query_string={"kind": "question"}, headers=board).get_json()["items"]
    assert not client.get(url, query_string={"body": "SXD"}, headers=board).get_json()["items"]
    assert len(client.get(url, query_string={"status": "new"}, headers=board).json["items"]) == 2
    later = (utcnow() + timedelta(hours=1)).isoformat()
    assert not client.get(url, query_string={"since": later}, headers=board).json["items"]
    # Another body's unsubmitted comment is a 404, as on the pages; its own body reads it.
    other_body = bearer(c.people.reviewer)
    assert client.get(f"{V1}/comments/{hidden.id}", headers=other_body).status_code == 404
    assert client.get(f"{V1}/comments/{hidden.id}", headers=board).status_code == 404
    own = bearer(c.people.other_reviewer)
    assert client.get(f"{V1}/comments/{hidden.id}", headers=own).get_json()["text"] == "Chưa gửi."
    # SXD does not read STTTT's submitted comments (the draft keeps bodies apart).
    assert client.get(url, headers=own).get_json()["items"] == []


def test_cursor_pagination_and_bad_cursors(client, consultation):
    c = consultation
    for n in range(3):
        comment_service.create_comment(
            c.draft, c.section, c.people.reviewer, kind=CommentKind.GENERAL, body=f"Ý kiến {n}"
        )
    comment_service.submit_response(c.draft, c.people.lead)
    db.session.commit()
    board = bearer(c.people.drafting)
    url = draft_url(c, "/comments")
    seen, cursor = [], None
    while True:
        args = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, query_string=args, headers=board).get_json()
        seen += [x["text"] for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Ý kiến 0", "Ý kiến 1", "Ý kiến 2"]
    # The last one decodes to a number no id column holds (a query error on PostgreSQL).
    for bad in ("xyz", "eyJhIjoiMSJ9", "!!", paging.encode(2**31)):
        refused = client.get(url, query_string={"cursor": bad}, headers=board)
        assert refused.status_code == 400 and "cursor" in refused.get_json()["detail"]
    assert client.get(url, query_string={"limit": 0}, headers=board).status_code == 422


def test_etag_and_if_none_match(client, make_proposal):
    make_proposal(code="CONG-KHAI", visibility=Visibility.PUBLIC)
    first = client.get(f"{V1}/proposals/CONG-KHAI")
    etag = first.headers["ETag"]
    again = client.get(f"{V1}/proposals/CONG-KHAI", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get(f"{V1}/proposals/CONG-KHAI", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_a_reviewer_writes_a_draft_comment_through_the_service(client, consultation):
    c = consultation
    url = draft_url(c, "/comments")
    body = {"section": c.section.key, "kind": "change", "text": "Nên nêu rõ lộ trình."}
    # A read token may not write.
    refused = client.post(url, json=body, headers=bearer(c.people.reviewer))
    assert refused.status_code == 403 and "quyền ghi" in refused.get_json()["detail"]
    headers = bearer(c.people.reviewer, ApiScope.WRITE)
    created = client.post(url, json={**body, "quote": "đô thị thông minh"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["submitted_at"] is None and data["departments"][0]["code"] == "STTTT"
    comment = db.session.get(Comment, data["id"])
    assert comment.author_id == c.people.reviewer.id and comment.quote == "đô thị thông minh"
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == AuditAction.COMMENT_CREATE)
    ).one()
    assert event.actor_id == c.people.reviewer.id
    # The board writes no comment; another proposal's board neither.
    for who in (c.people.drafting, c.people.outsider):
        assert client.post(url, json=body, headers=bearer(who, ApiScope.WRITE)).status_code in (
            403,
            404,
        )


def test_validation_messages_are_the_forms_in_the_callers_language(client, consultation):
    c = consultation
    url = draft_url(c, "/comments")
    headers = bearer(c.people.reviewer, ApiScope.WRITE)
    empty = client.post(url, json={"kind": "change", "text": ""}, headers=headers)
    assert empty.status_code == 422
    assert empty.get_json()["errors"]["text"] == ["Trường này là bắt buộc."]
    english = client.post(
        url, json={"kind": "nope", "text": "x"}, headers={**headers, "Accept-Language": "en"}
    )
    assert english.get_json()["errors"]["kind"] == ["Not a valid choice."]
    wrong_quote = client.post(
        url, json={"section": c.section.key, "kind": "change", "text": "x", "quote": "không có"},
        headers={**headers, "Accept-Language": "en"},
    )  # fmt: skip
    assert "not in this section" in wrong_quote.get_json()["detail"]
    unknown = client.post(url, json={"kind": "change", "text": "x", "extra": 1}, headers=headers)
    assert unknown.status_code == 422 and "extra" in unknown.get_json()["errors"]
    # The owner's own language wins over Accept-Language.
    c.people.reviewer.locale = "en"
    db.session.commit()
    mine = client.post(url, json={"kind": "change", "text": ""}, headers=headers)
    assert mine.get_json()["errors"]["text"] == ["This field is required."]
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_a_lead_submits_and_a_board_member_answers_audited(client, consultation):
    c = consultation
    comment = comment_service.create_comment(
        c.draft, c.section, c.people.reviewer, kind=CommentKind.CHANGE, body="Bổ sung."
    )
    db.session.commit()
    responses = draft_url(c, "/responses")
    reviewer = bearer(c.people.reviewer, ApiScope.WRITE)
    assert client.post(responses, json={}, headers=reviewer).status_code == 403
    lead = bearer(c.people.lead, ApiScope.WRITE)
    sent = client.post(responses, json={"letter_number": "12/STTTT-VP"}, headers=lead)
    assert sent.status_code == 201, sent.get_json()
    assert sent.get_json()["comments"] == [comment.id]
    again = client.post(responses, json={}, headers=lead)
    assert again.status_code == 422 and again.get_json()["detail"]
    answer_url = f"{V1}/comments/{comment.id}/answer"
    member = bearer(c.people.member, ApiScope.WRITE)
    missing = client.put(answer_url, json={"status": "accepted"}, headers=member)
    assert missing.status_code == 422
    answered = client.put(
        answer_url, json={"status": "accepted", "answer": "Đã tiếp thu."}, headers=member
    )
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["status"] == "accepted"
    stale = client.put(
        answer_url, json={"status": "noted", "answer": "x", "version": 1}, headers=member
    )
    assert stale.status_code == 409
    assert db.session.get(Comment, comment.id).status is CommentStatus.ACCEPTED
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {AuditAction.RESPONSE_SUBMIT, AuditAction.COMMENT_ANSWER} <= actions
    # The organizer reads but does not answer; the reviewer's department neither.
    organizer = bearer(c.people.organizer, ApiScope.WRITE)
    assert client.put(answer_url, json={"status": "noted"}, headers=organizer).status_code == 403


def test_participation_and_report_counts_are_the_insiders(client, consultation):
    c = consultation
    submitted_comment(c)
    board = bearer(c.people.organizer)
    rows = client.get(draft_url(c, "/participation"), headers=board).get_json()
    assert {r["department"]["code"]: r["state"] for r in rows} == {
        "STTTT": "commented",
        "SXD": "none",
    }
    counts = client.get(draft_url(c, "/report"), headers=board).get_json()
    assert counts["consulted"] == 2 and counts["comments"] == 1
    assert counts["by_status"] == {"new": 1} and counts["consulted_by_kind"] == {"department": 2}
    for who in (c.people.reviewer, c.people.outsider):
        assert client.get(draft_url(c, "/report"), headers=bearer(who)).status_code == 404


def test_session_requests_need_csrf_bearer_requests_do_not(app, client, consultation):
    c = consultation
    login(client, c.people.reviewer)
    app.config["WTF_CSRF_ENABLED"] = True
    body = {"kind": "general", "text": "Qua phiên đăng nhập."}
    refused = client.post(draft_url(c, "/comments"), json=body)
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    headers = bearer(c.people.reviewer, ApiScope.WRITE)
    assert client.post(draft_url(c, "/comments"), json=body, headers=headers).status_code == 201
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1


def test_errors_are_problem_details_in_the_callers_language(client):
    missing = client.get(f"{V1}/no-such-thing", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["title"] == "Page not found"
    wrong = client.delete(f"{V1}/proposals")
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]
    assert wrong.get_json()["title"] == "Phương thức không được phép"


def test_cors_is_off_by_default_and_configurable(app, client, make_proposal):
    make_proposal(code="CONG-KHAI", visibility=Visibility.PUBLIC)
    origin = {"Origin": "https://opendata.cantho.gov.vn"}
    assert (
        "Access-Control-Allow-Origin" not in client.get(f"{V1}/proposals", headers=origin).headers
    )
    app.config["API_CORS_ORIGINS"] = "https://opendata.cantho.gov.vn, https://other.example"
    allowed = client.get(f"{V1}/proposals", headers=origin)
    assert allowed.headers["Access-Control-Allow-Origin"] == origin["Origin"]
    stranger = client.get(f"{V1}/proposals", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    # The browser's preflight before a write with a token.
    preflight = client.options(
        f"{V1}/proposals/CONG-KHAI/drafts/1/comments",
        headers={**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin["Origin"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_rate_limits_are_per_token(app, client, consultation):
    from consult.extensions import limiter

    app.config.update(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    limiter.reset()
    c = consultation
    first, second = bearer(c.people.reviewer), bearer(c.people.lead)
    assert [client.get(f"{V1}/", headers=first).status_code for _ in range(3)] == [200, 200, 429]
    limited = client.get(f"{V1}/", headers=first)
    assert limited.mimetype == "application/problem+json"
    assert client.get(f"{V1}/", headers=second).status_code == 200


def test_cli_makes_a_token_printed_once(app, runner, consultation):
    email = consultation.people.reviewer.email
    result = runner.invoke(
        args=["api-tokens", "create", "--user", email, "--name", "e-office", "--scope", "read"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.token_hash == ApiToken.hash_token(secret) and token.scope is ApiScope.READ
    bad = runner.invoke(args=["api-tokens", "create", "--user", "x@y.vn", "--name", "n"])
    assert bad.exit_code != 0


def test_the_account_page_makes_shows_once_and_revokes_tokens(client, consultation):
    user = consultation.people.reviewer
    login(client, user)
    page = client.post("/account/tokens", data={"name": "Cổng dữ liệu", "scope": "write",
                                                "days": "30"})  # fmt: skip
    html = page.get_data(as_text=True)
    token = db.session.scalars(db.select(ApiToken)).one()
    secret = html.split('id="new-token">')[1].split("<")[0]
    assert token.token_hash == ApiToken.hash_token(secret) and token.scope is ApiScope.WRITE
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    assert client.post("/account/tokens", data={"name": "", "days": "0"}).status_code == 422
    client.post("/account/tokens/revoke", data={"token_id": token.id})
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{V1}/", headers=headers).status_code == 401


def test_a_body_that_is_not_json_is_a_400_problem(client, consultation):
    headers = {
        **bearer(consultation.people.reviewer, ApiScope.WRITE),
        "Content-Type": "application/json",
    }
    broken = client.post(draft_url(consultation, "/comments"), data="{nope", headers=headers)
    assert broken.status_code == 400 and broken.mimetype == "application/problem+json"
    assert broken.get_json()["errors"] == {"json": ["Nội dung JSON không hợp lệ."]}
