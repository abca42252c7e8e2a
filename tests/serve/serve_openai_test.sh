#!/usr/bin/env bash
# ponder-server against the official `openai` npm package: a tiny generated
# model served on 127.0.0.1 at an ephemeral port, openai_client_test.mjs
# driving it, then a clean shutdown on SIGTERM. Exits 77 (skipped) where
# node or the package (tests/data/fetch.sh) is missing.
set -euo pipefail
make_model=$1
server=$2
data=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

command -v node >/dev/null || { echo "node is not installed: skipped"; exit 77; }
[[ -f "$data/node_modules/openai/package.json" ]] || { echo "run tests/data/fetch.sh first: skipped"; exit 77; }

dir=$(mktemp -d)
pid=
cleanup() {
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT

"$make_model" --out "$dir/tiny-r1.gguf" --arch qwen2 --seed 3 >/dev/null 2>&1
"$server" --model "$dir/tiny-r1.gguf" --device cpu --threads 2 --port 0 --context 4096 --queue 4 2>"$dir/log" &
pid=$!
port=
for _ in $(seq 200); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/v1.*|\1|p' "$dir/log")
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || { echo "ponder-server ended:"; cat "$dir/log"; exit 1; }
    sleep 0.05
done
[[ -n "$port" ]] || { echo "ponder-server did not start:"; cat "$dir/log"; exit 1; }

PONDER_DATA="$data" PONDER_URL="http://127.0.0.1:$port/v1" PONDER_MODEL=tiny-r1 \
    timeout 45 node "$here/openai_client_test.mjs"

kill -TERM "$pid"
wait "$pid" || { echo "ponder-server did not exit cleanly:"; cat "$dir/log"; exit 1; }
pid=
# Beyond loopback without a key: refused before the model is loaded.
if "$server" --model "$dir/tiny-r1.gguf" --host 0.0.0.0 --port 0 2>"$dir/err"; then
    echo "--host 0.0.0.0 without a key was accepted"; exit 1
fi
grep -q -- "--api-key" "$dir/err" || { echo "unclear refusal:"; cat "$dir/err"; exit 1; }
echo "ok"
