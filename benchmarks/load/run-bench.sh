#!/usr/bin/env bash
# The uwsgi path against the ceiling of its frontend, side by side in one run: every target serves the same 13-byte
# hello (or, with --app echo, the echo WAR), one nginx worker in front, wrk -t2 -c64, targets alternated in rounds.
# Prints one table: req/s, p50/p99, server CPU us/request, nginx CPU us/request, voluntary context switches/request;
# with --profile a second, fixed-count table: syscalls/request (strace -f -c), selector registrations/request (its
# epoll_ctl calls) and bytes allocated/request (JFR).
# See README.md beside this script.
set -euo pipefail

usage()
{
  cat <<EOF
usage: $0 [options]
  --app hello|echo     the application: a 13-byte hello servlet (default), or war-examples/echo-war at /echo
  --rounds N           rounds; every round runs each target once            (default 3)
  --duration S         seconds per run                                      (default 5)
  --warmup S           seconds of unmeasured load per target first          (default 3)
  --connections N      wrk connections / load-client threads                (default 64)
  --targets A,B,...    only these targets (names as in the table)
  --launcher DIR       the launcher to measure: a launcher-dist 'jetty-uwsgi' directory (default: this checkout's build)
  --baseline DIR       also run a second launcher from DIR (a launcher-dist 'jetty-uwsgi' directory built from another
                       commit); its targets are named base-*
  --launcher-options "OPTS"  extra launcher options for our targets, e.g. "--acceptors 4" (word-split)
  --baseline-options "OPTS"  the same for the base-* targets
  --profile            after the timed rounds, the fixed-count table (strace and JFR; slow)
  --profile-requests N requests per fixed-count run of a direct-* target   (default 5000)
  --profile-seconds S  seconds of wrk per fixed-count run behind nginx      (default 3)
  --no-build           do not run maven first
Results: stdout, and benchmarks/target/load-<app>.txt
EOF
}

APP=hello
ROUNDS=3
DURATION=5
WARMUP=3
CONNECTIONS=64
ONLY=""
BASELINE=""
PROFILE=0
PROFILE_REQUESTS=5000
PROFILE_SECONDS=3
BUILD=1
LAUNCHER=""
OURS_OPTIONS=()
BASE_OPTIONS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --app) APP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --targets) ONLY="$2"; shift 2 ;;
    --baseline) BASELINE="$(cd "$2" && pwd)"; shift 2 ;;
    --launcher) LAUNCHER="$(cd "$2" && pwd)"; BUILD=0; shift 2 ;;
    --launcher-options) read -r -a OURS_OPTIONS <<<"$2"; shift 2 ;;
    --baseline-options) read -r -a BASE_OPTIONS <<<"$2"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --profile-requests) PROFILE_REQUESTS="$2"; shift 2 ;;
    --profile-seconds) PROFILE_SECONDS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-bench: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$APP" in hello|echo) ;; *) echo "run-bench: --app $APP (expected: hello or echo)" >&2; exit 2 ;; esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="${LAUNCHER:-$ROOT/launcher/dist/target/jetty-uwsgi}"
PACKETS="$ROOT/jetty-connector/captures/src/main/resources/io/github/jettyuwsgi/captures"
RESULTS="$ROOT/benchmarks/target/load-$APP.txt"
PATH="$PATH:/usr/sbin:/sbin"
for command in nginx wrk gcc java javac jar uwsgi strace jcmd jfr python3; do
  command -v "$command" >/dev/null || { echo "run-bench: $command not found (expected: installed by scripts/install-system-deps.sh, as root, and a JDK 17)" >&2; exit 1; }
done
source "$ROOT/src/it/load/wrk-results.sh"

if [ "$BUILD" = 1 ]; then
  echo "run-bench: building the launcher and the echo WAR (mvn -pl launcher/dist,war-examples/echo-war -am package -DskipTests)"
  (cd "$ROOT" && mvn -B -q -ntp -pl launcher/dist,war-examples/echo-war -am package -DskipTests)
fi
[ -f "$DIST/jetty-uwsgi-launcher.jar" ] || { echo "run-bench: $DIST/jetty-uwsgi-launcher.jar missing (expected: built by maven; drop --no-build)" >&2; exit 1; }

SCRIPT=run-bench
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"
start_work bench

# ---- the applications ----

BODY="Hello, World!"
if [ "$APP" = hello ]; then
  SERVLET_API=$(ls "$DIST"/lib/ee11/jakarta.servlet-api-*.jar | head -1)
  mkdir -p "$WORK/hello-war/WEB-INF/classes" "$WORK/jwsgi"
  javac -d "$WORK/hello-war/WEB-INF/classes" -cp "$SERVLET_API" "$HERE/HelloServlet.java"
  (cd "$WORK/hello-war" && jar cf "$WORK/hello.war" .)
  javac -d "$WORK/jwsgi" "$HERE/HelloJwsgi.java"
  WAR_OPTIONS=(--war "$WORK/hello.war")
  REQUEST_PATH="/"
  PACKET="$PACKETS/nginx-get-debian-params.bin"
else
  ECHO_WAR=$(ls "$ROOT"/war-examples/echo-war/target/*.war | head -1)
  WAR_OPTIONS=(--mount "/echo=$ECHO_WAR")
  REQUEST_PATH="/echo/load?x=1"
  BODY=""
  # The captured nginx packet asks for /hello/...; for the echo WAR the C client sends a packet for $REQUEST_PATH.
  PACKET="$WORK/echo.packet"
  python3 - "$PACKETS/nginx-get-debian-params.bin" "$PACKET" "$REQUEST_PATH" <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
size = struct.unpack('<H', data[1:3])[0]
block, i, pairs = data[4:4 + size], 0, []
while i < len(block):
    n = struct.unpack('<H', block[i:i + 2])[0]; k = block[i + 2:i + 2 + n]; i += 2 + n
    n = struct.unpack('<H', block[i:i + 2])[0]; v = block[i + 2:i + 2 + n]; i += 2 + n
    pairs.append((k, v))
path, _, query = sys.argv[3].partition('?')
replace = {b'REQUEST_URI': sys.argv[3].encode(), b'PATH_INFO': path.encode(), b'DOCUMENT_URI': path.encode(), b'QUERY_STRING': query.encode()}
out = b''.join(struct.pack('<H', len(k)) + k + struct.pack('<H', len(replace.get(k, v))) + replace.get(k, v) for k, v in pairs)
open(sys.argv[2], 'wb').write(bytes([0]) + struct.pack('<H', len(out)) + bytes([0]) + out)
EOF
fi
gcc -O2 -o "$WORK/null-backend" "$HERE/null-backend.c"
gcc -O2 -pthread -o "$WORK/load-client" "$HERE/load-client.c"

# ---- the servers ----

declare -A SERVER_PID NGINX_PORT DIRECT
TARGETS=()

# Launchers start in parallel (a JVM takes seconds to deploy a WAR on a loaded machine); await_launchers waits for all.
LAUNCHERS=()
start_launcher()
{
  local name="$1" dist="$2"; shift 2
  local tcp http fcgi
  tcp=$(free_port); http=$(free_port); fcgi=$(free_port)
  java -Xms256m -Xmx256m -jar "$dist/jetty-uwsgi-launcher.jar" --socket "$WORK/$name.sock" --socket "127.0.0.1:$tcp" \
       --chmod-socket 666 --http-socket "127.0.0.1:$http" --fastcgi-socket "127.0.0.1:$fcgi" "$@" \
       >"$WORK/$name.out" 2>&1 &
  SERVER_PID[$name]=$!
  PIDS+=("$!")
  LAUNCHERS+=("$name")
  eval "${name}_TCP=$tcp; ${name}_HTTP=$http; ${name}_FCGI=$fcgi"
}
await_launchers()
{
  # with --logto the launcher's own log goes to $WORK/$name.log
  for name in "${LAUNCHERS[@]}"; do
    wait_for "launcher $name" "grep -qs 'ready: pid' '$WORK/$name.out' '$WORK/$name.log'" "${SERVER_PID[$name]}" "$WORK/$name.out"
  done
}

start_launcher ours "$DIST" "${WAR_OPTIONS[@]}" "${OURS_OPTIONS[@]}" --disable-logging
start_launcher ourslog "$DIST" "${WAR_OPTIONS[@]}" "${OURS_OPTIONS[@]}" --logto "$WORK/ourslog.log"
if [ -n "$BASELINE" ]; then
  start_launcher base "$BASELINE" "${WAR_OPTIONS[@]}" "${BASE_OPTIONS[@]}" --disable-logging
  start_launcher baselog "$BASELINE" "${WAR_OPTIONS[@]}" "${BASE_OPTIONS[@]}" --logto "$WORK/baselog.log"
fi
if [ "$APP" = hello ]; then
  # the JVM plugin's own application on our launcher (GatewayServlet): the same code behind both
  start_launcher oursjwsgi "$DIST" --jwsgi HelloJwsgi:application --classpath "$WORK/jwsgi" "${OURS_OPTIONS[@]}" --disable-logging
  [ -z "$BASELINE" ] || start_launcher basejwsgi "$BASELINE" --jwsgi HelloJwsgi:application --classpath "$WORK/jwsgi" "${BASE_OPTIONS[@]}" --disable-logging
  # no servlet container: the connectors and one core handler (HelloHandlerServer.java)
  HANDLER_HTTP=$(free_port)
  mkdir -p "$WORK/handler"
  javac -d "$WORK/handler" -cp "$DIST/lib/core/*" "$HERE/HelloHandlerServer.java"
  java -Xms256m -Xmx256m -cp "$WORK/handler:$DIST/lib/core/*" HelloHandlerServer "$WORK/handler.sock" "$HANDLER_HTTP" \
       >"$WORK/handler.out" 2>&1 &
  SERVER_PID[handler]=$!; PIDS+=("$!")
fi

if [ "$APP" = hello ]; then
  "$WORK/null-backend" "$WORK/null.sock" >"$WORK/null.out" 2>&1 &
  SERVER_PID[null]=$!; PIDS+=("$!")
  wait_for "null backend" "[ -S '$WORK/null.sock' ]" "${SERVER_PID[null]}" "$WORK/null.out"
  # uWSGI without --master: one process that accepts, serves and logs, as in the issue's measurement.
  uwsgi --plugins python3 --socket "$WORK/uwsgi-py.sock" --processes 1 --listen 1024 --chmod-socket=666 --disable-logging \
        --wsgi-file "$HERE/hello.py" >"$WORK/uwsgi-py.out" 2>&1 &
  SERVER_PID[uwsgi-py]=$!; PIDS+=("$!")
  wait_for "uWSGI python3" "grep -q 'spawned uWSGI worker\|WSGI app 0' '$WORK/uwsgi-py.out' && [ -S '$WORK/uwsgi-py.sock' ]" "${SERVER_PID[uwsgi-py]}" "$WORK/uwsgi-py.out"
  uwsgi --plugins jvm,jwsgi --socket "$WORK/uwsgi-jvm.sock" --processes 1 --listen 1024 --chmod-socket=666 --disable-logging \
        --jvm-classpath /usr/share/java/uwsgi.jar --jvm-classpath "$WORK/jwsgi" --jwsgi HelloJwsgi:application \
        >"$WORK/uwsgi-jvm.out" 2>&1 &
  SERVER_PID[uwsgi-jvm]=$!; PIDS+=("$!")
  wait_for "uWSGI jvm+jwsgi" "grep -q 'JWSGI app' '$WORK/uwsgi-jvm.out' && [ -S '$WORK/uwsgi-jvm.sock' ]" "${SERVER_PID[uwsgi-jvm]}" "$WORK/uwsgi-jvm.out"
fi
await_launchers
[ "$APP" != hello ] || wait_for "core handler server" "grep -q '^ready' '$WORK/handler.out'" "${SERVER_PID[handler]}" "$WORK/handler.out"

# One nginx, one worker, one server block per target.
NGINX_CONF="$WORK/nginx.conf"
UWSGI_PARAMS='uwsgi_param QUERY_STRING $query_string; uwsgi_param REQUEST_METHOD $request_method; uwsgi_param CONTENT_TYPE $content_type;
      uwsgi_param CONTENT_LENGTH $content_length; uwsgi_param REQUEST_URI $request_uri; uwsgi_param PATH_INFO $document_uri;
      uwsgi_param DOCUMENT_ROOT $document_root; uwsgi_param SERVER_PROTOCOL $server_protocol; uwsgi_param REQUEST_SCHEME $scheme;
      uwsgi_param HTTPS $https if_not_empty; uwsgi_param REMOTE_ADDR $remote_addr; uwsgi_param REMOTE_PORT $remote_port;
      uwsgi_param SERVER_PORT $server_port; uwsgi_param SERVER_NAME $server_name;'
# Debian nginx's fastcgi_params, without the PHP-only REDIRECT_STATUS (as docs/frontends.md tells users)
FASTCGI_PARAMS='fastcgi_param QUERY_STRING $query_string; fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type; fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param SCRIPT_NAME $fastcgi_script_name; fastcgi_param REQUEST_URI $request_uri;
      fastcgi_param DOCUMENT_URI $document_uri; fastcgi_param DOCUMENT_ROOT $document_root;
      fastcgi_param SERVER_PROTOCOL $server_protocol; fastcgi_param REQUEST_SCHEME $scheme; fastcgi_param HTTPS $https if_not_empty;
      fastcgi_param GATEWAY_INTERFACE CGI/1.1; fastcgi_param SERVER_SOFTWARE nginx/$nginx_version;
      fastcgi_param REMOTE_ADDR $remote_addr; fastcgi_param REMOTE_PORT $remote_port; fastcgi_param REMOTE_USER $remote_user;
      fastcgi_param SERVER_ADDR $server_addr; fastcgi_param SERVER_PORT $server_port; fastcgi_param SERVER_NAME $server_name;'
{
  echo "worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $WORK/nginx-body; uwsgi_temp_path $WORK/nginx-uwsgi; proxy_temp_path $WORK/nginx-proxy; fastcgi_temp_path $WORK/nginx-fastcgi;"
} >"$NGINX_CONF"
add_nginx_target()
{
  local name="$1" server="$2" location="$3" port
  port=$(free_port)
  NGINX_PORT[$name]=$port
  [ -z "$server" ] || SERVER_PID[$name]=${SERVER_PID[$server]}
  TARGETS+=("$name")
  echo "  server { listen 127.0.0.1:$port; location / { $location } }" >>"$NGINX_CONF"
}
add_direct_target()
{
  local name="$1" server="$2"; shift 2
  DIRECT[$name]="$*"
  SERVER_PID[$name]=${SERVER_PID[$server]}
  TARGETS+=("$name")
}
add_nginx_target nginx-return "" "return 200 '$BODY';"
if [ "$APP" = hello ]; then
  add_nginx_target null-c null "$UWSGI_PARAMS uwsgi_pass unix:$WORK/null.sock;"
  add_nginx_target uwsgi-py uwsgi-py "$UWSGI_PARAMS uwsgi_pass unix:$WORK/uwsgi-py.sock;"
  add_nginx_target uwsgi-jvm uwsgi-jvm "$UWSGI_PARAMS uwsgi_modifier1 8; uwsgi_pass unix:$WORK/uwsgi-jvm.sock;"
  for instance in ours ${BASELINE:+base}; do
    add_nginx_target "$instance-unix-jwsgi" "${instance}jwsgi" "$UWSGI_PARAMS uwsgi_pass unix:$WORK/${instance}jwsgi.sock;"
    add_direct_target "direct-$instance-jwsgi" "${instance}jwsgi" uwsgi "$WORK/${instance}jwsgi.sock" "$PACKET"
  done
  echo "  upstream handler-http { server 127.0.0.1:$HANDLER_HTTP; keepalive 16; keepalive_timeout 3s; }" >>"$NGINX_CONF"
  add_nginx_target handler-unix handler "$UWSGI_PARAMS uwsgi_pass unix:$WORK/handler.sock;"
  add_nginx_target handler-http-ka handler "proxy_http_version 1.1; proxy_set_header Connection ''; proxy_set_header Host \$host; proxy_pass http://handler-http;"
fi
for instance in ours ${BASELINE:+base}; do
  tcp_var="${instance}_TCP"; http_var="${instance}_HTTP"; fcgi_var="${instance}_FCGI"
  echo "  upstream $instance-http { server 127.0.0.1:${!http_var}; keepalive 16; keepalive_timeout 3s; }" >>"$NGINX_CONF"
  echo "  upstream $instance-fcgi { server 127.0.0.1:${!fcgi_var}; keepalive 16; keepalive_timeout 3s; }" >>"$NGINX_CONF"
  add_nginx_target "$instance-unix" "$instance" "$UWSGI_PARAMS uwsgi_pass unix:$WORK/$instance.sock;"
  add_nginx_target "$instance-unix-log" "${instance}log" "$UWSGI_PARAMS uwsgi_pass unix:$WORK/${instance}log.sock;"
  add_nginx_target "$instance-tcp" "$instance" "$UWSGI_PARAMS uwsgi_pass 127.0.0.1:${!tcp_var};"
  add_nginx_target "$instance-http-ka" "$instance" "proxy_http_version 1.1; proxy_set_header Connection ''; proxy_set_header Host \$host; proxy_pass http://$instance-http;"
  add_nginx_target "$instance-fcgi-ka" "$instance" "$FASTCGI_PARAMS fastcgi_keep_conn on; fastcgi_pass $instance-fcgi;"
  add_direct_target "direct-$instance-uwsgi" "$instance" uwsgi "$WORK/$instance.sock" "$PACKET"
  add_direct_target "direct-$instance-uwsgi-log" "${instance}log" uwsgi "$WORK/${instance}log.sock" "$PACKET"
  add_direct_target "direct-$instance-close" "$instance" close "127.0.0.1:${!http_var}" "$REQUEST_PATH"
  add_direct_target "direct-$instance-ka" "$instance" keepalive "127.0.0.1:${!http_var}" "$REQUEST_PATH"
done
if [ "$APP" = hello ]; then
  add_direct_target direct-uwsgi-py uwsgi-py uwsgi "$WORK/uwsgi-py.sock" "$PACKET"
  add_direct_target direct-null-c null uwsgi "$WORK/null.sock" "$PACKET"
  add_direct_target direct-handler-uwsgi handler uwsgi "$WORK/handler.sock" "$PACKET"
  add_direct_target direct-handler-ka handler keepalive "127.0.0.1:$HANDLER_HTTP" "$REQUEST_PATH"
fi
echo "}" >>"$NGINX_CONF"
mkdir -p "$WORK/nginx-body" "$WORK/nginx-uwsgi" "$WORK/nginx-proxy" "$WORK/nginx-fastcgi"
nginx -c "$NGINX_CONF" -p "$WORK" >"$WORK/nginx.out" 2>&1 &
NGINX_MASTER=$!; PIDS+=("$NGINX_MASTER")
wait_for nginx "[ -s '$WORK/nginx.pid' ] && pgrep -P $NGINX_MASTER >/dev/null" "$NGINX_MASTER" "$WORK/nginx-error.log"
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
SERVER_PID[nginx-return]=$NGINX_WORKER

if [ -n "$ONLY" ]; then
  IFS=, read -r -a wanted <<<"$ONLY"
  selected=()
  for target in "${TARGETS[@]}"; do
    for w in "${wanted[@]}"; do [ "$target" = "$w" ] && selected+=("$target"); done
  done
  TARGETS=("${selected[@]}")
fi

# ---- one run ----

# CPU time (ticks) of a process and all its threads, dead ones included.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
voluntary_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'; }
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))

# run_load TARGET SECONDS|-nCOUNT OUT: the load, as "requests rps p50 p99 errors" in OUT
run_load()
{
  local target="$1" amount="$2" out="$3"
  if [ -n "${DIRECT[$target]:-}" ]; then
    read -r mode address argument <<<"${DIRECT[$target]}"
    "$WORK/load-client" "$mode" "$address" "$argument" "$CONNECTIONS" "$amount" "$BODY" >"$out.raw"
    sed 's/[a-z_0-9]*=//g' "$out.raw" | awk '{ print $1, $3, $4, $5, $6 }' >"$out"
  else
    wrk -t2 -c"$CONNECTIONS" -d"${amount}s" --timeout 10s --latency "http://127.0.0.1:${NGINX_PORT[$target]}$REQUEST_PATH" >"$out.raw"
    wrk_summary "$out.raw" >"$out"
  fi
}

check_answer()
{
  local target="$1" out="$WORK/check-$target"
  if [ -n "${DIRECT[$target]:-}" ]; then
    read -r mode address argument <<<"${DIRECT[$target]}"
    "$WORK/load-client" "$mode" "$address" "$argument" 1 -n3 "$BODY" >"$out"
    grep -q 'requests=3 .*errors=0' "$out" || { echo "run-bench: $target: wrong answer: $(cat "$out")" >&2; exit 1; }
  else
    local body status
    body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:${NGINX_PORT[$target]}$REQUEST_PATH")
    status=${body##*$'\n'}; body=${body%$'\n'*}
    [ "$status" = 200 ] || { echo "run-bench: $target answered $status (expected: 200)" >&2; exit 1; }
    [ -z "$BODY" ] || [ "$body" = "$BODY" ] || { echo "run-bench: $target answered '$body' (expected: '$BODY')" >&2; exit 1; }
  fi
}

for target in "${TARGETS[@]}"; do check_answer "$target"; done
if [ "$WARMUP" -gt 0 ]; then
  for target in "${TARGETS[@]}"; do
    echo "run-bench: warm-up $target ${WARMUP}s"
    run_load "$target" "$WARMUP" "$WORK/warmup"
  done
fi

# One line per run: target round rps p50 p99 errors cpu_us_per_request nginx_us_per_request switches_per_request
: >"$WORK/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    pid=${SERVER_PID[$target]}
    cpu0=$(cpu_ticks "$pid"); ng0=$(cpu_ticks "$NGINX_WORKER"); cs0=$(voluntary_switches "$pid")
    run_load "$target" "$DURATION" "$WORK/run"
    cpu1=$(cpu_ticks "$pid"); ng1=$(cpu_ticks "$NGINX_WORKER"); cs1=$(voluntary_switches "$pid")
    # a run that produced no summary (the client failed) counts as one error instead of ending the benchmark
    read -r requests rps p50 p99 errors <"$WORK/run" || {
      echo "run-bench: $target round $round: no result: $(tail -2 "$WORK/run.raw" 2>/dev/null)" >&2
      requests=0 rps=0 p50=0 p99=0 errors=1
    }
    awk -v t="$target" -v r="$round" -v n="$requests" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v e="$errors" \
        -v cpu=$(( (cpu1 - cpu0) * TICK_US )) -v ng=$(( (ng1 - ng0) * TICK_US )) -v cs=$(( cs1 - cs0 )) -v direct="${DIRECT[$target]:+1}" \
        'BEGIN { n = n > 0 ? n : 1; printf "%s %d %.1f %.3f %.3f %d %.1f %s %.2f\n", t, r, rps, p50, p99, e, cpu / n, direct ? "-" : sprintf("%.1f", ng / n), cs / n }' \
        >>"$WORK/runs.txt"
    tail -1 "$WORK/runs.txt" | awk -v R="$ROUNDS" '{ printf "run-bench: round %d/%d %-20s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  cpu %6.1f us/req  nginx %s us/req  vcsw %.2f/req\n", $2, R, $1, $3, $4, $5, $6, $7, $8, $9 }'
  done
done

# ---- the fixed-count run: syscalls and allocation per request ----

declare -A SYSCALLS EPOLL_CTL ALLOC
if [ "$PROFILE" = 1 ]; then
  # Allocation is counted exactly, not sampled: the heap in use before and after the run, plus what every
  # collection in between freed (JFR's jdk.GCHeapSummary gives the heap in use before and after each).
  cat >"$WORK/heap.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.GCHeapSummary"><setting name="enabled">true</setting></event>
</configuration>
EOF
  heap_used() { jcmd "$1" GC.heap_info | awk '/ heap / { for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K,?$/, "", $(i + 1)); print $(i + 1) * 1024; exit } }'; }
  for target in "${TARGETS[@]}"; do
    # every target with a server process; behind nginx wrk runs for a fixed time and its request count divides
    pid=${SERVER_PID[$target]:-}
    [ -n "$pid" ] || continue
    if [ -n "${DIRECT[$target]:-}" ]; then amount="-n$PROFILE_REQUESTS"; else amount=$PROFILE_SECONDS; fi
    echo "run-bench: fixed-count run $target: ${amount#-n} ${DIRECT[$target]:+requests}${DIRECT[$target]:-seconds} under strace -f -c"
    strace -f -c -p "$pid" -o "$WORK/strace-$target" 2>/dev/null &
    strace_pid=$!
    sleep 1
    run_load "$target" "$amount" "$WORK/profile"
    kill -INT "$strace_pid"; wait "$strace_pid" || true
    read -r requests _ <"$WORK/profile"
    SYSCALLS[$target]=$(awk -v n="$requests" '$NF == "total" { printf "%.1f", $4 / n }' "$WORK/strace-$target")
    # a registration with a selector: the uwsgi fast path's misses (a read that found nothing, an incomplete write)
    EPOLL_CTL[$target]=$(awk -v n="$requests" '$NF == "epoll_ctl" { c = $4 } END { printf "%.2f", c / n }' "$WORK/strace-$target")
    if [ -d "/proc/$pid" ] && grep -q java "/proc/$pid/cmdline" && [ "$(readlink "/proc/$pid/exe")" != "$(command -v uwsgi)" ]; then
      jcmd "$pid" JFR.start name=bench settings="$WORK/heap.jfc" >/dev/null
      used_before=$(heap_used "$pid")
      run_load "$target" "$amount" "$WORK/profile"
      used_after=$(heap_used "$pid")
      jcmd "$pid" JFR.stop name=bench filename="$WORK/heap-$target.jfr" >/dev/null
      read -r requests _ <"$WORK/profile"
      jfr print --json --events jdk.GCHeapSummary "$WORK/heap-$target.jfr" >"$WORK/heap-$target.json"
      ALLOC[$target]=$(python3 - "$WORK/heap-$target.json" "$used_before" "$used_after" "$requests" <<'EOF'
import json, sys
# allocated = the growth of the heap in use over the run + what each collection freed (in use before it - after it)
heap = {}
for e in json.load(open(sys.argv[1]))['recording']['events']:
    heap.setdefault(e['values']['gcId'], {})[e['values']['when']] = e['values']['heapUsed']
freed = sum(gc['Before GC'] - gc['After GC'] for gc in heap.values() if 'Before GC' in gc and 'After GC' in gc)
print("%.0f" % ((int(sys.argv[3]) - int(sys.argv[2]) + freed) / int(sys.argv[4])))
EOF
)
    fi
  done
fi

# ---- the table ----

mkdir -p "$(dirname "$RESULTS")"
column_of() { awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$WORK/runs.txt"; }
{
  echo "# jetty-uwsgi load benchmark ($APP), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# wrk -t2 -c$CONNECTIONS (direct-*: load-client, $CONNECTIONS threads) ${DURATION}s GET $REQUEST_PATH; $ROUNDS rounds alternated, ${WARMUP}s warm-up each; one nginx worker"
  echo "# $(nginx -v 2>&1); $(java -version 2>&1 | head -1); $(uwsgi --version); launchers -Xmx256m${OURS_OPTIONS[*]:+; ours with ${OURS_OPTIONS[*]}}${BASE_OPTIONS[*]:+; base with ${BASE_OPTIONS[*]}}"
  echo "# medians over the rounds; cpu = server process us/request (/proc/PID/stat), nginx = its worker's; vcsw = server voluntary context switches/request"
  printf '%-20s %9s %14s %8s %8s %8s %8s %6s %6s' target "req/s" "min-max" "p50 ms" "p99 ms" "cpu us" "nginx us" vcsw errors
  [ "$PROFILE" = 1 ] && printf ' %9s %9s %9s' "syscalls" "epoll_ctl" "alloc B"
  printf '\n'
  for target in "${TARGETS[@]}"; do
    rps=$(column_of "$target" 3 | median)
    lo=$(column_of "$target" 3 | sort -g | head -1); hi=$(column_of "$target" 3 | sort -g | tail -1)
    nginx_us=$(column_of "$target" 8 | head -1)
    [ "$nginx_us" = "-" ] || nginx_us=$(column_of "$target" 8 | median)
    printf '%-20s %9.0f %14s %8.2f %8.2f %8.1f %8s %6.2f %6d' "$target" "$rps" "$(printf '%.0f-%.0f' "$lo" "$hi")" \
      "$(column_of "$target" 4 | median)" "$(column_of "$target" 5 | median)" "$(column_of "$target" 7 | median)" \
      "$nginx_us" "$(column_of "$target" 9 | median)" "$(column_of "$target" 6 | awk '{ s += $1 } END { print s + 0 }')"
    [ "$PROFILE" = 1 ] && printf ' %9s %9s %9s' "${SYSCALLS[$target]:--}" "${EPOLL_CTL[$target]:--}" "${ALLOC[$target]:--}"
    printf '\n'
  done
} | tee "$RESULTS"
echo "run-bench: results written to $RESULTS"
