//! Barndoor gateway keys as the service has them now (issue 14): scopes and who a key acts for
//! (a user by id or email, or an IdP group, not both), checked by field before anything is sent;
//! a reissue whose previous secret keeps working for a grace period; a replacement that keeps
//! the old key's scopes and binding.

use keyward_core::model::new_key::{GatewayAccess, NewKey};
use keyward_core::model::{KeyQuery, Service};
use keyward_core::ErrorCode;
use keyward_sandbox::SandboxConfig;

use crate::support::{account, rig, Rig};

fn gateway(name: &str, access: GatewayAccess) -> NewKey {
    NewKey::BarndoorGatewayKey { name: name.into(), expires_at: None, access }
}

fn at_service(r: &Rig, name: &str) -> serde_json::Value {
    r.sandbox.world().barndoor.api_keys.iter().find(|k| k["name"] == name).cloned().unwrap()
}

fn posts(r: &Rig) -> u64 {
    r.sandbox.world().requests.iter().filter(|(k, _)| k.starts_with("POST ")).map(|(_, n)| n).sum()
}

#[tokio::test]
async fn a_key_is_created_with_its_scopes_and_a_group_or_a_user() {
    let r = rig(SandboxConfig::default()).await;
    let bd = account(&r, Service::Barndoor).await;
    let scopes = Some(vec!["llm:invoke".to_string(), " models:read ".to_string(), String::new()]);
    let grouped = GatewayAccess { scopes: scopes.clone(), group_name: Some("engineering".into()), ..Default::default() };
    let made = r.core.create_key(&bd, gateway("team", grouped)).await.unwrap();
    let sent = at_service(&r, "team");
    assert_eq!(sent["scopes"], serde_json::json!(["llm:invoke", "models:read"]), "trimmed, empty ones dropped");
    assert_eq!(sent["group_name"], "engineering");
    assert_eq!(made.key.owner.as_deref(), Some("engineering"), "the table shows who the key acts for");
    let details = r.core.key_details(&made.key.id).unwrap();
    assert_eq!(details["scopes"], serde_json::json!(["llm:invoke", "models:read"]));
    assert_eq!(details["group_name"], "engineering");

    let by_email = GatewayAccess { user_email: Some("ana@example.com".into()), ..Default::default() };
    r.core.create_key(&bd, gateway("ana", by_email)).await.unwrap();
    let sent = at_service(&r, "ana");
    assert_eq!(sent["kind"], "user");
    assert!(sent["user_id"].is_string() && sent["group_name"].is_null());
}

#[tokio::test]
async fn a_user_and_a_group_together_or_a_malformed_one_are_refused_by_field_and_nothing_is_sent() {
    let r = rig(SandboxConfig::default()).await;
    let bd = account(&r, Service::Barndoor).await;
    let before = posts(&r);
    let refused = |access: GatewayAccess| {
        let core = &r.core;
        let bd = bd.clone();
        async move { core.create_key(&bd, gateway("x", access)).await.err().unwrap() }
    };
    let both = refused(GatewayAccess { user_email: Some("ana@example.com".into()), group_name: Some("eng".into()), ..Default::default() }).await;
    assert_eq!((both.field.as_deref(), both.code), (Some("group_name"), ErrorCode::InvalidInput));
    assert!(both.message.contains("a user or for a group, not both"), "{}", both.message);
    let twice = refused(GatewayAccess {
        user_id: Some("0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0b01".into()),
        user_email: Some("ana@example.com".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(twice.field.as_deref(), Some("user_email"));
    assert_eq!(refused(GatewayAccess { user_id: Some("ana".into()), ..Default::default() }).await.field.as_deref(), Some("user_id"));
    assert_eq!(refused(GatewayAccess { user_email: Some("ana at example".into()), ..Default::default() }).await.field.as_deref(), Some("user_email"));
    let spaced = refused(GatewayAccess { scopes: Some(vec!["llm invoke".into()]), ..Default::default() }).await;
    assert_eq!(spaced.field.as_deref(), Some("scopes"));
    let doubled = refused(GatewayAccess { scopes: Some(vec!["a".into(), "a".into()]), ..Default::default() }).await;
    assert!(doubled.message.contains("given twice"), "{}", doubled.message);
    let hidden = refused(GatewayAccess { group_name: Some("eng\u{202e}".into()), ..Default::default() }).await;
    assert_eq!(hidden.field.as_deref(), Some("group_name"));
    assert_eq!(posts(&r), before, "nothing was sent");

    let problems = r
        .core
        .validate_key(&bd, &gateway("x", GatewayAccess { user_id: Some("u".into()), group_name: Some("g".into()), ..Default::default() }))
        .unwrap();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["user_id", "group_name"], "the form sees every problem at once");
}

#[tokio::test]
async fn a_reissue_with_a_grace_period_keeps_the_previous_secret_working_until_then() {
    let r = rig(SandboxConfig::default()).await;
    let bd = account(&r, Service::Barndoor).await;
    let key = r.core.create_key(&bd, gateway("svc", GatewayAccess::default())).await.unwrap().key;
    let before = chrono::Utc::now();
    let new = r.core.reissue_key_with_grace(&key.id, 3600).await.unwrap();
    assert!(new.secret.is_some());
    let until = at_service(&r, "svc")["previous_key_expires_at"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert!(until > before + chrono::Duration::minutes(59) && until < before + chrono::Duration::minutes(61), "{until}");
    let details = r.core.key_details(&key.id).unwrap();
    assert!(details["previous_key_expires_at"].is_string(), "the detail panel can say until when: {details}");
    assert!(details["rotated_at"].is_string());

    let sent = posts(&r);
    let too_long = r.core.reissue_key_with_grace(&key.id, 7 * 24 * 3600 + 1).await.err().unwrap();
    assert_eq!(too_long.field.as_deref(), Some("grace_period_secs"));
    assert_eq!(posts(&r), sent, "nothing was sent");

    r.core.reissue_key(&key.id).await.unwrap();
    assert!(at_service(&r, "svc")["previous_key_expires_at"].is_null(), "without a grace period the previous secret stops at once");

    let respan = account(&r, Service::Respan).await;
    let temp =
        NewKey::RespanTempKey { name: Some("t".into()), expiry_date: None, max_usage: None, rate_limit: None, spending_limit: None, is_test: None };
    let temp = r.core.create_key(&respan, temp).await.unwrap().key;
    let sent = posts(&r);
    let no_grace = r.core.reissue_key_with_grace(&temp.id, 60).await.err().unwrap();
    assert_eq!(no_grace.field.as_deref(), Some("grace_period_secs"), "{}", no_grace.message);
    assert!(no_grace.message.contains("Only a Barndoor gateway key"), "{}", no_grace.message);
    assert_eq!(posts(&r), sent, "nothing was sent");
}

#[tokio::test]
async fn the_replace_assistant_keeps_a_keys_scopes_and_binding() {
    let r = rig(SandboxConfig::default()).await;
    let bd = account(&r, Service::Barndoor).await;
    let access = GatewayAccess { scopes: Some(vec!["llm:invoke".into()]), group_name: Some("engineering".into()), ..Default::default() };
    let old = r.core.create_key(&bd, gateway("scoped", access)).await.unwrap().key;
    let report = r.core.replace_key(&old.id, Vec::new(), &|_| {}).await.unwrap();
    assert!(report.report.completed, "{:?}", report.report);
    let keys = r.core.list_keys(&KeyQuery::default()).unwrap();
    let successor = keys.iter().find(|k| k.name == "scoped" && k.id != old.id).expect("a successor");
    let sent = r.sandbox.world().barndoor.api_keys.iter().find(|k| k["id"] == successor.provider_id.as_str()).cloned().unwrap();
    assert_eq!(sent["scopes"], serde_json::json!(["llm:invoke"]));
    assert_eq!(sent["group_name"], "engineering");
}
