//! The window and the CLI are two processes on one SQLite file. Two `Keyward`s on the same data
//! dir stand in for them: each has its own connection, as each process would, and they sync the
//! same account at the same moment. Neither may fail with "database is locked", and no key may be
//! lost or marked gone because the other one wrote first.

use std::sync::Arc;
use std::time::Duration;

use keyward_core::model::{KeyQuery, KeyStatus, NewAccount, Service};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

/// Enough keys that each sync's write takes long enough for the two to overlap.
const KEYS: usize = 1500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_syncing_one_account_at_once_both_succeed_and_lose_no_row() {
    let sandbox = spawn(SandboxConfig { seed_keys: KEYS, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The keychain is shared by the two processes; the SQLite connection is not.
    let vault = Arc::new(MemoryVault::default());
    let http = HttpConfig { min_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(50), ..Default::default() };
    let window = Arc::new(Keyward::open(dir.path(), vault.clone(), http.clone()).unwrap());
    let input = NewAccount {
        service: Service::Braintrust,
        label: "Shared".into(),
        host: sandbox.base_url.clone(),
        org_name: None,
        token: DEFAULT_TOKEN.to_string().into(),
    };
    let id = window.add_account(input).await.unwrap().id;
    let cli = Arc::new(Keyward::open(dir.path(), vault, http).unwrap());

    for round in 0..6 {
        let syncs = [window.clone(), cli.clone()].map(|core| {
            let id = id.clone();
            tokio::spawn(async move { core.sync_account(&id, &|_| {}).await })
        });
        for (who, sync) in ["window", "cli"].into_iter().zip(syncs) {
            let report = sync.await.unwrap().unwrap_or_else(|e| panic!("round {round}: the {who}'s sync failed: {} ({:?})", e.message, e.code));
            assert_eq!(report.fetched as usize, KEYS, "round {round}: the {who} fetched every key");
        }
        for (who, core) in [("window", &window), ("cli", &cli)] {
            let all = core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
            assert_eq!(all.len(), KEYS, "round {round}: the {who} sees every key once");
            let gone = all.iter().filter(|k| k.status == KeyStatus::Gone).count();
            assert_eq!(gone, 0, "round {round}: the {who} sees no key marked gone that the service still lists");
        }
    }
    let account = cli.find_account(&id).unwrap();
    assert!(account.last_synced_at.is_some() && account.last_sync_error.is_none(), "no sync error was recorded: {:?}", account.last_sync_error);
    drop(sandbox);
}

/// The window and the CLI started at the same moment on a data dir neither has used: both create
/// the store, and neither sees the other's half-made schema as an error.
#[test]
fn two_instances_opening_a_new_store_at_once_both_open_it() {
    for attempt in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let start = Arc::new(std::sync::Barrier::new(2));
        let opens: Vec<_> = (0..2)
            .map(|_| {
                let (dir, start) = (dir.path().to_path_buf(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Keyward::open(&dir, Arc::new(MemoryVault::default()), HttpConfig::default()).map(|_| ())
                })
            })
            .collect();
        for open in opens {
            open.join().unwrap().unwrap_or_else(|e| panic!("attempt {attempt}: {} ({:?})", e.message, e.code));
        }
    }
}
