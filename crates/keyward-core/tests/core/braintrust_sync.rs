//! The core against the sandbox over real HTTP: verify, paging, vanished keys, big syncs, faults.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyward_core::model::{KeyQuery, KeyStatus, NewAccount, Service, SyncProgress};
use keyward_core::vault::{MemoryVault, Vault};
use keyward_core::{ErrorCode, HttpConfig, Keyward};
use keyward_sandbox::{spawn, Faults, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

struct Rig {
    core: Keyward,
    vault: Arc<MemoryVault>,
    sandbox: SandboxHandle,
    _dir: tempfile::TempDir,
}

async fn rig(seed_keys: usize, page_size: u32) -> Rig {
    let sandbox = spawn(SandboxConfig { seed_keys, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let http = HttpConfig {
        page_size,
        min_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        request_timeout: Duration::from_secs(5),
        ..Default::default()
    };
    let core = Keyward::open(dir.path(), vault.clone(), http).unwrap();
    Rig { core, vault, sandbox, _dir: dir }
}

fn new_account(host: &str, token: &str) -> NewAccount {
    NewAccount { service: Service::Braintrust, label: "Sandbox".into(), host: host.into(), org_name: None, token: token.to_string().into() }
}

async fn added(r: &Rig) -> String {
    r.core.add_account(new_account(&r.sandbox.base_url, DEFAULT_TOKEN)).await.unwrap().id
}

fn list_calls(r: &Rig) -> u64 {
    *r.sandbox.world().requests.get("GET /v1/api_key").unwrap_or(&0)
}

fn no_progress(_: SyncProgress) {}

#[tokio::test]
async fn verify_accepts_a_good_token_and_keeps_it_in_the_vault() {
    let r = rig(0, 100).await;
    let account = r.core.add_account(new_account(&r.sandbox.base_url, DEFAULT_TOKEN)).await.unwrap();
    assert_eq!(account.identity.as_deref(), Some("organization sandbox-org"));
    assert_eq!(r.core.list_accounts().unwrap().len(), 1);
    assert_eq!(r.vault.len(), 1);
    use secrecy::ExposeSecret;
    let entry = keyward_core::vault::BoundToken::open(&r.vault.read(&account.id).unwrap());
    assert_eq!(entry.token.expose_secret(), DEFAULT_TOKEN);
    assert_eq!(entry.host.as_deref(), Some(r.sandbox.base_url.as_str()), "the entry names the host it was verified with");
}

#[tokio::test]
async fn a_refused_token_is_named_on_the_token_field_and_nothing_is_saved() {
    let r = rig(0, 100).await;
    let err = r.core.add_account(new_account(&r.sandbox.base_url, "sk-wrong")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthorized);
    assert_eq!(err.field.as_deref(), Some("token"));
    assert_eq!(err.message, "This key was refused by Braintrust (401).");
    assert!(r.core.list_accounts().unwrap().is_empty());
    assert!(r.vault.is_empty());
}

#[tokio::test]
async fn an_unreachable_host_is_a_network_error_and_nothing_is_saved() {
    let r = rig(0, 100).await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let err = r.core.add_account(new_account(&format!("http://{closed}"), DEFAULT_TOKEN)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    assert_eq!(err.field.as_deref(), Some("host"));
    assert!(err.message.contains("Could not reach Braintrust"), "{}", err.message);
    assert!(r.core.list_accounts().unwrap().is_empty());
    assert!(r.vault.is_empty());
}

#[tokio::test]
async fn paging_fetches_every_page_with_exact_counts() {
    let r = rig(250, 100).await;
    let id = added(&r).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let report = r.core.sync_account(&id, &move |p: SyncProgress| log.lock().unwrap().push(p)).await.unwrap();
    // Three pages of API keys, then one (empty) page each of service tokens and AI secrets, and
    // the env vars, which Braintrust lists whole.
    assert_eq!((report.fetched, report.added, report.pages), (250, 250, 6));
    assert_eq!(list_calls(&r), 3);
    let progress: Vec<(u32, u32, bool)> = seen.lock().unwrap().iter().map(|p| (p.pages, p.fetched, p.done)).collect();
    assert_eq!(progress, [(1, 100, false), (2, 200, false), (3, 250, false), (4, 250, false), (5, 250, false), (6, 250, false), (0, 250, true)]);
    let keys = r.core.list_keys(&KeyQuery::default()).unwrap();
    assert_eq!(keys.len(), 250);
    assert_eq!(keys[0].name, "key-0250", "newest first");
    assert_eq!(r.core.get_account(&id).unwrap().key_count, 250);
}

#[tokio::test]
async fn a_full_last_page_costs_one_empty_page_more() {
    let r = rig(200, 100).await;
    let id = added(&r).await;
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.fetched, report.pages), (200, 6));
    assert_eq!(list_calls(&r), 3);
}

#[tokio::test]
async fn a_vanished_key_is_marked_gone() {
    let r = rig(5, 2).await;
    let id = added(&r).await;
    r.core.sync_account(&id, &no_progress).await.unwrap();
    let victim = r.core.list_keys(&KeyQuery::default()).unwrap()[2].clone();
    r.sandbox.world().braintrust.remove(&victim.provider_id).unwrap();
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.fetched, report.added, report.updated, report.gone), (4, 0, 0, 1), "the 4 listed were cached unchanged");
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 4);
    let all = r.core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
    assert_eq!(all.iter().find(|k| k.id == victim.id).unwrap().status, KeyStatus::Gone);
}

#[tokio::test]
async fn a_thousand_keys_sync_and_search() {
    let r = rig(1000, 100).await;
    let id = added(&r).await;
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.fetched, report.pages), (1000, 14));
    let q = |s: &str| KeyQuery { search: Some(s.into()), ..Default::default() };
    assert_eq!(r.core.list_keys(&q("key-09")).unwrap().len(), 100);
    assert_eq!(r.core.list_keys(&q("ben@")).unwrap().len(), 334);
    assert_eq!(r.core.list_keys(&q("key-0999")).unwrap()[0].owner.as_deref(), Some("ana@example.com"));
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried() {
    let r = rig(150, 100).await;
    let id = added(&r).await;
    r.sandbox.world().faults = Faults { rate_limit_next: 2, retry_after_secs: 0, ..Default::default() };
    r.core.sync_account(&id, &no_progress).await.unwrap();
    r.sandbox.world().faults = Faults { error_500_next: 2, ..Default::default() };
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!(report.fetched, 150);
}

#[tokio::test]
async fn a_failed_sync_keeps_the_cache_and_remembers_why() {
    let r = rig(30, 10).await;
    let id = added(&r).await;
    r.core.sync_account(&id, &no_progress).await.unwrap();
    r.sandbox.world().faults = Faults { error_500_next: 100, ..Default::default() };
    let err = r.core.sync_account(&id, &no_progress).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Provider);
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 30);
    let account = r.core.get_account(&id).unwrap();
    assert_eq!(account.last_sync_error.unwrap().code, ErrorCode::Provider);
    r.sandbox.world().faults = Faults::default();
    r.core.sync_account(&id, &no_progress).await.unwrap();
    assert!(r.core.get_account(&id).unwrap().last_sync_error.is_none());
}

#[tokio::test]
async fn offline_sync_is_a_network_error_and_the_inventory_stays() {
    let r = rig(12, 5).await;
    let id = added(&r).await;
    r.core.sync_account(&id, &no_progress).await.unwrap();
    let Rig { core, sandbox, _dir, .. } = r;
    sandbox.shutdown().await;
    let err = core.sync_account(&id, &no_progress).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    assert_eq!(core.list_keys(&KeyQuery::default()).unwrap().len(), 12);
    assert!(core.get_account(&id).unwrap().last_synced_at.is_some());
}

#[tokio::test]
async fn removing_an_account_deletes_its_token_and_rows() {
    let r = rig(3, 100).await;
    let id = added(&r).await;
    r.core.sync_account(&id, &no_progress).await.unwrap();
    r.core.remove_account(&id).unwrap();
    assert!(r.vault.is_empty());
    assert!(r.core.list_accounts().unwrap().is_empty());
    assert!(r.core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap().is_empty());
    assert_eq!(r.core.remove_account(&id).unwrap_err().code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_token_deleted_from_the_keychain_is_named_and_the_cache_stays() {
    let r = rig(3, 100).await;
    let id = added(&r).await;
    r.core.sync_account(&id, &no_progress).await.unwrap();
    r.vault.delete(&id).unwrap();
    let err = r.core.sync_account(&id, &no_progress).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::TokenMissing);
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 3);
}

#[tokio::test]
async fn editing_an_account_verifies_first_and_loses_nothing_on_failure() {
    use keyward_core::model::AccountUpdate;
    use secrecy::ExposeSecret;
    let r = rig(3, 100).await;
    let id = added(&r).await;
    let none = AccountUpdate { label: None, host: None, org_name: None, token: None };

    let renamed = r.core.update_account(&id, AccountUpdate { label: Some("Prod EU".into()), ..none }).await.unwrap();
    assert_eq!(renamed.label, "Prod EU");

    // A wrong new token is refused by the service: the old one stays in the keychain.
    let bad = AccountUpdate { label: None, host: None, org_name: None, token: Some("sk-wrong".to_string().into()) };
    let err = r.core.update_account(&id, bad).await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::Unauthorized, Some("token")));
    assert_eq!(keyward_core::vault::BoundToken::open(&r.vault.read(&id).unwrap()).token.expose_secret(), DEFAULT_TOKEN);

    // The token was deleted behind Keyward's back: re-entering it brings the account back.
    r.vault.delete(&id).unwrap();
    assert_eq!(r.core.sync_account(&id, &no_progress).await.unwrap_err().code, ErrorCode::TokenMissing);
    let again = AccountUpdate { label: None, host: None, org_name: None, token: Some(DEFAULT_TOKEN.to_string().into()) };
    r.core.update_account(&id, again).await.unwrap();
    r.core.sync_account(&id, &no_progress).await.unwrap();

    let bad_host = AccountUpdate { label: None, host: Some("http://example.com".into()), org_name: None, token: None };
    assert_eq!(r.core.update_account(&id, bad_host).await.unwrap_err().field.as_deref(), Some("host"));
    assert_eq!(r.core.get_account(&id).unwrap().host, r.sandbox.base_url, "nothing stored changed");
    assert_eq!(r.core.audit_log(5).unwrap()[0].action, "account.token");
}
