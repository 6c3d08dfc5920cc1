//! `/__sandbox/...`: what tests use to change the world behind Keyward's back.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::{Faults, Shared};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/reset", post(reset))
        .route("/faults", post(set_faults))
        .route("/latency", post(set_latency))
        .route("/requests", get(requests))
        .route("/braintrust/api_keys", post(add_keys))
        .route("/braintrust/api_keys/{id}/vanish", post(vanish))
        .route("/braintrust/allow_api_key_create", post(allow_api_key_create))
        .route("/braintrust/env_vars/{id}/digest", get(env_var_digest))
        .route("/braintrust/env_vars/{id}/used", post(env_var_used))
        .route("/counts", get(counts))
        .route("/minted_digests", get(minted_digests))
        .route("/barndoor/providers", post(add_barndoor_provider).delete(clear_barndoor_providers))
        .route("/barndoor/connections/{id}/held_key", get(held_key))
        .route("/respan/temporary_keys", post(add_respan_key))
}

/// The upstream key a Barndoor credential holds: lets a journey prove an install put the
/// minted secret, and then search the window and the disk for its bytes.
async fn held_key(State(shared): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    match shared.lock().barndoor.held_keys.get(&id) {
        Some(k) => Json(json!({ "key": k })).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The digest of the value a Braintrust env var holds now: a journey proves an install sent
/// the secret it minted, while the sandbox keeps no value.
async fn env_var_digest(State(shared): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    match shared.lock().env_var_digests.get(&id) {
        Some(d) => Json(json!({ "digest": d })).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
struct Used {
    at: chrono::DateTime<chrono::Utc>,
}

/// An env var last used when the test says: Braintrust stamps `used` itself, on a function's
/// run, which no test can cause here.
async fn env_var_used(State(shared): State<Shared>, Path(id): Path<String>, Json(body): Json<Used>) -> impl IntoResponse {
    match shared.lock().braintrust.env_vars.iter_mut().find(|e| e["id"] == id.as_str()) {
        Some(env) => {
            env["used"] = json!(body.at.to_rfc3339());
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

#[derive(Deserialize)]
struct PlacedRespanKey {
    name: String,
    /// Hours from now (negative: in the past).
    created_hours: i64,
    expires_hours: i64,
}

/// A Respan key born and expiring when the test says: the sandbox's clock for expiry notices.
async fn add_respan_key(State(shared): State<Shared>, Json(body): Json<PlacedRespanKey>) -> impl IntoResponse {
    let now = chrono::Utc::now();
    let id =
        shared.lock().respan.place(&body.name, now + chrono::Duration::hours(body.created_hours), now + chrono::Duration::hours(body.expires_hours));
    Json(json!({ "id": id }))
}

async fn reset(State(shared): State<Shared>) -> impl IntoResponse {
    let mut world = shared.lock();
    let seed = world.config.seed_keys;
    world.braintrust = crate::braintrust::Braintrust::seeded(seed);
    world.respan = crate::respan::Respan::seeded(world.config.seed_respan_keys);
    world.proxy_credentials_issued = 0;
    world.minted_digests.clear();
    world.env_var_digests.clear();
    world.barndoor = Default::default();
    world.faults = Faults { latency_ms: world.config.latency_ms, ..Default::default() };
    world.requests.clear();
    world.log.clear();
    StatusCode::NO_CONTENT
}

async fn set_faults(State(shared): State<Shared>, Json(faults): Json<Faults>) -> impl IntoResponse {
    shared.lock().faults = faults;
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn set_latency(State(shared): State<Shared>, Json(body): Json<Latency>) -> impl IntoResponse {
    shared.lock().faults.latency_ms = body.ms;
    StatusCode::NO_CONTENT
}

async fn requests(State(shared): State<Shared>) -> impl IntoResponse {
    Json(json!(shared.lock().requests))
}

#[derive(Deserialize)]
struct AddKeys {
    count: usize,
}

async fn add_keys(State(shared): State<Shared>, Json(body): Json<AddKeys>) -> impl IntoResponse {
    let mut world = shared.lock();
    world.braintrust.add_seeded(body.count);
    Json(json!({ "total": world.braintrust.len() }))
}

async fn vanish(State(shared): State<Shared>, Path(id): Path<String>) -> impl IntoResponse {
    if shared.lock().braintrust.remove(&id).is_some() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

#[derive(Deserialize)]
struct Allow {
    allow: bool,
}

async fn allow_api_key_create(State(shared): State<Shared>, Json(body): Json<Allow>) -> impl IntoResponse {
    shared.lock().config.allow_api_key_create = body.allow;
    StatusCode::NO_CONTENT
}

/// How many objects each service holds: lets a test prove exactly one key was made.
/// The SHA-256 of every secret minted so far, oldest first: what a test compares an installed
/// value's digest with, without the secret itself leaving the sandbox.
async fn minted_digests(State(shared): State<Shared>) -> impl IntoResponse {
    Json(shared.lock().minted_digests.clone())
}

async fn counts(State(shared): State<Shared>) -> impl IntoResponse {
    let world = shared.lock();
    Json(json!({
        "braintrust_api_keys": world.braintrust.len(),
        "braintrust_proxy_credentials": world.proxy_credentials_issued,
        "braintrust_projects": world.braintrust.projects.len(),
        "braintrust_env_vars": world.braintrust.env_vars.len(),
        "respan_temp_keys": world.respan.keys.len(),
        "barndoor_credentials": world.barndoor.connections.len(),
        "barndoor_gateway_keys": world.barndoor.api_keys.len(),
    }))
}

#[derive(Deserialize)]
struct NewProvider {
    name: String,
    connection_id: String,
}

/// A provider that uses a credential, so deleting the credential answers 409.
async fn add_barndoor_provider(State(shared): State<Shared>, Json(body): Json<NewProvider>) -> impl IntoResponse {
    let id = uuid::Uuid::new_v4().to_string();
    shared.lock().barndoor.providers.push((id.clone(), body.name, body.connection_id));
    Json(json!({ "id": id }))
}

/// The providers are gone (pointed elsewhere): credentials can be deleted again.
async fn clear_barndoor_providers(State(shared): State<Shared>) -> impl IntoResponse {
    shared.lock().barndoor.providers.clear();
    StatusCode::NO_CONTENT
}
