//! A keychain locked while Keyward runs: syncing says so by name, and the cached inventory is
//! still there to browse. Runs in its own private keychain session (nested), so locking it
//! cannot disturb any other test.

mod support;

use keyward_sandbox::DEFAULT_TOKEN;

const SCRIPT: &str = r#"
set -u
k() { "$KEYWARD" --data-dir "$DATA" "$@"; }
printf '%s\n' "$TOKEN" | k accounts add --service braintrust --label Prod --host "$HOST" >/dev/null 2>&1 || { echo "add failed"; exit 1; }
k sync >/dev/null 2>&1 || { echo "first sync failed"; exit 1; }
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
  --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null || { echo "could not lock"; exit 1; }
echo "SYNC-EXIT $(k sync >/dev/null 2>"$DATA/sync.err"; echo $?)"
echo "SYNC-SAID $(tr '\n' ' ' < "$DATA/sync.err")"
echo "LIST-EXIT $(k keys list --json >"$DATA/list.json" 2>/dev/null; echo $?)"
echo "LISTED $(grep -o '"id"' "$DATA/list.json" | wc -l)"
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_locked_keychain_is_named_and_the_inventory_stays_browsable() {
    let Some(said) = support::in_own_keychain(SCRIPT, 4).await else { return };
    let line = |tag: &str| said.line(tag);
    assert_eq!(line("SYNC-EXIT"), "1", "{said}");
    let message = line("SYNC-SAID");
    assert!(message.to_lowercase().contains("locked") && message.contains("keychain"), "the lock is named: {message}");
    assert!(!message.contains(DEFAULT_TOKEN));
    assert_eq!(line("LIST-EXIT"), "0", "the cached inventory opens: {said}");
    assert_eq!(line("LISTED"), "4", "every cached key is still listed: {said}");
}
