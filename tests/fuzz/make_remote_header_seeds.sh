#!/usr/bin/env bash
# Seeds for fuzz_remote_header: each GGUF seed behind one response header
# value, as the fuzz target reads its input (a line, then the file).
#   make_remote_header_seeds.sh <gguf seeds dir> <out dir>
set -euo pipefail
in=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
sha=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
for file in "$in"/*; do
    name=$(basename "$file")
    size=$(stat -c %s "$file")
    { printf 'bytes 0-%d/%d\n' $((size > 0 ? size - 1 : 0)) "$size"; cat "$file"; } > "$out/range-$name"
    { printf 'W/"%s"\n' "$sha"; cat "$file"; } > "$out/etag-$name"
done
printf 'bytes */1000\n' > "$out/unsatisfiable"
printf 'bytes 5-4/10\n' > "$out/backwards"
printf '"%s"\n' "${sha:0:40}" > "$out/git-sha1"
