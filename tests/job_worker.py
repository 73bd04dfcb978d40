"""A real worker process for tests/test_jobs.py: ``python -m tests.job_worker``.

It is ``flask --app run worker`` (the same consumer, forking its workers) on the test's
database, data folder and SQLite queue file, with the test job kinds loaded.
"""

from __future__ import annotations

import os

from consult import create_app
from consult.config import Config
from consult.jobs.queue import make_consumer


class WorkerConfig(Config):
    SQLALCHEMY_DATABASE_URI = os.environ["WORKER_DATABASE_URL"]
    SQLALCHEMY_ENGINE_OPTIONS = (
        {"connect_args": {"options": f"-csearch_path={os.environ['WORKER_SCHEMA']}"}}
        if os.environ.get("WORKER_SCHEMA")
        else {}
    )
    SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)
    DATA_DIR = os.environ["WORKER_DATA_DIR"]
    JOBS_QUEUE = "sqlite"
    JOBS_QUEUE_FILE = os.environ["WORKER_QUEUE_FILE"]
    JOB_LEASE_SECONDS = 3
    JOB_NOTIFY_AFTER_SECONDS = 0


if __name__ == "__main__":
    import tests.job_kinds  # noqa: F401

    app = create_app(WorkerConfig)
    make_consumer(app, 1, threads=False, periodic=False).run()
