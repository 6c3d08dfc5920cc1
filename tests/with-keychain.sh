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

stop_daemons() {
  # The keyring daemon outlives its bus; end the ones this run started (they carry its runtime dir).
  for pid in $(pgrep -x gnome-keyring-d 2>/dev/null; pgrep -x gnome-keyring-daemon 2>/dev/null); do
    if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$root/runtime"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$root"
}
trap stop_daemons EXIT

# The daemon's output goes to a file, not a pipe: a daemon that later writes to a closed pipe
# dies of SIGPIPE, and the keychain vanishes in the middle of a test run.
dbus-run-session -- bash -c '
  printf "keyward-test" | gnome-keyring-daemon --unlock --components=secrets >"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.env" 2>>"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.log"
  set -a; . "$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.env"; set +a
  # One item stored and cleared before the tests: the default collection then exists, so parallel
  # first uses do not race to create it (a first sync once found no token right after an add).
  printf warm | secret-tool store --label=keyward-warm-up keyward warm-up 2>>"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.log" || true
  secret-tool clear keyward warm-up 2>>"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.log" || true
  exec "$@"' keychain "$@"
