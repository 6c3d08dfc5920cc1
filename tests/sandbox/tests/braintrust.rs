//! The sandbox's Braintrust over real HTTP, checked against the official spec's shapes.

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};
mod common;
use common::spec_required;
use serde_json::Value;

async fn get(base: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

fn ids(body: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(body).unwrap();
    v["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn pages_follow_the_cursor_newest_first() {
    let sb = spawn(SandboxConfig { seed_keys: 7, ..Default::default() }).await.unwrap();
    let (_, all) = get(&sb.base_url, "/v1/api_key", Some(DEFAULT_TOKEN)).await;
    let all = ids(&all);
    assert_eq!(all.len(), 7);
    let (_, p1) = get(&sb.base_url, "/v1/api_key?limit=3", Some(DEFAULT_TOKEN)).await;
    let p1 = ids(&p1);
    let (_, p2) = get(&sb.base_url, &format!("/v1/api_key?limit=3&starting_after={}", p1[2]), Some(DEFAULT_TOKEN)).await;
    let p2 = ids(&p2);
    let (_, p3) = get(&sb.base_url, &format!("/v1/api_key?limit=3&starting_after={}", p2[2]), Some(DEFAULT_TOKEN)).await;
    assert_eq!([p1, p2, ids(&p3)].concat(), all);
    let (_, back) = get(&sb.base_url, &format!("/v1/api_key?limit=2&ending_before={}", all[4]), Some(DEFAULT_TOKEN)).await;
    assert_eq!(ids(&back), all[2..4]);
}

#[tokio::test]
async fn bad_paging_and_bad_tokens_are_refused() {
    let sb = spawn(SandboxConfig { seed_keys: 2, ..Default::default() }).await.unwrap();
    let base = &sb.base_url;
    let id = ids(&get(base, "/v1/api_key", Some(DEFAULT_TOKEN)).await.1)[0].clone();
    let both = format!("/v1/api_key?starting_after={id}&ending_before={id}");
    assert_eq!(get(base, &both, Some(DEFAULT_TOKEN)).await.0, 400);
    assert_eq!(get(base, "/v1/api_key?limit=-1", Some(DEFAULT_TOKEN)).await.0, 400);
    assert_eq!(get(base, "/v1/api_key?limit=x", Some(DEFAULT_TOKEN)).await.0, 400);
    assert_eq!(get(base, "/v1/api_key?starting_after=nope", Some(DEFAULT_TOKEN)).await.0, 400);
    assert_eq!(get(base, "/v1/api_key", None).await, (401, "Invalid API key".to_string()));
    assert_eq!(get(base, "/v1/organization", Some("wrong")).await.0, 401);
}

#[tokio::test]
async fn creating_api_keys_is_refused_as_live_unless_allowed() {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/api_key", sb.base_url))
        .bearer_auth(DEFAULT_TOKEN)
        .json(&serde_json::json!({"name": "ci"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.text().await.unwrap(), "API keys cannot create API keys");
}

#[tokio::test]
async fn get_create_delete_and_404() {
    let sb = spawn(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await.unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/v1/api_key", sb.base_url);
    let bad = client.post(&url).bearer_auth(DEFAULT_TOKEN).body("{").send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let nameless = client.post(&url).bearer_auth(DEFAULT_TOKEN).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(nameless.status(), 400);
    let created: Value =
        client.post(&url).bearer_auth(DEFAULT_TOKEN).json(&serde_json::json!({"name": "ci"})).send().await.unwrap().json().await.unwrap();
    let secret = created["key"].as_str().unwrap();
    assert!(created["preview_name"].as_str().unwrap().ends_with(&secret[secret.len() - 4..]));
    let id = created["id"].as_str().unwrap();
    let (status, body) = get(&sb.base_url, &format!("/v1/api_key/{id}"), Some(DEFAULT_TOKEN)).await;
    assert_eq!(status, 200);
    assert!(!body.contains(secret), "the raw key is shown once, on create");
    let del = client.delete(format!("{url}/{id}")).bearer_auth(DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(del.status(), 200);
    assert_eq!(get(&sb.base_url, &format!("/v1/api_key/{id}"), Some(DEFAULT_TOKEN)).await.0, 404);
}

#[tokio::test]
async fn objects_carry_every_property_the_spec_requires() {
    let sb = spawn(SandboxConfig { seed_keys: 3, ..Default::default() }).await.unwrap();
    for (path, schema) in [("/v1/api_key", "ApiKey"), ("/v1/organization", "Organization")] {
        let (_, body) = get(&sb.base_url, path, Some(DEFAULT_TOKEN)).await;
        let v: Value = serde_json::from_str(&body).unwrap();
        for object in v["objects"].as_array().unwrap() {
            for field in spec_required(schema) {
                assert!(object.get(&field).is_some(), "{schema} lacks required {field}");
            }
        }
    }
}

#[tokio::test]
async fn seeding_is_deterministic_and_controls_work() {
    let a = spawn(SandboxConfig { seed_keys: 4, ..Default::default() }).await.unwrap();
    let b = spawn(SandboxConfig { seed_keys: 4, ..Default::default() }).await.unwrap();
    let ids_a = ids(&get(&a.base_url, "/v1/api_key", Some(DEFAULT_TOKEN)).await.1);
    assert_eq!(ids_a, ids(&get(&b.base_url, "/v1/api_key", Some(DEFAULT_TOKEN)).await.1));
    let client = reqwest::Client::new();
    let vanish = client.post(format!("{}/__sandbox/braintrust/api_keys/{}/vanish", a.base_url, ids_a[0])).send().await.unwrap();
    assert_eq!(vanish.status(), 204);
    client.post(format!("{}/__sandbox/braintrust/api_keys", a.base_url)).json(&serde_json::json!({"count": 10})).send().await.unwrap();
    assert_eq!(ids(&get(&a.base_url, "/v1/api_key", Some(DEFAULT_TOKEN)).await.1).len(), 13);
    client.post(format!("{}/__sandbox/latency", a.base_url)).json(&serde_json::json!({"ms": 150})).send().await.unwrap();
    let t = std::time::Instant::now();
    get(&a.base_url, "/v1/organization", Some(DEFAULT_TOKEN)).await;
    assert!(t.elapsed() >= std::time::Duration::from_millis(150));
    let counts: Value = client.get(format!("{}/__sandbox/requests", a.base_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(counts["GET /v1/api_key"], 2);
}
