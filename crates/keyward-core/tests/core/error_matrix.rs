//! Every operation of every service under each error status the services send: the right
//! code, the service's own words in the message, nothing cached that did not happen, reads
//! retried through 429 and 5xx, creates never retried.

use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyQuery, Service, SyncProgress};
use keyward_core::ErrorCode;
use keyward_sandbox::{Faults, SandboxConfig};

use crate::support;
use support::{account, Rig};

async fn rig() -> Rig {
    support::rig(SandboxConfig { seed_keys: 3, seed_respan_keys: 2, allow_api_key_create: true, ..Default::default() }).await
}

/// The body each service sends with an error, carrying `words`.
fn body(service: Service, words: &str) -> String {
    match service {
        Service::Braintrust => words.to_string(),
        Service::Respan => serde_json::json!({ "detail": words }).to_string(),
        Service::Barndoor => serde_json::json!({ "error": { "message": words, "type": "invalid_request_error" } }).to_string(),
    }
}

fn inject(r: &Rig, status: u16, body: String) {
    r.sandbox.world().faults = Faults { status_next: 1, status_code: status, status_body: body, ..Default::default() };
}

fn creates() -> Vec<(Service, NewKey)> {
    vec![
        (Service::Braintrust, NewKey::BraintrustApiKey { name: "m".into() }),
        (Service::Braintrust, NewKey::BraintrustProxyCredential { model: None, ttl_seconds: None, logging_project: None }),
        (Service::Braintrust, NewKey::BraintrustServiceToken { name: "m".into(), service_account_id: "sa".into(), replace_existing: None }),
        (
            Service::Braintrust,
            NewKey::BraintrustAiSecret {
                name: "m".into(),
                secret_type: None,
                secret: "sk".to_string().into(),
                metadata: None,
                replace_existing: None,
            },
        ),
        (
            Service::Respan,
            NewKey::RespanTempKey {
                name: Some("m".into()),
                expiry_date: None,
                max_usage: None,
                rate_limit: None,
                spending_limit: None,
                is_test: None,
            },
        ),
        (
            Service::Respan,
            NewKey::RespanProvider { provider_id: "m".into(), provider_name: "m".into(), api_key: "sk".to_string().into(), extra_kwargs: None },
        ),
        (Service::Barndoor, NewKey::BarndoorGatewayKey { name: "m".into(), expires_at: None, access: Default::default() }),
        (
            Service::Barndoor,
            NewKey::BarndoorCredential {
                name: "m".into(),
                model_provider: "openai".into(),
                base_url: "https://api.openai.com/v1".into(),
                auth_type: None,
                api_key: Some("sk".to_string().into()),
                credentials: None,
                settings: None,
                change_note: None,
            },
        ),
    ]
}

#[tokio::test]
async fn creates_map_every_refusal_and_cache_nothing() {
    let r = rig().await;
    let mut accounts = std::collections::HashMap::new();
    for s in Service::ALL {
        accounts.insert(s, account(&r, s).await);
    }
    let cases = [
        (401, ErrorCode::Unauthorized),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (400, ErrorCode::InvalidInput),
        (422, ErrorCode::InvalidInput),
        (429, ErrorCode::RateLimited),
    ];
    for (service, request) in creates() {
        for (status, code) in cases {
            let words = format!("sandbox says no to {:?} with {status}", request.kind());
            inject(&r, status, body(service, &words));
            let err = r.core.create_key(&accounts[&service], request.clone()).await.err().unwrap();
            assert_eq!(err.code, code, "{:?} {status}: {}", request.kind(), err.message);
            let explained = err.message.contains(&words) || matches!(status, 401 | 409) || err.message.contains("service token");
            assert!(explained, "{:?} {status}: the service's words are lost: {}", request.kind(), err.message);
        }
    }
    assert!(r.core.list_keys(&KeyQuery::default()).unwrap().is_empty(), "nothing refused was cached");
    let posts: u64 = r.sandbox.world().requests.iter().filter(|(k, _)| k.starts_with("POST /v1") || k.starts_with("POST /api")).map(|(_, v)| v).sum();
    assert_eq!(posts, (creates().len() * cases.len()) as u64, "one request per attempt: no create was retried");
}

#[tokio::test]
async fn reads_ride_out_429_and_5xx_but_report_other_failures() {
    let r = rig().await;
    for service in Service::ALL {
        let id = account(&r, service).await;
        let none = |_: SyncProgress| {};
        for status in [429, 500, 502, 503] {
            let retry = if status == 429 {
                Faults { rate_limit_next: 2, retry_after_secs: 0, ..Default::default() }
            } else {
                Faults { status_next: 2, status_code: status, status_body: body(service, "busy"), ..Default::default() }
            };
            r.sandbox.world().faults = retry;
            r.core.sync_account(&id, &none).await.unwrap_or_else(|e| panic!("{service:?} {status}: {}", e.message));
        }
        for (status, code) in [(401, ErrorCode::Unauthorized), (404, ErrorCode::NotFound), (400, ErrorCode::InvalidInput)] {
            inject(&r, status, body(service, "no listing for you"));
            let err = r.core.sync_account(&id, &none).await.unwrap_err();
            assert_eq!(err.code, code, "{service:?} {status}");
            assert_eq!(r.core.get_account(&id).unwrap().last_sync_error.unwrap().code, code);
        }
        r.sandbox.world().faults = Faults { malformed_next: 1, ..Default::default() };
        let err = r.core.sync_account(&id, &none).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Provider, "{service:?}: a malformed body is the service's fault, said plainly");
    }
}

#[tokio::test]
async fn updates_and_deletes_report_refusals_and_a_missing_key_counts_as_revoked() {
    let r = rig().await;
    let rs = account(&r, Service::Respan).await;
    let bd = account(&r, Service::Barndoor).await;
    let temp = r.core.create_key(&rs, creates()[4].1.clone()).await.unwrap().key;
    let cred = r.core.create_key(&bd, creates()[7].1.clone()).await.unwrap().key;

    for (status, code) in [
        (401, ErrorCode::Unauthorized),
        (403, ErrorCode::Forbidden),
        (404, ErrorCode::NotFound),
        (409, ErrorCode::Conflict),
        (422, ErrorCode::InvalidInput),
    ] {
        inject(&r, status, body(Service::Respan, "patch refused"));
        let patch = KeyUpdate::RespanTempKey { name: Some("n".into()), expiry_date: None, is_test: None, prefix: None };
        assert_eq!(r.core.update_key(&temp.id, patch).await.unwrap_err().code, code, "respan patch {status}");
        inject(&r, status, body(Service::Barndoor, "put refused"));
        let put = KeyUpdate::BarndoorCredential {
            name: Some("n".into()),
            base_url: None,
            auth_type: None,
            api_key: None,
            credentials: None,
            settings: None,
            change_note: None,
        };
        assert_eq!(r.core.update_key(&cred.id, put).await.unwrap_err().code, code, "barndoor put {status}");
    }
    assert_eq!(r.core.audit_log(100).unwrap().iter().filter(|e| e.outcome != "ok" && e.action == "key.update").count(), 10);

    for (status, code) in [(401, ErrorCode::Unauthorized), (403, ErrorCode::Forbidden), (409, ErrorCode::Conflict)] {
        inject(&r, status, body(Service::Respan, "delete refused"));
        assert_eq!(r.core.revoke_key(&temp.id).await.unwrap_err().code, code, "delete {status}");
        assert_ne!(r.core.find_key(&temp.id, None).unwrap().status, keyward_core::model::KeyStatus::Revoked);
    }
    // Deleted elsewhere already: the goal is reached.
    inject(&r, 404, body(Service::Respan, "Not found."));
    assert_eq!(r.core.revoke_key(&temp.id).await.unwrap().status, keyward_core::model::KeyStatus::Revoked);
    // A delete rides out a 503 like any idempotent call.
    r.sandbox.world().faults = Faults { status_next: 1, status_code: 503, status_body: "busy".into(), ..Default::default() };
    assert_eq!(r.core.revoke_key(&cred.id).await.unwrap().status, keyward_core::model::KeyStatus::Revoked);
}

#[tokio::test]
async fn a_service_that_echoes_a_given_secret_never_puts_it_in_a_message() {
    let r = rig().await;
    let bd = account(&r, Service::Barndoor).await;
    let given = "sk-given-upstream-secret-7777";
    let echo = format!("invalid api_key {given} for provider openai");
    inject(&r, 400, body(Service::Barndoor, &echo));
    let request = NewKey::BarndoorCredential {
        name: "x".into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: None,
        api_key: Some(given.to_string().into()),
        credentials: None,
        settings: None,
        change_note: None,
    };
    let err = r.core.create_key(&bd, request).await.err().unwrap();
    assert!(!err.message.contains(given), "{}", err.message);
    assert!(err.message.contains("[redacted]"), "{}", err.message);

    let creds = r#"{"private_key": "-----BEGIN PRIVATE KEY-----abc"}"#;
    inject(&r, 422, body(Service::Barndoor, "bad key -----BEGIN PRIVATE KEY-----abc"));
    let request = NewKey::BarndoorCredential {
        name: "y".into(),
        model_provider: "vertex".into(),
        base_url: "https://us-central1-aiplatform.googleapis.com".into(),
        auth_type: Some("google_service_account".into()),
        api_key: None,
        credentials: Some(creds.to_string().into()),
        settings: None,
        change_note: None,
    };
    let err = r.core.create_key(&bd, request).await.err().unwrap();
    assert!(!err.message.contains("BEGIN PRIVATE KEY"), "{}", err.message);
}

/// Everything any service holds that a create adds to.
fn objects(r: &Rig) -> usize {
    let w = r.sandbox.world();
    w.braintrust.len()
        + w.proxy_credentials_issued as usize
        + w.braintrust.service_tokens.len()
        + w.braintrust.ai_secrets.len()
        + w.respan.keys.len()
        + w.respan.providers.len()
        + w.barndoor.connections.len()
        + w.barndoor.api_keys.len()
}

fn posts(r: &Rig) -> u64 {
    r.sandbox.world().requests.iter().filter(|(k, _)| k.starts_with("POST")).map(|(_, n)| *n).sum()
}

#[tokio::test]
async fn a_lost_answer_to_any_create_leaves_exactly_one_object_and_says_what_happened() {
    let r = rig().await;
    let mut accounts = std::collections::HashMap::new();
    for service in Service::ALL {
        accounts.insert(service, account(&r, service).await);
    }
    let mut duplicates = 0;
    let total = creates().len();
    for (service, request) in creates() {
        let kind = request.kind();
        let (before, sent) = (objects(&r), posts(&r));
        r.sandbox.world().faults = Faults { drop_create_next: 1, ..Default::default() };
        let outcome = r.core.create_key(&accounts[&service], request).await;
        r.sandbox.world().faults = Faults::default();
        assert_eq!(posts(&r) - sent, 1, "{kind:?}: the create was sent once, never retried");
        let made = objects(&r) - before;
        duplicates += made.saturating_sub(1);
        assert_eq!(made, 1, "{kind:?}: exactly one object at the service");
        // Either the inventory found it (and says so) or the person is told to check.
        match outcome {
            Ok(m) => panic!("{kind:?}: a lost answer cannot look like a plain success ({})", m.key.name),
            Err(e) => assert!(
                e.message.contains("was created") || e.message.contains("was lost"),
                "{kind:?}: the person is told what happened: {}",
                e.message
            ),
        }
    }
    println!("duplicate keys under lost responses: {duplicates} across {total} kinds of create");
}
