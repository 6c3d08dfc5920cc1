//! A damaged or locked db file: a named error, never a panic; a damaged one is moved aside and
//! rebuilt with its accounts (from accounts.json) and nothing else lost that a sync cannot bring back.

use std::sync::Arc;

use keyward_core::model::{KeyQuery, NewAccount, Service, SyncProgress};
use keyward_core::store::recovery::{read_export, ACCOUNTS_EXPORT};
use keyward_core::store::DB_FILE;
use keyward_core::vault::MemoryVault;
use keyward_core::{ErrorCode, HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

fn http() -> HttpConfig {
    HttpConfig { min_backoff: std::time::Duration::from_millis(5), ..Default::default() }
}

async fn with_account(dir: &std::path::Path, vault: Arc<MemoryVault>, host: &str) -> (Keyward, String) {
    let core = Keyward::open(dir, vault, http()).unwrap();
    let input =
        NewAccount { service: Service::Braintrust, label: "Prod".into(), host: host.into(), org_name: None, token: DEFAULT_TOKEN.to_string().into() };
    let id = core.add_account(input).await.unwrap().id;
    core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    (core, id)
}

#[tokio::test]
async fn a_damaged_db_is_named_then_moved_aside_and_rebuilt_with_its_accounts() {
    let sb = spawn(SandboxConfig { seed_keys: 7, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let (core, id) = with_account(dir.path(), vault.clone(), &sb.base_url).await;
    assert_eq!(core.list_keys(&KeyQuery::default()).unwrap().len(), 7);
    let export = read_export(dir.path());
    assert_eq!(export.len(), 1);
    assert_eq!(export[0].id, id);
    let text = std::fs::read_to_string(dir.path().join(ACCOUNTS_EXPORT)).unwrap();
    assert!(!text.contains(DEFAULT_TOKEN), "the export holds no token");
    drop(core);

    // Scribble over the file: the header and the first pages.
    let db = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    let n = bytes.len().min(4096);
    bytes[..n].fill(0x5a);
    std::fs::write(&db, &bytes).unwrap();

    let err = Keyward::open(dir.path(), vault.clone(), http()).err().expect("a damaged db is refused");
    assert_eq!(err.code, ErrorCode::StoreDamaged, "{err:?}");
    assert!(err.message.contains("move it aside") && err.message.contains(ACCOUNTS_EXPORT), "{}", err.message);
    // Opening again says the same; nothing was changed by failing.
    assert_eq!(Keyward::open(dir.path(), vault.clone(), http()).err().unwrap().code, ErrorCode::StoreDamaged);

    let (core, report) = Keyward::recover(dir.path(), vault.clone(), http()).unwrap();
    assert_eq!(report.accounts_restored, 1);
    assert!(std::path::Path::new(&report.moved_to).exists(), "the damaged file is kept, aside");
    let accounts = core.list_accounts().unwrap();
    assert_eq!((accounts.len(), accounts[0].id.as_str(), accounts[0].label.as_str()), (1, id.as_str(), "Prod"));
    // The token is still in the keychain under the same id: a sync brings the keys back.
    core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(core.list_keys(&KeyQuery::default()).unwrap().len(), 7);
    assert!(core.audit_log(10).unwrap().iter().any(|e| e.action == "store.recover"), "the recovery is in the audit log");
    drop(core);
    assert!(Keyward::open(dir.path(), vault, http()).is_ok(), "the rebuilt store opens again");
}

#[test]
fn a_file_that_is_not_a_database_is_damaged_not_a_panic() {
    for garbage in [&b""[..], b"hello", &[0u8; 8192][..], &[0xffu8; 100][..]] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE), garbage).unwrap();
        match Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http()) {
            // An empty file is a new, empty database to SQLite.
            Ok(_) => assert!(garbage.is_empty(), "{garbage:?} opened"),
            Err(e) => assert_eq!(e.code, ErrorCode::StoreDamaged, "{e:?}"),
        }
    }
}

#[test]
fn a_db_locked_by_another_program_says_so() {
    let dir = tempfile::tempdir().unwrap();
    drop(Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http()).unwrap());
    // Another program switches the file out of WAL and holds an exclusive lock.
    let other = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    other.pragma_update(None, "journal_mode", "DELETE").unwrap();
    other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").unwrap();
    let started = std::time::Instant::now();
    let err = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), HttpConfig::default()).err().expect("refused while locked");
    assert_eq!(err.code, ErrorCode::StoreLocked, "{err:?}");
    assert!(err.message.contains("locked by another program"), "{}", err.message);
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "it waits a little, then says so");
    other.execute_batch("COMMIT;").unwrap();
    drop(other);
    assert!(Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http()).is_ok(), "once released it opens");
}

#[test]
fn with_no_export_the_rebuilt_store_is_empty_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DB_FILE), b"definitely not sqlite, long enough to have a header........................").unwrap();
    let (core, report) = Keyward::recover(dir.path(), Arc::new(MemoryVault::default()), http()).unwrap();
    assert_eq!(report.accounts_restored, 0);
    assert!(core.list_accounts().unwrap().is_empty());
}
