//! Installing and the rotation assistant against the sandbox over HTTP: a minted secret installed
//! and checked where it is used, a rotation that completes, and rotations that stop part-way
//! leaving the old key active.

use std::sync::{Arc, Mutex};

use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyKind, KeyQuery, KeyRow, KeyStatus, Service, SyncProgress};
use keyward_core::ops::install::InstallTarget;
use keyward_core::ops::replace::{ReplaceReport, StepState};
use keyward_sandbox::{Faults, SandboxConfig};

use crate::support;
use secrecy::SecretString;
use support::{account, on_disk, rig, Rig};

fn credential(name: &str) -> NewKey {
    NewKey::BarndoorCredential {
        name: name.into(),
        model_provider: "custom".into(),
        base_url: "https://api.respan.ai/api/".into(),
        auth_type: None,
        api_key: None,
        credentials: None,
        settings: None,
        change_note: None,
    }
}

fn temp_key(name: &str) -> NewKey {
    NewKey::RespanTempKey {
        name: Some(name.into()),
        expiry_date: Some("2099-12-31T00:00:00Z".into()),
        max_usage: Some(100),
        rate_limit: Some(30),
        spending_limit: Some(12.5),
        is_test: Some(false),
    }
}

fn held_key(r: &Rig, credential: &KeyRow) -> Option<String> {
    r.sandbox.world().barndoor.held_keys.get(&credential.provider_id).cloned()
}

fn respan_names(r: &Rig) -> Vec<String> {
    r.sandbox.world().respan.keys.iter().map(|k| k.name.clone()).collect()
}

#[tokio::test]
async fn a_minted_secret_is_installed_checked_and_never_stored() {
    let r = rig(SandboxConfig::default()).await;
    let respan = account(&r, Service::Respan).await;
    let barndoor = account(&r, Service::Barndoor).await;
    let braintrust = account(&r, Service::Braintrust).await;
    let minted = r.core.create_key(&respan, temp_key("gateway-upstream")).await.unwrap();
    let secret = minted.secret.as_ref().unwrap().expose().to_string();
    let given = SecretString::from(secret.clone());

    // A new Barndoor custom credential whose upstream key is the Respan key.
    let target = InstallTarget::Create { account_id: barndoor.clone(), request: credential("Respan gateway") };
    let installed = r.core.install_secret(&given, target, "gateway-upstream").await.unwrap();
    assert_eq!(installed.verified, Some(true), "{}", installed.check);
    assert_eq!(installed.key.kind, KeyKind::BarndoorCredential);
    assert_eq!(held_key(&r, &installed.key).as_deref(), Some(secret.as_str()));

    // An existing Braintrust AI secret rotated to it: only the secret is sent.
    let ai = NewKey::BraintrustAiSecret {
        name: "RESPAN".into(),
        secret_type: Some("openai".into()),
        secret: "sk-old-0000".to_string().into(),
        metadata: None,
        replace_existing: None,
    };
    let ai = r.core.create_key(&braintrust, ai).await.unwrap().key;
    let installed = r.core.install_secret(&given, InstallTarget::Existing { key_id: ai.id.clone() }, "gateway-upstream").await.unwrap();
    assert_eq!(installed.verified, Some(true), "{}", installed.check);
    assert!(installed.key.preview.unwrap().ends_with(&secret[secret.len() - 4..]));

    // A Respan custom provider: Respan shows nothing of the key, so it is checked as present.
    let provider = NewKey::RespanProvider {
        provider_id: "respan-self".into(),
        provider_name: "Respan self".into(),
        api_key: String::new().into(),
        extra_kwargs: None,
    };
    let installed =
        r.core.install_secret(&given, InstallTarget::Create { account_id: respan.clone(), request: provider }, "gateway-upstream").await.unwrap();
    assert_eq!(installed.verified, None);
    assert!(installed.check.contains("read back present"));

    assert!(!on_disk(&r, &secret), "the secret reached the data dir");
    let log = r.core.audit_log(50).unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "key.install" && e.outcome == "ok").count(), 3);
    assert!(log.iter().all(|e| !format!("{e:?}").contains(&secret)));
}

#[tokio::test]
async fn a_target_that_cannot_take_a_minted_secret_is_refused_before_anything_is_sent() {
    let r = rig(SandboxConfig::default()).await;
    let respan = account(&r, Service::Respan).await;
    let barndoor = account(&r, Service::Barndoor).await;
    let key = r.core.create_key(&respan, temp_key("k")).await.unwrap().key;
    let before = r.sandbox.world().requests.values().sum::<u64>();
    let given = SecretString::from("rs.secret-value".to_string());
    let e = r.core.install_secret(&given, InstallTarget::Existing { key_id: key.id.clone() }, "x").await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("kind"));
    let e = r.core.install_secret(&given, InstallTarget::Create { account_id: barndoor.clone(), request: temp_key("y") }, "x").await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("kind"));
    assert_eq!(r.sandbox.world().requests.values().sum::<u64>(), before, "nothing was sent");
    // The form's own problems are named, the secret fields are not (the minted secret fills them).
    let bad = credential(" ");
    let problems = r.core.validate_install(&InstallTarget::Create { account_id: barndoor, request: bad }).unwrap();
    assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["name"]);
}

/// A Respan key installed in a Barndoor credential and a Braintrust AI secret, ready to rotate.
async fn installed_everywhere(r: &Rig) -> (KeyRow, KeyRow, KeyRow) {
    let respan = account(r, Service::Respan).await;
    let barndoor = account(r, Service::Barndoor).await;
    let braintrust = account(r, Service::Braintrust).await;
    let minted = r.core.create_key(&respan, temp_key("upstream")).await.unwrap();
    let secret = SecretString::from(minted.secret.as_ref().unwrap().expose().to_string());
    let ai = NewKey::BraintrustAiSecret {
        name: "UPSTREAM".into(),
        secret_type: None,
        secret: String::new().into(),
        metadata: None,
        replace_existing: None,
    };
    let ai = r.core.install_secret(&secret, InstallTarget::Create { account_id: braintrust, request: ai }, "upstream").await.unwrap().key;
    let cred = r
        .core
        .install_secret(&secret, InstallTarget::Create { account_id: barndoor, request: credential("Upstream") }, "upstream")
        .await
        .unwrap()
        .key;
    (minted.key, ai, cred)
}

/// Every report's step states, in the order the assistant sent them.
type Seen = Arc<Mutex<Vec<Vec<StepState>>>>;

fn recorder() -> (Seen, impl Fn(&ReplaceReport) + Send + Sync) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    (seen, move |r: &ReplaceReport| s.lock().unwrap().push(r.steps.iter().map(|s| s.state).collect()))
}

#[tokio::test]
async fn a_rotation_mints_the_same_key_installs_checks_then_revokes() {
    let r = rig(SandboxConfig::default()).await;
    let (old, ai, cred) = installed_everywhere(&r).await;
    let plan = r.core.replace_plan(&old.id).unwrap();
    assert!(plan.replacement.iter().any(|s| s.label == "Spend" && s.value == "at most $12.50"));
    assert!(plan.targets.iter().any(|t| t.key.id == cred.id));

    let (seen, progress) = recorder();
    let targets = vec![InstallTarget::Existing { key_id: ai.id.clone() }, InstallTarget::Existing { key_id: cred.id.clone() }];
    let rotation = r.core.replace_key(&old.id, targets, &progress).await.unwrap();
    let report = &rotation.report;
    assert!(report.completed, "{}", report.summary);
    assert!(report.steps.iter().all(|s| s.state == StepState::Done), "{:?}", report.steps);
    assert_eq!(report.old_key.as_ref().unwrap().status, KeyStatus::Revoked);
    let new = report.new_key.clone().unwrap();
    assert_eq!(
        (new.name.as_str(), new.limits.usage_limit, new.limits.spend_limit, new.limits.rate_limit),
        ("upstream", Some(100), Some(12.5), Some(30))
    );
    // The old key is gone at Respan; the new one is what both places hold.
    assert_eq!(respan_names(&r), ["upstream"]);
    let secret = rotation.secret.as_ref().unwrap().expose().to_string();
    assert_eq!(held_key(&r, &cred).as_deref(), Some(secret.as_str()));
    // Every step was seen running before it was done, in order.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first().unwrap()[0], StepState::Running);
    assert_eq!(seen.last().unwrap(), &vec![StepState::Done; 4]);
    assert!(!on_disk(&r, &secret));
}

#[tokio::test]
async fn a_rotation_that_fails_half_way_leaves_the_old_key_active_and_says_where_things_stand() {
    let r = rig(SandboxConfig::default()).await;
    let (old, ai, cred) = installed_everywhere(&r).await;
    let old_secret = held_key(&r, &cred).unwrap();
    r.sandbox.world().faults = Faults { refuse_prefix: "PUT /api/llm-gateway/admin/connections/".into(), refuse_status: 500, ..Default::default() };
    let (_, progress) = recorder();
    let targets = vec![InstallTarget::Existing { key_id: ai.id.clone() }, InstallTarget::Existing { key_id: cred.id.clone() }];
    let report = r.core.replace_key(&old.id, targets, &progress).await.unwrap().report;
    assert!(!report.completed);
    let states: Vec<StepState> = report.steps.iter().map(|s| s.state).collect();
    assert_eq!(states, [StepState::Done, StepState::Done, StepState::Failed, StepState::Skipped]);
    assert!(report.summary.contains("Stopped before revoking anything"), "{}", report.summary);
    assert!(report.summary.contains("installed in “UPSTREAM”"), "{}", report.summary);
    assert!(report.summary.contains("“upstream” is still active"), "{}", report.summary);
    assert!(!report.replacement_unused, "the AI secret holds the replacement now: it is in use");
    // The old key still works: active here and at Respan; the credential still holds it.
    assert_eq!(r.core.find_key(&old.id, None).unwrap().status, KeyStatus::Active);
    assert_eq!(respan_names(&r), ["upstream", "upstream"], "old and new both exist at Respan");
    assert_eq!(held_key(&r, &cred).unwrap(), old_secret);
    let log = r.core.audit_log(10).unwrap();
    assert!(log.iter().any(|e| e.action == "key.replace" && e.outcome == "conflict"));
}

#[tokio::test]
async fn a_replacement_installed_nowhere_can_be_revoked_and_all_is_as_before() {
    let r = rig(SandboxConfig::default()).await;
    let (old, _, cred) = installed_everywhere(&r).await;
    let old_secret = held_key(&r, &cred).unwrap();
    r.sandbox.world().faults = Faults { refuse_prefix: "PUT /api/llm-gateway/admin/connections/".into(), refuse_status: 500, ..Default::default() };
    let (_, progress) = recorder();
    let report = r.core.replace_key(&old.id, vec![InstallTarget::Existing { key_id: cred.id.clone() }], &progress).await.unwrap().report;
    assert!(report.summary.contains("installed nowhere yet"), "{}", report.summary);
    assert!(report.replacement_unused);
    r.sandbox.world().faults = Faults::default();
    // What the window's "Revoke the unused replacement" does: the new key goes, the old one stays.
    let new = report.new_key.unwrap();
    assert_eq!(r.core.revoke_key(&new.id).await.unwrap().status, KeyStatus::Revoked);
    assert_eq!(respan_names(&r), ["upstream"], "only the old key is left at Respan");
    assert_eq!(r.core.find_key(&old.id, None).unwrap().status, KeyStatus::Active);
    assert_eq!(held_key(&r, &cred).unwrap(), old_secret);
}

#[tokio::test]
async fn a_replacement_that_cannot_be_minted_changes_nothing() {
    let r = rig(SandboxConfig::default()).await;
    let (old, _, cred) = installed_everywhere(&r).await;
    r.sandbox.world().faults = Faults { refuse_prefix: "POST /api/temporary-keys/".into(), refuse_status: 403, ..Default::default() };
    let (_, progress) = recorder();
    let report = r.core.replace_key(&old.id, vec![InstallTarget::Existing { key_id: cred.id.clone() }], &progress).await.unwrap().report;
    let states: Vec<StepState> = report.steps.iter().map(|s| s.state).collect();
    assert_eq!(states, [StepState::Failed, StepState::Pending, StepState::Pending]);
    assert!(report.summary.starts_with("Nothing changed"), "{}", report.summary);
    assert!(!report.replacement_unused, "there is no replacement to revoke");
    assert_eq!(respan_names(&r), ["upstream"]);
    // A kind with nothing to mint is refused up front.
    let e = r.core.replace_key(&cred.id, vec![], &progress).await.err().unwrap();
    assert!(e.message.contains("secret is one you give"));
}

#[tokio::test]
async fn a_key_whose_tail_matches_is_suggested_as_a_target() {
    let r = rig(SandboxConfig { seed_keys: 3, ..Default::default() }).await;
    let braintrust = account(&r, Service::Braintrust).await;
    r.core.sync_account(&braintrust, &|_: SyncProgress| {}).await.unwrap();
    let key = r.core.list_keys(&KeyQuery::default()).unwrap().into_iter().find(|k| k.kind == KeyKind::BraintrustApiKey).unwrap();
    let tail: String = key.preview.clone().unwrap().chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    for (name, secret) in [("USES-IT", format!("sk-upstream-{tail}")), ("OTHER", "sk-upstream-zzzz".to_string())] {
        let ai = NewKey::BraintrustAiSecret { name: name.into(), secret_type: None, secret: secret.into(), metadata: None, replace_existing: None };
        r.core.create_key(&braintrust, ai).await.unwrap();
    }
    let plan = r.core.replace_plan(&key.id).unwrap();
    let suggested: Vec<&str> = plan.targets.iter().filter(|t| t.suggested).map(|t| t.key.name.as_str()).collect();
    assert_eq!(suggested, ["USES-IT"]);
}
