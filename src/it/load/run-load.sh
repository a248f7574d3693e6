#!/usr/bin/env bash
# Load comparison of three ways nginx can reach the jetty-uwsgi launcher, all on loopback:
#   uwsgi-tcp   nginx uwsgi_pass over TCP           (a new backend connection per request)
#   uwsgi-unix  nginx uwsgi_pass over a Unix socket (a new backend connection per request)
#   http-proxy  nginx proxy_pass, HTTP/1.1 with upstream keepalive (the baseline)
# The targets are alternated in rounds, so that a slow phase of the shared machine does not favour one target; the
# table gives the median over the rounds. See README.md beside this script.
set -euo pipefail

usage()
{
  cat <<EOF
usage: $0 [options]
  --rounds N        rounds; every round runs each target once   (default 5)
  --duration S      seconds per wrk run                          (default 10)
  --threads N       wrk threads                                  (default 2)
  --connections N   wrk connections                              (default 32)
  --path PATH       request path and query                       (default /echo/load?x=1)
  --warmup S        seconds of unmeasured load per target first  (default 5)
  --ports T,U,P     reuse running servers: the nginx ports of uwsgi-tcp, uwsgi-unix and http-proxy
                    (the NGINX_UWSGI_TCP, NGINX_UWSGI_UNIX and NGINX_HTTP_PROXY lines LoadRig prints)
  --no-build        do not run maven first (src/it/target must already hold the test classes and WARs)
Results: a table on stdout and in src/it/target/load-results.txt
EOF
}

ROUNDS=5
DURATION=10
THREADS=2
CONNECTIONS=32
REQUEST_PATH="/echo/load?x=1"
WARMUP=5
PORTS=""
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --path) REQUEST_PATH="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --ports) PORTS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-load: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
IT="$ROOT/src/it"
RESULTS="$IT/target/load-results.txt"
command -v wrk >/dev/null || { echo "run-load: wrk not found (expected: installed by scripts/install-system-deps.sh, as root)" >&2; exit 1; }

TARGETS=(uwsgi-tcp uwsgi-unix http-proxy)
declare -A PORT
RIG_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/jetty-uwsgi-load.XXXXXX")"

cleanup()
{
  if [ -n "$RIG_PID" ] && kill -0 "$RIG_PID" 2>/dev/null; then
    echo "run-load: stopping the launcher and nginx (LoadRig pid $RIG_PID)"
    kill -TERM "$RIG_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$RIG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$RIG_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$PORTS" ]; then
  IFS=, read -r PORT[uwsgi-tcp] PORT[uwsgi-unix] PORT[http-proxy] <<<"$PORTS"
  echo "run-load: reusing running servers on ports ${PORTS}"
else
  if [ "$BUILD" = 1 ]; then
    echo "run-load: building the launcher, the WARs and the test harness (mvn -pl src/it -am verify -DskipTests)"
    (cd "$ROOT" && mvn -q -pl src/it -am verify -DskipTests)
  fi
  # Everything runs on loopback; the bound is the wrk time plus generous start and stop time.
  MAX_SECONDS=$(( (ROUNDS + 1) * ${#TARGETS[@]} * (DURATION + WARMUP + 5) + 300 ))
  echo "run-load: starting LoadRig (launcher + nginx), logs in $IT/target/it-work/load"
  java -Dit.launcher.jar="$ROOT/launcher/dist/target/jetty-uwsgi/jetty-uwsgi-launcher.jar" \
       -Dit.echo.war="$IT/target/it-wars/echo.war" \
       -Dit.streaming.war="$IT/target/it-wars/streaming.war" \
       -Dit.work.dir="$IT/target/it-work" \
       -cp "$IT/target/test-classes" io.github.jettyuwsgi.it.LoadRig "$WORK/ports" "$MAX_SECONDS" \
       >"$WORK/rig.out" 2>&1 &
  RIG_PID=$!
  for _ in $(seq 1 1200); do
    [ -f "$WORK/ports" ] && break
    kill -0 "$RIG_PID" 2>/dev/null || { echo "run-load: LoadRig exited before the servers were up:" >&2; cat "$WORK/rig.out" >&2; exit 1; }
    sleep 0.1
  done
  [ -f "$WORK/ports" ] || { echo "run-load: servers not up after 120 s:" >&2; cat "$WORK/rig.out" >&2; exit 1; }
  PORT[uwsgi-tcp]=$(sed -n 's/^NGINX_UWSGI_TCP=//p' "$WORK/ports")
  PORT[uwsgi-unix]=$(sed -n 's/^NGINX_UWSGI_UNIX=//p' "$WORK/ports")
  PORT[http-proxy]=$(sed -n 's/^NGINX_HTTP_PROXY=//p' "$WORK/ports")
fi

for target in "${TARGETS[@]}"; do
  url="http://127.0.0.1:${PORT[$target]}$REQUEST_PATH"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
  [ "$status" = 200 ] || { echo "run-load: $target: GET $url answered '$status' (expected: 200)" >&2; exit 1; }
done

source "$IT/load/wrk-results.sh"

run_wrk()
{
  local target="$1" seconds="$2" out="$3"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s --latency "http://127.0.0.1:${PORT[$target]}$REQUEST_PATH" >"$out"
}

if [ "$WARMUP" -gt 0 ]; then
  for target in "${TARGETS[@]}"; do
    echo "run-load: warm-up $target ${WARMUP}s"
    run_wrk "$target" "$WARMUP" "$WORK/warmup-$target.txt"
  done
fi

# One line per run: target round requests/s p50 p99 errors
: >"$WORK/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    out="$WORK/run-$round-$target.txt"
    run_wrk "$target" "$DURATION" "$out"
    read -r _ rps p50 p99 errors <<<"$(wrk_summary "$out")"
    echo "$target $round $rps $p50 $p99 $errors" >>"$WORK/runs.txt"
    printf 'run-load: round %d/%d %-10s %10.1f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d\n' "$round" "$ROUNDS" "$target" "$rps" "$p50" "$p99" "$errors"
  done
done

mkdir -p "$(dirname "$RESULTS")"
{
  echo "# jetty-uwsgi load test, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "# wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s GET $REQUEST_PATH; $ROUNDS rounds, targets alternated; ${WARMUP}s warm-up per target"
  echo "# $(nginx -v 2>&1 || true); $(java -version 2>&1 | head -1); launcher -Xmx256m; $(nproc) CPUs shared by wrk, nginx and the launcher"
  printf '%-11s %14s %16s %14s %14s %8s\n' target "req/s median" "req/s min-max" "p50 ms median" "p99 ms median" "errors"
  for target in "${TARGETS[@]}"; do
    rps_median=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | median)
    rps_min=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | sort -g | head -1)
    rps_max=$(awk -v t="$target" '$1 == t { print $3 }' "$WORK/runs.txt" | sort -g | tail -1)
    p50_median=$(awk -v t="$target" '$1 == t { print $4 }' "$WORK/runs.txt" | median)
    p99_median=$(awk -v t="$target" '$1 == t { print $5 }' "$WORK/runs.txt" | median)
    errors=$(awk -v t="$target" '$1 == t { s += $6 } END { print s + 0 }' "$WORK/runs.txt")
    printf '%-11s %14.0f %16s %14.3f %14.3f %8d\n' "$target" "$rps_median" "$(printf '%.0f-%.0f' "$rps_min" "$rps_max")" "$p50_median" "$p99_median" "$errors"
  done
} | tee "$RESULTS"
echo "run-load: results written to $RESULTS"
