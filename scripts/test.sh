#!/usr/bin/env bash
# Runs every test of the project: unit tests, then the end-to-end tests against a real nginx (src/it, Failsafe).
# Installs the system programs the end-to-end tests need first (nginx, wrk: Debian packages, as root).
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
exec mvn -B -ntp verify "$@"
