#!/usr/bin/env bash
# A crowd of idle connections must not slow service for others: one launcher serving the 13-byte hello servlet behind
# one nginx worker (uwsgi over a Unix socket), wrk -t2 -c64 through nginx, measured alternately without and with a
# crowd of idle connections held open on the launcher's uwsgi TCP socket (idle-crowd.py, which reopens any the server
# closes). Prints p99 (and req/s, p50, errors, the launcher's threads and open fds) of each condition, median over the
# rounds, and the ratio of the p99s, measured in the same run. See README.md beside this script.
set -euo pipefail

usage()
{
  cat <<EOF
usage: $0 [options]
  --idle N             idle connections in the crowd                        (default 10000)
  --rounds N           rounds; each runs the load without, then with the crowd (default 3)
  --duration S         seconds per run                                      (default 10)
  --warmup S           seconds of unmeasured load first                     (default 5)
  --connections N      wrk connections                                      (default 64)
  --socket-timeout S   the launcher's socket-timeout; the default holds the crowd for the whole run,
                       a small one (4, uWSGI's) turns it into a churn of timed-out, reopened connections (default 600)
  --half-head          the crowd sends half a packet head instead of nothing
  --no-build           do not run maven first
Results: stdout, and benchmarks/target/idle.txt
EOF
}

IDLE=10000
ROUNDS=3
DURATION=10
WARMUP=5
CONNECTIONS=64
SOCKET_TIMEOUT=600
HALF_HEAD=""
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --idle) IDLE="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --socket-timeout) SOCKET_TIMEOUT="$2"; shift 2 ;;
    --half-head) HALF_HEAD=--half-head; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-idle: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="$ROOT/launcher/dist/target/jetty-uwsgi"
RESULTS="$ROOT/benchmarks/target/idle.txt"
PATH="$PATH:/usr/sbin:/sbin"
for command in nginx wrk java javac jar python3 curl; do
  command -v "$command" >/dev/null || { echo "run-idle: $command not found (expected: installed by scripts/install-system-deps.sh, as root, and a JDK 17)" >&2; exit 1; }
done
source "$ROOT/src/it/load/wrk-results.sh"

# The crowd's process holds IDLE sockets and the launcher as many: both inherit this shell's limit (the JVM also raises
# its own soft limit to the hard one).
NEEDED=$(( IDLE + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEEDED" ]; then
  ulimit -n "$NEEDED" 2>/dev/null || { echo "run-idle: cannot raise the open files limit to $NEEDED (hard limit: $(ulimit -Hn)); use --idle $(( $(ulimit -Hn) - 1024 )) or raise it as root" >&2; exit 1; }
fi

if [ "$BUILD" = 1 ]; then
  echo "run-idle: building the launcher (mvn -pl launcher/dist -am package -DskipTests)"
  (cd "$ROOT" && mvn -B -q -ntp -pl launcher/dist -am package -DskipTests)
fi
[ -f "$DIST/jetty-uwsgi-launcher.jar" ] || { echo "run-idle: $DIST/jetty-uwsgi-launcher.jar missing (expected: built by maven; drop --no-build)" >&2; exit 1; }

SCRIPT=run-idle
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"
start_work idle
CROWD=""
before_stop_all()
{
  [ -z "$CROWD" ] || kill -TERM "$CROWD" 2>/dev/null || true
}

# ---- the launcher and nginx ----

BODY="Hello, World!"
SERVLET_API=$(ls "$DIST"/lib/ee11/jakarta.servlet-api-*.jar | head -1)
mkdir -p "$WORK/hello-war/WEB-INF/classes"
javac -d "$WORK/hello-war/WEB-INF/classes" -cp "$SERVLET_API" "$HERE/HelloServlet.java"
(cd "$WORK/hello-war" && jar cf "$WORK/hello.war" .)

TCP=$(free_port); STATS=$(free_port)
# listen 1024: the crowd connects in a burst, as an attacker would
java -Xms256m -Xmx256m -jar "$DIST/jetty-uwsgi-launcher.jar" --socket "$WORK/app.sock" --socket "127.0.0.1:$TCP" \
     --chmod-socket 666 --war "$WORK/hello.war" --disable-logging --listen 1024 --socket-timeout "$SOCKET_TIMEOUT" \
     --stats "127.0.0.1:$STATS" >"$WORK/launcher.out" 2>&1 &
LAUNCHER=$!; PIDS+=("$LAUNCHER")
wait_for launcher "grep -qs 'ready: pid' '$WORK/launcher.out'" "$LAUNCHER" "$WORK/launcher.out"

NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $WORK/nginx-body; uwsgi_temp_path $WORK/nginx-uwsgi; proxy_temp_path $WORK/nginx-proxy;
  server { listen 127.0.0.1:$NGINX_PORT; location / {
    uwsgi_param REQUEST_METHOD \$request_method; uwsgi_param REQUEST_URI \$request_uri; uwsgi_param PATH_INFO \$document_uri;
    uwsgi_param QUERY_STRING \$query_string; uwsgi_param SERVER_PROTOCOL \$server_protocol; uwsgi_param REQUEST_SCHEME \$scheme;
    uwsgi_param REMOTE_ADDR \$remote_addr; uwsgi_param REMOTE_PORT \$remote_port; uwsgi_param SERVER_PORT \$server_port;
    uwsgi_param SERVER_NAME \$server_name; uwsgi_param CONTENT_TYPE \$content_type; uwsgi_param CONTENT_LENGTH \$content_length;
    uwsgi_pass unix:$WORK/app.sock; } }
}
EOF
mkdir -p "$WORK/nginx-body" "$WORK/nginx-uwsgi" "$WORK/nginx-proxy"
nginx -c "$WORK/nginx.conf" -p "$WORK" >"$WORK/nginx.out" 2>&1 &
NGINX_MASTER=$!; PIDS+=("$NGINX_MASTER")
wait_for nginx "[ -s '$WORK/nginx.pid' ] && pgrep -P $NGINX_MASTER >/dev/null" "$NGINX_MASTER" "$WORK/nginx-error.log"
URL="http://127.0.0.1:$NGINX_PORT/"
answer=$(curl -s "$URL")
[ "$answer" = "$BODY" ] || { echo "run-idle: nginx answered '$answer' (expected: '$BODY')" >&2; exit 1; }

threads() { awk '/^Threads:/ { print $2 }' "/proc/$LAUNCHER/status"; }
fds() { ls "/proc/$LAUNCHER/fd" | wc -l; }
socket_timeouts()
{
  python3 - "$STATS" <<'EOF'
import json, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
data = b""
while chunk := s.recv(65536):
    data += chunk
print(sum(sock.get("socket_timeouts", 0) for sock in json.loads(data)["sockets"]))
EOF
}

start_crowd()
{
  rm -f "$WORK/crowd.status"
  python3 "$HERE/idle-crowd.py" --connect "127.0.0.1:$TCP" --count "$IDLE" --status "$WORK/crowd.status" $HALF_HEAD 2>"$WORK/crowd.err" &
  CROWD=$!
  wait_for "the crowd of $IDLE" "[ -s '$WORK/crowd.status' ]" "$CROWD" "$WORK/crowd.err"
  # the launcher has accepted them all
  for _ in $(seq 1 600); do [ "$(fds)" -ge "$IDLE" ] && break; sleep 0.1; done
}

stop_crowd()
{
  kill -TERM "$CROWD"; wait "$CROWD" 2>/dev/null || true; CROWD=""
  for _ in $(seq 1 600); do [ "$(fds)" -lt "$BASE_FDS" ] && break; sleep 0.1; done
}

echo "run-idle: warm-up ${WARMUP}s"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$URL" >/dev/null
BASE_FDS=$(( $(fds) + 200 ))

# One line per run: condition round requests rps p50 p99 errors threads fds
: >"$WORK/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for condition in alone crowd; do
    [ "$condition" = alone ] || start_crowd
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency "$URL" >"$WORK/run.raw"
    held=$([ "$condition" = alone ] && echo 0 || awk '{ print $2 }' "$WORK/crowd.status")
    echo "$condition $round $(wrk_summary "$WORK/run.raw") $(threads) $(fds) $held" >>"$WORK/runs.txt"
    [ "$condition" = alone ] || stop_crowd
    tail -1 "$WORK/runs.txt" | awk -v R="$ROUNDS" '{ printf "run-idle: round %d/%d %-6s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  launcher threads %d  fds %d  idle held %d\n", $2, R, $1, $4, $5, $6, $7, $8, $9, $10 }'
  done
done

# ---- the table ----

mkdir -p "$(dirname "$RESULTS")"
{
  echo "idle crowd: $IDLE connections ($([ -n "$HALF_HEAD" ] && echo "half a packet head each" || echo "nothing sent")), socket-timeout $SOCKET_TIMEOUT s;" \
       "wrk -t2 -c$CONNECTIONS ${DURATION}s through one nginx worker, $ROUNDS rounds, medians; $(nproc) cores"
  printf "%-7s %10s %9s %9s %7s %8s %7s\n" condition "req/s" "p50 ms" "p99 ms" errors threads fds
  for condition in alone crowd; do
    rps=$(awk -v c=$condition '$1 == c { print $4 }' "$WORK/runs.txt" | median)
    p50=$(awk -v c=$condition '$1 == c { print $5 }' "$WORK/runs.txt" | median)
    p99=$(awk -v c=$condition '$1 == c { print $6 }' "$WORK/runs.txt" | median)
    errors=$(awk -v c=$condition '$1 == c { s += $7 } END { print s + 0 }' "$WORK/runs.txt")
    threads=$(awk -v c=$condition '$1 == c { print $8 }' "$WORK/runs.txt" | median)
    fds=$(awk -v c=$condition '$1 == c { print $9 }' "$WORK/runs.txt" | median)
    printf "%-7s %10.0f %9.2f %9.2f %7d %8.0f %7.0f\n" "$condition" "$rps" "$p50" "$p99" "$errors" "$threads" "$fds"
    eval "P99_$condition=$p99"
  done
  awk -v a="$P99_alone" -v c="$P99_crowd" 'BEGIN { printf "p99 with the crowd / p99 without: %.2f (target: at most 2)\n", c / a }'
  echo "connections closed by socket-timeout (stats): $(socket_timeouts)"
} | tee "$RESULTS"
