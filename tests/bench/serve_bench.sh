#!/usr/bin/env bash
# Streaming through ponder-server against ponder-bench on the same model and
# device, for BENCHMARKS.md (issue 17: at most 2% added to decode time per
# token; time to first byte after the prompt under 5 ms):
#
#   tests/bench/serve_bench.sh BUILD_DIR MODEL.gguf [--device D] [--threads N] [GEN_TOKENS] [REPEAT]
#
# Prints ponder-bench's JSON, then serve_bench.mjs's. Run on a quiet machine.
# firstByteMs includes evaluating the one prompt token the cache lacks; take
# ponder-bench's decode time per token from it for the server's own share.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$1 model=$2
shift 2
device=vulkan threads=
while [[ ${1:-} == --* ]]; do
    case $1 in
        --device) device=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        *) echo "serve_bench.sh: unknown option $1" >&2; exit 1 ;;
    esac
done
gen=${1:-256} repeat=${2:-5}
thread_args=()
[[ -n "$threads" ]] && thread_args=(--threads "$threads")

"$build/engine/tools/ponder-bench" --model "$model" --device "$device" "${thread_args[@]}" \
    --prompt-tokens 32 --gen-tokens "$gen" --repeat "$repeat" --sampler greedy

log=$(mktemp)
"$build/app/serve/ponder-server" --model "$model" --device "$device" "${thread_args[@]}" --port 0 \
    --context $((gen + 512)) --model-id bench 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
url=
for _ in $(seq 600); do
    url=$(sed -n 's|.*\(http://127\.0\.0\.1:[0-9]*/v1\).*|\1|p' "$log")
    [[ -n "$url" ]] && break
    kill -0 $pid 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
[[ -n "$url" ]] || { echo "ponder-server did not start"; cat "$log"; exit 1; }
node "$here/serve_bench.mjs" "$url" bench "$gen" "$repeat"
