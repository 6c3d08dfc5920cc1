//! Barndoor's LLM gateway admin API: credentials (`/admin/connections`), providers that use
//! them, and gateway keys (`/admin/api-keys`). Errors are `{"error": {"message", "type"}}`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Map, Value};

use crate::Shared;

const ORG: &str = "7a1c2b3d-0000-4000-8000-00000000b0d0";
const PROVIDERS: [&str; 16] = [
    "openai",
    "anthropic",
    "azure_openai",
    "google_ai",
    "bedrock",
    "vertex",
    "groq",
    "together",
    "mistral",
    "cohere",
    "xai",
    "fireworks",
    "perplexity",
    "openrouter",
    "deepseek",
    "custom",
];

#[derive(Default)]
pub struct Barndoor {
    pub connections: Vec<Value>,
    pub api_keys: Vec<Value>,
    /// Providers as (id, name, connection id): they keep a credential from being deleted.
    pub providers: Vec<(String, String, String)>,
    /// Tokens with no admin role: they get 403 on every admin call.
    pub non_admin_tokens: Vec<String>,
    /// The upstream key each credential holds now, by credential id. Barndoor keeps it in its
    /// vault; the sandbox keeps it here so tests can prove which secret was installed.
    pub held_keys: std::collections::HashMap<String, String>,
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/llm-gateway/admin/connections", get(list_connections).post(create_connection))
        .route("/api/llm-gateway/admin/connections/{id}", get(get_connection).put(update_connection).delete(delete_connection))
        .route("/api/llm-gateway/admin/api-keys", get(list_api_keys).post(create_api_key))
        .route("/api/llm-gateway/admin/providers", get(list_providers))
        .route("/api/llm-gateway/admin/providers/{id}", get(get_provider))
        .route("/api/llm-gateway/admin/connections/aws-role-validate", axum::routing::post(validate_aws_role))
        .route("/api/llm-gateway/admin/connections/google-vertex-validate", axum::routing::post(validate_vertex))
        .route("/api/llm-gateway/admin/api-keys/{id}", get(get_api_key).patch(set_disabled).delete(revoke_api_key))
        .route("/api/llm-gateway/admin/api-keys/{id}/rotate", axum::routing::post(rotate_api_key))
        .route("/api/llm-gateway/admin/api-keys/{id}/expiry", axum::routing::put(set_expiry))
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "message": message, "type": kind } }))).into_response()
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let world = shared.lock();
    match token {
        Some(t) if world.barndoor.non_admin_tokens.iter().any(|k| k == t) => {
            Err(error(StatusCode::FORBIDDEN, "permission_error", "admin role required"))
        }
        Some(t) if world.config.tokens.iter().any(|k| k == t) => Ok(()),
        _ => Err(error(StatusCode::UNAUTHORIZED, "authentication_error", "invalid or expired token")),
    }
}

fn object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(error(StatusCode::BAD_REQUEST, "invalid_request_error", "request body must be a JSON object")),
    }
}

fn string(body: &Map<String, Value>, field: &str) -> Result<String, Response> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(error(StatusCode::BAD_REQUEST, "invalid_request_error", &format!("{field} is required"))),
    }
}

macro_rules! guard {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

async fn list_connections(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    guard!(authorize(&shared, &headers));
    Json(shared.lock().barndoor.connections.clone()).into_response()
}

async fn get_connection(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match shared.lock().barndoor.connections.iter().find(|c| c["id"] == id.as_str()) {
        Some(c) => Json(c.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found_error", "connection not found"),
    }
}

async fn create_connection(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    let name = guard!(string(&body, "name"));
    let provider = guard!(string(&body, "model_provider"));
    let base_url = guard!(string(&body, "base_url"));
    if !PROVIDERS.contains(&provider.as_str()) {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", &format!("unknown model_provider {provider}"));
    }
    let default_auth = match provider.as_str() {
        "bedrock" => "aws_role",
        "vertex" => "google_adc",
        _ => "api_key",
    };
    let auth = body.get("auth_type").and_then(Value::as_str).unwrap_or(default_auth).to_string();
    let key = body.get("api_key").and_then(Value::as_str).unwrap_or("");
    if matches!(auth.as_str(), "api_key" | "bedrock_api_key") && key.is_empty() {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "api_key is required for this auth_type");
    }
    match body.get("credentials") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "credentials must be an object"),
    }
    let mut world = shared.lock();
    if world.barndoor.connections.iter().any(|c| c["name"] == name.as_str()) {
        return error(StatusCode::CONFLICT, "conflict_error", "another connection already uses this name");
    }
    let now = Utc::now().to_rfc3339();
    let id = uuid::Uuid::new_v4().to_string();
    let last4: Option<String> = (!key.is_empty()).then(|| key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect());
    let connection = json!({
        "id": id, "org_id": ORG, "name": name, "model_provider": provider, "auth_type": auth, "base_url": base_url,
        "key_last4": last4, "secret_path": format!("kv/llm-gateway/{id}"), "settings": body.get("settings").cloned().unwrap_or(json!({})),
        "stores_key_material": !key.is_empty() || body.get("credentials").is_some_and(Value::is_object),
        "last_change_note": body.get("change_note").cloned().unwrap_or(Value::Null),
        "created_at": now, "updated_at": now, "created_by_email": "admin@example.com",
    });
    if !key.is_empty() {
        world.barndoor.held_keys.insert(id.clone(), key.to_string());
    }
    world.barndoor.connections.push(connection.clone());
    Json(connection).into_response()
}

async fn delete_connection(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    let users: Vec<&str> = world.barndoor.providers.iter().filter(|p| p.2 == id).map(|p| p.1.as_str()).collect();
    if !users.is_empty() {
        let message = format!("connection is still used by providers {}", users.join(", "));
        return error(StatusCode::CONFLICT, "conflict_error", &message);
    }
    world.barndoor.connections.retain(|c| c["id"] != id.as_str());
    Json(json!({ "deleted": true })).into_response()
}

async fn list_api_keys(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    guard!(authorize(&shared, &headers));
    Json(shared.lock().barndoor.api_keys.clone()).into_response()
}

async fn create_api_key(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    let name = guard!(string(&body, "name"));
    let expires_at = match body.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.with_timezone(&Utc).to_rfc3339()),
            Err(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at must be RFC 3339"),
        },
        Some(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at must be a string"),
    };
    let scopes = match body.get("scopes") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items.clone(),
        Some(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "scopes must be an array of strings"),
    };
    let text = |field: &str| body.get(field).and_then(Value::as_str).map(str::to_string);
    let (user_id, user_email, group_name) = (text("user_id"), text("user_email"), text("group_name"));
    if (user_id.is_some() || user_email.is_some()) && group_name.is_some() {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "a key is bound to a user or to a group, not both");
    }
    if user_id.as_deref().is_some_and(|u| uuid::Uuid::parse_str(u).is_err()) {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "user_id must be a UUID");
    }
    // A user named by email is the org member with that email (the sandbox makes one up).
    let user_id = user_id.or_else(|| user_email.as_ref().map(|e| uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, e.as_bytes()).to_string()));
    let secret = format!("bdai_{}", Alphanumeric.sample_string(&mut rand::rng(), 40));
    let kind = if user_id.is_some() { "user" } else { "machine" };
    let key = json!({
        "id": uuid::Uuid::new_v4().to_string(), "org_id": ORG, "name": name, "key_prefix": &secret[..12], "kind": kind,
        "scopes": scopes, "created_at": Utc::now().to_rfc3339(), "created_by_user_id": "0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0b01",
        "expires_at": expires_at, "last_used_at": null, "revoked_at": null, "disabled_at": null,
        "user_id": user_id, "group_name": group_name, "rotated_at": null, "previous_key_expires_at": null,
    });
    let mut world = shared.lock();
    world.minted_digests.push(crate::digest(&secret));
    world.barndoor.api_keys.push(key.clone());
    let mut out = key;
    out["key"] = json!(secret);
    Json(out).into_response()
}

async fn revoke_api_key(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    match world.barndoor.api_keys.iter_mut().find(|k| k["id"] == id.as_str()) {
        Some(k) => {
            k["revoked_at"] = json!(Utc::now().to_rfc3339());
            Json(json!({ "revoked": true })).into_response()
        }
        None => error(StatusCode::NOT_FOUND, "not_found_error", "api key not found"),
    }
}

fn last4(key: &str) -> String {
    key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect()
}

/// PUT: a new `api_key` or `credentials` rotates the stored secret; `model_provider` is fixed.
async fn update_connection(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    if body.contains_key("model_provider") {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "model_provider cannot be changed");
    }
    let mut world = shared.lock();
    if let Some(Value::String(name)) = body.get("name") {
        if world.barndoor.connections.iter().any(|c| c["name"] == name.as_str() && c["id"] != id.as_str()) {
            return error(StatusCode::CONFLICT, "conflict_error", "another connection already uses this name");
        }
    }
    let Some(c) = world.barndoor.connections.iter_mut().find(|c| c["id"] == id.as_str()) else {
        return error(StatusCode::NOT_FOUND, "not_found_error", "connection not found");
    };
    for field in ["name", "base_url", "auth_type", "settings"] {
        if let Some(v) = body.get(field).filter(|v| !v.is_null()) {
            c[field] = v.clone();
        }
    }
    c["last_change_note"] = body.get("change_note").cloned().unwrap_or(Value::Null);
    let new_key = body.get("api_key").and_then(Value::as_str).filter(|k| !k.is_empty());
    if let Some(key) = new_key {
        c["key_last4"] = json!(last4(key));
        c["stores_key_material"] = json!(true);
    }
    c["updated_at"] = json!(Utc::now().to_rfc3339());
    let answer = c.clone();
    if let Some(key) = new_key {
        world.barndoor.held_keys.insert(id, key.to_string());
    }
    Json(answer).into_response()
}

fn find_key<'a>(keys: &'a mut [Value], id: &str) -> Result<&'a mut Value, Response> {
    keys.iter_mut()
        .find(|k| k["id"] == id && k["revoked_at"].is_null())
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found_error", "api key not found"))
}

async fn get_api_key(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    Json(guard!(find_key(&mut world.barndoor.api_keys, &id)).clone()).into_response()
}

async fn set_disabled(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    let Some(disabled) = body.get("disabled").and_then(Value::as_bool) else {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "disabled is required");
    };
    let mut world = shared.lock();
    let key = guard!(find_key(&mut world.barndoor.api_keys, &id));
    key["disabled_at"] = if disabled { json!(Utc::now().to_rfc3339()) } else { Value::Null };
    Json(json!({ "disabled": disabled })).into_response()
}

async fn set_expiry(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    let expires = match body.get("expires_at") {
        None => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at is required (null removes it)"),
        Some(Value::Null) => Value::Null,
        Some(Value::String(s)) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) if t > Utc::now() => json!(t.with_timezone(&Utc).to_rfc3339()),
            Ok(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at must be in the future"),
            Err(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at must be RFC 3339"),
        },
        Some(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "expires_at must be a string or null"),
    };
    let mut world = shared.lock();
    let key = guard!(find_key(&mut world.barndoor.api_keys, &id));
    key["expires_at"] = expires;
    Json(key.clone()).into_response()
}

/// `{grace_period_secs?: 0..=604800, expires_at?}`: a new secret; the old one keeps working
/// until `previous_key_expires_at` when a grace period is given.
async fn rotate_api_key(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = if body.is_empty() { serde_json::Map::new() } else { guard!(object(&body)) };
    let grace = match body.get("grace_period_secs") {
        None | Some(Value::Null) => 0,
        Some(v) => match v.as_i64() {
            Some(n) if (0..=604_800).contains(&n) => n,
            Some(_) => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "grace_period_secs must be between 0 and 604800 (7 days)"),
            None => return error(StatusCode::BAD_REQUEST, "invalid_request_error", "grace_period_secs must be an integer"),
        },
    };
    let mut world = shared.lock();
    let key = guard!(find_key(&mut world.barndoor.api_keys, &id));
    let secret = format!("bdai_{}", Alphanumeric.sample_string(&mut rand::rng(), 40));
    let now = Utc::now();
    key["key_prefix"] = json!(&secret[..12]);
    key["rotated_at"] = json!(now.to_rfc3339());
    key["previous_key_expires_at"] = if grace > 0 { json!((now + chrono::Duration::seconds(grace)).to_rfc3339()) } else { Value::Null };
    let out = json!({
        "id": id, "key": secret, "key_prefix": &secret[..12], "name": key["name"], "expires_at": key["expires_at"],
        "rotated_at": key["rotated_at"], "previous_key_expires_at": key["previous_key_expires_at"],
    });
    world.minted_digests.push(crate::digest(&secret));
    Json(out).into_response()
}

fn providers_json(world: &crate::World) -> Vec<Value> {
    world
        .barndoor
        .providers
        .iter()
        .enumerate()
        .map(|(i, (id, name, connection))| {
            let health = ["healthy", "unhealthy", "unverified"][i % 3];
            json!({
                "id": id, "org_id": ORG, "name": name, "connection_id": connection, "model_provider": "openai",
                "auth_type": "api_key", "base_url": "https://api.openai.com/v1", "billing_mode": "byok",
                "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "enabled": true,
                "enforce_health_check": false, "health_status": health,
                "model_sync_mode": "manual", "secret_path": format!("kv/llm-gateway/{connection}"), "settings": {},
            })
        })
        .collect()
}

async fn list_providers(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    guard!(authorize(&shared, &headers));
    Json(providers_json(&shared.lock())).into_response()
}

async fn get_provider(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match providers_json(&shared.lock()).into_iter().find(|p| p["id"] == id.as_str()) {
        Some(p) => Json(p).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found_error", "provider not found"),
    }
}

/// The sandbox "assumes" a role whose ARN looks like one and that has an external id.
async fn validate_aws_role(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    let region = guard!(string(&body, "region"));
    let arn = guard!(string(&body, "iam_role_arn"));
    let external = guard!(string(&body, "external_id"));
    let ok = arn.starts_with("arn:aws:iam::") && arn.contains(":role/") && !external.is_empty() && !region.is_empty();
    Json(json!({ "ok": ok })).into_response()
}

/// Vertex works when a project and location are given and, for service-account auth, a key with a private_key.
async fn validate_vertex(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(object(&body));
    guard!(string(&body, "project_id"));
    guard!(string(&body, "location"));
    let needs_key = body.get("auth_type").and_then(Value::as_str) == Some("google_service_account");
    let has_key = body.get("credentials").and_then(|c| c.get("private_key")).is_some();
    Json(json!({ "ok": !needs_key || has_key })).into_response()
}
