//! Issue 11's trust rules tried as an attacker would: a service at another address (the
//! "stranger", a loopback server that records everything it is sent) must never receive the
//! account's token or a secret, whatever the form, the db or a service's answer says.

use crate::support;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use keyward_core::error::ErrorCode;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{AccountUpdate, NewAccount, Service, SyncProgress};
use keyward_sandbox::{SandboxConfig, DEFAULT_TOKEN};
use support::{account, rig};

#[derive(Clone, Copy)]
enum Answer {
    /// Lists are empty arrays; writes succeed with an echo.
    Plain,
    /// Every write is sent on with a 307 (which keeps the method and the body).
    RedirectWrites(u16),
    /// Every list is 9 MB.
    Huge,
    /// Every write is refused with a body that quotes the request in JSON-escaped and raw forms.
    EchoWrites,
}

#[derive(Clone)]
struct Stranger {
    seen: Arc<Mutex<Vec<String>>>,
    answer: Answer,
}

async fn record(State(s): State<Stranger>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = String::from_utf8_lossy(&body).to_string();
    s.seen.lock().unwrap().push(format!("{method} {uri} [{auth}] {text}"));
    let write = method != Method::GET;
    match s.answer {
        Answer::RedirectWrites(port) if write => {
            (StatusCode::TEMPORARY_REDIRECT, [("location", format!("http://127.0.0.1:{port}{uri}"))]).into_response()
        }
        Answer::EchoWrites if write => {
            // The secret part first, so the 300-character cut cannot hide a leak.
            let sent: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let credentials = serde_json::to_string_pretty(&sent["credentials"]).unwrap();
            let body = if sent["name"] == "Vertex raw" {
                format!("invalid credentials:\n{credentials}\n")
            } else {
                serde_json::json!({ "error": { "message": format!("invalid credentials {credentials}") } }).to_string()
            };
            (StatusCode::BAD_REQUEST, body).into_response()
        }
        Answer::Huge if !write => (StatusCode::OK, format!("[{}\"x\"]", "\"x\",".repeat(9 * 1024 * 1024 / 4))).into_response(),
        _ if write => (StatusCode::OK, text).into_response(),
        _ => (StatusCode::OK, "[]").into_response(),
    }
}

async fn stranger(answer: Answer) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new().fallback(record).with_state(Stranger { seen: seen.clone(), answer });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn none() -> AccountUpdate {
    AccountUpdate { label: None, host: None, org_name: None, token: None }
}

fn no_progress(_: SyncProgress) {}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_host_without_a_new_token_is_refused_and_the_stranger_hears_nothing() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Braintrust).await;
    let (url, seen) = stranger(Answer::Plain).await;
    let err = r.core.update_account(&id, AccountUpdate { host: Some(url.clone()), ..none() }).await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("token")), "{}", err.message);
    assert!(err.message.contains("typed again"), "{}", err.message);
    assert!(seen.lock().unwrap().is_empty(), "the stranger was sent {:?}", seen.lock().unwrap());
    assert_eq!(r.core.get_account(&id).unwrap().host, r.sandbox.base_url, "the stored host is kept");
    r.core.sync_account(&id, &no_progress).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_host_with_a_new_token_sends_only_the_new_token_there() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Barndoor).await;
    let (url, seen) = stranger(Answer::Plain).await;
    let moved = r
        .core
        .update_account(&id, AccountUpdate { host: Some(url.clone()), token: Some("typed-anew-0123".to_string().into()), ..none() })
        .await
        .unwrap();
    assert_eq!(moved.host, url);
    r.core.sync_account(&id, &no_progress).await.unwrap();
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|s| s.contains("[Bearer typed-anew-0123]") && !s.contains(DEFAULT_TOKEN)), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_changed_behind_keywards_back_gets_no_token() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Braintrust).await;
    let (url, seen) = stranger(Answer::Plain).await;
    // The db (or accounts.json, restored by a recovery) says another host than the keychain.
    let db = rusqlite::Connection::open(r.dir.path().join("keyward.db")).unwrap();
    db.execute("UPDATE accounts SET host = ?1 WHERE id = ?2", rusqlite::params![url, id]).unwrap();
    let err = r.core.sync_account(&id, &no_progress).await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::TokenMissing, Some("token")), "{}", err.message);
    assert!(err.message.contains("verified with"), "{}", err.message);
    assert!(seen.lock().unwrap().is_empty(), "the stranger was sent {:?}", seen.lock().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_is_not_followed_and_the_secret_stays_home() {
    let r = rig(SandboxConfig::default()).await;
    let (elsewhere, seen_elsewhere) = stranger(Answer::Plain).await;
    let port: u16 = elsewhere.rsplit(':').next().unwrap().parse().unwrap();
    let (url, seen) = stranger(Answer::RedirectWrites(port)).await;
    let input = NewAccount { service: Service::Barndoor, label: "B".into(), host: url, org_name: None, token: DEFAULT_TOKEN.to_string().into() };
    let id = r.core.add_account(input).await.unwrap().id;
    let secret = "sk-upstream-never-redirected-42";
    let request = NewKey::BarndoorCredential {
        name: "OpenAI".into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: None,
        api_key: Some(secret.to_string().into()),
        credentials: None,
        settings: None,
        change_note: None,
    };
    let err = r.core.create_key(&id, request).await.err().unwrap();
    assert_eq!(err.field.as_deref(), Some("host"), "{}", err.message);
    assert!(err.message.contains("redirect (307) to 127.0.0.1"), "{}", err.message);
    assert!(!err.message.contains(secret));
    assert!(seen_elsewhere.lock().unwrap().is_empty(), "the redirect was followed: {:?}", seen_elsewhere.lock().unwrap());
    assert_eq!(seen.lock().unwrap().iter().filter(|s| s.starts_with("POST")).count(), 1, "sent once, not again");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_too_large_is_cut_off_and_named() {
    let r = rig(SandboxConfig::default()).await;
    let (url, _) = stranger(Answer::Plain).await;
    let input =
        NewAccount { service: Service::Barndoor, label: "B".into(), host: url.clone(), org_name: None, token: DEFAULT_TOKEN.to_string().into() };
    let id = r.core.add_account(input).await.unwrap().id;
    let (huge, _) = stranger(Answer::Huge).await;
    // Same token, new host: typed again, as the rule asks.
    let err =
        r.core.update_account(&id, AccountUpdate { host: Some(huge), token: Some(DEFAULT_TOKEN.to_string().into()), ..none() }).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Provider, "{}", err.message);
    assert!(err.message.contains("Barndoor") && err.message.contains("larger than 8 MB"), "{}", err.message);
    assert_eq!(r.core.get_account(&id).unwrap().host, url, "nothing stored changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_echoing_a_secret_in_any_form_is_redacted() {
    let r = rig(SandboxConfig::default()).await;
    let (url, _) = stranger(Answer::EchoWrites).await;
    let input = NewAccount { service: Service::Barndoor, label: "B".into(), host: url, org_name: None, token: DEFAULT_TOKEN.to_string().into() };
    let id = r.core.add_account(input).await.unwrap().id;
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
    let credentials = serde_json::json!({ "type": "service_account", "private_key": pem, "client_email": "a@b.c" }).to_string();
    // Echoed JSON-escaped inside a JSON message, and raw (multi-line) in a text body.
    for name in ["Vertex escaped", "Vertex raw"] {
        let request = NewKey::BarndoorCredential {
            name: name.into(),
            model_provider: "vertex".into(),
            base_url: "https://us-central1-aiplatform.googleapis.com".into(),
            auth_type: None,
            api_key: None,
            credentials: Some(credentials.clone().into()),
            settings: None,
            change_note: None,
        };
        let err = r.core.create_key(&id, request).await.err().unwrap();
        assert!(err.message.contains("rejected the request (400)") && err.message.contains("[redacted]"), "{}", err.message);
        assert!(!err.message.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{}", err.message);
        assert!(!err.message.contains(DEFAULT_TOKEN), "{}", err.message);
    }
    let audit = r.core.audit(&Default::default()).unwrap();
    assert!(audit.iter().all(|a| !format!("{a:?}").contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")));
}

/// A create answered 200 without its secret: the key is live, so it is cached, named, and the
/// error carries its id for the revoke the person is offered (every minting kind, and a reissue).
#[tokio::test(flavor = "multi_thread")]
async fn a_key_created_without_its_secret_is_named_cached_and_revocable() {
    use keyward_core::model::KeyStatus;
    use keyward_sandbox::Faults;
    let r = rig(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await;
    let braintrust = account(&r, Service::Braintrust).await;
    let respan = account(&r, Service::Respan).await;
    let barndoor = account(&r, Service::Barndoor).await;
    let requests = [
        (braintrust.clone(), NewKey::BraintrustApiKey { name: "lost-api-key".into() }),
        (braintrust.clone(), NewKey::BraintrustServiceToken { name: "lost-token".into(), service_account_id: "sa-1".into(), replace_existing: None }),
        (
            respan.clone(),
            NewKey::RespanTempKey {
                name: Some("lost-temp".into()),
                expiry_date: None,
                max_usage: None,
                rate_limit: None,
                spending_limit: None,
                is_test: None,
            },
        ),
        (barndoor.clone(), NewKey::BarndoorGatewayKey { name: "lost-gateway".into(), expires_at: None, access: Default::default() }),
    ];
    for (account_id, request) in requests {
        let name = request.display_name();
        r.sandbox.world().faults = Faults { strip_secret_next: 1, ..Default::default() };
        let err = r.core.create_key(&account_id, request).await.err().unwrap();
        assert_eq!(err.code, ErrorCode::Conflict, "{name}: {}", err.message);
        assert!(err.message.contains(&name) && err.message.contains("live") && err.message.contains("revoke"), "{}", err.message);
        assert!(!err.message.contains("Nothing changed"), "{}", err.message);
        let key_id = err.key_id.clone().unwrap_or_else(|| panic!("{name}: no key to revoke"));
        let row = r.core.revoke_key(&key_id).await.unwrap();
        assert_eq!((row.name.as_str(), row.status), (name.as_str(), KeyStatus::Revoked));
    }

    let minted = r
        .core
        .create_key(&barndoor, NewKey::BarndoorGatewayKey { name: "reissued".into(), expires_at: None, access: Default::default() })
        .await
        .unwrap();
    r.sandbox.world().faults = Faults { strip_secret_next: 1, ..Default::default() };
    let err = r.core.reissue_key(&minted.key.id).await.err().unwrap();
    assert_eq!(err.key_id.as_deref(), Some(minted.key.id.as_str()), "{}", err.message);
    assert!(err.message.contains("reissued the Gateway key"), "{}", err.message);
}

/// Ids are the service's to choose (the spec says only "string"): one with a space, a slash and
/// a '%' is listed, cached and revoked through its own encoded path; an object that cannot be
/// read is skipped and counted, and while one is, nothing is marked gone.
#[tokio::test(flavor = "multi_thread")]
async fn any_id_is_usable_and_one_unreadable_object_does_not_blind_the_sync() {
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Respan).await;
    let temp = |name: &str| NewKey::RespanTempKey {
        name: Some(name.into()),
        expiry_date: None,
        max_usage: None,
        rate_limit: None,
        spending_limit: None,
        is_test: None,
    };
    r.core.create_key(&id, temp("plain")).await.unwrap();
    r.core.create_key(&id, temp("odd")).await.unwrap();
    let odd_id = "tk odd/../id%2F?x#y";
    r.sandbox.world().respan.keys.iter_mut().find(|k| k.name == "odd").unwrap().id = odd_id.into();

    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.fetched, report.skipped), (2, 0));
    let rows = r.core.list_keys(&Default::default()).unwrap();
    let odd = rows.iter().find(|k| k.name == "odd").unwrap();
    assert_eq!(odd.provider_id, odd_id);
    r.core.revoke_key(&odd.id).await.unwrap();
    let left: Vec<String> = r.sandbox.world().respan.keys.iter().map(|k| k.name.clone()).collect();
    assert_eq!(left, ["plain"], "the odd id's own path was deleted, nothing else");

    // One provider Respan lists that cannot be read, and "plain" deleted at Respan meanwhile.
    r.sandbox.world().respan.providers.push(serde_json::json!({ "provider_id": 5, "provider_name": ["not", "a", "name"] }));
    r.sandbox.world().respan.keys.clear();
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.skipped, report.gone), (1, 0), "an incomplete listing marks nothing gone");
    assert!(r.core.list_keys(&Default::default()).unwrap().iter().any(|k| k.name == "plain"));
    r.sandbox.world().respan.providers.clear();
    let report = r.core.sync_account(&id, &no_progress).await.unwrap();
    assert_eq!((report.skipped, report.gone), (0, 1), "a complete one does");
}

/// The cache hides settings whose name looks secret (`max_tokens` among them), so the edit form
/// never shows them; an edit of the map must not delete them at the service.
#[tokio::test(flavor = "multi_thread")]
async fn editing_a_settings_map_keeps_what_the_cache_hid() {
    use keyward_core::model::key_change::KeyUpdate;
    let r = rig(SandboxConfig::default()).await;
    let id = account(&r, Service::Barndoor).await;
    let request = NewKey::BarndoorCredential {
        name: "OpenAI".into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: None,
        api_key: Some("sk-upstream-0001".to_string().into()),
        credentials: None,
        settings: Some(r#"{"organization": "org-1", "max_tokens": 512, "extra_headers": {"X-Api-Key": "hdr-secret"}}"#.into()),
        change_note: None,
    };
    let made = r.core.create_key(&id, request).await.unwrap();
    let shown = r.core.key_details(&made.key.id).unwrap();
    assert_eq!(shown["settings"], serde_json::json!({"organization": "org-1"}), "the form starts from this");
    let edit = KeyUpdate::BarndoorCredential {
        name: None,
        base_url: None,
        auth_type: None,
        api_key: None,
        credentials: None,
        settings: Some(r#"{"organization": "org-2"}"#.into()),
        change_note: None,
    };
    r.core.update_key(&made.key.id, edit).await.unwrap();
    let held = r.sandbox.world().barndoor.connections.iter().find(|c| c["name"] == "OpenAI").unwrap()["settings"].clone();
    assert_eq!(held, serde_json::json!({"organization": "org-2", "max_tokens": 512, "extra_headers": {"X-Api-Key": "hdr-secret"}}));
}
