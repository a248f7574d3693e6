#!/usr/bin/env bash
# Fails when a tracked file reaches outside the checkout: a clone on a new machine must build and pass its tests with
# nothing beside it; and when code outside the connector imports the connector's internal package.
# Cheap (git grep only), so scripts/test.sh runs it before anything is built.
set -euo pipefail
cd "$(dirname "$0")/.."

# One rule per line: "<extended regex> :: <why it is refused>". Docs may mention these words; code, poms and scripts may not.
RULES=(
  '\.\./shared :: the shared notes sit beside our own checkout only; commit the data (test resources) and read it from there'
  'resolveSibling\("shared"\) :: a sibling of the checkout is outside the repository'
  'multiModuleProjectDirectory\}/\.\. :: a path above the project root is outside the repository'
  '(^|[^A-Za-z0-9_.])/(work|farm)/ :: an absolute path of one machine'
  '/root/\.m2 :: the local Maven repository of one machine'
)

status=0
for rule in "${RULES[@]}"; do
  pattern=${rule%% :: *}
  why=${rule#* :: }
  # Markdown may name these places in prose; this script holds the patterns themselves.
  if hits=$(git grep -nE "$pattern" -- . ':!*.md' ':!scripts/check-repository.sh'); then
    echo "check-repository: $why:" >&2
    echo "$hits" | sed 's/^/  /' >&2
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "check-repository: no tracked file reads outside the checkout"
fi

# The connector's internal package is not API: its module-info does not export it, but every other module of this
# repository runs on the class path, where nothing enforces that. This does.
connector_dir=jetty-connector/connector
if hits=$(git grep -nE '^import (static )?io\.github\.jettyuwsgi\.uwsgi\.internal\.' -- '*.java' ":!$connector_dir/"); then
  echo "check-repository: io.github.jettyuwsgi.uwsgi.internal is the connector's own; use its public packages:" >&2
  echo "$hits" | sed 's/^/  /' >&2
  status=1
else
  echo "check-repository: nothing outside $connector_dir imports io.github.jettyuwsgi.uwsgi.internal"
fi
exit "$status"
