#!/usr/bin/env bash
# `make run`: a local Ralph LRS on 127.0.0.1:8100 (file backend, data in .run/ralph), the xAPI
# gate on 127.0.0.1:8101 (only POST /xapi/statements goes through, with the dev credentials), then
# the dev server on 127.0.0.1:8080, which forwards /xapi/ to the gate (Trunk.toml [[proxy]]).
# Ralph and the gate stop with the dev server.
set -euo pipefail
cd "$(dirname "$0")/.."

LRS_PORT=8100
GATE_PORT=8101
LRS_USER=parcours-dev
LRS_PASSWORD=parcours-dev-secret
dir="$PWD/.run/ralph"
mkdir -p "$dir/statements"
export RALPH_APP_DIR="$dir/app" RALPH_AUTH_FILE="$dir/auth.json" RALPH_RUNSERVER_BACKEND=fs \
  RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$dir/statements" RALPH_HISTORY_FILE="$dir/history.json"

for port in "$LRS_PORT" "$GATE_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use: stop what listens there (another 'make run'?) and try again." >&2
    exit 1
  fi
done
if ! grep -q "\"$LRS_USER\"" "$RALPH_AUTH_FILE" 2>/dev/null; then
  .venv/bin/ralph auth -u "$LRS_USER" -p "$LRS_PASSWORD" -s statements/write -s statements/read \
    -M "mailto:$LRS_USER@example.org" -w >/dev/null
fi

.venv/bin/python -m uvicorn --app-dir scripts ralph_fs_fix:app --host 127.0.0.1 --port "$LRS_PORT" \
  --log-level warning &
ralph=$!
umask 077
printf '%s:%s\n' "$LRS_USER" "$LRS_PASSWORD" > "$dir/gate-auth"
.venv/bin/python scripts/xapi_gate.py --port "$GATE_PORT" --lrs "http://127.0.0.1:$LRS_PORT/xAPI/" \
  --auth-file "$dir/gate-auth" &
gate=$!
trap 'kill "$ralph" "$gate" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  if .venv/bin/python -c "import requests,sys; sys.exit(requests.get('http://127.0.0.1:$LRS_PORT/__heartbeat__', timeout=1).status_code != 200)" 2>/dev/null; then
    break
  fi
  kill -0 "$ralph" 2>/dev/null || { echo "Ralph did not start (see above)." >&2; exit 1; }
  sleep 0.5
done

cat <<INFO
Ralph (LRS) on http://127.0.0.1:$LRS_PORT — see the statements with:
  curl -s -u $LRS_USER:$LRS_PASSWORD -H 'X-Experience-API-Version: 1.0.3' http://127.0.0.1:$LRS_PORT/xAPI/statements
and the campus figures (after completing a course) with:
  make report
Parcours on http://127.0.0.1:8080
INFO
trunk serve
