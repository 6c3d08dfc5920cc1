//! `keyward` end to end against the sandbox and the real keychain (run by `make test`, which
//! provides a private Secret Service and sets KEYWARD_REAL_KEYCHAIN=1).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

fn keyward(data: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .env("KEYWARD_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn add_sync_list_search_remove() {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: 120, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let wrong = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "Prod", "--host", &sb.base_url], "sk-wrong\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stderr).contains("refused by Braintrust (401)"));

    let add = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "Prod", "--host", &sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
    assert!(add.status.success(), "{}", text(&add.stderr));
    let id = text(&add.stdout).trim().to_string();
    assert_eq!(id.len(), 36, "stdout holds only the new account's id");

    let sync = keyward(data, &["sync"], "");
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    assert!(text(&sync.stderr).contains("120 keys"));

    let listed = keyward(data, &["keys", "list", "--json", "--search", "key-01"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 21, "key-0100..key-0120");

    let table = keyward(data, &["accounts", "list"], "");
    assert!(text(&table.stdout).contains("Prod"));

    let bad = keyward(data, &["accounts", "add", "--service", "braintrust", "--label", "", "--host", "http://example.com"], "x\n");
    assert_eq!(bad.status.code(), Some(2), "invalid input exits 2");

    let rm = keyward(data, &["accounts", "remove", "prod"], "");
    assert!(rm.status.success(), "{}", text(&rm.stderr));
    let after = keyward(data, &["keys", "list", "--json"], "");
    assert_eq!(text(&after.stdout).trim(), "[]");
    let lookup = Command::new("secret-tool").args(["lookup", "service", "keyward", "username", &id]).output().unwrap();
    assert!(lookup.stdout.is_empty(), "the token left the keychain");

    // The token was never written to the data dir.
    for entry in std::fs::read_dir(data).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(DEFAULT_TOKEN.len()).any(|w| w == DEFAULT_TOKEN.as_bytes()));
    }
}
