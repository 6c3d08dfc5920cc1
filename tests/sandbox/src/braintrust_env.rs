//! Braintrust projects (`/v1/project`) and env vars (`/v1/env_var`): the scopes a secret is
//! installed in, and the installed secrets. An env var's value is write-only: the sandbox keeps
//! its redacted preview and, in `World::env_var_digests`, its digest, never the value.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use crate::braintrust::{
    authorize, bad_request, guard, json_body, list_parameters, objects, page_values, paging, redacted, required, seed_epoch, Paging, ORG_ID, USERS,
};
use crate::Shared;

/// The projects every fresh Braintrust world has, oldest first.
const SEEDED_PROJECTS: [&str; 2] = ["checkout", "support-bot"];

const OBJECT_TYPES: [&str; 3] = ["organization", "project", "function"];

/// `secret_type`s that name a model provider (Braintrust's AI secret types and the common
/// spellings): an env var of one of these is an AI provider key. Compared without case.
const MODEL_PROVIDERS: [&str; 22] = [
    "openai",
    "anthropic",
    "google",
    "gemini",
    "vertex",
    "mistral",
    "azure",
    "azure_openai",
    "bedrock",
    "groq",
    "together",
    "fireworks",
    "perplexity",
    "replicate",
    "cohere",
    "xai",
    "deepseek",
    "openrouter",
    "cerebras",
    "databricks",
    "baseten",
    "ollama",
];

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/project", get(list_projects).post(create_project))
        .route("/v1/project/{id}", get(get_project))
        .route("/v1/env_var", get(list_env_vars).post(create_env_var).put(replace_env_var))
        .route("/v1/env_var/{id}", get(get_env_var).patch(patch_env_var).delete(delete_env_var))
}

/// The same two projects on every start and reset, newest first: ids are uuid v5 of their names.
pub fn seeded_projects() -> Vec<Value> {
    SEEDED_PROJECTS
        .iter()
        .enumerate()
        .rev()
        .map(|(i, name)| project_json(&seeded_project_id(name), name, Value::Null, seed_epoch() + Duration::days(i as i64)))
        .collect()
}

fn seeded_project_id(name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("keyward-sandbox/bt/project/{name}").as_bytes()).to_string()
}

fn project_json(id: &str, name: &str, description: Value, created: DateTime<Utc>) -> Value {
    json!({
        "id": id, "org_id": ORG_ID, "name": name, "description": description, "created": created.to_rfc3339(),
        "deleted_at": null, "user_id": USERS[0].0, "settings": null,
    })
}

fn not_found(kind: &str, id: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({ "error": format!("{kind} {id} not found") }))).into_response()
}

/// What a JSON value is, in the words of the service's validation messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A nullable string field: absent and null are both `Null`.
fn optional_string(body: &Map<String, Value>, field: &str) -> Result<Value, Response> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v @ Value::String(_)) => Ok(v.clone()),
        Some(v) => Err(bad_request(&format!("{field}: Expected string, received {}", kind_of(v)))),
    }
}

/// A nullable object field: absent and null are both `Null`.
fn optional_object(body: &Map<String, Value>, field: &str) -> Result<Value, Response> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(v) => Err(bad_request(&format!("{field}: Expected object, received {}", kind_of(v)))),
    }
}

fn object_type(field: &str, s: &str) -> Result<String, Response> {
    if OBJECT_TYPES.contains(&s) {
        return Ok(s.to_string());
    }
    Err(bad_request(&format!("{field}: Invalid enum value. Expected 'organization' | 'project' | 'function', received '{s}'")))
}

/// The hyphenated form only, as the service's validation takes it; kept lower-case, so one id
/// has one spelling when scopes are compared.
fn uuid_field(field: &str, s: &str) -> Result<String, Response> {
    match uuid::Uuid::try_parse(s) {
        Ok(id) if s.len() == 36 => Ok(id.to_string()),
        _ => Err(bad_request(&format!("{field}: Invalid uuid"))),
    }
}

async fn list_projects(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    guard!(authorize(&shared, &headers));
    let p = guard!(paging(q));
    let world = shared.lock();
    objects(guard!(page_values(&world.braintrust.projects, &p)))
}

async fn create_project(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(json_body(&body));
    let name = guard!(required(&body, "name"));
    let description = guard!(optional_string(&body, "description"));
    guard!(optional_string(&body, "org_name")); // one org: a name is not checked, only its type
    let mut world = shared.lock();
    // The name is the project: creating it again is safe and changes nothing.
    if let Some(existing) = world.braintrust.projects.iter().find(|p| p["name"] == name.as_str()) {
        return Json(existing.clone()).into_response();
    }
    let project = project_json(&uuid::Uuid::new_v4().to_string(), &name, description, Utc::now());
    world.braintrust.projects.insert(0, project.clone());
    Json(project).into_response()
}

async fn get_project(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match shared.lock().braintrust.projects.iter().find(|p| p["id"] == id.as_str()) {
        Some(p) => Json(p.clone()).into_response(),
        None => not_found("project", &id),
    }
}

/// Whether `object_id` names an object of `object_type` that exists: the organization is the
/// sandbox's one, a project one of `projects`; functions are not modelled, so any id will do.
fn check_scope(projects: &[Value], object_type: &str, object_id: &str) -> Result<(), String> {
    match object_type {
        "organization" if object_id != ORG_ID => Err(format!("object_id: organization {object_id} does not exist")),
        "project" if !projects.iter().any(|p| p["id"] == object_id) => Err(format!("object_id: project {object_id} does not exist")),
        _ => Ok(()),
    }
}

/// `ai_provider` when the secret type names a model provider, else the default `env_var`. The
/// sandbox never files anything under `sandbox_provider`.
fn secret_category(secret_type: &Value) -> &'static str {
    match secret_type.as_str().map(str::trim) {
        Some(t) if MODEL_PROVIDERS.iter().any(|p| p.eq_ignore_ascii_case(t)) => "ai_provider",
        _ => "env_var",
    }
}

/// The position of the env var called `name` in one scope: names are unique per scope, not
/// across scopes.
fn named(env_vars: &[Value], object_type: &str, object_id: &str, name: &str) -> Option<usize> {
    env_vars.iter().position(|e| e["object_type"] == object_type && e["object_id"] == object_id && e["name"] == name)
}

/// Whether renaming the env var at `at` to `name` would collide with another one in its scope.
fn name_taken(env_vars: &[Value], at: usize, name: &str) -> bool {
    let own = &env_vars[at];
    let (object_type, object_id) = (own["object_type"].as_str().unwrap_or_default(), own["object_id"].as_str().unwrap_or_default());
    named(env_vars, object_type, object_id, name).is_some_and(|i| i != at)
}

/// Object fields of `patch` merged into `target` key by key, all the way down; anything else replaces.
fn deep_merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                deep_merge(t.entry(k).or_insert(Value::Null), v);
            }
        }
        (t, p) => *t = p,
    }
}

/// A create's or a replace's body, checked field by field.
struct EnvVarRequest {
    object_type: String,
    object_id: String,
    name: String,
    /// Absent (`None`), sent as null (`Some(None)`), or a value.
    value: Option<Option<String>>,
    metadata: Value,
    secret_type: Value,
}

fn env_var_request(body: &Map<String, Value>) -> Result<EnvVarRequest, Response> {
    let object_type = object_type("object_type", &required(body, "object_type")?)?;
    let object_id = uuid_field("object_id", &required(body, "object_id")?)?;
    let name = required(body, "name")?;
    let value = match body.get("value") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(v)) => Some(Some(v.clone())),
        Some(v) => return Err(bad_request(&format!("value: Expected string, received {}", kind_of(v)))),
    };
    Ok(EnvVarRequest {
        object_type,
        object_id,
        name,
        value,
        metadata: optional_object(body, "metadata")?,
        secret_type: optional_string(body, "secret_type")?,
    })
}

/// A value was given (`None`: null, so none is held any more): its preview, when, and by whom.
fn set_secret(env: &mut Value, value: Option<&str>, now: &str) {
    env["preview_secret"] = value.filter(|v| !v.is_empty()).map_or(Value::Null, |v| json!(redacted(v)));
    env["secret_updated_at"] = json!(now);
    env["secret_updated_by_user_id"] = json!(USERS[0].0);
}

/// The digest of the value an env var now holds, in place of the value.
fn record_digest(digests: &mut BTreeMap<String, String>, id: &str, value: Option<&str>) {
    match value {
        Some(v) => digests.insert(id.to_string(), crate::digest(v)),
        None => digests.remove(id),
    };
}

fn new_env_var(id: &str, req: &EnvVarRequest, now: &str) -> Value {
    let mut env = json!({
        "id": id, "object_type": req.object_type, "object_id": req.object_id, "name": req.name, "created": now,
        "secret_updated_at": null, "secret_updated_by_user_id": null, "used": null, "metadata": req.metadata,
        "preview_secret": null, "secret_type": req.secret_type, "secret_category": secret_category(&req.secret_type),
    });
    if let Some(Some(value)) = &req.value {
        set_secret(&mut env, Some(value), now);
    }
    env
}

/// A replace keeps the id, the creation time and the last use; an absent value keeps the
/// secret too, since the caller said nothing about it.
fn replace_env_var_fields(env: &mut Value, req: &EnvVarRequest, now: &str) {
    env["metadata"] = req.metadata.clone();
    env["secret_type"] = req.secret_type.clone();
    env["secret_category"] = json!(secret_category(&req.secret_type));
    if let Some(value) = &req.value {
        set_secret(env, value.as_deref(), now);
    }
}

async fn upsert_env_var(shared: Shared, headers: HeaderMap, body: axum::body::Bytes, replace: bool) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(json_body(&body));
    let req = guard!(env_var_request(&body));
    let mut locked = shared.lock();
    let world = &mut *locked;
    guard!(check_scope(&world.braintrust.projects, &req.object_type, &req.object_id).map_err(|m| bad_request(&m)));
    let now = Utc::now().to_rfc3339();
    let env_vars = &mut world.braintrust.env_vars;
    match (named(env_vars, &req.object_type, &req.object_id, &req.name), replace) {
        // A create of a name taken in this scope answers the one there, unmodified.
        (Some(at), false) => Json(env_vars[at].clone()).into_response(),
        (Some(at), true) => {
            let env = &mut env_vars[at];
            replace_env_var_fields(env, &req, &now);
            if let Some(value) = &req.value {
                record_digest(&mut world.env_var_digests, env["id"].as_str().unwrap_or_default(), value.as_deref());
            }
            Json(env.clone()).into_response()
        }
        (None, _) => {
            let id = uuid::Uuid::new_v4().to_string();
            let env = new_env_var(&id, &req, &now);
            if let Some(Some(value)) = &req.value {
                record_digest(&mut world.env_var_digests, &id, Some(value));
            }
            env_vars.insert(0, env.clone());
            Json(env).into_response()
        }
    }
}

async fn create_env_var(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_env_var(shared, headers, body, false).await
}

async fn replace_env_var(State(shared): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    upsert_env_var(shared, headers, body, true).await
}

/// The list's scope filters, each checked as the service checks it.
#[derive(Default)]
struct ScopeFilter {
    object_type: Option<String>,
    object_id: Option<String>,
}

fn scope_filter(raw: Option<&str>) -> Result<ScopeFilter, Response> {
    let mut f = ScopeFilter::default();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "object_type" => f.object_type = Some(object_type("object_type", &v)?),
            "object_id" => f.object_id = Some(uuid_field("object_id", &v)?),
            _ => {}
        }
    }
    Ok(f)
}

async fn list_env_vars(State(shared): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    guard!(authorize(&shared, &headers));
    let scope = guard!(scope_filter(q.as_deref()));
    // This list takes `limit` and `ids` but no cursor: a page is always the first N, whatever
    // cursor a client sends.
    let p = Paging { starting_after: None, ending_before: None, ..guard!(list_parameters(q)) };
    let world = shared.lock();
    let in_scope: Vec<Value> = world
        .braintrust
        .env_vars
        .iter()
        .filter(|e| scope.object_type.as_ref().is_none_or(|t| e["object_type"] == t.as_str()))
        .filter(|e| scope.object_id.as_ref().is_none_or(|id| e["object_id"] == id.as_str()))
        .cloned()
        .collect();
    objects(guard!(page_values(&in_scope, &p)))
}

async fn get_env_var(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    match shared.lock().braintrust.env_vars.iter().find(|e| e["id"] == id.as_str()) {
        Some(e) => Json(e.clone()).into_response(),
        None => not_found("env_var", &id),
    }
}

async fn patch_env_var(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    guard!(authorize(&shared, &headers));
    let body = guard!(json_body(&body));
    let name = guard!(required(&body, "name"));
    // Null is "leave it": the API does not set fields to null on a patch.
    let value = guard!(optional_string(&body, "value"));
    let metadata = guard!(optional_object(&body, "metadata"));
    let secret_type = guard!(optional_string(&body, "secret_type"));
    let mut locked = shared.lock();
    let world = &mut *locked;
    let env_vars = &mut world.braintrust.env_vars;
    let Some(at) = env_vars.iter().position(|e| e["id"] == id.as_str()) else {
        return not_found("env_var", &id);
    };
    if name_taken(env_vars, at, &name) {
        let scope =
            format!("{} {}", env_vars[at]["object_type"].as_str().unwrap_or_default(), env_vars[at]["object_id"].as_str().unwrap_or_default());
        return bad_request(&format!("name: an env var named {name} already exists in {scope}"));
    }
    let env = &mut env_vars[at];
    env["name"] = json!(name);
    if metadata.is_object() {
        deep_merge(&mut env["metadata"], metadata);
    }
    if secret_type.is_string() {
        env["secret_category"] = json!(secret_category(&secret_type));
        env["secret_type"] = secret_type;
    }
    if let Some(v) = value.as_str() {
        set_secret(env, Some(v), &Utc::now().to_rfc3339());
        record_digest(&mut world.env_var_digests, &id, Some(v));
    }
    Json(env.clone()).into_response()
}

async fn delete_env_var(State(shared): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    guard!(authorize(&shared, &headers));
    let mut world = shared.lock();
    let Some(at) = world.braintrust.env_vars.iter().position(|e| e["id"] == id.as_str()) else {
        return not_found("env_var", &id);
    };
    world.env_var_digests.remove(&id);
    Json(world.braintrust.env_vars.remove(at)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(id: &str, object_type: &str, object_id: &str, name: &str) -> Value {
        json!({ "id": id, "object_type": object_type, "object_id": object_id, "name": name })
    }

    #[test]
    fn a_scope_must_name_something_that_exists() {
        let projects = seeded_projects();
        let checkout = seeded_project_id("checkout");
        assert_eq!(check_scope(&projects, "organization", ORG_ID), Ok(()));
        assert_eq!(check_scope(&projects, "project", &checkout), Ok(()));
        let stranger = "00000000-0000-4000-8000-000000000000";
        assert_eq!(check_scope(&projects, "function", stranger), Ok(()), "functions are not modelled");
        assert_eq!(check_scope(&projects, "organization", stranger), Err(format!("object_id: organization {stranger} does not exist")));
        assert_eq!(check_scope(&projects, "project", stranger), Err(format!("object_id: project {stranger} does not exist")));
        assert!(check_scope(&projects, "project", ORG_ID).is_err(), "the org is not a project");
    }

    #[test]
    fn only_a_model_provider_makes_an_ai_provider_secret() {
        for t in ["openai", "Anthropic", "xAI", " mistral "] {
            assert_eq!(secret_category(&json!(t)), "ai_provider", "{t}");
        }
        for t in [json!(null), json!(""), json!("database"), json!("openai-ish")] {
            assert_eq!(secret_category(&t), "env_var", "{t}");
        }
    }

    #[test]
    fn names_are_unique_per_scope_only() {
        let p = seeded_project_id("checkout");
        let envs =
            vec![env("a", "project", &p, "OPENAI_API_KEY"), env("b", "organization", ORG_ID, "OPENAI_API_KEY"), env("c", "project", &p, "DB_URL")];
        assert_eq!(named(&envs, "project", &p, "OPENAI_API_KEY"), Some(0));
        assert_eq!(named(&envs, "organization", ORG_ID, "OPENAI_API_KEY"), Some(1));
        assert_eq!(named(&envs, "function", &p, "OPENAI_API_KEY"), None);
        assert!(name_taken(&envs, 2, "OPENAI_API_KEY"), "another env var in the project has it");
        assert!(!name_taken(&envs, 0, "OPENAI_API_KEY"), "keeping one's own name is no collision");
        assert!(!name_taken(&envs, 1, "DB_URL"), "DB_URL is taken in another scope only");
    }

    #[test]
    fn metadata_merges_all_the_way_down() {
        let mut current = json!({ "a": 1, "nested": { "x": 1, "y": 2 } });
        deep_merge(&mut current, json!({ "b": 2, "nested": { "y": 3, "z": 4 } }));
        assert_eq!(current, json!({ "a": 1, "b": 2, "nested": { "x": 1, "y": 3, "z": 4 } }));
        let mut none = Value::Null;
        deep_merge(&mut none, json!({ "a": 1 }));
        assert_eq!(none, json!({ "a": 1 }));
    }

    #[test]
    fn seeded_projects_are_the_same_every_time_newest_first() {
        let projects = seeded_projects();
        let names: Vec<&str> = projects.iter().map(|p| p["name"].as_str().unwrap_or_default()).collect();
        assert_eq!(names, ["support-bot", "checkout"]);
        assert_eq!(seeded_projects(), seeded_projects());
    }
}
