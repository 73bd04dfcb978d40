"""Issue 18: the board's official papers are complete Decree 30 documents, headed and signed
as the proposal's settings say (or by the defaults), read back from DOCX and PDF."""

from __future__ import annotations

import io
import unicodedata

import docx
from pypdf import PdfReader
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditAction, AuditEvent, Proposal
from tests.conftest import login

SETTINGS = {
    "parent_body": "UBND thành phố Cần Thơ",
    "document_symbol": "bc-bst",
    "recipients": "UBND thành phố (để b/c)\n\n  Sở Tài chính  \nLưu: VT, BST",
    "signer_authority": "KT. Trưởng ban",
    "signer_title": "Phó Trưởng ban",
    "signer_name": "Lê Thị Hồng",
}


def edit(client, c, **settings):
    p = c.proposal
    data = {"code": p.code, "title": p.title, "visibility": p.visibility.value,
            "lead_agency": p.lead_agency_id, "place": "Cần Thơ", **settings}  # fmt: skip
    return client.post(f"/proposals/{p.code}/edit", data=data)


def docx_texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pages))
    return text.replace("\u00a0", " ")


def test_the_board_sets_how_its_papers_are_headed_and_signed(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    form = client.get(f"/proposals/{c.proposal.code}/edit").get_data(as_text=True)
    assert "Ký hiệu văn bản" in form and "Nơi nhận" in form
    assert edit(client, c, **SETTINGS).status_code == 302
    db.session.expire_all()
    proposal = db.session.get(Proposal, c.proposal.id)
    assert proposal.document_symbol == "BC-BST"
    assert proposal.recipients == "UBND thành phố (để b/c)\nSở Tài chính\nLưu: VT, BST"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.PROPOSAL_UPDATE)
    ).all()[-1]
    assert "BC-BST" in event.detail and "Lê Thị Hồng" in event.detail

    texts = docx_texts(client.get(f"{c.base}/report.docx").data)
    assert "UBND THÀNH PHỐ CẦN THƠ" in texts
    assert any(t.startswith("Số:") and t.endswith("/BC-BST") for t in texts)
    assert "Nơi nhận:" in texts
    assert [t for t in texts if t.startswith("- ")] == [
        "- UBND thành phố (để b/c);",
        "- Sở Tài chính;",
        "- Lưu: VT, BST.",
    ]
    assert "KT. TRƯỞNG BAN" in texts and "PHÓ TRƯỞNG BAN" in texts and "Lê Thị Hồng" in texts

    text = pdf_text(client.get(f"{c.base}/report.pdf").data)
    for line in ("UBND THÀNH PHỐ CẦN THƠ", "/BC-BST", "Nơi nhận:", "- Sở Tài chính;",
                 "KT. TRƯỞNG BAN", "Lê Thị Hồng"):  # fmt: skip
        assert line in text, line


def test_empty_settings_take_the_offices_defaults(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    texts = docx_texts(client.get(f"{c.base}/report.docx").data)
    assert "UBND THÀNH PHỐ CẦN THƠ" in texts
    assert any(t.endswith("/BC-BST") for t in texts)
    assert "- Lưu: VT, BST." in texts  # "Nơi nhận" never stands alone
    assert "TM. BAN SOẠN THẢO" in texts
    assert c.people.drafting.full_name in texts  # the chair signs
    page = client.get(f"{c.base}/report").get_data(as_text=True)
    assert "UBND THÀNH PHỐ CẦN THƠ" in page


def test_bad_paper_settings_are_refused_and_change_nothing(client, consultation):
    c = consultation
    login(client, c.people.drafting)
    response = edit(client, c, document_symbol="BC/BST")
    assert response.status_code == 422
    assert "dấu gạch nối" in response.get_data(as_text=True)
    response = edit(client, c, recipients="\n".join(f"Sở {n}" for n in range(25)))
    assert response.status_code == 422
    assert "Tối đa 20 nơi nhận" in response.get_data(as_text=True)
    response = edit(client, c, signer_name="x" * 101)
    assert response.status_code == 422
    db.session.expire_all()
    proposal = db.session.get(Proposal, c.proposal.id)
    assert (proposal.document_symbol, proposal.recipients, proposal.signer_name) == ("", "", "")
