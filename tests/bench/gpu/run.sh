#!/usr/bin/env bash
# Ponder beside llama.cpp's Vulkan backend on one GPU, in one command, on a
# machine with no network and none of our build dependencies: everything
# comes from the bundle tests/bench/gpu/pack.sh made.
#
#   tests/bench/gpu/run.sh [--tiny] [--sweep] [--budget SECONDS] BUNDLE_DIR OUT_DIR
#
# In order, while the budget lasts (default 510 s; a step that would not fit
# is skipped and says so):
#   1. the GPU, its driver and the Vulkan devices both engines see; then
#      correctness on this GPU: tiny models' logits after 1, 5 and 70 tokens
#      (the decode, batched-matvec and matmul paths) against the CPU
#      reference engine;
#   2. Qwen-1.5B, Llama-8B and Qwen-14B shapes at Q4_K_M with random weights
#      (ponder-make-model; the 14B is written in the background while the
#      smaller ones are measured);
#   3. per model: both engines at a 512-token prompt and 128 decoded tokens,
#      greedy (3 repeats); on the 1.5B also with the app's default sampler;
#   4. decode at 8k and 32k tokens of context (64 tokens after the prompt).
# Every result lands as JSON in OUT_DIR with the logs; summary.md there (also
# printed last) holds the table: both engines' figures and their ratio,
# Ponder's decode bandwidth fraction against the device's copy bandwidth,
# GPU time against wall time per decode step, dispatches and barrier phases
# per token, and the top kernels.
#
# --sweep measures Ponder's decode matvec shapes instead (rows per workgroup
# x invocations, through PONDER_MATVEC_ROWS/_WG) on the Qwen-1.5B shape and
# a 6-layer Llama-8B (the 8B's matrices in a fifth of the writing time),
# picks the fastest per model, checks its logits, and runs the comparison
# (512/128 and 32k context) with it.
#
# --tiny runs the same steps on tiny models with contexts of 512 and 1024
# tokens: the dry run on lavapipe (`GGML_VK_VISIBLE_DEVICES=0`), which must
# pass before any GPU time is spent (see BENCHMARKS.md).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tiny=0 sweep=0 budget=510
while [[ ${1:-} == --* ]]; do
    case $1 in
        --tiny) tiny=1; shift ;;
        --sweep) sweep=1; shift ;;
        --budget) budget=$2; shift 2 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
bundle=$(cd "${1:?usage: run.sh [--tiny] [--budget S] BUNDLE_DIR OUT_DIR}" && pwd)
mkdir -p "${2:?usage: run.sh [--tiny] [--budget S] BUNDLE_DIR OUT_DIR}"
out=$(cd "$2" && pwd)
start=$SECONDS
work=${PONDER_GPU_WORK:-/tmp/ponder-gpu}
log="$out/run.log"
: > "$log"

say() { echo "[$((SECONDS - start))s] $*" | tee -a "$log" >&2; }
left() { echo $((budget - (SECONDS - start))); }

# Runs a step under the time that is left, when at least `need` seconds are.
#   step NAME NEED command...
# A step may take up to three times what it needs, so one slow step cannot
# eat the runs after it.
step() {
    local name=$1 need=$2
    shift 2
    local remaining
    remaining=$(left)
    local limit=$((need * 3 > 60 ? need * 3 : 60))
    (( limit > remaining )) && limit=$remaining
    if (( remaining < need )); then
        say "skip $name: needs ~${need}s, ${remaining}s left"
        echo "skipped (needs ~${need}s, ${remaining}s left)" > "$out/$name.skipped"
        return 1
    fi
    say "run $name"
    local t0=$SECONDS
    timeout --kill-after=5 "$limit" "$@" > "$out/$name.json" 2> "$out/$name.err"
    local rc=$?
    if (( rc != 0 )); then
        say "FAILED $name (exit $rc after $((SECONDS - t0))s): $(tail -n 3 "$out/$name.err" | tr '\n' ' ')"
        rm -f "$out/$name.json"
        return 1
    fi
    say "done $name in $((SECONDS - t0))s"
}

# --- unpack ---------------------------------------------------------------
rm -rf "$work"
mkdir -p "$work/ponder" "$work/llama" "$work/lib" "$work/models"
xz -dc "$bundle/ponder.tar.xz" | tar -C "$work/ponder" -xf - || { say "cannot unpack ponder.tar.xz"; exit 1; }
xz -dc "$bundle/llama.tar.xz" | tar -C "$work/llama" -xf - || { say "cannot unpack llama.tar.xz"; exit 1; }
xz -dc "$bundle/node.xz" > "$work/node" && chmod +x "$work/node" || { say "cannot unpack node"; exit 1; }

# A bundled library only where the machine has none of that name, so the
# machine's own (newer) libstdc++ and friends win.
system_libs=$(ldconfig -p | awk '{ print $1 }')
for lib in "$work"/ponder/lib/* "$work"/ponder/vulkan/*; do
    name=$(basename "$lib")
    grep -qxF "$name" <<< "$system_libs" || ln -s "$lib" "$work/lib/$name"
done
export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# NVIDIA's image may keep its Vulkan driver outside the loader's search path.
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
    for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/icd.d/nvidia_icd.json; do
        [[ -f $icd ]] && export VK_DRIVER_FILES=$icd && break
    done
fi
bench="$work/ponder/bin/ponder-bench"
cli="$work/ponder/bin/ponder-cli"
make_model="$work/ponder/bin/ponder-make-model"
node="$work/node"
llama="$work/llama/llama_bench.mjs"

# --- the machine ----------------------------------------------------------
{
    echo "date: $(date -u +%FT%TZ)"
    echo "kernel: $(uname -srm)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) threads"
    echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,power.limit --format=csv
    echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
    echo "bundled libraries used: $(ls "$work/lib" | tr '\n' ' ')"
    cat "$bundle/MANIFEST" 2>/dev/null | head -4
} > "$out/machine.txt" 2>&1
cat "$out/machine.txt" >&2
"$bench" --help > /dev/null || { say "ponder-bench does not start: $(ldd "$bench" | grep 'not found')"; exit 1; }
"$node" --version > /dev/null || { say "node does not start"; exit 1; }

# --- correctness on this device -------------------------------------------
# Tiny models in three mixes; ponder-cli evaluates all positions at once,
# so 1 token runs the decode kernels, 5 the batched matvec, 70 the matmul.
# Quantized weights dequantize alike on both sides; the f16 KV cache and
# summation order leave ~1e-3 (tst_gpu_session's bar is 2e-3 for f16 caches).
threads=$(nproc)
ids=$(seq -s, 11 17 1200 | cut -d, -f1-70)
# Prints the verdict on FILE's logits after TOKENS (a comma list), the GPU
# run under the VAR=VALUE settings given, against the CPU reference; fails
# unless they are within tolerance.
logit_check() {
    local file=$1 tokens=$2
    shift 2
    if env "$@" timeout 120 "$cli" --model "$file" --device vulkan --tokens "$tokens" --dump-logits "$work/gpu.bin" \
           2>> "$out/correctness.log" &&
       timeout 120 "$cli" --model "$file" --device cpu-reference --tokens "$tokens" --dump-logits "$work/ref.bin" \
           2>> "$out/correctness.log"; then
        local verdict
        verdict=$(python3 "$here/check_logits.py" "$work/gpu.bin" "$work/ref.bin" 2048 5e-3)
        echo "$verdict"
        [[ $verdict == *": ok" ]]
    else
        echo "ponder-cli failed: $(tail -n 1 "$out/correctness.log")"
        return 1
    fi
}
checks=0 failures=0
for mix in "qwen2 Q4_K_M" "llama Q6_K" "qwen2 Q8_0"; do
    read -r arch quant <<< "$mix"
    file="$work/models/check-$arch-$quant.gguf"
    "$make_model" --out "$file" --arch "$arch" --mix "$quant" --seed 5 --vocab 2048 --threads "$threads" \
        > /dev/null 2>> "$out/correctness.log" || { say "FAILED writing $file"; failures=$((failures + 1)); continue; }
    for count in 1 5 70; do
        checks=$((checks + 1))
        verdict=$(logit_check "$file" "$(cut -d, -f1-$count <<< "$ids")") || failures=$((failures + 1))
        echo "$arch $quant, $count tokens: $verdict" | tee -a "$out/correctness.txt" >&2
    done
done
say "correctness: $((checks - failures)) of $checks checks within tolerance"

# --- models ---------------------------------------------------------------
if (( tiny )); then
    shapes=(tiny-qwen tiny-llama tiny-qwen-wide)
    declare -A shape_args=(
        [tiny-qwen]="--arch qwen2 --embd 256 --layers 4 --heads 4 --kv-heads 2 --ff 512 --vocab 4096 --ctx 4096"
        [tiny-llama]="--arch llama --embd 256 --layers 4 --heads 8 --kv-heads 2 --ff 640 --vocab 4096 --ctx 4096"
        [tiny-qwen-wide]="--arch qwen2 --embd 384 --layers 4 --heads 6 --kv-heads 2 --ff 1024 --vocab 4096 --ctx 4096")
    contexts=(512 1024)
    prompt=64 gen=16
    (( sweep )) && shapes=(tiny-qwen tiny-llama)
elif (( sweep )); then
    shapes=(qwen-1.5b llama-8b-6layers)
    declare -A shape_args=([qwen-1.5b]="--shape qwen-1.5b"
        [llama-8b-6layers]="--arch llama --embd 4096 --layers 6 --heads 32 --kv-heads 8 --ff 14336 --vocab 128256 --ctx 131072")
    contexts=(8192 32768)
    prompt=512 gen=128
else
    shapes=(qwen-1.5b llama-8b qwen-14b)
    declare -A shape_args=([qwen-1.5b]="--shape qwen-1.5b" [llama-8b]="--shape llama-8b" [qwen-14b]="--shape qwen-14b")
    contexts=(8192 32768)
    prompt=512 gen=128
fi
model() { echo "$work/models/$1-Q4_K_M.gguf"; }
write_model() {
    # shellcheck disable=SC2086
    "$make_model" --out "$(model "$1")" ${shape_args[$1]} --mix Q4_K_M --seed 7 --threads "$2" \
        > "$out/make-$1.log" 2>&1
}
say "writing ${shapes[0]} and ${shapes[1]} ($threads threads)"
write_model "${shapes[0]}" "$threads" || say "FAILED writing ${shapes[0]}: $(tail -n 2 "$out/make-${shapes[0]}.log")"
write_model "${shapes[1]}" "$threads" || say "FAILED writing ${shapes[1]}: $(tail -n 2 "$out/make-${shapes[1]}.log")"
# The largest in the background, at low priority and on half the threads:
# the GPU-side figures do not depend on the CPU, and each engine's host work
# per token is a small part of one core.
if (( ! sweep )); then
say "writing ${shapes[2]} in the background"
( nice -n 19 "$make_model" --out "$(model "${shapes[2]}")" ${shape_args[${shapes[2]}]} --mix Q4_K_M --seed 7 \
      --threads $((threads > 2 ? threads / 2 : 1)) > "$out/make-${shapes[2]}.log" 2>&1 &&
      touch "$work/models/${shapes[2]}.done" ) &
maker=$!
fi

# --- measurements ---------------------------------------------------------
# Commands, not functions: `step` runs them under timeout(1).
ponder=("$bench" --device vulkan)
llama_run=(env "GGML_VK_VISIBLE_DEVICES=${GGML_VK_VISIBLE_DEVICES:-0}" "$node" "$llama" --flash-attention on)
pair() {  # pair NAME MODEL NEED_EACH ARGS...: both engines, same file and settings
    local name=$1 file=$2 need=$3
    shift 3
    [[ -f $file ]] || { say "skip $name: no model"; return; }
    step "$name.ponder" "$need" "${ponder[@]}" --model "$file" "$@"
    step "$name.llama" "$need" "${llama_run[@]}" --model "$file" "$@"
}
short() {  # the 512/128 comparison, greedy, and on the first model the default sampler too
    local shape=$1 need=$2
    pair "$shape.p$prompt" "$(model "$shape")" "$need" --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat 3 \
        --sampler greedy
}
long() {
    local shape=$1 context=$2 need=$3
    pair "$shape.ctx$context" "$(model "$shape")" "$need" --prompt-tokens "$context" --gen-tokens 64 --repeat 1 \
        --sampler greedy
}

if (( sweep )); then
    for shape in "${shapes[@]}"; do
        for shape_rw in 2x64 4x64 8x64 2x128 4x128 8x128 4x256 4x32; do
            rows=${shape_rw%x*} wg=${shape_rw#*x}
            step "$shape.sweep-r$rows-w$wg.ponder" 5 env PONDER_MATVEC_ROWS=$rows PONDER_MATVEC_WG=$wg \
                "${ponder[@]}" --model "$(model "$shape")" --prompt-tokens 16 --gen-tokens 64 --repeat 2 \
                --sampler greedy
        done
    done
    # The fastest shape per model, by median decode speed.
    declare -A best
    for shape in "${shapes[@]}"; do
        best[$shape]=$(python3 - "$out" "$shape" <<'PICK'
import json, pathlib, sys
out, shape = pathlib.Path(sys.argv[1]), sys.argv[2]
runs = []
for f in out.glob(f"{shape}.sweep-*.ponder.json"):
    try:
        runs.append((json.loads(f.read_text())["decode"]["tokens_per_second"]["median"], f.name))
    except (ValueError, KeyError):
        pass
if runs:
    name = max(runs)[1].split(".sweep-")[1].split(".")[0]  # r4-w128
    rows, wg = name[1:].split("-w")
    print(f"PONDER_MATVEC_ROWS={rows} PONDER_MATVEC_WG={wg}")
PICK
)
        say "fastest matvec shape for $shape: ${best[$shape]:-none}"
    done
    # Its logits, on the decode path (1 token), against the reference.
    for shape in "${shapes[@]}"; do
        [[ -n ${best[$shape]} ]] || continue
        # shellcheck disable=SC2086
        echo "with ${best[$shape]}: $(logit_check "$work/models/check-qwen2-Q4_K_M.gguf" 11 ${best[$shape]})" |
            tee -a "$out/correctness.txt" >&2
    done
    # With the fastest shapes, in order of what matters: the 1.5B against
    # llama.cpp, the 8B's bandwidth, the default sampler, a 32k context.
    ponder=(env ${best[${shapes[0]}]} "$bench" --device vulkan)
    short "${shapes[0]}" 20
    step "${shapes[1]}.p$prompt.ponder" 5 env ${best[${shapes[1]}]} "$bench" --device vulkan \
        --model "$(model "${shapes[1]}")" --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat 3 --sampler greedy
    step "${shapes[0]}.sampler.ponder" 5 "${ponder[@]}" --model "$(model "${shapes[0]}")" --prompt-tokens "$prompt" \
        --gen-tokens "$gen" --repeat 1 --sampler default
    step "${shapes[0]}.ctx${contexts[1]}.ponder" 15 "${ponder[@]}" --model "$(model "${shapes[0]}")" \
        --prompt-tokens "${contexts[1]}" --gen-tokens 64 --repeat 1 --sampler greedy
else
short "${shapes[0]}" 25
    pair "${shapes[0]}.sampler" "$(model "${shapes[0]}")" 20 --prompt-tokens "$prompt" --gen-tokens "$gen" --repeat 1 \
        --sampler default
    short "${shapes[1]}" 40
    long "${shapes[0]}" "${contexts[0]}" 25
    long "${shapes[1]}" "${contexts[0]}" 45
    long "${shapes[0]}" "${contexts[1]}" 45
    long "${shapes[1]}" "${contexts[1]}" 70
    say "waiting for ${shapes[2]}"
    while kill -0 "$maker" 2>/dev/null && (( $(left) > 60 )); do sleep 2; done
    if [[ -f $work/models/${shapes[2]}.done ]]; then
        short "${shapes[2]}" 60
        long "${shapes[2]}" "${contexts[0]}" 70
    else
        kill "$maker" 2>/dev/null
        say "skip ${shapes[2]}: not written in time"
    fi
fi

# --- summary --------------------------------------------------------------
python3 "$here/summary.py" "$out" > "$out/summary.md" 2> "$out/summary.err" ||
    say "summary.py failed: $(tail -n 3 "$out/summary.err")"
say "finished in $((SECONDS - start))s"
cat "$out/summary.md"
