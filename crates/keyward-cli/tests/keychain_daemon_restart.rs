//! The keychain daemon dies in the middle of a call (gnome-keyring aborts under concurrent
//! clients, a known upstream bug) and D-Bus starts it again: the call is tried again and works.
//! Runs in its own private keychain session (nested), so killing its daemon disturbs no other test.

mod support;

use keyward_sandbox::DEFAULT_TOKEN;

// The daemon is frozen, so the sync's token read waits for a reply; then it is killed, and the
// bus answers the waiting call "disconnected without replying". The harness's bus starts a new,
// unlocked daemon on the next call, as a desktop session starts one (locked, behind a prompt).
const SCRIPT: &str = r#"
set -u
k() { "$KEYWARD" --data-dir "$DATA" "$@"; }
daemon() {
  for p in $(pgrep -x gnome-keyring-d); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR" && echo "$p"
  done
}
printf '%s\n' "$TOKEN" | k accounts add --service braintrust --label Prod --host "$HOST" >/dev/null 2>&1 || { echo "add failed"; exit 1; }
first=$(daemon)
kill -STOP "$first"
k sync >"$DATA/sync.out" 2>"$DATA/sync.err" & sync=$!
sleep 1
kill -9 "$first"
wait "$sync"; echo "SYNC-EXIT $?"
echo "SYNC-SAID $(tr '\n' ' ' < "$DATA/sync.err")"
echo "RESTARTED $([ -n "$(daemon)" ] && [ "$(daemon)" != "$first" ] && echo yes || echo no)"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_keychain_daemon_that_dies_mid_call_is_tried_again() {
    let Some(said) = support::in_own_keychain(SCRIPT, 3).await else { return };
    let line = |tag: &str| said.line(tag);
    assert_eq!(line("RESTARTED"), "yes", "the first daemon is gone and a second answered: {said}");
    assert_eq!(line("SYNC-EXIT"), "0", "the sync read its token from the new daemon: {said}");
    assert!(!line("SYNC-SAID").contains(DEFAULT_TOKEN));
}
