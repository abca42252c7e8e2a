#!/usr/bin/env bash
# Packs what tests/bench/gpu/run.sh needs on a GPU machine that has no
# network and none of our build dependencies (an Ubuntu 24.04-like image
# with the NVIDIA driver), into one folder of under 64 MiB:
#
#   tests/bench/gpu/pack.sh BUILD_DIR [BUNDLE_DIR]     (default: gpu-bundle)
#
#   ponder.tar.xz  bin/: ponder-bench, ponder-cli, ponder-make-model (from BUILD_DIR);
#               lib/: every shared library they load but glibc's own (run.sh
#               uses one only where the machine lacks a library of that
#               name); vulkan/: the Vulkan loader, for a machine without one
#   node.xz     this machine's node, compressed
#   llama.tar.xz  llama_bench.mjs with node-llama-cpp and llama.cpp's
#               prebuilt Vulkan backend (@node-llama-cpp/linux-x64-vulkan)
#               from tests/bench/node_modules, without the llama.cpp sources
#               node-llama-cpp carries for building (run.sh never builds)
#   MANIFEST    what was packed, from which versions
#
# The bundle is ignored by git; name it in the device tool's `carry`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_dir=$(cd "$here/.." && pwd)
build=$(cd "${1:?usage: pack.sh BUILD_DIR [BUNDLE_DIR]}" && pwd)
bundle=${2:-gpu-bundle}

binaries=("$build/engine/tools/ponder-bench" "$build/engine/tools/ponder-cli" "$build/tests/tools/ponder-make-model")
for b in "${binaries[@]}"; do
    [[ -x $b ]] || { echo "pack.sh: $b is missing; build ponder-bench, ponder-cli and ponder-make-model first" >&2; exit 1; }
done
if [[ ! -d $bench_dir/node_modules/@node-llama-cpp/linux-x64-vulkan ]]; then
    (cd "$bench_dir" && npm install --omit=optional --no-audit --no-fund --loglevel=error)
fi

# node.xz takes minutes to compress: kept when it is this node's.
node_version=$(node --version)
if [[ -f $bundle/node.xz && $(cat "$bundle/node.version" 2>/dev/null) == "$node_version" ]]; then
    mv "$bundle/node.xz" "$bundle.node.xz"
fi
rm -rf "$bundle"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$bundle" "$staging/ponder/bin" "$staging/ponder/lib" "$staging/ponder/vulkan" "$staging/llama"
cp "${binaries[@]}" "$staging/ponder/bin/"
strip "$staging"/ponder/bin/*

# Shared libraries by what the dynamic linker resolves here; glibc's own
# stay behind (the target's newer glibc runs binaries linked against 2.36).
glibc='^(libc|libm|libdl|libpthread|librt|libresolv|ld-linux-x86-64)\.so'
for b in "${binaries[@]}"; do
    ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | sort -u | while read -r lib; do
    name=$(basename "$lib")
    if [[ $name =~ $glibc ]]; then continue; fi
    if [[ $name == libvulkan.so.1 ]]; then
        cp -L "$lib" "$staging/ponder/vulkan/"
    else
        cp -L "$lib" "$staging/ponder/lib/"
    fi
done
strip --strip-unneeded "$staging"/ponder/lib/* "$staging"/ponder/vulkan/* 2>/dev/null || true
tar -C "$staging/ponder" -cf - . | xz -T0 -6 > "$bundle/ponder.tar.xz"

if [[ -f $bundle.node.xz ]]; then
    mv "$bundle.node.xz" "$bundle/node.xz"
else
    xz -T0 -6 -c "$(command -v node)" > "$bundle/node.xz"
fi
echo "$node_version" > "$bundle/node.version"

# llama_bench.mjs beside a node_modules holding only what it imports at run
# time: the CPU-only @node-llama-cpp/linux-x64 and the build sources stay.
cp "$bench_dir/llama_bench.mjs" "$bench_dir/package.json" "$staging/llama/"
tar -C "$bench_dir" \
    --exclude='node_modules/node-llama-cpp/llama/gitRelease.bundle' \
    --exclude='node_modules/node-llama-cpp/llama/llama.cpp' \
    --exclude='node_modules/@node-llama-cpp/linux-x64' \
    -cf - node_modules | tar -C "$staging/llama" -xf -
tar -C "$staging/llama" -cf - . | xz -T0 -6 > "$bundle/llama.tar.xz"

{
    echo "packed $(date -u +%FT%TZ) on $(uname -srm)"
    source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
    echo "ponder $(git -C "${source_dir:-$here}" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "node $(node --version)"
    echo "node-llama-cpp $(node -p "require('$bench_dir/node_modules/node-llama-cpp/package.json').version")"
    cat "$bench_dir/node_modules/@node-llama-cpp/linux-x64-vulkan/bins/linux-x64-vulkan/_nlcBuildMetadata.json"
    echo
    (cd "$staging/ponder" && find . -type f -printf '%8k KiB  ponder.tar.xz: %p\n' | sort -k4)
    (cd "$bundle" && find . -type f -printf '%8k KiB  %p\n' | sort -k3)
} > "$bundle/MANIFEST"
total=$(du -sk "$bundle" | cut -f1)
echo "pack.sh: $bundle holds $((total / 1024)) MiB" >&2
if (( total > 60 * 1024 )); then
    echo "pack.sh: over the 60 MiB this bundle may take (the working tree travels too)" >&2
    exit 1
fi
