#!/usr/bin/env bash
# Installs the npm packages pinned by DIR's package-lock.json into
# DIR/node_modules (the fetch.sh beside each lock file calls it):
#   packaging/npm-install.sh DIR WHAT CONSEQUENCE [npm ci options...]
# WHAT names the packages in the progress line, CONSEQUENCE says what a
# failed install means for the user. Idempotent and quick: a stamp holding
# the lock file's hash skips `npm ci` when node_modules already matches it.
# Outside CI a failed install is only a warning; under CI=true it fails.
set -euo pipefail
dir=$1 what=$2 consequence=$3
shift 3
cd "$dir"

stamp=node_modules/.ponder-stamp
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exit 0
fi

in_ci() { [[ -n "${CI:-}" && "${CI,,}" != "0" && "${CI,,}" != "false" ]]; }

if ! command -v npm >/dev/null; then
    echo "$dir: npm is not installed; $consequence" >&2
    in_ci && exit 1
    exit 0
fi

echo "Installing $what into $dir/node_modules"
if npm ci --no-audit --no-fund --loglevel=error "$@"; then
    echo "$want" > "$stamp"
else
    echo "$dir: npm ci failed; $consequence" >&2
    in_ci && exit 1
    exit 0
fi
