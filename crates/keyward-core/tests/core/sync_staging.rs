//! A sync stages its pages as they arrive and swaps them in at the end, in one short
//! transaction. Held mid-listing (the sandbox lets its reads through a permit at a time), it
//! holds no lock: the window's own writes and another Keyward's on the same file (the CLI beside
//! the window) go through at once, and what they wrote survives the swap.

use std::sync::Arc;

use keyward_core::model::new_key::NewKey;
use keyward_core::model::{AccountUpdate, KeyQuery, KeyStatus, NewAccount, Service, SyncProgress, SyncReport};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward, Result};
use keyward_sandbox::{spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinHandle;

const KEYS: usize = 1_000;

struct Rig {
    /// The window's core, and the CLI's: two stores on one file, one keychain.
    window: Arc<Keyward>,
    cli: Keyward,
    sb: SandboxHandle,
    id: String,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    let sb = spawn(SandboxConfig { seed_keys: KEYS, allow_api_key_create: true, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let http = HttpConfig { page_size: 100, ..Default::default() };
    let window = Arc::new(Keyward::open(dir.path(), vault.clone(), http.clone()).unwrap());
    let cli = Keyward::open(dir.path(), vault, http).unwrap();
    let input = NewAccount {
        service: Service::Braintrust,
        label: "Production".into(),
        host: sb.base_url.clone(),
        org_name: None,
        token: DEFAULT_TOKEN.to_string().into(),
    };
    let id = window.add_account(input).await.unwrap().id;
    Rig { window, cli, sb, id, _dir: dir }
}

/// Starts a sync in the window that lists `pages` pages and then waits at the sandbox until the
/// test opens the gate; returns once the last page it was allowed has been reported.
async fn held_sync(r: &Rig, pages: u32) -> (JoinHandle<Result<SyncReport>>, Arc<Semaphore>) {
    let gate = Arc::new(Semaphore::new(pages as usize));
    r.sb.world().faults.gate = Some(gate.clone());
    let (reported, mut seen) = mpsc::unbounded_channel();
    let (core, id) = (r.window.clone(), r.id.clone());
    let sync = tokio::spawn(async move {
        let report = move |p: SyncProgress| {
            let _ = reported.send(p.pages);
        };
        core.sync_account(&id, &report).await
    });
    while seen.recv().await.expect("the sync reports its pages") < pages {}
    (sync, gate)
}

fn status_of(core: &Keyward, name: &str) -> Option<KeyStatus> {
    let all = core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
    all.into_iter().find(|k| k.name == name).map(|k| k.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_while_a_first_sync_is_held_mid_listing_go_through_at_once_and_outlast_it() {
    let r = rig().await;
    let (sync, gate) = held_sync(&r, 4).await;

    // Each of these would wait for a write transaction held across the listing, and after the
    // busy timeout fail as "locked"; the sync is still waiting at the gate when they are done.
    let mut settings = r.window.settings();
    settings.notify_expiry = !settings.notify_expiry;
    r.window.save_settings(settings.clone()).expect("the window saves its settings mid-sync");
    r.cli
        .update_account(&r.id, AccountUpdate { label: Some("Production (EU)".into()), host: None, org_name: None, token: None })
        .await
        .expect("the CLI writes mid-sync");
    assert!(!sync.is_finished(), "the sync was held at the gate throughout");
    assert!(r.window.list_keys(&KeyQuery::default()).unwrap().is_empty(), "nothing of a listing shows before it is complete");

    gate.add_permits(Semaphore::MAX_PERMITS / 2);
    let report = sync.await.unwrap().expect("the sync completes once let through");
    assert!(report.fetched as usize >= KEYS, "{report:?}");
    assert_eq!(report.added, report.fetched, "{report:?}");
    assert_eq!(r.window.list_keys(&KeyQuery::default()).unwrap().len(), report.fetched as usize);
    let account = r.window.get_account(&r.id).unwrap();
    assert_eq!(account.label, "Production (EU)", "the swap kept the CLI's edit");
    assert_eq!(r.window.settings().notify_expiry, settings.notify_expiry, "and the window's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_that_fails_part_way_caches_nothing_of_its_listing_and_keeps_a_key_made_meanwhile() {
    let r = rig().await;
    let (sync, gate) = held_sync(&r, 3).await;
    let made = r.window.create_key(&r.id, NewKey::BraintrustApiKey { name: "made-mid-sync".into() }).await.unwrap();
    r.sb.world().faults.error_500_next = 1_000;
    gate.add_permits(Semaphore::MAX_PERMITS / 2);
    let err = sync.await.unwrap().expect_err("the listing fails for good");
    assert_eq!(err.code, keyward_core::ErrorCode::Provider, "{err:?}");
    let cached: Vec<String> =
        r.window.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap().into_iter().map(|k| k.name).collect();
    assert_eq!(cached, vec![made.key.name], "only the key made during the sync stays");
    assert!(r.window.get_account(&r.id).unwrap().last_synced_at.is_none());

    // The next sync, as a resync, has everything.
    r.sb.world().faults = Default::default();
    let report = r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(r.window.list_keys(&KeyQuery::default()).unwrap().len(), report.fetched as usize);
    assert_eq!(report.added + 1, report.fetched, "{report:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_created_or_revoked_while_a_resync_is_on_the_wire_is_as_it_was_left() {
    let r = rig().await;
    let first = r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    let revoked = r.window.list_keys(&KeyQuery::default()).unwrap().into_iter().next().unwrap();
    let (sync, gate) = held_sync(&r, 2).await;

    // Braintrust lists newest first: a key made now is on a page this listing has passed.
    let created = r.cli.create_key(&r.id, NewKey::BraintrustApiKey { name: "made-mid-sync".into() }).await.unwrap();
    assert_eq!(created.key.status, KeyStatus::Active);
    // Revoked after its page was listed: the listing still says active.
    r.window.revoke_key(&revoked.id).await.unwrap();
    assert!(!sync.is_finished());

    gate.add_permits(Semaphore::MAX_PERMITS / 2);
    let report = sync.await.unwrap().unwrap();
    assert_eq!(report.fetched, first.fetched, "the listing missed the new key");
    assert_eq!(report.gone, 0, "{report:?}");
    assert_eq!(status_of(&r.window, "made-mid-sync"), Some(KeyStatus::Active), "a key made during the listing is not gone");
    assert_eq!(status_of(&r.window, &revoked.name), Some(KeyStatus::Revoked), "a key revoked during the listing stays revoked");
    // The next listing has the new key; the revoked one, no longer listed, stays revoked.
    let next = r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!((next.added, next.gone), (0, 0), "{next:?}");
    assert_eq!(status_of(&r.window, "made-mid-sync"), Some(KeyStatus::Active));
    assert_eq!(status_of(&r.window, &revoked.name), Some(KeyStatus::Revoked));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resync_rewrites_only_the_rows_that_changed() {
    let r = rig().await;
    r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    let before = r.window.list_keys(&KeyQuery::default()).unwrap();
    let again = r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    let after = r.window.list_keys(&KeyQuery::default()).unwrap();
    let unchanged = before.iter().zip(&after).filter(|(b, a)| b.id == a.id && b.last_seen_at == a.last_seen_at).count();
    assert_eq!(unchanged, before.len(), "an unchanged row is not written again");
    assert!(before.len() >= KEYS);
    assert_eq!((again.added, again.updated, again.gone), (0, 0, 0), "nothing changed, and the report says so: {again:?}");

    // One key renamed at the service: the report counts that one, and the cache has its name.
    let renamed = {
        let mut world = r.sb.world();
        let key = world.braintrust.nth_mut(7).unwrap();
        key.name = "renamed-at-the-service".into();
        key.id.clone()
    };
    let next = r.window.sync_account(&r.id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!((next.added, next.updated, next.gone), (0, 1, 0), "{next:?}");
    let row = r.window.list_keys(&KeyQuery::default()).unwrap().into_iter().find(|k| k.provider_id == renamed).unwrap();
    assert_eq!(row.name, "renamed-at-the-service");
}
