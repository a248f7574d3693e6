# Sourced by run-bench.sh and run-idle.sh: the work directory, the servers they start and stop, free ports, and the
# wait for a server to come up. The sourcing script sets SCRIPT (its name, for messages) first.

# A work directory in $TMPDIR, removed at exit unless KEEP_WORK is set; every server started goes into PIDS, and is
# stopped at exit (TERM, then KILL after 10 s).
start_work()
{
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/jetty-uwsgi-$1.XXXXXX")"
  # nginx's worker runs as another user when started by root: it must reach the sockets in here
  chmod 755 "$WORK"
  PIDS=()
  trap stop_all EXIT
  trap 'exit 130' INT TERM
}

stop_all()
{
  if declare -F before_stop_all >/dev/null; then before_stop_all; fi
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

free_port()
{
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for WHAT CHECK PID LOG: evaluates CHECK every 0.1 s for up to 180 s; fails with LOG's tail if PID exits first.
wait_for()
{
  local what="$1" check="$2" pid="$3" log="$4"
  for _ in $(seq 1 1800); do
    eval "$check" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$SCRIPT: $what exited while starting:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$SCRIPT: $what not up after 180 s:" >&2; tail -20 "$log" >&2; exit 1
}
