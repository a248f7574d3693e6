#!/usr/bin/env bash
# Runs every test of the project: unit tests, then the end-to-end tests against real frontends (src/it, Failsafe).
# First the cheap repository check (nothing tracked reads outside the checkout), then the system programs the
# end-to-end tests need (scripts/install-system-deps.sh: Debian packages, as root).
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-repository.sh
bash scripts/install-system-deps.sh
# Every build replays each fuzz target's corpus and committed inputs (docs/reliability.md); the short fuzzing run
# (-Pfuzz) is not part of this command while its open findings stand (docs/reliability.md, "Open findings").
exec mvn -B -ntp verify "$@"
