#!/usr/bin/env bash
# The CPU kernels' check (cpu_kernels_check.cpp) cross-built for arm64 and run
# under qemu-user: once built for armv8.2-a+dotprod (NEON with sdot, on qemu's
# `max` CPU) and once for plain armv8-a (NEON without it, on a Cortex-A53).
# Exits non-zero on any mismatch.
#
#   tests/cross/run-arm64.sh [--no-install] [BUILD_DIR]
#
# Installs what is missing with apt-get (Debian 12; adds the arm64
# architecture to dpkg; needs root or sudo): g++-aarch64-linux-gnu,
# qemu-user, libhwy-dev:arm64, cmake, ninja-build. With --no-install (how
# CTest runs it, label `cross`) it exits 77, "skipped", when any is missing.
# BUILD_DIR defaults to build/cross-arm64. JOBS sets the build's parallelism (2).
set -euo pipefail

install=1
if [[ "${1:-}" == "--no-install" ]]; then
    install=0
    shift
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/cross-arm64}"

packages=(g++-aarch64-linux-gnu qemu-user libhwy-dev:arm64 cmake ninja-build)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    if ((!install)); then
        echo "run-arm64.sh: skipped, missing ${missing[*]} (run tests/cross/run-arm64.sh once to install them)"
        exit 77
    fi
    sudo=()
    if ((EUID != 0)); then
        sudo=(sudo)
    fi
    echo "run-arm64.sh: installing ${missing[*]}"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        "${sudo[@]}" dpkg --add-architecture arm64
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

cmake -S "$root/tests/cross" -B "$build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/aarch64-linux-gnu.cmake" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j "${JOBS:-2}"
# -V: the check's counts per target and path, also when it passes.
ctest --test-dir "$build" -L cross -V
