"""Language selection: Vietnamese by default, English on request, remembered per user."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from consult.extensions import babel
from consult.private_files import write_private

TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Command-line tools and background jobs speak the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):
        # The API speaks its caller's language: the token owner's, else Accept-Language.
        if current_user and current_user.is_authenticated and current_user.locale in languages:
            return current_user.locale
        return (
            request.accept_languages.best_match(list(languages))
            or current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compiled_catalogues(source: Path, fallback: Path) -> list[str]:
    """Make sure every catalogue under ``source`` has a compiled .mo no older than its .po;
    returns the translation directories to load, in order (later ones override).

    Compiled where `make translations` puts them, or under ``fallback`` (the instance
    folder) when the install cannot be written. We compile rather than commit the .mo
    files: a binary file in git conflicts at every merge of the .po and can silently lag
    behind it, while this keeps them in step with the .po on every start, however the
    portal was installed.
    """
    directories = [str(source)]
    for po in sorted(Path(source).glob("*/LC_MESSAGES/*.po")):
        relative = po.relative_to(source).with_suffix(".mo")
        if _is_fresh(po, po.with_suffix(".mo")):
            continue
        data = _compile(po)
        try:
            _write_whole(po.with_suffix(".mo"), data)
        except OSError:
            cached = Path(fallback) / relative
            if not _is_fresh(po, cached):
                cached.parent.mkdir(parents=True, exist_ok=True)
                _write_whole(cached, data)
            if str(fallback) not in directories:
                directories.append(str(fallback))
    return directories


def _is_fresh(po: Path, mo: Path) -> bool:
    return mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime


def _compile(po: Path) -> bytes:
    with open(po, "rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)  # like pybabel compile: fuzzy entries left out
    return out.getvalue()


def _write_whole(path: Path, data: bytes) -> None:
    # Renamed into place whole: a worker starting at the same moment reads the old
    # catalogue or the new one, never half of one. A catalogue is no secret.
    write_private(path, data, mode=0o644)


def init_app(app: Flask) -> None:
    directories = compiled_catalogues(TRANSLATIONS, Path(app.instance_path) / "translations")
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(directories),
    )
