//! A keychain locked while Keyward runs: syncing says so by name, and the cached inventory is
//! still there to browse. Runs in its own private keychain session (nested), so locking it
//! cannot disturb any other test.

use std::process::Command;

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

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
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: 4, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wrapper = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/with-keychain.sh");
    let out = Command::new(wrapper)
        .args(["bash", "-c", SCRIPT])
        .env("KEYWARD", env!("CARGO_BIN_EXE_keyward"))
        .env("DATA", dir.path())
        .env("HOST", &sb.base_url)
        .env("TOKEN", DEFAULT_TOKEN)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    let line = |tag: &str| said.lines().find_map(|l| l.strip_prefix(tag)).map(str::trim).unwrap_or_default().to_string();
    assert!(out.status.success(), "{said}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(line("SYNC-EXIT"), "1", "{said}");
    let message = line("SYNC-SAID");
    assert!(message.to_lowercase().contains("locked") && message.contains("keychain"), "the lock is named: {message}");
    assert!(!message.contains(DEFAULT_TOKEN));
    assert_eq!(line("LIST-EXIT"), "0", "the cached inventory opens: {said}");
    assert_eq!(line("LISTED"), "4", "every cached key is still listed: {said}");
}
