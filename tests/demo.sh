#!/usr/bin/env bash
# `make demo`: Keyward against the local sandbox, in a throwaway data dir and keychain, with one
# Braintrust account already added and synced. Nothing touches your own keychain or data.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "make demo opens a window: run it from a desktop session (or under xvfb-run)." >&2
  exit 1
fi
export KEYWARD_DATA_DIR
KEYWARD_DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/keyward-demo.XXXXXX")
trap 'rm -rf "$KEYWARD_DATA_DIR"' EXIT
exec tests/with-keychain.sh bash -c '
  set -euo pipefail
  fifo=$(mktemp -u); mkfifo "$fifo"
  target/debug/keyward-sandbox --seed-keys 240 --token demo-braintrust-token >"$fifo" &
  sandbox=$!
  trap "kill $sandbox 2>/dev/null || true; rm -f $fifo" EXIT
  read -r line <"$fifo"
  url=${line##* }
  echo "Sandbox: $url"
  echo demo-braintrust-token | target/debug/keyward accounts add --service braintrust --label "Demo org (sandbox)" --host "$url" >/dev/null
  target/debug/keyward sync
  target/debug/keyward-app
'
