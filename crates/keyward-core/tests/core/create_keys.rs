//! Minting and revoking against the sandbox: every limit, refusals, the dropped answer, audit.

use chrono::Utc;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyKind, KeyQuery, KeyStatus, NewAccount, Service, SyncProgress};
use keyward_core::{ErrorCode, HttpConfig};
use keyward_sandbox::{Faults, SandboxConfig, DEFAULT_TOKEN};

use crate::support;
use support::{account, on_disk, rig, Rig};

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
    let secret = minted.secret.as_ref().unwrap().expose().to_string();
    assert!(secret.starts_with(minted.key.preview.as_deref().unwrap().trim_end_matches('…')));
    let k = &minted.key;
    assert_eq!((k.kind, k.name.as_str(), k.status), (KeyKind::RespanTempKey, "ci-runner", KeyStatus::Active));
    assert_eq!((k.limits.usage_limit, k.limits.rate_limit, k.limits.spend_limit, k.limits.is_test), (Some(100), Some(30), Some(12.5), Some(true)));
    assert!(k.expires_at.is_some());
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 4, "the new row appears at once");
    assert!(!on_disk(&r, &secret), "the minted secret is never stored");

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
    let past = NewKey::RespanTempKey {
        name: None,
        expiry_date: Some("2020-01-01".into()),
        max_usage: None,
        rate_limit: None,
        spending_limit: None,
        is_test: None,
    };
    let err = r.core.create_key(&id, past).await.err().unwrap();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("expiry_date")));
    let negative =
        NewKey::RespanTempKey { name: None, expiry_date: None, max_usage: None, rate_limit: None, spending_limit: Some(-5.0), is_test: None };
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
    assert!(minted.secret.as_ref().unwrap().expose().starts_with("sk-"));
    assert_eq!(minted.key.name, "deploy");
    assert!(!on_disk(&r, minted.secret.as_ref().unwrap().expose()));
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
    let input = NewAccount {
        service: Service::Respan,
        label: "R".into(),
        host: r.sandbox.base_url.clone(),
        org_name: None,
        token: "nope".to_string().into(),
    };
    let err = r.core.add_account(input).await.unwrap_err();
    assert_eq!(err.message, "This key was refused by Respan (401).");
    assert_eq!(err.field.as_deref(), Some("token"));
}

fn openai_credential(name: &str, key: &str) -> NewKey {
    NewKey::BarndoorCredential {
        name: name.into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: None,
        api_key: Some(key.to_string().into()),
        credentials: None,
        settings: Some(r#"{"organization": "org-1"}"#.into()),
        change_note: Some("first key".into()),
    }
}

#[tokio::test]
async fn barndoor_gateway_key_and_credential_lifecycle() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Barndoor).await;

    let gateway = r
        .core
        .create_key(&id, NewKey::BarndoorGatewayKey { name: "svc".into(), expires_at: Some("2099-01-01".into()), access: Default::default() })
        .await
        .unwrap();
    let secret = gateway.secret.as_ref().unwrap().expose().to_string();
    assert!(secret.starts_with("bdai_"));
    assert_eq!(gateway.key.preview.as_deref(), Some(&format!("{}…", &secret[..12])[..]));
    assert!(gateway.key.expires_at.is_some());

    let given = "sk-upstream-given-secret-0042";
    let cred = r.core.create_key(&id, openai_credential("OpenAI Production", given)).await.unwrap();
    assert!(cred.secret.is_none(), "a given secret is never handed back");
    assert_eq!(cred.key.preview.as_deref(), Some("…0042"));
    assert!(!on_disk(&r, given), "a given secret never reaches the store");
    assert!(!on_disk(&r, &secret));

    let again = r.core.create_key(&id, openai_credential("OpenAI Production", given)).await.err().unwrap();
    assert_eq!((again.code, again.field.as_deref()), (ErrorCode::Conflict, Some("name")));

    // In use by a provider: 409, explained, nothing marked.
    let connection_id = cred.key.provider_id.clone();
    reqwest::Client::new()
        .post(format!("{}/__sandbox/barndoor/providers", r.sandbox.base_url))
        .json(&serde_json::json!({"name": "gpt-route", "connection_id": connection_id}))
        .send()
        .await
        .unwrap();
    let in_use = r.core.revoke_key(&cred.key.id).await.err().unwrap();
    assert_eq!(in_use.code, ErrorCode::Conflict);
    assert!(in_use.message.contains("gpt-route") && in_use.message.contains("providers"), "{}", in_use.message);
    assert!(!in_use.message.contains('\\') && !in_use.message.contains("  "), "one clean sentence: {}", in_use.message);
    r.sandbox.world().barndoor.providers.clear();
    assert_eq!(r.core.revoke_key(&cred.key.id).await.unwrap().status, KeyStatus::Revoked);
    assert!(r.sandbox.world().barndoor.connections.is_empty());

    assert_eq!(r.core.revoke_key(&gateway.key.id).await.unwrap().status, KeyStatus::Revoked);
    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(report.fetched, 0, "Barndoor lists the revoked key with revoked_at; it is not inventory");
}

#[tokio::test]
async fn barndoor_non_admin_and_bad_secrets() {
    let r = rig(SandboxConfig { tokens: vec![DEFAULT_TOKEN.into(), "member-token".into()], ..Default::default() }).await;
    r.sandbox.world().barndoor.non_admin_tokens.push("member-token".into());
    let input = NewAccount {
        service: Service::Barndoor,
        label: "B".into(),
        host: r.sandbox.base_url.clone(),
        org_name: None,
        token: "member-token".to_string().into(),
    };
    let err = r.core.add_account(input).await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::Forbidden, Some("token")));
    assert!(err.message.contains("admin role"));

    let id = account(&r, Service::Barndoor).await;
    let no_key = NewKey::BarndoorCredential {
        name: "x".into(),
        model_provider: "anthropic".into(),
        base_url: "https://api.anthropic.com".into(),
        auth_type: None,
        api_key: None,
        credentials: None,
        settings: None,
        change_note: None,
    };
    assert_eq!(r.core.create_key(&id, no_key).await.err().unwrap().field.as_deref(), Some("api_key"));
    let bad_json = NewKey::BarndoorCredential {
        name: "x".into(),
        model_provider: "bedrock".into(),
        base_url: "https://bedrock-runtime.us-east-1.amazonaws.com".into(),
        auth_type: Some("aws_role".into()),
        api_key: None,
        credentials: Some("{\"iam_role_arn\": ".to_string().into()),
        settings: None,
        change_note: None,
    };
    assert_eq!(r.core.create_key(&id, bad_json).await.err().unwrap().field.as_deref(), Some("credentials"));
    assert_eq!(posts(&r, "/api/llm-gateway/admin/connections"), 0, "nothing was sent");
    let role = NewKey::BarndoorCredential {
        name: "Bedrock role".into(),
        model_provider: "bedrock".into(),
        base_url: "https://bedrock-runtime.us-east-1.amazonaws.com".into(),
        auth_type: None,
        api_key: None,
        credentials: Some(r#"{"iam_role_arn": "arn:aws:iam::123:role/gw", "external_id": "ext-1"}"#.to_string().into()),
        settings: Some(r#"{"region": "us-east-1"}"#.into()),
        change_note: None,
    };
    let made = r.core.create_key(&id, role).await.unwrap();
    assert_eq!(made.key.name, "Bedrock role");
    assert_eq!(r.sandbox.world().barndoor.connections[0]["auth_type"], "aws_role", "the server chose the default");
}

#[tokio::test]
async fn braintrust_service_tokens_and_ai_secrets() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Braintrust).await;
    let token = NewKey::BraintrustServiceToken { name: "deployer".into(), service_account_id: "sa-1".into(), replace_existing: None };
    let minted = r.core.create_key(&id, token).await.unwrap();
    assert!(minted.secret.as_ref().unwrap().expose().starts_with("bt-st-"));
    assert_eq!(minted.key.kind, KeyKind::BraintrustServiceToken);
    let replace = NewKey::BraintrustServiceToken { name: "deployer".into(), service_account_id: "sa-1".into(), replace_existing: Some(true) };
    r.core.create_key(&id, replace).await.unwrap();
    assert_eq!(r.sandbox.world().braintrust.service_tokens.len(), 1, "PUT replaced the token of the same name");

    let given = "sk-openai-given-9999";
    let secret = NewKey::BraintrustAiSecret {
        secret_type: Some("openai".into()),
        name: "OPENAI".into(),
        secret: given.to_string().into(),
        metadata: Some(r#"{"team": "evals"}"#.into()),
        replace_existing: None,
    };
    let made = r.core.create_key(&id, secret).await.unwrap();
    assert!(made.secret.is_none());
    assert_eq!(made.key.preview.as_deref(), Some("********9999"));
    assert!(!on_disk(&r, given));

    // A sync sees all three kinds; the replaced token's first version is gone.
    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!((report.fetched, report.gone), (2, 1));
    assert_eq!(r.core.revoke_key(&made.key.id).await.unwrap().status, KeyStatus::Revoked);
    assert!(r.sandbox.world().braintrust.ai_secrets.is_empty());
}

#[tokio::test]
async fn a_token_that_may_not_list_service_tokens_still_syncs_the_rest() {
    let r = rig(SandboxConfig { seed_keys: 3, ..Default::default() }).await;
    let id = account(&r, Service::Braintrust).await;
    let token = NewKey::BraintrustServiceToken { name: "t".into(), service_account_id: "sa".into(), replace_existing: None };
    r.core.create_key(&id, token).await.unwrap();
    r.sandbox.world().braintrust.forbid_service_tokens = true;
    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!((report.fetched, report.gone), (3, 0), "the cached service token is kept, not marked gone");
    assert_eq!(r.core.list_keys(&KeyQuery::default()).unwrap().len(), 4);
    let refused = NewKey::BraintrustServiceToken { name: "u".into(), service_account_id: "sa".into(), replace_existing: None };
    let err = r.core.create_key(&id, refused).await.err().unwrap();
    assert!(err.message.contains("organization-owner"), "{}", err.message);
}

#[tokio::test]
async fn barndoor_credential_rotation_and_gateway_key_changes() {
    use keyward_core::model::key_change::KeyUpdate;
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Barndoor).await;
    let cred = r.core.create_key(&id, openai_credential("OpenAI", "sk-first-1111")).await.unwrap().key;

    let rotate = KeyUpdate::BarndoorCredential {
        name: None,
        base_url: None,
        auth_type: None,
        api_key: Some("sk-second-2222".to_string().into()),
        credentials: None,
        settings: None,
        change_note: Some("quarterly rotation".into()),
    };
    let rotated = r.core.update_key(&cred.id, rotate).await.unwrap();
    assert_eq!(rotated.preview.as_deref(), Some("…2222"));
    assert!(!on_disk(&r, "sk-second-2222"));
    assert_eq!(r.core.audit_log(1).unwrap()[0].action, "key.reissue");
    let bad_url = KeyUpdate::BarndoorCredential {
        name: None,
        base_url: Some("ftp://x".into()),
        auth_type: None,
        api_key: None,
        credentials: None,
        settings: None,
        change_note: None,
    };
    assert_eq!(r.core.update_key(&cred.id, bad_url).await.unwrap_err().field.as_deref(), Some("base_url"));

    let key = r.core.create_key(&id, NewKey::BarndoorGatewayKey { name: "svc".into(), expires_at: None, access: Default::default() }).await.unwrap();
    let old_secret = key.secret.unwrap().expose().to_string();
    let new = r.core.reissue_key(&key.key.id).await.unwrap();
    let new_secret = new.secret.as_ref().unwrap().expose().to_string();
    assert_ne!(old_secret, new_secret);
    assert_eq!(new.key.preview.as_deref(), Some(&format!("{}…", &new_secret[..12])[..]));

    let disable = KeyUpdate::BarndoorGatewayKey { disabled: Some(true), expires_at: Some("2099-06-01".into()), clear_expiry: None };
    let changed = r.core.update_key(&key.key.id, disable).await.unwrap();
    assert!(changed.expires_at.is_some());
    assert!(!r.sandbox.world().barndoor.api_keys[0]["disabled_at"].is_null());
    let never = KeyUpdate::BarndoorGatewayKey { disabled: Some(false), expires_at: None, clear_expiry: Some(true) };
    let changed = r.core.update_key(&key.key.id, never).await.unwrap();
    assert!(changed.expires_at.is_none());
    assert!(r.sandbox.world().barndoor.api_keys[0]["disabled_at"].is_null());
}

#[tokio::test]
async fn respan_patch_and_braintrust_ai_secret_patch() {
    use keyward_core::model::key_change::KeyUpdate;
    let r = rig(SandboxConfig::default()).await;
    let respan = account(&r, Service::Respan).await;
    let key = r.core.create_key(&respan, respan_key("old-name")).await.unwrap().key;
    let patch =
        KeyUpdate::RespanTempKey { name: Some("new-name".into()), expiry_date: Some("2098-01-01".into()), is_test: Some(false), prefix: None };
    let changed = r.core.update_key(&key.id, patch).await.unwrap();
    assert_eq!((changed.name.as_str(), changed.limits.is_test), ("new-name", Some(false)));
    assert_eq!(changed.expires_at.unwrap().format("%Y").to_string(), "2098");
    assert_eq!(changed.limits.usage_limit, Some(100), "limits the patch cannot touch are kept");

    let bt = account(&r, Service::Braintrust).await;
    let made = NewKey::BraintrustAiSecret {
        name: "OPENAI".into(),
        secret_type: None,
        secret: "sk-a-1234".to_string().into(),
        metadata: None,
        replace_existing: None,
    };
    let secret = r.core.create_key(&bt, made).await.unwrap().key;
    let patch = KeyUpdate::BraintrustAiSecret {
        name: None,
        secret_type: Some("openai".into()),
        secret: Some("sk-b-5678".to_string().into()),
        metadata: None,
    };
    let changed = r.core.update_key(&secret.id, patch).await.unwrap();
    assert_eq!(changed.preview.as_deref(), Some("********5678"));
    let wrong = KeyUpdate::RespanTempKey { name: Some("x".into()), expiry_date: None, is_test: None, prefix: None };
    assert_eq!(r.core.update_key(&secret.id, wrong).await.unwrap_err().field.as_deref(), Some("kind"));
}

#[tokio::test]
async fn respan_custom_provider_lifecycle() {
    use keyward_core::model::key_change::KeyUpdate;
    let r = rig(SandboxConfig { seed_respan_keys: 2, ..Default::default() }).await;
    let id = account(&r, Service::Respan).await;
    let given = "sk-respan-upstream-4321";
    let req = NewKey::RespanProvider {
        provider_id: "my-openai".into(),
        provider_name: "My OpenAI".into(),
        api_key: given.to_string().into(),
        extra_kwargs: Some(r#"{"base_url": "https://api.openai.com/v1", "timeout": 30}"#.into()),
    };
    let made = r.core.create_key(&id, req).await.unwrap();
    assert!(made.secret.is_none());
    assert_eq!((made.key.preview.as_deref(), made.key.owner.as_deref()), (Some("my-openai"), Some("https://api.openai.com/v1")));
    assert!(!on_disk(&r, given));

    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(report.fetched, 3, "two temporary keys and one provider");

    let patch =
        KeyUpdate::RespanProvider { provider_name: Some("OpenAI (team)".into()), api_key: Some("sk-new-9".to_string().into()), extra_kwargs: None };
    assert_eq!(r.core.update_key(&made.key.id, patch).await.unwrap().name, "OpenAI (team)");
    assert_eq!(r.core.revoke_key(&made.key.id).await.unwrap().status, KeyStatus::Revoked);
    assert!(r.sandbox.world().respan.providers.is_empty());

    let bad = NewKey::RespanProvider {
        provider_id: "has space".into(),
        provider_name: "x".into(),
        api_key: "".to_string().into(),
        extra_kwargs: Some("[1]".into()),
    };
    let fields: Vec<String> = bad.problems(Service::Respan, Utc::now()).into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["provider_id", "api_key", "extra_kwargs"]);
}

#[tokio::test]
async fn barndoor_providers_show_health_and_setups_validate() {
    use keyward_core::model::setup_check::SetupCheck;
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Barndoor).await;
    let cred = r.core.create_key(&id, openai_credential("OpenAI", "sk-1")).await.unwrap().key;
    for name in ["route-a", "route-b"] {
        r.sandbox.world().barndoor.providers.push((uuid::Uuid::new_v4().to_string(), name.into(), cred.provider_id.clone()));
    }
    r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    let rows = r.core.list_keys(&KeyQuery { search: Some("route".into()), ..Default::default() }).unwrap();
    let health: Vec<(String, Option<String>)> = rows.iter().map(|k| (k.name.clone(), k.preview.clone())).collect();
    assert_eq!(health.len(), 2);
    assert!(health.iter().all(|(_, h)| matches!(h.as_deref(), Some("healthy" | "unhealthy" | "unverified"))), "{health:?}");
    assert!(rows.iter().all(|k| k.kind == KeyKind::BarndoorProvider));

    let role = |arn: &str| SetupCheck::BarndoorAwsRole { region: "us-east-1".into(), iam_role_arn: arn.into(), external_id: "ext".into() };
    assert!(r.core.check_setup(&id, role("arn:aws:iam::123:role/gw")).await.unwrap().ok);
    let refused = r.core.check_setup(&id, role("arn:aws:s3:::bucket")).await.unwrap();
    assert!(!refused.ok && refused.message.contains("could not assume"), "{}", refused.message);
    assert_eq!(r.core.check_setup(&id, role("not-an-arn")).await.unwrap_err().field.as_deref(), Some("iam_role_arn"));

    let vertex = |creds: Option<&str>| SetupCheck::BarndoorGoogleVertex {
        project_id: "proj".into(),
        location: "us-central1".into(),
        auth_type: Some("google_service_account".into()),
        model_api_family: None,
        target_service_account: None,
        credentials: creds.map(|c| c.to_string().into()),
        model: None,
    };
    assert!(r.core.check_setup(&id, vertex(Some(r#"{"private_key": "-----BEGIN"}"#))).await.unwrap().ok);
    assert!(!r.core.check_setup(&id, vertex(None)).await.unwrap().ok);
    let err = r.core.check_setup(&id, vertex(Some("{\"private_key\": \"SECRETPEM"))).await.unwrap_err();
    assert!(err.field.as_deref() == Some("credentials") && !err.message.contains("SECRETPEM"));
    assert!(!on_disk(&r, "-----BEGIN"));

    // The same checks from a credential's create form: values come from its JSON fields.
    let form = |provider: &str, auth: Option<&str>, creds: &str, settings: &str| NewKey::BarndoorCredential {
        name: "Checked".into(),
        model_provider: provider.into(),
        base_url: "https://bedrock-runtime.us-east-1.amazonaws.com".into(),
        auth_type: auth.map(Into::into),
        api_key: None,
        credentials: Some(creds.to_string().into()),
        settings: Some(settings.into()),
        change_note: None,
    };
    let aws = form("bedrock", None, r#"{"iam_role_arn": "arn:aws:iam::123:role/gw", "external_id": "ext"}"#, r#"{"region": "us-east-1"}"#);
    assert!(r.core.check_credential(&id, &aws).await.unwrap().ok);
    let no_region = form("bedrock", Some("aws_role"), r#"{"iam_role_arn": "arn:aws:iam::123:role/gw", "external_id": "ext"}"#, "{}");
    let err = r.core.check_credential(&id, &no_region).await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("settings"));
    assert!(err.message.starts_with("region (in the settings JSON)"), "{}", err.message);
    let vertex_form =
        form("vertex", Some("google_service_account"), r#"{"private_key": "-----BEGIN"}"#, r#"{"project_id": "p", "location": "us-central1"}"#);
    assert!(r.core.check_credential(&id, &vertex_form).await.unwrap().ok);
    let key_only = form("openai", None, "{}", "{}");
    assert_eq!(r.core.check_credential(&id, &key_only).await.unwrap_err().field.as_deref(), Some("auth_type"));
    let broken = form("bedrock", None, "{\"iam_role_arn\": \"SECRETARN", "{}");
    let err = r.core.check_credential(&id, &broken).await.unwrap_err();
    assert!(err.field.as_deref() == Some("credentials") && !err.message.contains("SECRETARN"), "{}", err.message);
    assert!(r.sandbox.world().barndoor.connections.iter().all(|c| c["name"] != "Checked"), "a check saves nothing");
}

#[tokio::test]
async fn refresh_fetches_one_key_of_every_kind_and_notices_deletion() {
    let r = rig(SandboxConfig { seed_keys: 1, seed_respan_keys: 1, ..Default::default() }).await;
    let bt = account(&r, Service::Braintrust).await;
    let rs = account(&r, Service::Respan).await;
    let bd = account(&r, Service::Barndoor).await;
    let made = [
        r.core
            .create_key(&bt, NewKey::BraintrustServiceToken { name: "st".into(), service_account_id: "sa".into(), replace_existing: None })
            .await
            .unwrap()
            .key,
        r.core
            .create_key(
                &bt,
                NewKey::BraintrustAiSecret {
                    name: "AI".into(),
                    secret_type: None,
                    secret: "sk-1".to_string().into(),
                    metadata: None,
                    replace_existing: None,
                },
            )
            .await
            .unwrap()
            .key,
        r.core
            .create_key(
                &rs,
                NewKey::RespanProvider { provider_id: "p".into(), provider_name: "P".into(), api_key: "sk-2".to_string().into(), extra_kwargs: None },
            )
            .await
            .unwrap()
            .key,
        r.core.create_key(&bd, openai_credential("C", "sk-3")).await.unwrap().key,
        r.core.create_key(&bd, NewKey::BarndoorGatewayKey { name: "g".into(), expires_at: None, access: Default::default() }).await.unwrap().key,
    ];
    for s in [&bt, &rs, &bd] {
        r.core.sync_account(s, &|_: SyncProgress| {}).await.unwrap();
    }
    let all = r.core.list_keys(&KeyQuery::default()).unwrap();
    let seeded_bt = all.iter().find(|k| k.kind == KeyKind::BraintrustApiKey).unwrap();
    let seeded_rs = all.iter().find(|k| k.kind == KeyKind::RespanTempKey).unwrap();
    for key in made.iter().chain([seeded_bt, seeded_rs]) {
        let fresh = r.core.refresh_key(&key.id).await.unwrap();
        assert_eq!((fresh.kind, fresh.status), (key.kind, KeyStatus::Active), "{:?}", key.kind);
    }
    r.sandbox.world().respan.providers.clear();
    assert_eq!(r.core.refresh_key(&made[2].id).await.unwrap().status, KeyStatus::Gone);
}

#[tokio::test]
async fn a_flaky_service_still_syncs() {
    let r = rig(SandboxConfig { seed_keys: 300, ..Default::default() }).await;
    let id = account(&r, Service::Braintrust).await;
    // 30% of calls fail, never more in a row than the client's retries (a chance streak of five
    // would fail any run, which is a fact about dice, not about Keyward); seeded, so every run
    // meets the same failures.
    let retries = HttpConfig::default().max_retries as u32;
    r.sandbox.world().faults = Faults { error_rate_percent: 30, random_seed: 7, random_streak_max: retries, ..Default::default() };
    let report = r.core.sync_account(&id, &|_: SyncProgress| {}).await.unwrap();
    assert_eq!(report.fetched, 300);
    let failed = r.sandbox.world().faults.random_failures;
    assert!(failed > 0, "the seed injected no failure, so this test proved nothing");
    eprintln!("{failed} calls failed at random and were retried");
}
