"""Downloads of the portal's documents: each checks its reader's right through the models
and leaves its entry in the audit log, whether the file is written at once or by a job."""

from __future__ import annotations

from collections.abc import Callable

from consult.services import audit, require


def record_download(
    what: str, obj, *, actor, allowed: Callable[[object], bool] | None = None, **detail
) -> None:
    """Before a file leaves (or its job is queued): ``allowed(actor)`` must hold (the model
    rule the route checked), then the download is audited (committed with the request)."""
    if allowed is not None:
        require(actor, allowed)
    audit.record_export(what, obj, actor=actor, **detail)
