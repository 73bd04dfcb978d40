#!/usr/bin/env bash
# The whole test suite: on SQLite, then again on PostgreSQL when one is reachable
# (TEST_DATABASE_URL, or a server answering at 127.0.0.1:5432 with database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  echo "== JavaScript tests (jsdom) =="
  npm ci --silent --no-audit --no-fund --prefix tests/js
  (cd tests/js && node --test comments.test.js job.test.js)
else
  echo "Node.js not found; skipping the JavaScript tests."
fi

# The browser journeys (tests/browser) drive Debian's Chromium; install it when missing.
# Without it they are skipped with a message, never downloaded from elsewhere.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
  echo "== Installing Chromium (Debian package) for the browser tests =="
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q chromium >/dev/null 2>&1; } \
    || echo "Could not install Chromium; the browser tests will be skipped."
fi

# Word 97-2003 (.doc) imports go through LibreOffice Writer; its tests need it (Debian package).
if ! ls /usr/lib/libreoffice/program/libswlo.so >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
  echo "== Installing LibreOffice Writer (Debian package) for the .doc import tests =="
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q libreoffice-writer-nogui >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q libreoffice-writer-nogui >/dev/null 2>&1; } \
    || echo "Could not install LibreOffice Writer; the .doc import tests will be skipped."
fi

# The job queue's Redis mode is tested against a Redis at 127.0.0.1:6379 (TEST_REDIS_URL);
# start one when none answers, installing Debian's redis-server when missing. CI
# (CONSULT_REQUIRE_REDIS=1, or CI=true) fails that test without it; elsewhere it is skipped.
redis_up() { "$PY" -c "import redis; redis.Redis(socket_connect_timeout=1).ping()" 2>/dev/null; }
if [ -z "${TEST_REDIS_URL:-}" ] && ! redis_up; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
  if ! command -v redis-server >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "== Installing Redis (Debian package) for the job queue's test =="
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q redis-server >/dev/null 2>&1 \
      || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q redis-server >/dev/null 2>&1; } \
      || echo "Could not install redis-server."
  fi
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_up && break; sleep 0.5; done
  fi
  redis_up || echo "Redis is not running; the Redis test of the job queue will be skipped (failed in CI)."
fi

echo "== Security lint (bandit, medium and high severity) =="
"$(dirname "$PY")/bandit" -q -r consult -ll

echo "== Import contracts (import-linter: routes -> services -> models, no cycles) =="
"$(dirname "$PY")/lint-imports" --no-cache

echo "== Test suite on SQLite =="
env -u TEST_DATABASE_URL "$PY" -m pytest "$@"

PG_URL=${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
if "$PY" - "$PG_URL" <<'PYEOF'
import sys
import psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipping the PostgreSQL run.")
    sys.exit(1)
PYEOF
then
  # In as many processes as there are cores (pytest-xdist): each has its own schema, and
  # the server works while they wait on it. TEST_WORKERS=0 runs it in this process.
  WORKERS=${TEST_WORKERS:-$("$PY" -c "import os; print(max(2, os.cpu_count() or 1))")}
  echo "== Test suite on PostgreSQL, $WORKERS processes (the browser journeys ran in the SQLite pass) =="
  TEST_DATABASE_URL="$PG_URL" "$PY" -m pytest -n "$WORKERS" "$@"
fi

echo "== Benchmark, quick run (checks that it completes; the figures are not judged) =="
env -u DATABASE_URL -u TEST_DATABASE_URL "$PY" bench/run.py --quick
