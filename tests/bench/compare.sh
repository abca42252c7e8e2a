#!/usr/bin/env bash
# Ponder (ponder-bench) and llama.cpp (llama_bench.mjs) on the same GGUF
# file, one after the other, for BENCHMARKS.md:
#
#   tests/bench/compare.sh [--device cpu --threads N [--simd AVX2]] [--sampler greedy|default]
#                          BUILD_DIR MODEL.gguf OUT_PREFIX [PROMPT_TOKENS] [GEN_TOKENS] [REPEAT]
#
# writes OUT_PREFIX.ponder.json and OUT_PREFIX.llama.json (progress on
# stderr). By default both run on Vulkan device 0 (lavapipe where it is the
# only one; llama.cpp only lists a CPU device when GGML_VK_VISIBLE_DEVICES
# names it). With --device cpu both run on their CPU engines (Ponder's
# CpuBackend, llama.cpp's CPU backend from @node-llama-cpp/linux-x64) with
# the same thread count (default 2). Both pick tokens the same way: by
# argmax (--sampler greedy, the default here) or with the app's default
# sampler (temperature 0.6, top-p 0.95). --simd AVX2 holds both CPU engines
# to AVX2, as on a CPU without AVX-512: Ponder by PONDER_CPU_SIMD
# (engine/src/cpu/simd_limit.h), llama.cpp by a copy of its package (hard
# links, in a temporary folder) that keeps only its haswell CPU build
# (AVX2, FMA, F16C), the one its loader then picks; the llama.cpp JSON's
# device.system_info shows which it ran.
# Installs node-llama-cpp into tests/bench/node_modules on first use, at the
# versions package-lock.json pins. Not `npm ci`: the registry has no 3.22.1
# of node-llama-cpp's macOS, Windows and riscv64 prebuilt packages, so the
# lock cannot list them and npm ci calls it out of sync; `npm install` with
# optional packages omitted installs exactly the locked tree (only the
# linux-x64-vulkan binaries, a direct dependency) and leaves the lock as is.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
device=vulkan threads=2 sampler=greedy simd=
while [[ ${1:-} == --* ]]; do
    case $1 in
        --device) device=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --sampler) sampler=$2; shift 2 ;;
        --simd) simd=$2; shift 2 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
build=$1 model=$2 out=$3 prompt=${4:-512} gen=${5:-128} repeat=${6:-3}

if [[ ! -d "$here/node_modules/node-llama-cpp" ]]; then
    (cd "$here" && npm install --omit=optional --no-audit --no-fund --loglevel=error)
fi

llama=$here
if [[ -n $simd ]]; then
    if [[ $device != cpu || $simd != AVX2 ]]; then
        echo "compare.sh: --simd takes AVX2, with --device cpu" >&2
        exit 1
    fi
    export PONDER_CPU_SIMD=$simd
    llama=$(mktemp -d "$here/.llama-avx2.XXXXXX")  # hard links need the same file system
    trap 'rm -rf "$llama"' EXIT
    cp -al "$here/node_modules" "$here/llama_bench.mjs" "$here/package.json" "$llama/"
    bins="$llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
    find "$bins" -name 'libggml-cpu-*.so' ! -name 'libggml-cpu-haswell.so' -delete
    [[ -f $bins/libggml-cpu-haswell.so ]] || { echo "compare.sh: no haswell build in $bins" >&2; exit 1; }
fi

if [[ $device == cpu ]]; then
    "$build/engine/tools/ponder-bench" --model "$model" --device cpu --threads "$threads" \
        --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat "$repeat" --sampler "$sampler" > "$out.ponder.json"
    node "$llama/llama_bench.mjs" --device cpu --threads "$threads" --model "$model" \
        --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat "$repeat" --sampler "$sampler" > "$out.llama.json"
else
    "$build/engine/tools/ponder-bench" --model "$model" --device vulkan:0 \
        --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat "$repeat" --sampler "$sampler" > "$out.ponder.json"
    GGML_VK_VISIBLE_DEVICES=0 node "$here/llama_bench.mjs" --model "$model" \
        --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat "$repeat" --sampler "$sampler" > "$out.llama.json"
fi
