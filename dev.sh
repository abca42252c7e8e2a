#!/usr/bin/env bash
# The two Quick start commands:
#   ./dev.sh run  [ponder args...]   set up, build, and launch Ponder
#   ./dev.sh test [ctest args...]    set up, build, and run the whole test suite
# Both install what is missing (Debian packages from packaging/, npm test
# data), configure once, and build incrementally; run again, they are quick.
# To install it: ./dev.sh package builds build/<preset>/ponder_<version>_amd64.deb.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
    run|test|package) ;;
    *) echo "usage: ./dev.sh run [ponder args...] | ./dev.sh test [ctest args...] | ./dev.sh package" >&2; exit 2 ;;
esac

bash packaging/install-deps.sh
# MathJax, which typesets the formulas in answers (npm; offline afterwards).
bash resources/mathjax/fetch.sh
if [[ "$command" == test && -f tests/data/package.json ]]; then
    bash tests/data/fetch.sh
fi

preset=${PONDER_PRESET:-release}
if [[ ! -f "build/$preset/build.ninja" ]]; then
    cmake --preset "$preset"
fi
cmake --build --preset "$preset"

case "$command" in
    run) exec "build/$preset/app/ponder" "$@" ;;
    test) exec ctest --preset "$preset" "$@" ;;
    # The Debian package (CPack, cmake/Packaging.cmake), beside the build.
    package) cd "build/$preset" && exec cpack -G DEB ;;
esac
