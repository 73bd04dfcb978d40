"""The portal speaks Vietnamese however it is installed (issue 17, 'Also'): the compiled
catalogues (.mo, never committed) are made at start from the .po files when missing or
older, written whole under a temporary name and renamed, so workers starting together never
read half a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from babel.support import Translations

from consult import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "consult" / "translations"

# Touches no database: run in the SQLite pass only.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="no database: run in the SQLite pass"
)


def _copy_po(tmp_path: Path) -> Path:
    target = tmp_path / "translations"
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def _vietnamese(directories: list[str]) -> str:
    """What "Sign in" reads as in Vietnamese, loaded the way Flask-Babel loads it."""
    translations = Translations()
    for directory in directories:
        translations.merge(Translations.load(directory, ["vi"]))
    return translations.gettext("Sign in")


def test_missing_catalogues_are_compiled(tmp_path):
    source = _copy_po(tmp_path)
    directories = i18n.compiled_catalogues(source, tmp_path / "cache")
    assert (source / "vi" / "LC_MESSAGES" / "messages.mo").exists()
    assert _vietnamese(directories) == "Đăng nhập"


def test_a_catalogue_older_than_its_po_is_compiled_again(tmp_path):
    source = _copy_po(tmp_path)
    i18n.compiled_catalogues(source, tmp_path / "cache")
    po = source / "vi" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Đăng nhập"', 'msgstr "Vào cổng"', 1),
        encoding="utf-8",
    )
    later = time.time() + 5
    os.utime(po, (later, later))
    assert _vietnamese(i18n.compiled_catalogues(source, tmp_path / "cache")) == "Vào cổng"


def test_an_install_that_cannot_be_written_compiles_into_the_instance(tmp_path, monkeypatch):
    source = _copy_po(tmp_path)
    real = i18n._write_whole

    def refuse_the_package(path: Path, data: bytes) -> None:
        if source in path.parents:
            raise PermissionError(13, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(i18n, "_write_whole", refuse_the_package)
    directories = i18n.compiled_catalogues(source, tmp_path / "cache")
    assert not (source / "vi" / "LC_MESSAGES" / "messages.mo").exists()
    assert (tmp_path / "cache" / "vi" / "LC_MESSAGES" / "messages.mo").exists()
    assert _vietnamese(directories) == "Đăng nhập"


def test_workers_starting_together_all_read_a_whole_catalogue(tmp_path):
    source = _copy_po(tmp_path)
    results, errors = [], []

    def start():
        try:
            results.append(_vietnamese(i18n.compiled_catalogues(source, tmp_path / "cache")))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and results == ["Đăng nhập"] * 8
    assert not [p for p in (source / "vi" / "LC_MESSAGES").iterdir() if p.name.startswith(".")]


def test_a_clean_checkout_without_make_speaks_vietnamese(tmp_path):
    """As README's production section installs it: pip install -r requirements.txt, then
    the app (gunicorn imports run:app); no `make translations`, no .mo anywhere."""
    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("*.mo", "__pycache__", "node_modules")
    for part in ("consult", "templates", "static", "migrations"):
        shutil.copytree(ROOT / part, checkout / part, ignore=ignore)
    shutil.copy(ROOT / "run.py", checkout / "run.py")
    assert not list(checkout.rglob("*.mo"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'consult.db'}",
        "SECRET_KEY": "clean-checkout",
        "PYTHONPATH": str(checkout),
    }
    env.pop("TEST_DATABASE_URL", None)
    script = (
        "from run import app\n"
        "page = app.test_client().get('/login').get_data(as_text=True)\n"
        "print('VI' if 'Đăng nhập' in page else 'EN')\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=checkout, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("VI"), result.stdout + result.stderr[-2000:]
