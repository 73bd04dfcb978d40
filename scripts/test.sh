#!/usr/bin/env bash
# The whole test suite: on SQLite, then again on PostgreSQL when one is reachable
# (TEST_DATABASE_URL, or a server answering at 127.0.0.1:5432 with database `test`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  echo "== JavaScript tests (jsdom) =="
  npm ci --silent --no-audit --no-fund --prefix tests/js
  (cd tests/js && node --test comments.test.js)
else
  echo "Node.js not found; skipping the JavaScript tests."
fi

echo "== Security lint (bandit, medium and high severity) =="
"$(dirname "$PY")/bandit" -q -r consult -ll

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
  echo "== Test suite on PostgreSQL =="
  TEST_DATABASE_URL="$PG_URL" "$PY" -m pytest "$@"
fi
