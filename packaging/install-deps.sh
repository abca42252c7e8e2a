#!/usr/bin/env bash
# Installs the Debian packages listed in debian-packages.txt that are missing.
# Idempotent and quick when everything is already there: it asks dpkg first
# and only calls apt-get for what is absent.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/debian-packages.txt" | grep -v '^$')

# Installed for this machine's architecture (or for all). A package also
# installed for another architecture (libhwy-dev:arm64 beside amd64, for
# tests/cross/) reports one status line per architecture.
native=$(dpkg --print-architecture)
installed() {
    dpkg-query -W -f='${Status} ${Architecture}\n' "$1" 2>/dev/null | grep -qE "^install ok installed ($native|all)\$"
}
missing=()
for pkg in "${wanted[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
# A machine that has Node.js from elsewhere (nodesource, nvm) already has npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for pkg in "${missing[@]}"; do
        [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg")
    done
    missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
