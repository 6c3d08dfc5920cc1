//! Every request the core sends, checked against the services' OpenAPI files: the path and
//! method exist, every query parameter is declared, and every body validates against the
//! operation's request schema with no property the schema does not name.

use std::sync::Arc;
use std::time::Duration;

use keyward_core::model::env_var::EnvVarScope;
use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{NewAccount, Service, SyncProgress};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, Faults, RecordedRequest, SandboxConfig, DEFAULT_TOKEN};
use serde_json::{json, Value};

fn spec(name: &str) -> Value {
    let path = format!("{}/../../tests/contracts/{name}/openapi.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap()
}

/// Follows `$ref: '#/a/b'` within one document.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("dangling {r}")),
        None => node,
    }
}

/// OpenAPI 3.0's `nullable: true` becomes JSON Schema's `type: [T, "null"]`.
fn json_schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                out.insert(k.clone(), json_schema(v));
            }
            if out.get("nullable") == Some(&json!(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| (a.starts_with('{') && a.ends_with('}') && !b.is_empty()) || a == b)
}

/// Every problem with one request, empty when it conforms.
fn check(specs: &[(&str, Value)], req: &RecordedRequest) -> Vec<String> {
    // A literal segment beats a parameter: `/connections/aws-role-validate` is not `/connections/{id}`.
    let mut found = None;
    let mut fewest_params = usize::MAX;
    for (name, doc) in specs {
        for (template, item) in doc["paths"].as_object().unwrap() {
            let params = template.matches('{').count();
            if template_matches(template, &req.path) && params < fewest_params {
                fewest_params = params;
                found = Some((name, doc, template, item));
            }
        }
    }
    let Some((name, doc, template, item)) = found else {
        return vec![format!("{} {}: no such path in any spec", req.method, req.path)];
    };
    let method = req.method.to_lowercase();
    let Some(op) = item.get(&method) else {
        return vec![format!("{name}: {} {template}: no such operation", req.method)];
    };
    let mut problems = Vec::new();
    let declared: Vec<String> = [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
        .flat_map(|ps| ps.as_array().cloned().unwrap_or_default())
        .map(|p| resolve(doc, &p).clone())
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    for (key, _) in form_urlencoded_pairs(req.query.as_deref().unwrap_or("")) {
        if !declared.contains(&key) {
            problems.push(format!("{name}: {} {template}: undeclared query parameter {key}", req.method));
        }
    }
    if let Some(body) = &req.body {
        let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else {
            problems.push(format!("{name}: {} {template}: sends a body the spec does not take", req.method));
            return problems;
        };
        let schema = resolve(doc, schema);
        if let (Some(props), Some(sent)) = (schema.get("properties").and_then(Value::as_object), body.as_object()) {
            for key in sent.keys().filter(|k| !props.contains_key(*k)) {
                problems.push(format!("{name}: {} {template}: body property {key} is not in the schema", req.method));
            }
        }
        let mut full = json_schema(schema);
        full["components"] = json_schema(&doc["components"]);
        let validator = jsonschema::validator_for(&full).unwrap();
        for e in validator.iter_errors(body) {
            problems.push(format!("{name}: {} {template}: {e} at {}", req.method, e.instance_path()));
        }
    }
    problems
}

fn form_urlencoded_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[tokio::test]
async fn every_request_conforms_to_the_specs() {
    let config = SandboxConfig { seed_keys: 5, seed_respan_keys: 3, allow_api_key_create: true, ..Default::default() };
    let sb = spawn(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { page_size: 2, min_backoff: Duration::from_millis(5), ..Default::default() };
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap();
    let add = |service: Service| NewAccount {
        service,
        label: format!("{service:?}"),
        host: sb.base_url.clone(),
        org_name: (service == Service::Braintrust).then(|| "sandbox-org".into()),
        token: DEFAULT_TOKEN.to_string().into(),
    };
    let none = |_: SyncProgress| {};

    // Braintrust: every kind, create-or-replace, patch, delete, and a reconciled lost answer.
    let bt = core.add_account(add(Service::Braintrust)).await.unwrap().id;
    core.sync_account(&bt, &none).await.unwrap();
    let api_key = core.create_key(&bt, NewKey::BraintrustApiKey { name: "ci".into() }).await.unwrap().key;
    let proxy = NewKey::BraintrustProxyCredential { model: Some("gpt-4o".into()), ttl_seconds: Some(60), logging_project: Some("p".into()) };
    core.create_key(&bt, proxy).await.unwrap();
    core.create_key(&bt, NewKey::BraintrustProxyCredential { model: None, ttl_seconds: None, logging_project: None }).await.unwrap();
    for replace in [false, true] {
        let token = NewKey::BraintrustServiceToken { name: "svc".into(), service_account_id: "sa".into(), replace_existing: Some(replace) };
        core.create_key(&bt, token).await.unwrap();
    }
    let ai = NewKey::BraintrustAiSecret {
        name: "OPENAI".into(),
        secret_type: Some("openai".into()),
        secret: "sk-x".to_string().into(),
        metadata: Some(r#"{"a": 1}"#.into()),
        replace_existing: Some(true),
    };
    let ai = core.create_key(&bt, ai).await.unwrap().key;
    let patch =
        KeyUpdate::BraintrustAiSecret { name: Some("OPENAI2".into()), secret_type: None, secret: Some("sk-y".to_string().into()), metadata: None };
    core.update_key(&ai.id, patch).await.unwrap();
    for key in core.list_keys(&keyward_core::model::KeyQuery { account_id: Some(bt.clone()), ..Default::default() }).unwrap() {
        if key.kind != keyward_core::model::KeyKind::BraintrustProxyCredential {
            core.refresh_key(&key.id).await.unwrap();
        }
    }
    // Env vars in each scope, a project picked from every page of projects, create-or-replace,
    // patch of the name and of the value, and delete.
    let checkout = core.find_project(&bt, "checkout").await.unwrap();
    let mut vars = Vec::new();
    for (scope, object_id, replace) in [
        (EnvVarScope::Project, Some(checkout.id.clone()), false),
        (EnvVarScope::Project, Some(checkout.id.clone()), true),
        (EnvVarScope::Organization, None, false),
        (EnvVarScope::Function, Some("0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0f01".into()), false),
    ] {
        let var = NewKey::BraintrustEnvVar {
            name: "RESPAN_API_KEY".into(),
            object_type: scope,
            object_id,
            value: "rs-value".to_string().into(),
            secret_type: Some("respan".into()),
            replace_existing: Some(replace),
        };
        vars.push(core.create_key(&bt, var).await.unwrap().key);
    }
    core.update_key(&vars[0].id, KeyUpdate::BraintrustEnvVar { name: Some("RESPAN_KEY".into()), value: None }).await.unwrap();
    core.update_key(&vars[0].id, KeyUpdate::BraintrustEnvVar { name: None, value: Some("rs-new".to_string().into()) }).await.unwrap();
    core.sync_account(&bt, &none).await.unwrap();
    core.revoke_key(&vars[2].id).await.unwrap();
    core.revoke_key(&ai.id).await.unwrap();
    core.revoke_key(&api_key.id).await.unwrap();
    sb.world().faults = Faults { drop_create_next: 1, ..Default::default() };
    core.create_key(&bt, NewKey::BraintrustApiKey { name: "lost".into() }).await.err().unwrap();

    // Respan: list, create with every limit, patch, delete, reconcile.
    let rs = core.add_account(add(Service::Respan)).await.unwrap().id;
    core.sync_account(&rs, &none).await.unwrap();
    let temp = NewKey::RespanTempKey {
        name: Some("t".into()),
        expiry_date: Some("2099-01-01".into()),
        max_usage: Some(5),
        rate_limit: Some(10),
        spending_limit: Some(1.5),
        is_test: Some(true),
    };
    let temp = core.create_key(&rs, temp).await.unwrap().key;
    let patch =
        KeyUpdate::RespanTempKey { name: Some("t2".into()), expiry_date: Some("2099-02-01".into()), is_test: Some(false), prefix: Some("p".into()) };
    core.update_key(&temp.id, patch).await.unwrap();
    core.revoke_key(&temp.id).await.unwrap();
    sb.world().faults = Faults { drop_create_next: 1, ..Default::default() };
    let bare = NewKey::RespanTempKey {
        name: Some("lost".into()),
        expiry_date: None,
        max_usage: None,
        rate_limit: None,
        spending_limit: None,
        is_test: None,
    };
    core.create_key(&rs, bare).await.err().unwrap();

    let custom = NewKey::RespanProvider {
        provider_id: "mine".into(),
        provider_name: "Mine".into(),
        api_key: "sk-p".to_string().into(),
        extra_kwargs: Some(r#"{"base_url": "https://x.example"}"#.into()),
    };
    let custom = core.create_key(&rs, custom).await.unwrap().key;
    core.sync_account(&rs, &none).await.unwrap();
    let patch = KeyUpdate::RespanProvider { provider_name: Some("Mine 2".into()), api_key: Some("sk-q".to_string().into()), extra_kwargs: None };
    core.update_key(&custom.id, patch).await.unwrap();
    core.refresh_key(&custom.id).await.unwrap();
    core.refresh_key(&temp.id).await.unwrap_or_else(|e| panic!("{}", e.message));
    core.revoke_key(&custom.id).await.unwrap();

    // Barndoor: credentials of both secret shapes, update/rotate, gateway keys and their changes.
    let bd = core.add_account(add(Service::Barndoor)).await.unwrap().id;
    let cred = NewKey::BarndoorCredential {
        name: "OpenAI".into(),
        model_provider: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        auth_type: Some("api_key".into()),
        api_key: Some("sk-u".to_string().into()),
        credentials: None,
        settings: Some(r#"{"organization": "o"}"#.into()),
        change_note: Some("n".into()),
    };
    let cred = core.create_key(&bd, cred).await.unwrap().key;
    let role = NewKey::BarndoorCredential {
        name: "Bedrock".into(),
        model_provider: "bedrock".into(),
        base_url: "https://bedrock-runtime.us-east-1.amazonaws.com".into(),
        auth_type: None,
        api_key: None,
        credentials: Some(r#"{"iam_role_arn": "arn", "external_id": "e"}"#.to_string().into()),
        settings: None,
        change_note: None,
    };
    core.create_key(&bd, role).await.unwrap();
    let rotate = KeyUpdate::BarndoorCredential {
        name: Some("OpenAI 2".into()),
        base_url: Some("https://api.openai.com/v1".into()),
        auth_type: None,
        api_key: Some("sk-v".to_string().into()),
        credentials: None,
        settings: None,
        change_note: Some("rotate".into()),
    };
    core.update_key(&cred.id, rotate).await.unwrap();
    let gw = core
        .create_key(&bd, NewKey::BarndoorGatewayKey { name: "g".into(), expires_at: Some("2099-01-01".into()), access: Default::default() })
        .await
        .unwrap()
        .key;
    core.reissue_key(&gw.id).await.unwrap();
    core.reissue_key_with_grace(&gw.id, 3600).await.unwrap();
    let scoped = keyward_core::model::new_key::GatewayAccess {
        scopes: Some(vec!["llm:invoke".into()]),
        group_name: Some("engineering".into()),
        ..Default::default()
    };
    core.create_key(&bd, NewKey::BarndoorGatewayKey { name: "scoped".into(), expires_at: None, access: scoped }).await.unwrap();
    let for_user = keyward_core::model::new_key::GatewayAccess { user_email: Some("ana@example.com".into()), ..Default::default() };
    core.create_key(&bd, NewKey::BarndoorGatewayKey { name: "ana".into(), expires_at: None, access: for_user }).await.unwrap();
    core.update_key(&gw.id, KeyUpdate::BarndoorGatewayKey { disabled: Some(true), expires_at: Some("2099-03-01".into()), clear_expiry: None })
        .await
        .unwrap();
    core.update_key(&gw.id, KeyUpdate::BarndoorGatewayKey { disabled: Some(false), expires_at: None, clear_expiry: Some(true) }).await.unwrap();
    core.sync_account(&bd, &none).await.unwrap();
    for key in core.list_keys(&keyward_core::model::KeyQuery { account_id: Some(bd.clone()), ..Default::default() }).unwrap() {
        core.refresh_key(&key.id).await.unwrap();
    }
    use keyward_core::model::setup_check::SetupCheck;
    let role = SetupCheck::BarndoorAwsRole { region: "us-east-1".into(), iam_role_arn: "arn:aws:iam::1:role/r".into(), external_id: "e".into() };
    core.check_setup(&bd, role).await.unwrap();
    let vertex = SetupCheck::BarndoorGoogleVertex {
        project_id: "p".into(),
        location: "us-central1".into(),
        auth_type: Some("google_service_account".into()),
        model_api_family: Some("vertex_gemini".into()),
        target_service_account: Some("sa@p.iam".into()),
        credentials: Some(r#"{"private_key": "k"}"#.to_string().into()),
        model: Some("gemini-1.5-pro".into()),
    };
    core.check_setup(&bd, vertex).await.unwrap();
    core.revoke_key(&gw.id).await.unwrap();
    core.revoke_key(&cred.id).await.unwrap();
    sb.world().faults = Faults { drop_create_next: 1, ..Default::default() };
    core.create_key(&bd, NewKey::BarndoorGatewayKey { name: "lost".into(), expires_at: None, access: Default::default() }).await.err().unwrap();

    let specs = [("braintrust", spec("braintrust")), ("respan", spec("respan")), ("barndoor", spec("barndoor"))];
    let log = sb.world().log.clone();
    let operations: std::collections::BTreeSet<String> = log.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert!(log.len() >= 40, "the scenario sent {} requests", log.len());
    let problems: Vec<String> = log.iter().flat_map(|r| check(&specs, r)).collect();
    assert!(
        problems.is_empty(),
        "{} of {} requests do not conform:\n{}\n(operations: {operations:?})",
        problems.len(),
        log.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_catches_what_it_should() {
    let specs = [("braintrust", spec("braintrust")), ("respan", spec("respan"))];
    let req = |method: &str, path: &str, query: Option<&str>, body: Option<Value>| RecordedRequest {
        method: method.into(),
        path: path.into(),
        query: query.map(Into::into),
        body,
    };
    assert!(check(&specs, &req("GET", "/v1/api_key", Some("limit=2&starting_after=x"), None)).is_empty());
    assert_eq!(check(&specs, &req("GET", "/v1/api_key", Some("page=2"), None)).len(), 1);
    assert_eq!(check(&specs, &req("GET", "/v1/nothing", None, None)).len(), 1);
    assert_eq!(check(&specs, &req("PATCH", "/v1/api_key", None, None)).len(), 1);
    assert!(!check(&specs, &req("POST", "/v1/proxy/credentials", None, Some(json!({"ttl_seconds": "long"})))).is_empty());
    assert!(!check(&specs, &req("POST", "/v1/proxy/credentials", None, Some(json!({"ttl": 5})))).is_empty());
    assert!(!check(&specs, &req("POST", "/api/temporary-keys/", None, Some(json!({"max_usage": "x"})))).is_empty());
    assert!(check(&specs, &req("POST", "/api/temporary-keys/", None, Some(json!({"max_usage": -1, "rate_limit": null})))).is_empty());
}
