#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked GNOME Keyring, so tests
# use the real Secret Service without touching the user's keychain.
set -euo pipefail
root=$(mktemp -d "${TMPDIR:-/tmp}/keyward-keychain.XXXXXX")
mkdir -p "$root"/{data/dbus-1/services,config,cache,runtime}
chmod 700 "$root/runtime"
# D-Bus-activated services inherit the bus's environment, so these must be set before the bus starts.
export XDG_DATA_HOME="$root/data" XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" XDG_RUNTIME_DIR="$root/runtime"
export KEYWARD_TEST_KEYCHAIN_ROOT="$root"

# The bus starts the keyring itself, unlocked with the test password, from this private service
# file (the session bus reads $XDG_DATA_HOME/dbus-1/services before the system's). Two reasons:
# - a daemon started by hand claims its bus name a moment after it returns, and a client in that
#   moment had the bus start a second, locked daemon from the system's file;
# - gnome-keyring-daemon 42 sometimes dies of a GLib assertion while clients are killed with -9
#   (the crash-recovery test does that 20 times); the bus then starts the system's file, a locked
#   keyring, and every later test failed with "unlock prompt was dismissed". Now the keyring comes
#   back unlocked with the items it had written to disk, and the summary below says it happened.
printf 'keyward-test' >"$root/password"
cat >"$root/keyring-daemon.sh" <<EOS
#!/bin/sh
echo "keyring daemon started \$(date -u +%T.%N)" >>"$root/keyring.log"
exec gnome-keyring-daemon --foreground --unlock --components=secrets <"$root/password" >>"$root/keyring.log" 2>&1
EOS
chmod 700 "$root/keyring-daemon.sh"
printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$root/keyring-daemon.sh" \
  >"$root/data/dbus-1/services/org.freedesktop.secrets.service"

stop_daemons() {
  local status=$?
  local starts
  starts=$(grep -c '^keyring daemon started' "$root/keyring.log" 2>/dev/null || true)
  if [ "${starts:-0}" -gt 1 ]; then
    echo "with-keychain: the keyring daemon died and was started again ($starts starts); its log:" >&2
    grep -v '^$' "$root/keyring.log" | tail -n 20 >&2 || true
  fi
  # The keyring daemon outlives its bus; end the ones this run started (they carry its runtime dir).
  for pid in $(pgrep -x gnome-keyring-d 2>/dev/null; pgrep -x gnome-keyring-daemon 2>/dev/null); do
    if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$root/runtime"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$root"
  exit "$status"
}
trap stop_daemons EXIT

dbus-run-session -- bash -c '
  # Start the keyring and wait until it owns its name, before anything can race it.
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.StartServiceByName string:org.freedesktop.secrets uint32:0 >/dev/null
  # One item stored and cleared before the tests: the default collection then exists, so parallel
  # first uses do not race to create it (a first sync once found no token right after an add).
  printf warm | secret-tool store --label=keyward-warm-up keyward warm-up 2>>"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.log" || true
  secret-tool clear keyward warm-up 2>>"$KEYWARD_TEST_KEYCHAIN_ROOT/keyring.log" || true
  exec "$@"' keychain "$@"
