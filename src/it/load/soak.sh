#!/usr/bin/env bash
# Soak: one launcher (-Xmx256m) behind real nginx under a mixed load for a long time, sampled every 10 s (heap after
# a full GC, RSS, open fds, threads, direct buffers), with the first and last windows compared at the end.
# See README.md beside this script and docs/reliability.md ("Soak").
set -euo pipefail

usage()
{
  cat <<EOF2
usage: $0 [options]
  --duration S   seconds of load                        (default 1800: 30 minutes)
  --clients N    client threads of the mixed load       (default 6)
  --no-build     do not run maven first (src/it/target must already hold the test classes and WARs)
Results: the samples and the summary on stdout and in src/it/target/soak-results.txt; exit status 1 if the load met
an unexpected error (a wrong status or length, a stack trace in a body, a failed connection).
EOF2
}

DURATION=1800
CLIENTS=6
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
IT="$ROOT/src/it"
RESULTS="$IT/target/soak-results.txt"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "soak: nginx not found (expected: installed by scripts/install-system-deps.sh, as root)" >&2; exit 1; }

if [ "$BUILD" = 1 ]; then
  echo "soak: building the launcher, the WARs and the test harness (mvn -pl src/it -am verify -DskipTests)"
  (cd "$ROOT" && mvn -q -pl src/it -am verify -DskipTests)
fi

mkdir -p "$(dirname "$RESULTS")"
java -Dit.launcher.jar="$ROOT/launcher/dist/target/jetty-uwsgi/jetty-uwsgi-launcher.jar" \
     -Dit.echo.war="$IT/target/it-wars/echo.war" \
     -Dit.streaming.war="$IT/target/it-wars/streaming.war" \
     -Dit.work.dir="$IT/target/it-work" \
     -cp "$IT/target/test-classes" io.github.jettyuwsgi.it.soak.Soak "$DURATION" "$CLIENTS" | tee "$RESULTS"
status=${PIPESTATUS[0]}
echo "soak: results written to $RESULTS"
exit "$status"
