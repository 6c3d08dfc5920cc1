//! Braintrust: `/v1/organization` and `/v1/api_key`, with its paging (`limit` plus one of
//! `starting_after`/`ending_before`, no has-more field) and its unshaped error bodies.
//! Projects and env vars are in `braintrust_env`, on the same helpers.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};

use crate::Shared;

pub(crate) const ORG_ID: &str = "5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01";
const ORG_NAME: &str = "sandbox-org";
/// The first is the caller: what a token creates is theirs.
pub(crate) const USERS: [(&str, &str, &str, &str); 3] = [
    ("0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0a01", "ana@example.com", "Ana", "Lima"),
    ("0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0a02", "ben@example.com", "Ben", "Okafor"),
    ("0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0a03", "chen@example.com", "Chen", "Wei"),
];

#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: String,
    pub created: DateTime<Utc>,
    pub name: String,
    pub preview_name: String,
    pub user: usize,
}

impl ApiKey {
    fn to_json(&self) -> Value {
        let (user_id, email, given, family) = USERS[self.user % USERS.len()];
        json!({
            "id": self.id,
            "created": self.created.to_rfc3339(),
            "name": self.name,
            "preview_name": self.preview_name,
            "user_id": user_id,
            "user_email": email,
            "user_given_name": given,
            "user_family_name": family,
            "org_id": ORG_ID,
        })
    }
}

/// Keys newest first, as Braintrust lists them.
#[derive(Default)]
pub struct Braintrust {
    keys: Vec<ApiKey>,
    seeded: usize,
    /// Service tokens and AI secrets as the API shows them, newest first.
    pub service_tokens: Vec<Value>,
    pub ai_secrets: Vec<Value>,
    /// Projects and env vars as the API shows them, newest first (env var values are never kept).
    pub projects: Vec<Value>,
    pub env_vars: Vec<Value>,
    /// Answer 403 on service-token calls, as for a token without owner permission.
    pub forbid_service_tokens: bool,
}

pub(crate) fn seed_epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

fn preview(secret: &str) -> String {
    format!("sk-****{}", &secret[secret.len().saturating_sub(4)..])
}

/// How a secret the caller gave is shown back: its last four characters (by character, since
/// it is request data and may not be ASCII).
pub(crate) fn redacted(secret: &str) -> String {
    let tail: String = secret.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("********{tail}")
}

impl Braintrust {
    /// `n` keys that are the same for the same `n`: ids are uuid v5 of their number. The
    /// projects are always the same two, so env vars have somewhere to be scoped.
    pub fn seeded(n: usize) -> Braintrust {
        let mut bt = Braintrust { projects: crate::braintrust_env::seeded_projects(), ..Default::default() };
        bt.add_seeded(n);
        bt
    }

    pub fn add_seeded(&mut self, n: usize) {
        for _ in 0..n {
            self.seeded += 1;
            let i = self.seeded;
            let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("keyward-sandbox/bt/{i}").as_bytes());
            let tail = format!("{:04x}", i % 0x10000);
            self.keys.push(ApiKey {
                id: id.to_string(),
                created: seed_epoch() + Duration::minutes(i as i64),
                name: format!("key-{i:04}"),
                preview_name: format!("sk-****{tail}"),
                user: i % USERS.len(),
            });
        }
        // Appended, then sorted once, in `insert`'s order: each seeded key is the newest, so
        // inserting them one by one moved the whole list each time: quadratic, and make bench
        // seeds 100,000.
        self.keys.sort_by(|a, b| (&b.created, &b.id).cmp(&(&a.created, &a.id)));
    }

    fn insert(&mut self, key: ApiKey) {
        let at = self.keys.partition_point(|k| (k.created, &k.id) > (key.created, &key.id));
        self.keys.insert(at, key);
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn remove(&mut self, id: &str) -> Option<ApiKey> {
        let at = self.keys.iter().position(|k| k.id == id)?;
        Some(self.keys.remove(at))
    }

    /// The `n`th key, newest first: a test changes it as someone in the service's console would.
    pub fn nth_mut(&mut self, n: usize) -> Option<&mut ApiKey> {
        self.keys.get_mut(n)
    }
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/organization", get(list_organizations))
        .route("/v1/api_key", get(list_api_keys).post(create_api_key))
        .route("/v1/api_key/{id}", get(get_api_key).delete(delete_api_key))
        .route("/v1/proxy/credentials", axum::routing::post(create_proxy_credential))
        .route("/v1/service_token", get(list_service_tokens).post(create_service_token).put(replace_service_token))
        .route("/v1/service_token/{id}", get(get_service_token).delete(delete_service_token))
        .route("/v1/ai_secret", get(list_ai_secrets).post(create_ai_secret).put(replace_ai_secret))
        .route("/v1/ai_secret/{id}", get(get_ai_secret).delete(delete_ai_secret).patch(patch_ai_secret))
        .merge(crate::braintrust_env::routes())
}

pub(crate) fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

/// Braintrust answers an unknown token in plain text.
pub(crate) fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    match token {
        Some(t) if shared.lock().config.tokens.iter().any(|known| known == t) => Ok(()),
        _ => Err((StatusCode::UNAUTHORIZED, "Invalid API key").into_response()),
    }
}

pub(crate) struct Paging {
    pub limit: Option<usize>,
    pub starting_after: Option<String>,
    pub ending_before: Option<String>,
    pub ids: Vec<String>,
    pub name: Option<String>,
}

pub(crate) fn paging(raw: Option<String>) -> Result<Paging, Response> {
    let p = list_parameters(raw)?;
    if p.starting_after.is_some() && p.ending_before.is_some() {
        return Err(bad_request("You may only pass one of starting_after and ending_before"));
    }
    Ok(p)
}

/// The list parameters as sent, the cursors unchecked: a list that takes no cursor (env vars)
/// ignores them rather than refusing them.
pub(crate) fn list_parameters(raw: Option<String>) -> Result<Paging, Response> {
    let mut p = Paging { limit: None, starting_after: None, ending_before: None, ids: vec![], name: None };
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "limit" => {
                let n: i64 = v.parse().map_err(|_| bad_request("limit: expected an integer"))?;
                if n < 0 {
                    return Err(bad_request("limit: Number must be greater than or equal to 0"));
                }
                p.limit = Some(n as usize);
            }
            "starting_after" => p.starting_after = Some(v.into_owned()),
            "ending_before" => p.ending_before = Some(v.into_owned()),
            "ids" => p.ids.push(v.into_owned()),
            "api_key_name" | "service_token_name" | "ai_secret_name" | "project_name" | "env_var_name" => p.name = Some(v.into_owned()),
            _ => {} // org_name and unknown parameters do not narrow a one-org sandbox
        }
    }
    Ok(p)
}

/// One page of `items` (already filtered, newest first) relative to a cursor id.
fn page<'a>(items: &[&'a ApiKey], p: &Paging) -> Result<Vec<&'a ApiKey>, Response> {
    let limit = p.limit.unwrap_or(usize::MAX);
    let position = |id: &str| items.iter().position(|k| k.id == id).ok_or_else(|| bad_request(&format!("Cursor id {id} not found")));
    if let Some(after) = &p.starting_after {
        let at = position(after)?;
        return Ok(items[at + 1..].iter().take(limit).copied().collect());
    }
    if let Some(before) = &p.ending_before {
        let at = position(before)?;
        let start = at.saturating_sub(limit);
        return Ok(items[start..at].to_vec());
    }
    Ok(items.iter().take(limit).copied().collect())
}

async fn list_organizations(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    if let Err(r) = paging(q) {
        return r;
    }
    Json(json!({ "objects": [{ "id": ORG_ID, "name": ORG_NAME, "api_url": null, "created": seed_epoch().to_rfc3339() }] })).into_response()
}

async fn list_api_keys(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let p = match paging(q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let world = shared.lock();
    let matching: Vec<&ApiKey> = world
        .braintrust
        .keys
        .iter()
        .filter(|k| p.ids.is_empty() || p.ids.contains(&k.id))
        .filter(|k| p.name.as_ref().is_none_or(|n| &k.name == n))
        .collect();
    match page(&matching, &p) {
        Ok(items) => Json(json!({ "objects": items.iter().map(|k| k.to_json()).collect::<Vec<_>>() })).into_response(),
        Err(r) => r,
    }
}

async fn get_api_key(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let world = shared.lock();
    match world.braintrust.keys.iter().find(|k| k.id == id) {
        Some(k) => Json(k.to_json()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("api_key {id} not found") }))).into_response(),
    }
}

async fn delete_api_key(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    match shared.lock().braintrust.remove(&id) {
        Some(k) => Json(k.to_json()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("api_key {id} not found") }))).into_response(),
    }
}

async fn create_api_key(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    if !shared.lock().config.allow_api_key_create {
        return (StatusCode::FORBIDDEN, "API keys cannot create API keys").into_response();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("Request body is not valid JSON");
    };
    let Some(name) = body.get("name").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()) else {
        return bad_request("name: Required");
    };
    let secret = format!("sk-{}", Alphanumeric.sample_string(&mut rand::rng(), 40));
    let key = ApiKey { id: uuid::Uuid::new_v4().to_string(), created: Utc::now(), name: name.to_string(), preview_name: preview(&secret), user: 0 };
    let mut out = key.to_json();
    out["key"] = json!(secret);
    shared.lock().braintrust.insert(key);
    Json(out).into_response()
}

/// `{model?, ttl_seconds? <= 86400, logging?: {project_name}}` -> `{key}`, a JWT-shaped token.
async fn create_proxy_credential(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("Request body is not valid JSON");
    };
    match body.get("model") {
        None | Some(Value::Null) | Some(Value::String(_)) => {}
        Some(_) => return bad_request("model: Expected string, received other"),
    }
    let ttl = match body.get("ttl_seconds") {
        None => 600.0,
        Some(v) => match v.as_f64() {
            Some(t) if t <= 86_400.0 => t,
            Some(_) => return bad_request("ttl_seconds: Number must be less than or equal to 86400"),
            None => return bad_request("ttl_seconds: Expected number"),
        },
    };
    match body.get("logging") {
        None | Some(Value::Null) => {}
        Some(Value::Object(l)) if l.get("project_name").is_some_and(Value::is_string) => {}
        Some(_) => return bad_request("logging.project_name: Required"),
    }
    let claims = format!("{{\"ttl\":{ttl},\"model\":{}}}", body.get("model").cloned().unwrap_or(Value::Null));
    let b64 = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let key = format!("eyJhbGciOiJIUzI1NiJ9.{}.{}", b64(&claims), Alphanumeric.sample_string(&mut rand::rng(), 43));
    let mut world = shared.lock();
    world.proxy_credentials_issued += 1;
    world.minted_digests.push(crate::digest(&key));
    Json(json!({ "key": key })).into_response()
}

/// One page of objects (newest first) by their ids, with the same cursor rules as the API keys.
pub(crate) fn page_values(items: &[Value], p: &Paging) -> Result<Vec<Value>, Response> {
    let filtered: Vec<&Value> = items
        .iter()
        .filter(|v| p.ids.is_empty() || p.ids.iter().any(|id| v["id"] == id.as_str()))
        .filter(|v| p.name.as_ref().is_none_or(|n| v["name"] == n.as_str()))
        .collect();
    let limit = p.limit.unwrap_or(usize::MAX);
    let position = |id: &str| filtered.iter().position(|v| v["id"] == id).ok_or_else(|| bad_request(&format!("Cursor id {id} not found")));
    let slice: Vec<&Value> = if let Some(after) = &p.starting_after {
        filtered[position(after)? + 1..].iter().take(limit).copied().collect()
    } else if let Some(before) = &p.ending_before {
        let at = position(before)?;
        filtered[at.saturating_sub(limit)..at].to_vec()
    } else {
        filtered.iter().take(limit).copied().collect()
    };
    Ok(slice.into_iter().cloned().collect())
}

pub(crate) fn objects(items: Vec<Value>) -> Response {
    Json(json!({ "objects": items })).into_response()
}

pub(crate) fn json_body(body: &[u8]) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad_request("Request body is not valid JSON")),
    }
}

pub(crate) fn required(body: &serde_json::Map<String, Value>, field: &str) -> Result<String, Response> {
    body.get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| bad_request(&format!("{field}: Required")))
}

macro_rules! guard {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}
pub(crate) use guard;

fn service_tokens_allowed(shared: &Shared) -> Result<(), Response> {
    if shared.lock().braintrust.forbid_service_tokens {
        return Err((StatusCode::FORBIDDEN, "Only service tokens with organization-owner permission can manage service tokens").into_response());
    }
    Ok(())
}

async fn list_service_tokens(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    guard!(authorize(&shared, &headers));
    guard!(service_tokens_allowed(&shared));
    let p = guard!(paging(q));
    let world = shared.lock();
    objects(guard!(page_values(&world.braintrust.service_tokens, &p)))
}

async fn upsert_service_token(shared: Shared, headers: HeaderMap, body: axum::body::Bytes, replace: bool) -> Response {
    guard!(authorize(&shared, &headers));
    guard!(service_tokens_allowed(&shared));
    let body = guard!(json_body(&body));
    let name = guard!(required(&body, "name"));
    let account = guard!(required(&body, "service_account_id"));
    let secret = format!("bt-st-{}", Alphanumeric.sample_string(&mut rand::rng(), 40));
    let token = json!({
        "id": uuid::Uuid::new_v4().to_string(), "created": Utc::now().to_rfc3339(), "name": name,
        "preview_name": preview(&secret), "service_account_id": account, "service_account_email": "bot@sandbox-org.example",
        "service_account_name": "ci-bot", "org_id": ORG_ID,
    });
    let mut world = shared.lock();
    if replace {
        world.braintrust.service_tokens.retain(|t| t["name"] != name.as_str());
    }
    world.braintrust.service_tokens.insert(0, token.clone());
    let mut out = token;
    out["key"] = json!(secret);
    Json(out).into_response()
}

async fn create_service_token(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_service_token(shared, headers, body, false).await
}

async fn replace_service_token(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_service_token(shared, headers, body, true).await
}

async fn delete_service_token(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    guard!(service_tokens_allowed(&shared));
    let mut world = shared.lock();
    match world.braintrust.service_tokens.iter().position(|t| t["id"] == id.as_str()) {
        Some(i) => Json(world.braintrust.service_tokens.remove(i)).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("service_token {id} not found") }))).into_response(),
    }
}

async fn list_ai_secrets(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    guard!(authorize(&shared, &headers));
    let p = guard!(paging(q));
    let world = shared.lock();
    objects(guard!(page_values(&world.braintrust.ai_secrets, &p)))
}

/// The secret's value is kept only as its redacted preview, as Braintrust shows it.
fn ai_secret_json(id: &str, body: &serde_json::Map<String, Value>, name: &str, created: &str) -> Value {
    let secret = body.get("secret").and_then(Value::as_str).unwrap_or("");
    json!({
        "id": id, "created": created, "updated_at": Utc::now().to_rfc3339(), "org_id": ORG_ID, "name": name,
        "type": body.get("type").cloned().unwrap_or(Value::Null), "metadata": body.get("metadata").cloned().unwrap_or(Value::Null),
        "preview_secret": if secret.is_empty() { Value::Null } else { json!(redacted(secret)) },
    })
}

async fn upsert_ai_secret(shared: Shared, headers: HeaderMap, body: axum::body::Bytes, replace: bool) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(json_body(&body));
    let name = guard!(required(&body, "name"));
    let mut world = shared.lock();
    let existing = world.braintrust.ai_secrets.iter().position(|s| s["name"] == name.as_str());
    match (existing, replace) {
        (Some(_), false) => return (StatusCode::BAD_REQUEST, format!("AI secret {name} already exists")).into_response(),
        (Some(i), true) => {
            let old = world.braintrust.ai_secrets.remove(i);
            let id = old["id"].as_str().unwrap_or_default().to_string();
            let created = old["created"].as_str().unwrap_or_default().to_string();
            let secret = ai_secret_json(&id, &body, &name, &created);
            world.braintrust.ai_secrets.insert(0, secret.clone());
            return Json(secret).into_response();
        }
        (None, _) => {}
    }
    let secret = ai_secret_json(&uuid::Uuid::new_v4().to_string(), &body, &name, &Utc::now().to_rfc3339());
    world.braintrust.ai_secrets.insert(0, secret.clone());
    Json(secret).into_response()
}

async fn create_ai_secret(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_ai_secret(shared, headers, body, false).await
}

async fn replace_ai_secret(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_ai_secret(shared, headers, body, true).await
}

async fn get_ai_secret(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match shared.lock().braintrust.ai_secrets.iter().find(|s| s["id"] == id.as_str()) {
        Some(s) => Json(s.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("ai_secret {id} not found") }))).into_response(),
    }
}

async fn patch_ai_secret(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(json_body(&body));
    let mut world = shared.lock();
    let Some(current) = world.braintrust.ai_secrets.iter_mut().find(|s| s["id"] == id.as_str()) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "error": format!("ai_secret {id} not found") }))).into_response();
    };
    for field in ["name", "type", "metadata"] {
        if let Some(v) = body.get(field) {
            current[field] = v.clone();
        }
    }
    if let Some(secret) = body.get("secret").and_then(Value::as_str) {
        current["preview_secret"] = json!(redacted(secret));
    }
    current["updated_at"] = json!(Utc::now().to_rfc3339());
    Json(current.clone()).into_response()
}

async fn delete_ai_secret(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    match world.braintrust.ai_secrets.iter().position(|s| s["id"] == id.as_str()) {
        Some(i) => Json(world.braintrust.ai_secrets.remove(i)).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("ai_secret {id} not found") }))).into_response(),
    }
}

async fn get_service_token(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    guard!(service_tokens_allowed(&shared));
    match shared.lock().braintrust.service_tokens.iter().find(|t| t["id"] == id.as_str()) {
        Some(t) => Json(t.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": format!("service_token {id} not found") }))).into_response(),
    }
}
