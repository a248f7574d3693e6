#!/usr/bin/env bash
# The long fuzz run of docs/reliability.md: one Jazzer target (a *FuzzTest class) for RUNS inputs, default 10 million,
# with its heap after GC sampled every minute (the old generation after a full GC). New crash inputs land in the target's ...FuzzTestInputs/ resource
# directory, ready to commit with their fix; the corpus Jazzer grows stays in <module>/.cifuzz-corpus (ignored).
#   nice -n 19 bash scripts/fuzz-long.sh UwsgiParserFuzzTest [RUNS]
# FUZZ_MAX_TIME=SECONDS stops the run earlier (libFuzzer's -max_total_time; 0, the default, means no limit), still with
# its final statistics, for a run that must end by a given time.
# The last lines of libFuzzer's output ("Done N runs", stat::number_of_executed_units) give the inputs run; the heap
# samples go to <module>/target/fuzz-heap-<target>.txt.
# A run stopped by a signal (Ctrl-C, SIGTERM) has Jazzer write the input it was running as a crash-... file among the
# target's inputs: no finding (it passes when replayed). The script names any such file after a stop; do not commit it.
# FUZZ_MAX_TIME ends a run without one.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz-long.sh TARGET [RUNS]}
runs=${2:-10000000}
max_time=${FUZZ_MAX_TIME:-0}
case "$target" in
  UwsgiParserFuzzTest|UwsgiRequestMappingFuzzTest|ChunkedBodyDecoderFuzzTest) module=jetty-connector/connector ;;
  UwsgiConfigFuzzTest) module=config ;;
  HttpStatsConnectionFuzzTest|SubscriptionParserFuzzTest) module=launcher/core ;;
  GatewayValidatorFuzzTest) module=adapter ;;
  *) echo "fuzz-long.sh: target $target (expected: one of the *FuzzTest classes listed in docs/reliability.md)" >&2; exit 2 ;;
esac
heap="$module/target/fuzz-heap-$target.txt"
mkdir -p "$module/target"
: > "$heap"
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
# libFuzzer takes the last value of a flag: these come after the test's own maxDuration.
mvn -B -ntp -Pfuzz -pl "$module" -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false -Dfuzz.test="$target" -Dfuzz.timeout=24h \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs="$runs" -Djazzer.internal.arg.2=-max_total_time="$max_time" \
  -Djazzer.internal.arg.3=-print_final_stats=1 &
maven=$!
(
  while kill -0 "$maven" 2>/dev/null; do
    sleep 60
    # surefire starts its JVM through sh -c: the fork is a child or a grandchild of Maven's JVM
    for fork in $(for child in $(pgrep -P "$maven" || true); do pgrep -P "$child" java || echo "$child"; done); do
      [ "$(cat "/proc/$fork/comm" 2>/dev/null)" = java ] || continue
      jcmd "$fork" GC.run > /dev/null 2>&1 || continue
      # the old generation right after a full GC: what the run keeps (the young generation refills at once)
      echo "$(date -u +%H:%M:%S) old generation after GC: $(jstat -gc "$fork" 2>/dev/null | awk 'NR == 2 { printf "%.1f MB", $8 / 1024 }')" >> "$heap"
    done
  done
) &
stopped=0
trap 'stopped=1; kill -TERM "$maven" 2>/dev/null || true' INT TERM
status=0
# a trapped signal ends the first wait early: wait again for Maven itself
wait "$maven" || status=$?
while kill -0 "$maven" 2>/dev/null; do wait "$maven" || status=$?; done
if [ "$stopped" = 1 ]; then
  find "$module/src/test/resources" -path "*/${target}Inputs/*" -type f -newer "$marker" | while read -r written; do
    echo "fuzz-long.sh: $written was written because the run was stopped, not by a finding: do not commit it" >&2
  done
fi
exit "$status"
