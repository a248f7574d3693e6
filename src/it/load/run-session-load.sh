#!/usr/bin/env bash
# Throughput and latency of the session-counter WAR on one launcher, sessions in memory vs in PostgreSQL
# (--session-store jdbc:...), measured in the same run: SessionLoadRig starts a private PostgreSQL and the two
# launchers (HTTP sockets, no frontend), wrk sends POST /counter/count, each wrk thread with a session of its own,
# the two targets alternated round after round. See README.md in this directory and docs/fleet.md.
set -euo pipefail

usage()
{
  cat <<USAGE
usage: $0 [options]
  --rounds N        rounds; every round runs each target once   (default 3)
  --duration S      seconds per wrk run                          (default 10)
  --threads N       wrk threads = sessions                       (default 4)
  --connections N   wrk connections                              (default 16)
  --warmup S        seconds of unmeasured load per target first  (default 5)
  --no-build        do not run maven first (src/it/target must already hold the test classes and WARs)
Results: a table on stdout and in src/it/target/session-load-results.txt
USAGE
}

ROUNDS=3
DURATION=10
THREADS=4
CONNECTIONS=16
WARMUP=5
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-session-load: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
IT="$ROOT/src/it"
RESULTS="$IT/target/session-load-results.txt"
command -v wrk >/dev/null || { echo "run-session-load: wrk not found (expected: installed by scripts/install-system-deps.sh, as root)" >&2; exit 1; }

TARGETS=(memory jdbc)
declare -A PORT
RIG_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/jetty-uwsgi-session-load.XXXXXX")"

cleanup()
{
  if [ -n "$RIG_PID" ] && kill -0 "$RIG_PID" 2>/dev/null; then
    echo "run-session-load: stopping PostgreSQL and the launchers (SessionLoadRig pid $RIG_PID)"
    kill -TERM "$RIG_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$RIG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$RIG_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$BUILD" = 1 ]; then
  echo "run-session-load: building the launcher, the WARs and the test harness (mvn -pl src/it -am verify -DskipTests)"
  (cd "$ROOT" && mvn -q -pl src/it -am verify -DskipTests)
fi
MAX_SECONDS=$(( (ROUNDS + 1) * ${#TARGETS[@]} * (DURATION + WARMUP + 5) + 600 ))
echo "run-session-load: starting SessionLoadRig (PostgreSQL + 2 launchers), logs in $IT/target/it-work/session-load"
java -Dit.launcher.jar="$ROOT/launcher/dist/target/jetty-uwsgi/jetty-uwsgi-launcher.jar" \
     -Dit.echo.war="$IT/target/it-wars/echo.war" \
     -Dit.streaming.war="$IT/target/it-wars/streaming.war" \
     -Dit.session-counter.war="$IT/target/it-wars/session-counter.war" \
     -Dit.postgresql.jar="$IT/target/it-wars/postgresql.jar" \
     -Dit.work.dir="$IT/target/it-work" \
     -cp "$IT/target/test-classes" io.github.jettyuwsgi.it.SessionLoadRig "$WORK/ports" "$MAX_SECONDS" \
     >"$WORK/rig.out" 2>&1 &
RIG_PID=$!
for _ in $(seq 1 3000); do
  [ -f "$WORK/ports" ] && break
  kill -0 "$RIG_PID" 2>/dev/null || { echo "run-session-load: SessionLoadRig exited before the servers were up:" >&2; cat "$WORK/rig.out" >&2; exit 1; }
  sleep 0.1
done
[ -f "$WORK/ports" ] || { echo "run-session-load: servers not up after 300 s:" >&2; cat "$WORK/rig.out" >&2; exit 1; }
PORT[memory]=$(sed -n 's/^MEMORY=//p' "$WORK/ports")
PORT[jdbc]=$(sed -n 's/^JDBC=//p' "$WORK/ports")

# Each wrk thread keeps the session cookie of its first answer: THREADS sessions, each counted by its connections.
cat >"$WORK/session.lua" <<'LUA'
local cookie = nil
request = function()
  if cookie then
    return wrk.format("POST", "/counter/count", { ["Cookie"] = cookie })
  end
  return wrk.format("POST", "/counter/count")
end
response = function(status, headers, body)
  local set = headers["Set-Cookie"]
  if set and not cookie then
    cookie = set:match("^([^;]+)")
  end
end
LUA

source "$IT/load/wrk-results.sh"

run_wrk()
{
  local target="$1" seconds="$2" out="$3"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s --latency -s "$WORK/session.lua" "http://127.0.0.1:${PORT[$target]}" >"$out"
}

for target in "${TARGETS[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:${PORT[$target]}/counter/count" || true)
  [ "$status" = 200 ] || { echo "run-session-load: $target: POST /counter/count answered '$status' (expected: 200)" >&2; exit 1; }
  if [ "$WARMUP" -gt 0 ]; then
    echo "run-session-load: warm-up $target ${WARMUP}s"
    run_wrk "$target" "$WARMUP" "$WORK/warmup-$target.txt"
  fi
done

: >"$WORK/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    out="$WORK/run-$round-$target.txt"
    run_wrk "$target" "$DURATION" "$out"
    read -r _ rps p50 p99 errors <<<"$(wrk_summary "$out")"
    echo "$target $round $rps $p50 $p99 $errors" >>"$WORK/runs.txt"
    printf 'run-session-load: round %d/%d %-7s %10.1f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d\n' "$round" "$ROUNDS" "$target" "$rps" "$p50" "$p99" "$errors"
  done
done

mkdir -p "$(dirname "$RESULTS")"
{
  echo "# jetty-uwsgi session store load test, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "# wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s POST /counter/count ($THREADS sessions); $ROUNDS rounds, targets alternated; ${WARMUP}s warm-up per target"
  echo "# $(java -version 2>&1 | head -1); launcher -Xmx256m, HTTP socket; PostgreSQL fsync=off; $(nproc) CPUs shared by wrk, PostgreSQL and the launchers"
  printf '%-7s %14s %16s %14s %14s %8s\n' store "req/s median" "req/s min-max" "p50 ms median" "p99 ms median" "errors"
  for target in "${TARGETS[@]}"; do
    rps_median=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | median)
    rps_min=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | sort -g | head -1)
    rps_max=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | sort -g | tail -1)
    p50_median=$(awk -v t="$target" '$1 == t { print $4 }' "$WORK/runs.txt" | median)
    p99_median=$(awk -v t="$target" '$1 == t { print $5 }' "$WORK/runs.txt" | median)
    errors=$(awk -v t="$target" '$1 == t { s += $6 } END { print s + 0 }' "$WORK/runs.txt")
    printf '%-7s %14.0f %16s %14.3f %14.3f %8d\n' "$target" "$rps_median" "$(printf '%.0f-%.0f' "$rps_min" "$rps_max")" "$p50_median" "$p99_median" "$errors"
  done
  memory=$(awk '$1 == "memory" { print $3 }' "$WORK/runs.txt" | median)
  jdbc=$(awk '$1 == "jdbc" { print $3 }' "$WORK/runs.txt" | median)
  awk -v m="$memory" -v j="$jdbc" 'BEGIN { printf "jdbc / memory throughput: %.4f\n", j / m }'
} | tee "$RESULTS"
