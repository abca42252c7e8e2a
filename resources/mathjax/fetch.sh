#!/usr/bin/env bash
# Installs MathJax 3 (mathjax-full, pinned by package-lock.json) into
# resources/mathjax/node_modules: the app typesets formulas with it
# (app/chat/math), and the .deb installs the part it reads. Run by dev.sh
# for run, test and package; afterwards everything works offline.
# Idempotent and quick: a stamp holding the lock file's hash skips `npm ci`
# when node_modules already matches it. Outside CI a failed install is only a
# warning (formulas then show as their TeX source); under CI=true it fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.ponder-stamp
want=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exit 0
fi

in_ci() { [[ -n "${CI:-}" && "${CI,,}" != "0" && "${CI,,}" != "false" ]]; }

if ! command -v npm >/dev/null; then
    echo "resources/mathjax/fetch.sh: npm is not installed; formulas will show as source" >&2
    in_ci && exit 1
    exit 0
fi

echo "Installing MathJax into resources/mathjax/node_modules"
# --ignore-scripts: MathJax needs no install scripts, and none should run.
if npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; then
    echo "$want" > "$stamp"
else
    echo "resources/mathjax/fetch.sh: npm ci failed; formulas will show as source" >&2
    in_ci && exit 1
    exit 0
fi
