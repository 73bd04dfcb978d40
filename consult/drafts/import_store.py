"""Parsed imports waiting for confirmation after the preview, kept in instance/imports/."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict
from pathlib import Path

from flask import current_app

from consult.documents.importer import ImportReport, ParsedSection
from consult.private_files import private_folder, write_private

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    return private_folder(Path(current_app.config["DATA_DIR"]) / "imports")


def _purge_old(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def save(report: ImportReport, *, user_id: int, proposal_id: int) -> str:
    """Keep what the preview showed until it is confirmed; the token names it."""
    folder = _folder()
    _purge_old(folder)
    token = secrets.token_urlsafe(24)
    payload = {"user_id": user_id, "proposal_id": proposal_id, "report": asdict(report)}
    write_private(folder / f"{token}.json", json.dumps(payload, ensure_ascii=False).encode())
    return token


def take(token: str, *, user_id: int, proposal_id: int) -> ImportReport | None:
    """What was saved under ``token`` by this user for this proposal, removed; else None."""
    report = peek(token, user_id=user_id, proposal_id=proposal_id)
    if report is not None:
        (_folder() / f"{token}.json").unlink(missing_ok=True)
    return report


def peek(token: str, *, user_id: int, proposal_id: int) -> ImportReport | None:
    """Like `take`, leaving it saved (a preview shown again)."""
    if not token or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{token}.json"
    if not path.is_file():
        return None
    payload = json.loads(path.read_text("utf-8"))
    if payload["user_id"] != user_id or payload["proposal_id"] != proposal_id:
        return None
    report = payload["report"]
    sections = [ParsedSection(**s) for s in report.pop("sections")]
    return ImportReport(sections=sections, **report)
