#!/bin/sh
# Runs a test ($@) with a private session bus and an unlocked gnome-keyring
# (the Secret Service), HOME and the XDG folders private to the run, as root
# or not and without X (CI). A keyring that does not start fails the run:
# the keyring test must never pass without one.
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
       XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
unset DISPLAY WAYLAND_DISPLAY
command -v dbus-run-session >/dev/null || { echo "dbus-run-session is missing (dbus)"; exit 1; }
command -v gnome-keyring-daemon >/dev/null || { echo "gnome-keyring-daemon is missing (gnome-keyring)"; exit 1; }
exec dbus-run-session -- sh -c '
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null ||
        { echo "gnome-keyring-daemon did not start"; exit 1; }
    exec "$@"' keyring "$@"
