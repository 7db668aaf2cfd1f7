#!/usr/bin/env bash
# Serve the app to a class larger than one Streamlit process can: N workers behind HAProxy.
#
#   scripts/serve_class.sh N [PORT]          # e.g. scripts/serve_class.sh 2       -> http://127.0.0.1:8080/
#
# Starts N `streamlit run app.py` workers on free loopback ports, renders
# deploy/haproxy.cfg.template for them, runs haproxy in the foreground of this script, waits
# until the proxy's /_stcore/health answers "ok", prints the URL, and stays until Ctrl-C,
# SIGTERM or haproxy's exit; then it stops haproxy and every worker (SIGTERM, SIGKILL after
# 10 s). One worker uses at most one core (one GIL): N = the number of cores is the most
# that helps. Why HAProxy and a cookie: deploy/README.md.
#
# Needs Debian's haproxy (apt-get install haproxy) and the Python that has streamlit
# ($PYTHON, else python, else python3). Runs as root or not (PORT must then be >= 1024).
# Environment:
#   CLASS_BIND      the address HAProxy listens on (default 127.0.0.1; workers always use 127.0.0.1)
#   CLASS_RUN_DIR   keep the rendered config, worker logs and workers.tsv here (default: a temp
#                   dir, removed on exit). workers.tsv has one "name port pid" line per worker;
#                   each worker is its own process group (pgid = pid).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

usage() { echo "usage: $0 N [PORT]   (N workers, 1-32; PORT default 8080)" >&2; exit 2; }
N=${1:-}
PORT=${2:-8080}
[[ $N =~ ^[0-9]+$ ]] && ((N >= 1 && N <= 32)) || usage
[[ $PORT =~ ^[0-9]+$ ]] && ((PORT >= 1 && PORT <= 65535)) || usage
if ((PORT < 1024)) && [ "$(id -u)" != 0 ]; then
  echo "port $PORT needs root; pick one >= 1024" >&2; exit 2
fi
BIND=${CLASS_BIND:-127.0.0.1}
command -v haproxy >/dev/null || { echo "haproxy is not installed: apt-get install -y haproxy" >&2; exit 1; }
command -v setsid >/dev/null || { echo "setsid (util-linux) is missing" >&2; exit 1; }
PYTHON=${PYTHON:-$(command -v python || command -v python3 || true)}
[ -n "$PYTHON" ] && "$PYTHON" -c 'import streamlit' 2>/dev/null \
  || { echo "no Python with streamlit (set PYTHON=/path/to/python)" >&2; exit 1; }

if [ -n "${CLASS_RUN_DIR:-}" ]; then
  RUNDIR=$(mkdir -p "$CLASS_RUN_DIR" && cd "$CLASS_RUN_DIR" && pwd); own_rundir=0
else
  RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/serve_class.XXXXXX"); own_rundir=1
fi
: >"$RUNDIR/workers.tsv"

wpids=()
hap_pid=""
poll_pid=""

# A worker we started and that has not exited: its pid still names a streamlit process
# leading its own group (bash reaps dead children, so a bare pid could in theory be reused).
worker_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  set -- "$1" $stat                     # $2 state, $3 ppid, $4 pgrp
  [ "$2" != Z ] && [ "$4" = "$1" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q streamlit
}
proc_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

cleanup() {
  local rc=$? pid any
  trap - EXIT INT TERM
  set +e
  [ -n "$poll_pid" ] && kill "$poll_pid" 2>/dev/null
  [ -n "$hap_pid" ] && proc_alive "$hap_pid" && kill -TERM "$hap_pid" 2>/dev/null
  for pid in "${wpids[@]}"; do worker_alive "$pid" && kill -TERM -- "-$pid" 2>/dev/null; done
  for _ in $(seq 50); do                # at most 10 s for a clean stop
    any=0
    for pid in "${wpids[@]}"; do worker_alive "$pid" && any=1; done
    [ -n "$hap_pid" ] && proc_alive "$hap_pid" && any=1
    [ $any = 0 ] && break
    sleep 0.2
  done
  for pid in "${wpids[@]}"; do worker_alive "$pid" && kill -KILL -- "-$pid" 2>/dev/null; done
  [ -n "$hap_pid" ] && proc_alive "$hap_pid" && kill -KILL "$hap_pid" 2>/dev/null
  wait 2>/dev/null
  [ "$own_rundir" = 1 ] && rm -rf "$RUNDIR"
  echo "class stopped (haproxy and ${#wpids[@]} workers)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_ok TIMEOUT_S PIDS URL...: until every URL answers "ok"; fails early if a PID exits.
# Runs in the background so that a signal interrupts `wait` at once.
wait_ok() {
  "$PYTHON" - "$@" <<'PY' &
import sys, time, urllib.request
timeout, pids, urls = float(sys.argv[1]), [int(p) for p in sys.argv[2].split(",") if p], sys.argv[3:]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never an HTTP proxy

def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

deadline, pending = time.monotonic() + timeout, list(urls)
for _ in range(int(timeout / 0.2) + 10):  # bounded; the deadline usually ends it first
    if dead := [p for p in pids if not alive(p)]:
        sys.exit(f"process {dead} exited before {pending} answered ok")
    for url in list(pending):
        try:
            with opener.open(url, timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    pending.remove(url)
        except OSError:
            pass
    if not pending:
        sys.exit(0)
    if time.monotonic() > deadline:
        break
    time.sleep(0.2)
sys.exit(f"no ok from {pending} within {timeout:.0f} s")
PY
  poll_pid=$!
  local rc=0
  wait "$poll_pid" || rc=$?
  poll_pid=""
  return "$rc"
}

# PORT must be free (checked before the workers start), then N free loopback ports for the
# workers, all held at once so they differ.
mapfile -t ports < <("$PYTHON" - "$N" "$PORT" "$BIND" <<'PY'
import socket, sys
n, avoid, bind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
try:
    with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as HAProxy does: TIME_WAIT is no obstacle
        s.bind((bind, avoid))
except OSError as err:
    sys.exit(f"cannot listen on {bind}:{avoid}: {err}")
held = []
for _ in range(n + 10):
    if len(held) == n:
        break
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    if s.getsockname()[1] == avoid:
        continue
    held.append(s)
print("\n".join(str(s.getsockname()[1]) for s in held))
PY
)
((${#ports[@]} == N)) || { echo "no class started: port $PORT is taken, or no $N free ports" >&2; exit 1; }

# One secret for every worker: a cookie Streamlit signs (st.login) stays valid when the
# proxy moves a browser to another worker. In the environment, not on the command line (ps).
secret=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

servers=""
health=()
for ((i = 1; i <= N; i++)); do
  port=${ports[i-1]}
  # setsid: each worker is its own process group (killed as a group, one at a time).
  STREAMLIT_SERVER_COOKIE_SECRET=$secret setsid "$PYTHON" -m streamlit run app.py \
    --server.headless true --server.address 127.0.0.1 --server.port "$port" \
    --browser.gatherUsageStats false --server.fileWatcherType none \
    >"$RUNDIR/w$i.log" 2>&1 </dev/null &
  wpids+=($!)
  printf 'w%s\t%s\t%s\n' "$i" "$port" "$!" >>"$RUNDIR/workers.tsv"
  servers+="    server w$i 127.0.0.1:$port cookie w$i"$'\n'
  health+=("http://127.0.0.1:$port/_stcore/health")
done
echo "starting $N workers (logs: $RUNDIR/w*.log)" >&2
if ! wait_ok 120 "$(IFS=,; echo "${wpids[*]}")" "${health[@]}"; then
  for ((i = 1; i <= N; i++)); do echo "--- w$i.log" >&2; tail -n 20 "$RUNDIR/w$i.log" >&2; done
  exit 1
fi

cfg=$RUNDIR/haproxy.cfg
awk -v bind="$BIND:$PORT" -v rundir="$RUNDIR" -v servers="$servers" '
  /^[[:space:]]*#/ { print; next }
  /^@SERVERS@[[:space:]]*$/ { printf "%s", servers; next }
  { gsub(/@BIND@/, bind); gsub(/@RUNDIR@/, rundir); print }
' "$ROOT/deploy/haproxy.cfg.template" >"$cfg"
haproxy -c -q -f "$cfg" || { echo "haproxy rejected $cfg" >&2; exit 1; }

# -db: no daemon, stays a child of this script; its log (server UP/DOWN) goes to our stderr.
haproxy -db -f "$cfg" </dev/null &
hap_pid=$!
wait_ok 30 "$hap_pid" "http://$BIND:$PORT/_stcore/health" || exit 1

echo "class of $N workers at http://$BIND:$PORT/  (run dir $RUNDIR; Ctrl-C stops it)"
rc=0
wait "$hap_pid" || rc=$?
hap_pid=""
echo "haproxy exited ($rc)" >&2
exit "$rc"
