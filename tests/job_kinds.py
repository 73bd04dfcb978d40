"""Job kinds for the tests: slow steps (to be killed or cancelled midway), and failures."""

from __future__ import annotations

import os
import time
from pathlib import Path

from consult.models.job_kinds import JobError, JobKind, Output, register

STEP_BYTES = 1000


def _steps(job, progress, out):
    steps = job.params.get("steps", 10)
    pid_file = job.params.get("pid_file")
    if pid_file:
        Path(pid_file).write_text(str(os.getpid()))
    progress(0, steps, force=True)
    for step in range(steps):
        out.write(b"x" * STEP_BYTES)
        out.flush()
        time.sleep(job.params.get("delay", 0))
        progress(step + 1, steps, force=True)
    return Output("steps.txt", "text/plain")


def _failing(job, progress, out):
    out.write(b"half a file")
    if job.params.get("unexpected"):
        raise RuntimeError("secret internal detail")
    # Fails while the marker file exists (a retry after removing it succeeds).
    marker = job.params.get("fail_while")
    if marker is None or Path(marker).exists():
        raise JobError("Tệp quá lớn để xuất.")
    out.write(b" and the rest")
    return Output("whole.txt", "text/plain")


STEPS = register(JobKind(name="test-steps", title=lambda job: "Steps", run=_steps))
FAILING = register(JobKind(name="test-failing", title=lambda job: "Failing", run=_failing))
