"""One rule for the zip files people send us (Word and Excel files are zips): how far they
may expand. Attachments and draft imports both ask it, with the limits of the configuration
(ZIP_MAX_UNCOMPRESSED_BYTES, ZIP_MAX_ENTRIES, ZIP_MAX_COMPRESSION_RATIO)."""

from __future__ import annotations

import zipfile

from flask import current_app, has_app_context

from consult.config import Config

# Small members (empty parts, styles) may compress very far without harm; only large ones
# are held to the ratio.
RATIO_CHECK_MIN_BYTES = 1024 * 1024


def _limit(name: str) -> int:
    if has_app_context() and name in current_app.config:
        return int(current_app.config[name])
    return int(getattr(Config, name))  # the parsers are used outside the app too


def expands_too_far(archive: zipfile.ZipFile) -> bool:
    """Too many members, too much data once inflated, or a large member compressed beyond
    what real documents reach (a zip bomb).

    zipfile stops inflating a member at its declared size (and fails the CRC past it), so the
    sizes in the directory can be trusted as an upper bound.
    """
    members = archive.infolist()
    ratio = _limit("ZIP_MAX_COMPRESSION_RATIO")
    total = sum(member.file_size for member in members)
    return (
        len(members) > _limit("ZIP_MAX_ENTRIES")
        or total > _limit("ZIP_MAX_UNCOMPRESSED_BYTES")
        or any(
            member.file_size > RATIO_CHECK_MIN_BYTES
            and member.file_size > ratio * max(member.compress_size, 1)
            for member in members
        )
    )
