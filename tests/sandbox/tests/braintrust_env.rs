//! The sandbox's Braintrust projects and env vars over real HTTP, checked against the spec.

use keyward_sandbox::{digest, spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};
use reqwest::Method;
mod common;
use common::spec_required;
use serde_json::{json, Value};

const ORG_ID: &str = "5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01";
const NOWHERE: &str = "00000000-0000-4000-8000-000000000000";

async fn call(sb: &SandboxHandle, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", sb.base_url)).bearer_auth(DEFAULT_TOKEN);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn names(list: &Value) -> Vec<&str> {
    list["objects"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect()
}

fn error(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_default()
}

async fn project_id(sb: &SandboxHandle, name: &str) -> String {
    let (_, list) = call(sb, Method::GET, &format!("/v1/project?project_name={name}"), None).await;
    list["objects"][0]["id"].as_str().unwrap().to_string()
}

async fn installed_digest(sb: &SandboxHandle, id: &str) -> Option<String> {
    let resp = reqwest::get(format!("{}/__sandbox/braintrust/env_vars/{id}/digest", sb.base_url)).await.unwrap();
    if resp.status() == 404 {
        return None;
    }
    let body: Value = resp.json().await.unwrap();
    Some(body["digest"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn two_projects_are_seeded_the_same_every_time_and_page_like_the_rest() {
    let a = spawn(SandboxConfig::default()).await.unwrap();
    let b = spawn(SandboxConfig::default()).await.unwrap();
    let (status, list) = call(&a, Method::GET, "/v1/project", None).await;
    assert_eq!(status, 200);
    assert_eq!(names(&list), ["support-bot", "checkout"], "newest first");
    assert_eq!(list, call(&b, Method::GET, "/v1/project", None).await.1);
    for field in spec_required("Project") {
        assert!(list["objects"][0].get(&field).is_some(), "Project lacks required {field}");
    }
    let first = list["objects"][0]["id"].as_str().unwrap();
    let (_, next) = call(&a, Method::GET, &format!("/v1/project?limit=1&starting_after={first}&org_name=whatever"), None).await;
    assert_eq!(names(&next), ["checkout"]);
    let (_, by_id) = call(&a, Method::GET, &format!("/v1/project?ids={first}"), None).await;
    assert_eq!(names(&by_id), ["support-bot"]);
    assert_eq!(call(&a, Method::GET, "/v1/project?limit=-1", None).await.0, 400);
    let (status, one) = call(&a, Method::GET, &format!("/v1/project/{first}"), None).await;
    assert_eq!((status, one["name"].as_str()), (200, Some("support-bot")));
    let (status, missing) = call(&a, Method::GET, &format!("/v1/project/{NOWHERE}"), None).await;
    assert_eq!(status, 404);
    assert!(error(&missing).contains(NOWHERE));
}

#[tokio::test]
async fn creating_a_project_twice_returns_the_first() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let (status, made) = call(&sb, Method::POST, "/v1/project", Some(json!({"name": "evals", "description": "nightly"}))).await;
    assert_eq!(status, 200);
    assert_eq!((made["org_id"].as_str(), made["description"].as_str()), (Some(ORG_ID), Some("nightly")));
    let (_, again) = call(&sb, Method::POST, "/v1/project", Some(json!({"name": "evals", "description": "changed"}))).await;
    assert_eq!(again, made, "returned unmodified");
    assert_eq!(names(&call(&sb, Method::GET, "/v1/project", None).await.1), ["evals", "support-bot", "checkout"]);
    for bad in [json!({}), json!({"name": ""}), json!({"name": 7})] {
        let (status, body) = call(&sb, Method::POST, "/v1/project", Some(bad)).await;
        assert_eq!(status, 400);
        assert!(error(&body).starts_with("name:"), "{body}");
    }
}

#[tokio::test]
async fn an_env_var_keeps_only_a_preview_and_a_digest_of_its_value() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let project = project_id(&sb, "checkout").await;
    let value = "sk-live-0123456789abcd";
    let body = json!({"object_type": "project", "object_id": project, "name": "OPENAI_API_KEY", "value": value, "secret_type": "openai"});
    let (status, made) = call(&sb, Method::POST, "/v1/env_var", Some(body)).await;
    assert_eq!(status, 200);
    for field in spec_required("EnvVar") {
        assert!(made.get(&field).is_some(), "EnvVar lacks required {field}");
    }
    assert_eq!(made["preview_secret"], "********abcd");
    assert_eq!(made["secret_category"], "ai_provider");
    assert!(made["used"].is_null() && made["secret_updated_at"].is_string() && made["secret_updated_by_user_id"].is_string());
    let id = made["id"].as_str().unwrap();
    assert_eq!(installed_digest(&sb, id).await, Some(digest(value)));
    let (_, fetched) = call(&sb, Method::GET, &format!("/v1/env_var/{id}"), None).await;
    assert_eq!(fetched, made);
    assert!(!fetched.to_string().contains(value), "the value is write-only");
    let plain = json!({"object_type": "organization", "object_id": ORG_ID, "name": "DB_URL"});
    let (_, unset) = call(&sb, Method::POST, "/v1/env_var", Some(plain)).await;
    assert!(unset["preview_secret"].is_null() && unset["secret_updated_at"].is_null());
    assert_eq!(unset["secret_category"], "env_var");
    assert_eq!(installed_digest(&sb, unset["id"].as_str().unwrap()).await, None);
}

#[tokio::test]
async fn a_name_is_unique_within_its_scope_and_create_returns_the_one_there() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let project = project_id(&sb, "checkout").await;
    let in_project = |value: &str| json!({"object_type": "project", "object_id": project, "name": "TOKEN", "value": value});
    let (_, first) = call(&sb, Method::POST, "/v1/env_var", Some(in_project("first-value"))).await;
    let (status, again) = call(&sb, Method::POST, "/v1/env_var", Some(in_project("second-value"))).await;
    assert_eq!((status, &again), (200, &first), "unmodified");
    let id = first["id"].as_str().unwrap();
    assert_eq!(installed_digest(&sb, id).await, Some(digest("first-value")));
    let in_org = json!({"object_type": "organization", "object_id": ORG_ID, "name": "TOKEN"});
    let (_, other) = call(&sb, Method::POST, "/v1/env_var", Some(in_org)).await;
    assert_ne!(other["id"], first["id"], "the same name in another scope is another env var");
    let upper = json!({"object_type": "project", "object_id": project.to_uppercase(), "name": "TOKEN"});
    assert_eq!(call(&sb, Method::POST, "/v1/env_var", Some(upper)).await.1["id"], first["id"], "one id, one spelling");
}

#[tokio::test]
async fn a_scope_that_does_not_exist_and_a_bad_field_are_refused_by_name() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let project = project_id(&sb, "checkout").await;
    let cases = [
        (json!({"object_type": "project", "object_id": NOWHERE, "name": "A"}), format!("object_id: project {NOWHERE} does not exist")),
        (json!({"object_type": "organization", "object_id": project, "name": "A"}), format!("object_id: organization {project} does not exist")),
        (json!({"object_type": "team", "object_id": project, "name": "A"}), "object_type:".into()),
        (json!({"object_id": project, "name": "A"}), "object_type: Required".into()),
        (json!({"object_type": "project", "object_id": "not-a-uuid", "name": "A"}), "object_id: Invalid uuid".into()),
        (json!({"object_type": "project", "object_id": project}), "name: Required".into()),
        (json!({"object_type": "project", "object_id": project, "name": "A", "value": 5}), "value:".into()),
        (json!({"object_type": "project", "object_id": project, "name": "A", "metadata": "x"}), "metadata:".into()),
        (json!({"object_type": "project", "object_id": project, "name": "A", "secret_type": []}), "secret_type:".into()),
    ];
    for (body, expected) in cases {
        for method in [Method::POST, Method::PUT] {
            let (status, answer) = call(&sb, method.clone(), "/v1/env_var", Some(body.clone())).await;
            assert_eq!(status, 400, "{method} {body}");
            assert!(error(&answer).starts_with(&expected), "{method} {body}: {answer}");
        }
    }
    let function = json!({"object_type": "function", "object_id": NOWHERE, "name": "A"});
    assert_eq!(call(&sb, Method::POST, "/v1/env_var", Some(function)).await.0, 200, "any function id will do");
    assert_eq!(call(&sb, Method::GET, "/v1/env_var", None).await.1["objects"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_list_filters_by_scope_and_name_and_takes_no_cursor() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let checkout = project_id(&sb, "checkout").await;
    let support = project_id(&sb, "support-bot").await;
    for (project, name) in [(&checkout, "A"), (&checkout, "B"), (&support, "A")] {
        call(&sb, Method::POST, "/v1/env_var", Some(json!({"object_type": "project", "object_id": project, "name": name}))).await;
    }
    call(&sb, Method::POST, "/v1/env_var", Some(json!({"object_type": "organization", "object_id": ORG_ID, "name": "C"}))).await;
    let list = |q: String| {
        let sb = &sb;
        async move { call(sb, Method::GET, &format!("/v1/env_var{q}"), None).await }
    };
    assert_eq!(names(&list(String::new()).await.1), ["C", "A", "B", "A"], "newest first");
    assert_eq!(names(&list(format!("?object_type=project&object_id={checkout}")).await.1), ["B", "A"]);
    assert_eq!(names(&list("?object_type=organization".into()).await.1), ["C"]);
    assert_eq!(list("?env_var_name=A".into()).await.1["objects"].as_array().unwrap().len(), 2);
    assert_eq!(names(&list("?limit=2".into()).await.1), ["C", "A"]);
    let (status, ignored) = list(format!("?limit=2&starting_after={NOWHERE}&ending_before={NOWHERE}")).await;
    assert_eq!((status, names(&ignored)), (200, vec!["C", "A"]), "cursors are not this list's parameters");
    let (status, bad) = list("?object_type=team".into()).await;
    assert_eq!(status, 400);
    assert!(error(&bad).starts_with("object_type:"));
    assert_eq!(list("?limit=-1".into()).await.0, 400);
    assert_eq!(list("?limit=x".into()).await.0, 400);
}

#[tokio::test]
async fn put_replaces_in_place_and_patch_merges() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let project = project_id(&sb, "checkout").await;
    let body = json!({"object_type": "project", "object_id": project, "name": "KEY", "value": "value-one", "metadata": {"a": {"x": 1}}});
    let (_, made) = call(&sb, Method::PUT, "/v1/env_var", Some(body)).await;
    let id = made["id"].as_str().unwrap().to_string();
    let body = json!({"object_type": "project", "object_id": project, "name": "KEY", "value": "value-two", "secret_type": "anthropic"});
    let (_, replaced) = call(&sb, Method::PUT, "/v1/env_var", Some(body)).await;
    assert_eq!((&replaced["id"], &replaced["created"]), (&made["id"], &made["created"]));
    assert!(replaced["metadata"].is_null(), "a replace takes the fields given");
    assert_eq!((replaced["preview_secret"].as_str(), replaced["secret_category"].as_str()), (Some("********-two"), Some("ai_provider")));
    assert_eq!(installed_digest(&sb, &id).await, Some(digest("value-two")));
    let keep = json!({"object_type": "project", "object_id": project, "name": "KEY", "secret_type": "anthropic"});
    let (_, kept) = call(&sb, Method::PUT, "/v1/env_var", Some(keep)).await;
    assert_eq!(
        (&kept["preview_secret"], &kept["secret_updated_at"]),
        (&replaced["preview_secret"], &replaced["secret_updated_at"]),
        "no value: the secret stays"
    );

    let path = format!("/v1/env_var/{id}");
    let (status, nameless) = call(&sb, Method::PATCH, &path, Some(json!({"value": "x"}))).await;
    assert_eq!(status, 400);
    assert_eq!(error(&nameless), "name: Required");
    call(&sb, Method::POST, "/v1/env_var", Some(json!({"object_type": "project", "object_id": project, "name": "OTHER"}))).await;
    let (status, clash) = call(&sb, Method::PATCH, &path, Some(json!({"name": "OTHER"}))).await;
    assert_eq!(status, 400);
    assert!(error(&clash).starts_with("name:"), "{clash}");
    call(&sb, Method::PATCH, &path, Some(json!({"name": "KEY", "metadata": {"a": {"x": 1}}}))).await;
    let patch = json!({"name": "RENAMED", "value": "value-three", "metadata": {"a": {"y": 2}, "b": true}, "secret_type": null});
    let (status, patched) = call(&sb, Method::PATCH, &path, Some(patch)).await;
    assert_eq!(status, 200);
    assert_eq!(patched["name"], "RENAMED");
    assert_eq!(patched["metadata"], json!({"a": {"x": 1, "y": 2}, "b": true}), "deep-merged");
    assert_eq!(patched["secret_type"], "anthropic", "null leaves a field as it is");
    assert_eq!(patched["preview_secret"], "********hree");
    assert_eq!(installed_digest(&sb, &id).await, Some(digest("value-three")));
    assert_eq!(call(&sb, Method::PATCH, &format!("/v1/env_var/{NOWHERE}"), Some(json!({"name": "A"}))).await.0, 404);

    let (status, deleted) = call(&sb, Method::DELETE, &path, None).await;
    assert_eq!((status, &deleted["id"]), (200, &made["id"]));
    assert_eq!(call(&sb, Method::GET, &path, None).await.0, 404);
    assert_eq!(call(&sb, Method::DELETE, &path, None).await.0, 404);
    assert_eq!(installed_digest(&sb, &id).await, None);
}

#[tokio::test]
async fn controls_mark_use_count_and_reset() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let client = reqwest::Client::new();
    let (_, made) =
        call(&sb, Method::POST, "/v1/env_var", Some(json!({"object_type": "organization", "object_id": ORG_ID, "name": "A", "value": "v"}))).await;
    let id = made["id"].as_str().unwrap();
    let used = client
        .post(format!("{}/__sandbox/braintrust/env_vars/{id}/used", sb.base_url))
        .json(&json!({"at": "2026-05-01T12:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 204);
    assert_eq!(call(&sb, Method::GET, &format!("/v1/env_var/{id}"), None).await.1["used"], "2026-05-01T12:00:00+00:00");
    let unknown = client
        .post(format!("{}/__sandbox/braintrust/env_vars/{NOWHERE}/used", sb.base_url))
        .json(&json!({"at": "2026-05-01T12:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let counts: Value = client.get(format!("{}/__sandbox/counts", sb.base_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!((counts["braintrust_projects"].as_u64(), counts["braintrust_env_vars"].as_u64()), (Some(2), Some(1)));
    assert!(sb.world().log.iter().any(|r| r.method == "POST" && r.path == "/v1/env_var"), "recorded like every service call");
    let unauthorized = client.get(format!("{}/v1/env_var", sb.base_url)).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);

    call(&sb, Method::POST, "/v1/project", Some(json!({"name": "evals"}))).await;
    client.post(format!("{}/__sandbox/reset", sb.base_url)).send().await.unwrap();
    let counts: Value = client.get(format!("{}/__sandbox/counts", sb.base_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!((counts["braintrust_projects"].as_u64(), counts["braintrust_env_vars"].as_u64()), (Some(2), Some(0)));
    assert_eq!(installed_digest(&sb, id).await, None);
}

#[tokio::test]
async fn faults_apply_to_env_vars_as_to_every_service_call() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let client = reqwest::Client::new();
    client.post(format!("{}/__sandbox/faults", sb.base_url)).json(&json!({"rate_limit_next": 1, "retry_after_secs": 3})).send().await.unwrap();
    let limited = client.get(format!("{}/v1/env_var", sb.base_url)).bearer_auth(DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!((limited.status().as_u16(), limited.headers()["retry-after"].to_str().unwrap()), (429, "3"));
    assert_eq!(call(&sb, Method::GET, "/v1/env_var", None).await.0, 200);
}
