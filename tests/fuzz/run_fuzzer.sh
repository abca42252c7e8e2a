#!/usr/bin/env bash
# Runs one libFuzzer program for CTest and keeps the test's output short:
# libFuzzer's own log (a line per new input, thousands of them) goes to a
# file beside the corpus, and only a summary is printed. On a failure the
# summary is the crash report and the input that caused it, gzipped and in
# base64, last, where a CI log's tail shows it; the input is also kept in
# the corpus's artifacts/ folder. To replay a printed input:
#   base64 -d <<< '...' | gunzip > crash; bin/<fuzzer> crash
#
#   run_fuzzer.sh <log file> <artifacts dir> <fresh corpus dir | -> <fuzzer> [libFuzzer arguments...]
#
# A fresh corpus directory is emptied first (the short test's: it runs from
# the seeds alone, so what it executes does not depend on earlier runs).
set -uo pipefail
log=$1 artifacts=$2 fresh=$3
shift 3
mkdir -p "$artifacts"
if [[ "$fresh" != - ]]; then
    rm -rf "$fresh"
    mkdir -p "$fresh"
fi
before=$(mktemp)
trap 'rm -f "$before"' EXIT
ls -1 "$artifacts" > "$before"

"$@" > "$log" 2>&1
status=$?

grep -E '^INFO: Seed:' "$log"
grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
if [[ $status -eq 0 ]]; then
    exit 0
fi
echo "---- libFuzzer failed with exit status $status; the end of its log ($log):"
grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|NEW_FUNC' "$log" | tail -n 60
for input in "$artifacts"/*; do
    [[ -f "$input" ]] || continue
    if ! grep -qxF "$(basename "$input")" "$before"; then
        echo "---- the input that failed, $(stat -c %s "$input") bytes ($input), gzip | base64:"
        gzip -9 -c "$input" | base64 -w 0
        echo
    fi
done
exit $status
