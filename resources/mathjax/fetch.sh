#!/usr/bin/env bash
# Installs MathJax 3 (mathjax-full, pinned by package-lock.json) into
# resources/mathjax/node_modules: the app typesets formulas with it
# (app/chat/math), and the .deb installs the part it reads. Run by dev.sh
# for run, test and package; afterwards everything works offline. Quick when
# already installed; see packaging/npm-install.sh.
# --ignore-scripts: MathJax needs no install scripts, and none should run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/packaging/npm-install.sh" "$root/resources/mathjax" "MathJax" \
    "formulas will show as their TeX source" --ignore-scripts
