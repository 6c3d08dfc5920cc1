//! Respan: `/api/temporary-keys/` (paths end with a slash), bare-array lists, `{"detail"}` errors.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Value};

use crate::Shared;

#[derive(Debug, Clone)]
pub struct TempKey {
    pub id: String,
    pub prefix: String,
    pub name: String,
    pub created: DateTime<Utc>,
    pub expiry_date: Option<DateTime<Utc>>,
    pub max_usage: i64,
    pub key_usage: i64,
    pub rate_limit: Option<i64>,
    pub spending_limit: Option<f64>,
    pub spending_in_period: f64,
    pub is_test: bool,
}

impl TempKey {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id, "name": self.name, "prefix": self.prefix, "is_test": self.is_test,
            "expiry_date": self.expiry_date.map(|d| d.to_rfc3339()), "max_usage": self.max_usage,
            "rate_limit": self.rate_limit, "spending_limit": self.spending_limit,
            "created_at": self.created.to_rfc3339(), "key_usage": self.key_usage,
            "spending_in_period": self.spending_in_period, "last_used": "1970-01-01T00:00:00Z", "revoked": false,
        })
    }
}

#[derive(Default)]
pub struct Respan {
    pub keys: Vec<TempKey>,
    seeded: usize,
    /// Custom providers as the API shows them (the key is write-only and kept only as a flag).
    pub providers: Vec<Value>,
}

impl Respan {
    pub fn seeded(n: usize) -> Respan {
        let mut r = Respan::default();
        let epoch = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).single().unwrap_or_default();
        for _ in 0..n {
            r.seeded += 1;
            let i = r.seeded;
            let prefix = format!("rs{i:06}");
            r.keys.push(TempKey {
                id: prefix.clone(),
                prefix,
                name: format!("temp-{i:03}"),
                created: epoch + Duration::hours(i as i64),
                expiry_date: Some(epoch + Duration::days(200 + i as i64)),
                max_usage: if i % 2 == 0 { 100 } else { -1 },
                key_usage: (i as i64 * 7) % 100,
                rate_limit: (i % 3 == 0).then_some(60),
                spending_limit: (i % 2 == 0).then_some(25.0),
                spending_in_period: (i as f64 * 1.25) % 25.0,
                is_test: i % 4 == 0,
            });
        }
        r
    }

    /// A key with the given birth and expiry, as if made elsewhere; returns its id.
    pub fn place(&mut self, name: &str, created: DateTime<Utc>, expiry: DateTime<Utc>) -> String {
        self.seeded += 1;
        let prefix = format!("rp{:06}", self.seeded);
        self.keys.push(TempKey {
            id: prefix.clone(),
            prefix: prefix.clone(),
            name: name.into(),
            created,
            expiry_date: Some(expiry),
            max_usage: -1,
            key_usage: 0,
            rate_limit: None,
            spending_limit: None,
            spending_in_period: 0.0,
            is_test: false,
        });
        prefix
    }
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/temporary-keys/", get(list).post(create))
        .route("/api/temporary-keys/{id}/", get(retrieve).patch(update).delete(remove))
        .route("/api/providers/", get(list_providers).post(create_provider))
        .route("/api/providers/{id}/", get(get_provider).put(replace_provider).patch(patch_provider).delete(delete_provider))
}

fn detail(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "detail": message }))).into_response()
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match token {
        Some(t) if shared.lock().config.tokens.iter().any(|k| k == t.trim()) => Ok(()),
        _ => Err(detail(
            StatusCode::UNAUTHORIZED,
            "Your API key is invalid or expired, please check your API key at https://platform.respan.ai/platform/api/api-keys",
        )),
    }
}

fn invalid(field: &str, message: &str) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "detail": "Invalid request", "errors": { field: [message] } }))).into_response()
}

fn parse_body(body: &[u8]) -> Result<serde_json::Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(detail(StatusCode::BAD_REQUEST, "JSON parse error")),
    }
}

/// Applies the request's fields to `key`, checking each type as the service does.
fn apply(key: &mut TempKey, body: &serde_json::Map<String, Value>, creating: bool) -> Result<(), Response> {
    for (field, value) in body {
        match (field.as_str(), value) {
            ("name", Value::String(s)) => key.name = s.clone(),
            ("prefix", Value::String(s)) if !creating => key.prefix = s.clone(),
            ("is_test", Value::Bool(b)) => key.is_test = *b,
            ("expiry_date", Value::Null) => key.expiry_date = None,
            ("expiry_date", Value::String(s)) => {
                let when = DateTime::parse_from_rfc3339(s).map_err(|_| invalid("expiry_date", "Enter a valid date/time."))?;
                key.expiry_date = Some(when.with_timezone(&Utc));
            }
            ("max_usage", v) if creating => key.max_usage = v.as_i64().ok_or_else(|| invalid("max_usage", "A valid integer is required."))?,
            ("rate_limit", Value::Null) if creating => key.rate_limit = None,
            ("rate_limit", v) if creating => key.rate_limit = Some(v.as_i64().ok_or_else(|| invalid("rate_limit", "A valid integer is required."))?),
            ("spending_limit", Value::Null) if creating => key.spending_limit = None,
            ("spending_limit", v) if creating => {
                key.spending_limit = Some(v.as_f64().ok_or_else(|| invalid("spending_limit", "A valid number is required."))?)
            }
            (f, _) if ["name", "prefix", "is_test", "expiry_date", "max_usage", "rate_limit", "spending_limit"].contains(&f) => {
                return Err(invalid(f, if creating { "Wrong type." } else { "This field cannot be updated." }));
            }
            _ => {} // unknown fields are ignored, as the service does
        }
    }
    Ok(())
}

async fn list(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let world = shared.lock();
    Json(world.respan.keys.iter().map(TempKey::to_json).collect::<Vec<_>>()).into_response()
}

async fn create(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let secret_tail = Alphanumeric.sample_string(&mut rand::rng(), 32);
    let prefix = Alphanumeric.sample_string(&mut rand::rng(), 8);
    let mut key = TempKey {
        id: prefix.clone(),
        prefix: prefix.clone(),
        name: String::new(),
        created: Utc::now(),
        expiry_date: None,
        max_usage: -1,
        key_usage: 0,
        rate_limit: None,
        spending_limit: None,
        spending_in_period: 0.0,
        is_test: false,
    };
    if let Err(r) = apply(&mut key, &body, true) {
        return r;
    }
    let mut out = key.to_json();
    let secret = format!("{prefix}.{secret_tail}");
    out["api_key"] = json!(secret);
    out["created"] = json!(key.created.to_rfc3339());
    out["is_temporary"] = json!(true);
    let mut world = shared.lock();
    world.minted_digests.push(crate::digest(&secret));
    world.respan.keys.push(key);
    Json(out).into_response()
}

async fn retrieve(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    match shared.lock().respan.keys.iter().find(|k| k.id == id) {
        Some(k) => Json(k.to_json()).into_response(),
        None => detail(StatusCode::NOT_FOUND, "Not found."),
    }
}

async fn update(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut world = shared.lock();
    let Some(key) = world.respan.keys.iter_mut().find(|k| k.id == id) else {
        return detail(StatusCode::NOT_FOUND, "Not found.");
    };
    let mut changed = key.clone();
    if let Err(r) = apply(&mut changed, &body, false) {
        return r;
    }
    *key = changed;
    Json(key.to_json()).into_response()
}

async fn remove(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Err(r) = authorize(&shared, &headers) {
        return r;
    }
    let mut world = shared.lock();
    let before = world.respan.keys.len();
    world.respan.keys.retain(|k| k.id != id);
    if world.respan.keys.len() == before {
        return detail(StatusCode::NOT_FOUND, "Not found.");
    }
    StatusCode::NO_CONTENT.into_response()
}

macro_rules! guard {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return r,
        }
    };
}

async fn list_providers(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    guard!(authorize(&shared, &headers));
    Json(shared.lock().respan.providers.clone()).into_response()
}

/// POST is an upsert by `provider_id`, as the service documents.
async fn create_provider(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(parse_body(&body));
    let text = |f: &str| body.get(f).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let Some(id) = text("provider_id") else { return invalid("provider_id", "This field is required.") };
    let Some(name) = text("provider_name") else { return invalid("provider_name", "This field is required.") };
    match body.get("extra_kwargs") {
        None | Some(Value::Object(_)) => {}
        Some(_) => return invalid("extra_kwargs", "Expected a dictionary."),
    }
    let now = Utc::now().to_rfc3339();
    let item = json!({
        "id": id, "provider_id": id, "provider_name": name,
        "extra_kwargs": body.get("extra_kwargs").cloned().unwrap_or(json!({})), "created_at": now, "updated_at": now,
    });
    let mut world = shared.lock();
    world.respan.providers.retain(|p| p["provider_id"] != id.as_str());
    world.respan.providers.push(item.clone());
    Json(item).into_response()
}

async fn get_provider(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match shared.lock().respan.providers.iter().find(|p| p["provider_id"] == id.as_str()) {
        Some(p) => Json(p.clone()).into_response(),
        None => detail(StatusCode::NOT_FOUND, "Not found."),
    }
}

async fn change_provider(shared: Shared, headers: HeaderMap, id: String, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(parse_body(&body));
    let mut world = shared.lock();
    let Some(p) = world.respan.providers.iter_mut().find(|p| p["provider_id"] == id.as_str()) else {
        return detail(StatusCode::NOT_FOUND, "Not found.");
    };
    if let Some(v) = body.get("provider_name") {
        p["provider_name"] = v.clone();
    }
    if let Some(v) = body.get("extra_kwargs") {
        p["extra_kwargs"] = v.clone();
    }
    p["updated_at"] = json!(Utc::now().to_rfc3339());
    Json(p.clone()).into_response()
}

async fn replace_provider(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    change_provider(shared, headers, id, body).await
}

async fn patch_provider(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    change_provider(shared, headers, id, body).await
}

async fn delete_provider(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    let before = world.respan.providers.len();
    world.respan.providers.retain(|p| p["provider_id"] != id.as_str());
    if world.respan.providers.len() == before {
        return detail(StatusCode::NOT_FOUND, "Not found.");
    }
    StatusCode::NO_CONTENT.into_response()
}
