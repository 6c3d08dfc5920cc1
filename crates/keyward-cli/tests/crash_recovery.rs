//! `kill -9` in the middle of a 10,000-key sync, 20 times at random points: every restart opens
//! the db, no account or key row is lost, and the next sync completes. Needs the real keychain
//! (`make test`). The seed of the kill points is printed, so a failure can be replayed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

const KEYS: usize = 10_000;
const KILLS: usize = 20;

fn keyward(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyward"));
    c.env("KEYWARD_DATA_DIR", data).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = keyward(data).args(args).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// (accounts, cached keys) as the CLI reads them back from the db.
fn counts(data: &Path) -> (usize, u64) {
    let out = run(data, &["accounts", "list", "--json"], "");
    assert!(out.status.success(), "the db opens after a kill: {}", String::from_utf8_lossy(&out.stderr));
    let accounts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = accounts.as_array().unwrap();
    (accounts.len(), accounts.iter().map(|a| a["key_count"].as_u64().unwrap()).sum())
}

fn integrity(data: &Path) -> String {
    let out = Command::new("sqlite3").arg(data.join("keyward.db")).arg("PRAGMA integrity_check;").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A small xorshift: kill points that vary per run yet can be replayed from the printed seed.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_a_10000_key_sync_loses_nothing() {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: KEYS, latency_ms: 5, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let add = run(data, &["accounts", "add", "--service", "braintrust", "--label", "Big", "--host", &sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));

    let first = run(data, &["sync"], "");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(counts(data), (1, KEYS as u64));
    // The kills land in resyncs, which are quicker than the first sync (no 10,000 new rows to
    // index), so a resync sets the range: timed by the first, 9 of 20 kills once came too late.
    let started = Instant::now();
    let again = run(data, &["sync"], "");
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let full = started.elapsed();

    let seed = std::env::var("KEYWARD_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1);
    let mut state = seed;
    let mut survived = 0;
    let mut killed_mid_run = 0;
    let client = reqwest::Client::new();
    let mut cached = KEYS as u64;
    for round in 1..=KILLS {
        // Each round has something to write: a new key at the service, so a kill can land in the
        // middle of a transaction that changes rows, not only in the reads before it.
        let added: serde_json::Value = client
            .post(format!("{}/__sandbox/braintrust/api_keys", sb.base_url))
            .json(&serde_json::json!({ "count": 1 }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let at_service = (KEYS + round) as u64;
        assert_eq!(added["total"], at_service);
        // Anywhere from just after start to a little past a full sync's length.
        let at = full.mul_f64(0.05 + (next(&mut state) % 1000) as f64 / 1000.0 * 1.05);
        let mut child = keyward(data).arg("sync").spawn().unwrap();
        drop(child.stdin.take());
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        // SIGKILL: no destructor, no checkpoint, no chance to clean up.
        child.kill().unwrap();
        child.wait().unwrap();
        // All of the sync or none of it: the rows from before it, or all the service holds now.
        let (accounts, keys) = counts(data);
        assert_eq!(accounts, 1, "round {round} (seed {seed}): the account is still there");
        assert!(
            keys == cached || keys == at_service,
            "round {round} (seed {seed}, killed at {at:?}): {keys} rows; before this sync {cached}, at the service {at_service}"
        );
        cached = keys;
        survived += 1;
    }
    let last = run(data, &["sync"], "");
    assert!(last.status.success(), "the next sync completes: {}", String::from_utf8_lossy(&last.stderr));
    assert_eq!(counts(data), (1, (KEYS + KILLS) as u64));
    assert_eq!(integrity(data), "ok");
    println!(
        "kill -9 during a {KEYS}-key sync: {survived} of {KILLS} restarts survived ({killed_mid_run} killed mid-sync; a resync takes {:?}; seed {seed})",
        full
    );
    assert!(killed_mid_run >= KILLS / 2, "most kills landed inside a sync ({killed_mid_run} of {KILLS})");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_db_says_how_to_recover_and_keyward_recover_rebuilds_it() {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        return;
    }
    let sb = spawn(SandboxConfig { seed_keys: 25, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let add = run(data, &["accounts", "add", "--service", "braintrust", "--label", "Prod", "--host", &sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    assert!(run(data, &["sync"], "").status.success());
    assert_eq!(counts(data), (1, 25));

    std::fs::write(data.join("keyward.db"), vec![0x5a; 16384]).unwrap();
    let broken = run(data, &["keys", "list"], "");
    assert!(!broken.status.success());
    let said = String::from_utf8_lossy(&broken.stderr);
    assert!(said.contains("damaged") && said.contains("keyward recover"), "{said}");

    let recover = run(data, &["recover"], "");
    assert!(recover.status.success(), "{}", String::from_utf8_lossy(&recover.stderr));
    assert!(String::from_utf8_lossy(&recover.stderr).contains("1 account(s)"));
    assert_eq!(counts(data), (1, 0), "the account is back; its keys come with the next sync");
    assert!(run(data, &["sync"], "").status.success(), "the token is still in the keychain under the same id");
    assert_eq!(counts(data), (1, 25));
    let aside = std::fs::read_dir(data).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().contains(".damaged-")).count();
    assert_eq!(aside, 1, "the damaged file is kept aside, not deleted");
    let healthy = run(data, &["recover"], "");
    assert!(healthy.status.success() && String::from_utf8_lossy(&healthy.stderr).contains("nothing to recover"));
}
