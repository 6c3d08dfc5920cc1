//! Barndoor gateway keys as the service has them now (issue 14): scopes and who a key acts for
//! (a user by id or email, or an IdP group, not both), checked by field before anything is sent;
//! a reissue whose previous secret keeps working for a grace period; a replacement that keeps
//! the old key's scopes and binding.

use keyward_core::model::new_key::{GatewayAccess, NewKey};
use keyward_core::model::{KeyQuery, Service};
use keyward_core::ops::install::InstallTarget;
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
    // The row itself carries it, for the table, `keys list --json` and the exports.
    let state = made.key.gateway.clone().expect("a gateway key's row has its state");
    assert_eq!((state.class.as_deref(), state.group_name.as_deref()), (Some("machine"), Some("engineering")));
    assert_eq!(state.scopes, ["llm:invoke", "models:read"]);
    let csv = keyward_core::ops::export::keys_csv(std::slice::from_ref(&made.key)).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cells: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|c| *c == name).unwrap()];
    assert_eq!((cell("scopes"), cell("acts_for"), cell("gateway_class")), ("llm:invoke models:read", "engineering", "machine"));

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
    let row = r.core.list_keys(&KeyQuery::default()).unwrap().into_iter().find(|k| k.id == key.id).unwrap();
    let state = row.gateway.expect("a gateway key's row has its state");
    assert!(state.rotated_at.is_some());
    assert_eq!(state.previous_key_expires_at.map(|t| t.timestamp()), Some(until.timestamp()), "the row says until when");

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
async fn the_replace_assistant_reissues_a_gateway_key_in_place_so_no_client_breaks() {
    let r = rig(SandboxConfig::default()).await;
    let bd = account(&r, Service::Barndoor).await;
    let bt = account(&r, Service::Braintrust).await;
    let access = GatewayAccess { scopes: Some(vec!["llm:invoke".into()]), group_name: Some("engineering".into()), ..Default::default() };
    let old = r.core.create_key(&bd, gateway("scoped", access)).await.unwrap().key;
    let checkout = r.core.find_project(&bt, "checkout").await.unwrap();
    let var = NewKey::BraintrustEnvVar {
        name: "BARNDOOR_API_KEY".into(),
        object_type: keyward_core::model::env_var::EnvVarScope::Project,
        object_id: Some(checkout.id),
        value: "bd-old-0000".to_string().into(),
        secret_type: None,
        replace_existing: None,
    };
    let target = r.core.create_key(&bt, var).await.unwrap().key;
    let plan = r.core.replace_plan(&old.id).unwrap();
    assert!(plan.replacement.iter().any(|s| s.value.contains("previous one keeps working 1 h more")), "{:?}", plan.replacement);

    let before = chrono::Utc::now();
    let done = r.core.replace_key(&old.id, vec![InstallTarget::Existing { key_id: target.id.clone() }], &|_| {}).await.unwrap();
    let report = &done.report;
    assert!(report.completed, "{}", report.summary);
    assert_eq!(report.steps.len(), 3);
    assert!(report.steps[0].label.contains("new secret") && report.steps[2].label.contains("previous secret stop"), "{:?}", report.steps);
    assert!(report.summary.contains("the previous one stops working at"), "{}", report.summary);
    let at = at_service(&r, "scoped");
    assert_eq!(at["id"], old.provider_id.as_str(), "the same key: id, scopes and binding kept");
    assert_eq!((at["scopes"].clone(), at["group_name"].clone()), (serde_json::json!(["llm:invoke"]), serde_json::json!("engineering")));
    assert!(at["revoked_at"].is_null(), "nothing is revoked");
    let until: chrono::DateTime<chrono::Utc> = at["previous_key_expires_at"].as_str().unwrap().parse().unwrap();
    assert!(until > before + chrono::Duration::minutes(59), "{until}");
    let keys = r.core.list_keys(&KeyQuery { account_id: Some(bd.clone()), ..Default::default() }).unwrap();
    assert_eq!(keys.iter().filter(|k| k.name == "scoped").count(), 1, "no successor key was minted");
    let secret = done.secret.unwrap().expose().to_string();
    let held = r.sandbox.world().env_var_digests.get(&target.provider_id).cloned();
    assert_eq!(held, Some(keyward_sandbox::digest(&secret)), "the project's env var holds the new secret");
}
