//! `keyward sync` in a terminal while the window syncs the same account: two processes on one
//! SQLite file and one keychain. Neither fails with "database is locked", and no key is lost.
//! Run by `make test` (a private Secret Service, KEYWARD_REAL_KEYCHAIN=1); skipped elsewhere.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use keyward_core::model::{KeyQuery, KeyStatus};
use keyward_core::vault::KeyringVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

/// Enough keys that the two syncs' writes overlap.
const KEYS: usize = 1500;

fn keyward(data: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyward"));
    cmd.args(args).env("KEYWARD_DATA_DIR", data).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cli_sync_and_a_window_sync_of_one_account_at_once_both_succeed_and_lose_no_row() {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: KEYS, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut add = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "Shared", "--host", &sb.base_url]).spawn().unwrap();
    add.stdin.take().unwrap().write_all(format!("{DEFAULT_TOKEN}\n").as_bytes()).unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));

    // The window's core, in this process, on the same data dir and keychain as the CLI.
    let window = Arc::new(Keyward::open(data, Arc::new(KeyringVault::default()), HttpConfig::default()).unwrap());
    let id = window.find_account("Shared").unwrap().id;
    for round in 0..5 {
        let cli = keyward(data, &["sync", "--account", "Shared"]).spawn().unwrap();
        let core = window.clone();
        let account = id.clone();
        let in_window = tokio::spawn(async move { core.sync_account(&account, &|_| {}).await });
        let said = tokio::task::spawn_blocking(move || cli.wait_with_output()).await.unwrap().unwrap();
        let stderr = String::from_utf8_lossy(&said.stderr);
        assert!(said.status.success(), "round {round}: the CLI's sync failed: {stderr}");
        assert!(stderr.contains(&format!("{KEYS} keys")), "round {round}: {stderr}");
        let report = in_window.await.unwrap().unwrap_or_else(|e| panic!("round {round}: the window's sync failed: {}", e.message));
        assert_eq!(report.fetched as usize, KEYS);
        let all = window.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
        assert_eq!(all.len(), KEYS, "round {round}: every key, once");
        assert!(all.iter().all(|k| k.status == KeyStatus::Active), "round {round}: none marked gone");
    }
    let listed = keyward(data, &["keys", "list", "--json"]).output().unwrap();
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(KEYS), "the CLI lists every key too");
    drop(sb);
}
