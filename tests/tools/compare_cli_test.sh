#!/bin/sh
# ponder-compare end to end on tiny generated models (CPU reference): one
# set of weights in F32, Q4_K_M and Q2_K, listed with the most precise in
# the middle. With a prompt set (--eval): F32 is the reference, the JSON
# has llama.cpp's statistics for the others, each prompt's answer and first
# departure, and Q2_K strays further than Q4_K_M. --prompt and --reference
# still work; a missing option, a --reference that is not the most precise
# model and a broken prompt set are clear errors with a non-zero exit.
set -eu
make_model=$1
compare=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

for mix in F32 Q4_K_M Q2_K; do
    "$make_model" --out "$dir/$mix.gguf" --arch qwen2 --mix "$mix" --seed 3 >/dev/null 2>&1
done
cat >"$dir/set.txt" <<'SET'
# two prompts
=== math-01 | math | 5
What is 2 + 3? Put the answer in \boxed{}.
=== prose-01 | prose
Describe the sea.
SET
"$compare" --models "$dir/Q4_K_M.gguf,$dir/F32.gguf,$dir/Q2_K.gguf" --eval "$dir/set.txt" \
    --max-tokens 12 --greedy --device cpu-reference >"$dir/out.json" 2>"$dir/progress"

fail() { echo "$1"; cat "$dir/out.json"; exit 1; }
grep -q "\"reference\": \"$dir/F32.gguf\"" "$dir/out.json" || fail "F32 should be the reference"
grep -q '"fileType": "Q4_K_M"' "$dir/out.json" || fail "no Q4_K_M entry"
grep -q '"fileType": "Q2_K"' "$dir/out.json" || fail "no Q2_K entry"
grep -q '"expected": "5"' "$dir/out.json" || fail "the prompt set is not in the output"
for field in bitsPerWeight medianKld kld99 kld999 maxKld sameTopPercent rmsDeltaPPercent pplRatio \
    referencePerplexity perplexity meanReasoningTokens tokensPerSecond answer firstDeparture; do
    grep -q "\"$field\": " "$dir/out.json" || fail "no $field"
done
[ "$(grep -c '"comparedTokens": 2[0-4]' "$dir/out.json")" -eq 2 ] || fail "expected 20-24 compared tokens for each quant"
[ "$(grep -c '"firstDeparture": ' "$dir/out.json")" -eq 4 ] || fail "expected a first departure per quant and prompt"
# The models' own meanKld (one indent deeper are the prompts').
set -- $(sed -n 's/^      "meanKld": *\([0-9.e+-]*\).*/\1/p' "$dir/out.json")
[ $# -eq 2 ] || fail "expected two meanKld values"
awk -v q4="$1" -v q2="$2" 'BEGIN { exit !(q4 > 0 && q4 < q2) }' || fail "Q4_K_M ($1) should stray less than Q2_K ($2)"
grep -q '\[100%\] Done' "$dir/progress" || { echo "no progress on stderr:"; cat "$dir/progress"; exit 1; }

# One prompt, the reference named.
"$compare" --reference "$dir/F32.gguf" --models "$dir/Q2_K.gguf" --prompt "Hi" \
    --max-tokens 6 --greedy --device cpu-reference >"$dir/out.json" 2>/dev/null
grep -q '"fileType": "Q2_K"' "$dir/out.json" || fail "--prompt: no Q2_K entry"

if "$compare" --reference "$dir/F32.gguf" --prompt x 2>"$dir/err"; then
    echo "a missing --models was accepted"; exit 1
fi
grep -q "required" "$dir/err" || { echo "unclear error:"; cat "$dir/err"; exit 1; }
if "$compare" --reference "$dir/Q2_K.gguf" --models "$dir/F32.gguf" --prompt x --device cpu-reference 2>"$dir/err"; then
    echo "a --reference that is not the most precise was accepted"; exit 1
fi
grep -q "not the most precise" "$dir/err" || { echo "unclear error:"; cat "$dir/err"; exit 1; }
printf 'stray text\n=== a | b\nx\n' >"$dir/bad.txt"
if "$compare" --models "$dir/F32.gguf,$dir/Q2_K.gguf" --eval "$dir/bad.txt" --device cpu-reference 2>"$dir/err"; then
    echo "a broken prompt set was accepted"; exit 1
fi
grep -q "line 1" "$dir/err" || { echo "unclear error:"; cat "$dir/err"; exit 1; }
echo "ponder-compare: Q4_K_M mean KLD $1, Q2_K $2"
