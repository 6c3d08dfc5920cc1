#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked GNOME Keyring, so tests
# use the real Secret Service without touching the user's keychain.
set -euo pipefail
root=$(mktemp -d "${TMPDIR:-/tmp}/keyward-keychain.XXXXXX")
mkdir -p "$root"/{data,config,cache,runtime}
chmod 700 "$root/runtime"
# D-Bus-activated services inherit the bus's environment, so these must be set before the bus starts.
export XDG_DATA_HOME="$root/data" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" XDG_RUNTIME_DIR="$root/runtime"
export KEYWARD_TEST_KEYCHAIN_ROOT="$root"
trap 'rm -rf "$root"' EXIT
dbus-run-session -- bash -c 'eval "$(printf "keyward-test" | gnome-keyring-daemon --unlock --components=secrets)"; export GNOME_KEYRING_CONTROL; exec "$@"' keychain "$@"
