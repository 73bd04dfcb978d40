"""Parsed imports waiting for confirmation after the preview, kept in instance/imports/."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict
from pathlib import Path

from flask import current_app

from consult.documents.importer import ParsedSection
from consult.private_files import private_folder, write_private

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    return private_folder(Path(current_app.config["DATA_DIR"]) / "imports")


def _purge_old(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def save(sections: list[ParsedSection], *, user_id: int, proposal_id: int) -> str:
    folder = _folder()
    _purge_old(folder)
    token = secrets.token_urlsafe(24)
    payload = {
        "user_id": user_id,
        "proposal_id": proposal_id,
        "sections": [asdict(s) for s in sections],
    }
    write_private(folder / f"{token}.json", json.dumps(payload, ensure_ascii=False).encode())
    return token


def take(token: str, *, user_id: int, proposal_id: int) -> list[ParsedSection] | None:
    """The sections saved under ``token`` by this user for this proposal; None otherwise."""
    sections = peek(token, user_id=user_id, proposal_id=proposal_id)
    if sections is not None:
        (_folder() / f"{token}.json").unlink(missing_ok=True)
    return sections


def peek(token: str, *, user_id: int, proposal_id: int) -> list[ParsedSection] | None:
    """Like `take`, leaving them saved (a preview shown again)."""
    if not token or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{token}.json"
    if not path.is_file():
        return None
    payload = json.loads(path.read_text("utf-8"))
    if payload["user_id"] != user_id or payload["proposal_id"] != proposal_id:
        return None
    return [ParsedSection(**s) for s in payload["sections"]]
