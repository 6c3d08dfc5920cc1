//! Minting and revoking against the sandbox: every limit, refusals, the dropped answer, audit.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use keyward_core::create::NewKey;
use keyward_core::model::{KeyKind, KeyQuery, KeyStatus, NewAccount, Service, SyncProgress};
use keyward_core::vault::MemoryVault;
use keyward_core::{ErrorCode, HttpConfig, Keyward};
use keyward_sandbox::{spawn, Faults, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

struct Rig {
    core: Keyward,
    sandbox: SandboxHandle,
    dir: tempfile::TempDir,
}

async fn rig(config: SandboxConfig) -> Rig {
    let sandbox = spawn(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { min_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(50), ..Default::default() };
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap();
    Rig { core, sandbox, dir }
}

async fn account(r: &Rig, service: Service) -> String {
    let input = NewAccount {
        service,
        label: format!("{service:?}"),
        host: r.sandbox.base_url.clone(),
        org_name: None,
        token: DEFAULT_TOKEN.to_string().into(),
    };
    r.core.add_account(input).await.unwrap().id
}

fn respan_key(name: &str) -> NewKey {
    NewKey::RespanTempKey {
        name: Some(name.into()),
        expiry_date: Some("2099-12-31T00:00:00Z".into()),
        max_usage: Some(100),
        rate_limit: Some(30),
        spending_limit: Some(12.5),
        is_test: Some(true),
    }
}

fn db_holds(r: &Rig, needle: &str) -> bool {
    std::fs::read_dir(r.dir.path()).unwrap().any(|e| {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

fn posts(r: &Rig, path: &str) -> u64 {
    *r.sandbox.world().requests.get(&format!("POST {path}")).unwrap_or(&0)
}

#[tokio::test]
async fn respan_temp_key_with_every_limit_then_revoke() {
    let r = rig(SandboxConfig { seed_respan_keys: 3, ..Default::default() }).await;
    let id = account(&r, Service::Respan).await;
    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(report.fetched, 3);

    let minted = r.core.create_key(&id, respan_key("ci-runner")).await.unwrap();
    let secret = minted.secret.expose().to_string();
    assert!(secret.starts_with(minted.key.preview.as_deref().unwrap().trim_end_matches('…')));
    let k = &minted.key;
    assert_eq!((k.kind, k.name.as_str(), k.status), (KeyKind::RespanTempKey, "ci-runner", KeyStatus::Active));
    assert_eq!((k.limits.usage_limit, k.limits.rate_limit, k.limits.spend_limit, k.limits.is_test), (Some(100), Some(30), Some(12.5), Some(true)));
    assert!(k.expires_at.is_some());
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 4, "the new row appears at once");
    assert!(!db_holds(&r, &secret), "the minted secret is never stored");

    let revoked = r.core.revoke_key(&k.id).await.unwrap();
    assert_eq!(revoked.status, KeyStatus::Revoked);
    assert_eq!(r.sandbox.world().respan.keys.len(), 3);
    r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    let all = r.core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
    assert_eq!(all.iter().find(|x| x.id == k.id).unwrap().status, KeyStatus::Revoked, "a sync keeps it revoked");

    let log = r.core.audit_log(10).unwrap();
    let actions: Vec<(&str, &str, &str)> = log.iter().map(|e| (e.action.as_str(), e.target.as_str(), e.outcome.as_str())).collect();
    assert_eq!(actions[..2], [("key.revoke", "ci-runner", "ok"), ("key.create", "ci-runner", "ok")]);
}

#[tokio::test]
async fn bad_limits_are_named_and_nothing_is_sent() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Respan).await;
    let past = NewKey::RespanTempKey { name: None, expiry_date: Some("2020-01-01".into()), max_usage: None, rate_limit: None, spending_limit: None, is_test: None };
    let err = r.core.create_key(&id, past).await.err().unwrap();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("expiry_date")));
    let negative = NewKey::RespanTempKey { name: None, expiry_date: None, max_usage: None, rate_limit: None, spending_limit: Some(-5.0), is_test: None };
    assert_eq!(r.core.create_key(&id, negative).await.err().unwrap().field.as_deref(), Some("spending_limit"));
    let wrong_kind = NewKey::BraintrustApiKey { name: "x".into() };
    assert_eq!(r.core.create_key(&id, wrong_kind).await.err().unwrap().field.as_deref(), Some("kind"));
    assert_eq!(posts(&r, "/api/temporary-keys/"), 0);
}

#[tokio::test]
async fn braintrust_api_key_create_refused_like_the_live_service() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Braintrust).await;
    let err = r.core.create_key(&id, NewKey::BraintrustApiKey { name: "ci".into() }).await.err().unwrap();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("service token"), "{}", err.message);
    assert!(err.message.contains("API keys cannot create API keys"), "{}", err.message);
    assert_eq!(r.core.audit_log(1).unwrap()[0].outcome, "forbidden");
}

#[tokio::test]
async fn braintrust_api_key_create_where_allowed() {
    let r = rig(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await;
    let id = account(&r, Service::Braintrust).await;
    let minted = r.core.create_key(&id, NewKey::BraintrustApiKey { name: "deploy".into() }).await.unwrap();
    assert!(minted.secret.expose().starts_with("sk-"));
    assert_eq!(minted.key.name, "deploy");
    assert!(!db_holds(&r, minted.secret.expose()));
    let revoked = r.core.revoke_key(&minted.key.id).await.unwrap();
    assert_eq!(revoked.status, KeyStatus::Revoked);
    assert_eq!(r.sandbox.world().braintrust.len(), 0);
}

#[tokio::test]
async fn proxy_credential_keeps_its_expiry_locally() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Braintrust).await;
    let req = NewKey::BraintrustProxyCredential { model: Some("gpt-4o".into()), ttl_seconds: Some(3600), logging_project: Some("evals".into()) };
    let before = Utc::now();
    let minted = r.core.create_key(&id, req).await.unwrap();
    let k = &minted.key;
    assert_eq!(k.name, "Proxy credential · gpt-4o");
    let ttl = (k.expires_at.unwrap() - before).num_seconds();
    assert!((3599..=3601).contains(&ttl), "{ttl}");
    // Braintrust cannot list them: a sync keeps them.
    r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 1);
    let err = r.core.revoke_key(&k.id).await.err().unwrap();
    assert!(err.message.contains("expires"), "{}", err.message);

    let too_long = NewKey::BraintrustProxyCredential { model: None, ttl_seconds: Some(90_000), logging_project: None };
    assert_eq!(r.core.create_key(&id, too_long).await.err().unwrap().field.as_deref(), Some("ttl_seconds"));
    assert_eq!(r.sandbox.world().proxy_credentials_issued, 1);
}

#[tokio::test]
async fn a_lost_answer_leaves_exactly_one_key_and_says_so() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Respan).await;
    r.sandbox.world().faults = Faults { drop_create_next: 1, ..Default::default() };
    let err = r.core.create_key(&id, respan_key("flaky")).await.err().unwrap();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("was created") && err.message.contains("revoke"), "{}", err.message);
    assert_eq!(r.sandbox.world().respan.keys.len(), 1, "exactly one key exists");
    assert_eq!(posts(&r, "/api/temporary-keys/"), 1, "the create was not sent twice");
    let rows = r.core.list_keys(&KeyQuery::default()).unwrap();
    assert_eq!(rows.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["flaky"], "the orphan is in the inventory");
}

#[tokio::test]
async fn a_server_error_on_create_is_checked_not_retried() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Respan).await;
    r.sandbox.world().faults = Faults { error_500_next: 1, ..Default::default() };
    let err = r.core.create_key(&id, respan_key("once")).await.err().unwrap();
    assert!(err.message.contains("No Temporary key was created"), "{}", err.message);
    assert_eq!(posts(&r, "/api/temporary-keys/"), 1, "sent once, not retried");
    assert!(r.sandbox.world().respan.keys.is_empty());

    r.sandbox.world().faults = Faults { rate_limit_next: 1, retry_after_secs: 1, ..Default::default() };
    let err = r.core.create_key(&id, respan_key("limited")).await.err().unwrap();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert!(r.sandbox.world().respan.keys.is_empty());
}

#[tokio::test]
async fn respan_refuses_a_bad_token_on_add() {
    let r = rig(SandboxConfig::default()).await;
    let input = NewAccount { service: Service::Respan, label: "R".into(), host: r.sandbox.base_url.clone(), org_name: None, token: "nope".to_string().into() };
    let err = r.core.add_account(input).await.unwrap_err();
    assert_eq!(err.message, "This key was refused by Respan (401).");
    assert_eq!(err.field.as_deref(), Some("token"));
}
