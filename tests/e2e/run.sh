#!/usr/bin/env bash
# Journeys through the real app binary: Xvfb for the window, tauri-driver + WebKitWebDriver for
# WebDriver, a private D-Bus session with GNOME Keyring for the keychain, the sandbox for services.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
# The installed-package test points KEYWARD_APP and KEYWARD_CLI at /usr/bin.
export KEYWARD_APP="${KEYWARD_APP:-$PWD/target/debug/keyward-app}" KEYWARD_SANDBOX="$PWD/target/debug/keyward-sandbox" \
  KEYWARD_CLI="${KEYWARD_CLI:-$PWD/target/debug/keyward}"
export KEYWARD_E2E_ARTIFACTS="$PWD/tests/e2e/artifacts"
mkdir -p "$KEYWARD_E2E_ARTIFACTS"
run() {
  # Inside make test we are already in a keychain session; alone, make one.
  if [ -n "${KEYWARD_TEST_KEYCHAIN_ROOT:-}" ]; then "$@"; else tests/with-keychain.sh "$@"; fi
}
run xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  tests/e2e/.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e "$@"
