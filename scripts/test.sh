#!/usr/bin/env bash
# Runs every test of the project: unit tests, then the end-to-end tests against real frontends (src/it, Failsafe).
# First the cheap repository check (nothing tracked reads outside the checkout), then the system programs the
# end-to-end tests need (scripts/install-system-deps.sh: Debian packages, as root).
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-repository.sh
bash scripts/install-system-deps.sh
# Every build replays each fuzz target's corpus and committed inputs; -Pfuzz adds the short fuzzing run of each target,
# a fixed number of inputs from a fixed seed, so that it fails for the code and not for luck (docs/reliability.md).
exec mvn -B -ntp verify -Pfuzz -Dfuzz.runs=2000 "$@"
