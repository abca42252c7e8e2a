#!/bin/sh
# ponder-compare end to end on tiny generated models (CPU reference): one
# set of weights in F32, Q4_K_M and Q2_K; the JSON names each model, and
# Q2_K strays further from F32 than Q4_K_M does. A missing option is a clear
# error with a non-zero exit.
set -eu
make_model=$1
compare=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for mix in F32 Q4_K_M Q2_K; do
    "$make_model" --out "$dir/$mix.gguf" --arch qwen2 --mix "$mix" --seed 3 >/dev/null 2>&1
done
"$compare" --reference "$dir/F32.gguf" --models "$dir/Q4_K_M.gguf,$dir/Q2_K.gguf" --prompt "Hi" \
    --max-tokens 16 --greedy --device cpu-reference >"$dir/out.json"

fail() { echo "$1"; cat "$dir/out.json"; exit 1; }
grep -q '"fileType": "Q4_K_M"' "$dir/out.json" || fail "no Q4_K_M entry"
grep -q '"fileType": "Q2_K"' "$dir/out.json" || fail "no Q2_K entry"
grep -q '"comparedTokens": 1[0-9]' "$dir/out.json" || fail "expected 10-19 compared tokens"
set -- $(sed -n 's/.*"meanKl": *\([0-9.e+-]*\).*/\1/p' "$dir/out.json")
[ $# -eq 2 ] || fail "expected two meanKl values"
awk -v q4="$1" -v q2="$2" 'BEGIN { exit !(q4 > 0 && q4 < q2) }' || fail "Q4_K_M ($1) should stray less than Q2_K ($2)"

if "$compare" --reference "$dir/F32.gguf" --prompt x 2>"$dir/err"; then
    echo "a missing --models was accepted"; exit 1
fi
grep -q "required" "$dir/err" || { echo "unclear error:"; cat "$dir/err"; exit 1; }
echo "ponder-compare: Q4_K_M mean KL $1, Q2_K $2"
