//! Bad input on every create and update form: empty, 10 KB, out of range, control and
//! text-direction characters, hosts that are not https or not URLs, JSON that is not an object,
//! and values of the wrong type. Each is refused with an error naming its field; nothing is sent
//! and nothing is stored. The count of inputs tried per form is printed.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::{KeyQuery, NewAccount, Service};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};
use serde_json::{json, Value};

fn long(n: usize) -> String {
    "a".repeat(n)
}

/// Bad values by the kind of field they go in.
fn bad(class: &str) -> Vec<(&'static str, Value)> {
    let text = vec![
        ("10 KB", json!(long(10 * 1024))),
        ("a NUL", json!("a\u{0}b")),
        ("a line break", json!("first\nsecond")),
        ("an RTL override", json!("\u{202E}txt.exe")),
        ("a bidi isolate", json!("\u{2066}x\u{2069}")),
        ("a number", json!(42)),
    ];
    let required = vec![("empty", json!("")), ("blank", json!("   "))];
    match class {
        "text" => text,
        "required" => [required, text].concat(),
        "slug" => [required, vec![("a space", json!("my openai")), ("a path", json!("../x")), ("10 KB", json!(long(10 * 1024)))]].concat(),
        "secret" => [
            required,
            vec![("a space", json!("sk live")), ("non-ASCII", json!("sk-ünï")), ("a line break", json!("sk-a\nb")), ("9 KB", json!(long(9 * 1024)))],
        ]
        .concat(),
        "optional-secret" => vec![("a space", json!("sk live")), ("non-ASCII", json!("sk-ünï")), ("9 KB", json!(long(9 * 1024)))],
        "date" => vec![
            ("words", json!("yesterday")),
            ("the past", json!("2001-01-01")),
            ("no such day", json!("2026-13-45")),
            ("10 KB", json!(long(10 * 1024))),
            ("an RTL override", json!("\u{202E}2099-01-01")),
        ],
        "url" => vec![
            ("empty", json!("")),
            ("plain http", json!("http://example.com")),
            ("ftp", json!("ftp://example.com")),
            ("not a URL", json!("not a url")),
            ("no host", json!("https://")),
            ("credentials", json!("https://u:p@example.com")),
            ("a query", json!("https://example.com/?q=1")),
            ("10 KB", json!(format!("https://{}.com", long(10 * 1024)))),
        ],
        "json" => vec![
            ("an array", json!("[]")),
            ("broken", json!("{")),
            ("a number", json!("1")),
            ("10 KB", json!(format!("{{\"a\": \"{}\"}}", long(10 * 1024)))),
        ],
        "choice" => vec![("unknown", json!("nope")), ("10 KB", json!(long(10 * 1024))), ("an RTL override", json!("\u{202E}openai"))],
        "ttl" => vec![
            ("zero", json!(0)),
            ("over a day", json!(86_401)),
            ("the maximum", json!(u32::MAX)),
            ("negative", json!(-1)),
            ("words", json!("ten")),
        ],
        "uses" => vec![("zero", json!(0)), ("-2", json!(-2)), ("the minimum", json!(i64::MIN)), ("a fraction", json!(1.5))],
        "rate" => vec![("zero", json!(0)), ("negative", json!(-5))],
        "spend" => vec![("negative", json!(-1.0)), ("words", json!("lots"))],
        other => panic!("no bad values for {other}"),
    }
}

/// Each field of a form and the class of bad values tried on it.
type Cases = Vec<(&'static str, &'static str)>;

/// Every create form: its service, a good request, and the class of each field.
fn create_forms() -> Vec<(Service, Value, Cases)> {
    vec![
        (Service::Braintrust, json!({"kind": "braintrust_api_key", "name": "ci"}), vec![("name", "required")]),
        (
            Service::Braintrust,
            json!({"kind": "braintrust_proxy_credential", "model": "gpt-4o", "ttl_seconds": 600, "logging_project": "evals"}),
            vec![("model", "text"), ("ttl_seconds", "ttl"), ("logging_project", "text")],
        ),
        (
            Service::Braintrust,
            json!({"kind": "braintrust_service_token", "name": "bot", "service_account_id": "sa-1"}),
            vec![("name", "required"), ("service_account_id", "required")],
        ),
        (
            Service::Braintrust,
            json!({"kind": "braintrust_ai_secret", "name": "OPENAI_API_KEY", "type": "openai", "secret": "sk-good-1234", "metadata": "{}"}),
            vec![("name", "required"), ("type", "text"), ("secret", "secret"), ("metadata", "json")],
        ),
        (
            Service::Respan,
            json!({"kind": "respan_temp_key", "name": "ci", "expiry_date": "2099-01-01", "max_usage": 10, "rate_limit": 5, "spending_limit": 2.5}),
            vec![("name", "text"), ("expiry_date", "date"), ("max_usage", "uses"), ("rate_limit", "rate"), ("spending_limit", "spend")],
        ),
        (
            Service::Respan,
            json!({"kind": "respan_provider", "provider_id": "my-openai", "provider_name": "My OpenAI", "api_key": "sk-good-1234", "extra_kwargs": "{}"}),
            vec![("provider_id", "slug"), ("provider_name", "required"), ("api_key", "secret"), ("extra_kwargs", "json")],
        ),
        (
            Service::Barndoor,
            json!({"kind": "barndoor_gateway_key", "name": "svc", "expires_at": "2099-01-01"}),
            vec![("name", "required"), ("expires_at", "date")],
        ),
        (
            Service::Barndoor,
            json!({"kind": "barndoor_credential", "name": "OpenAI", "model_provider": "openai", "base_url": "https://api.openai.com/v1",
            "api_key": "sk-good-1234", "settings": "{}", "change_note": "why"}),
            vec![
                ("name", "required"),
                ("model_provider", "choice"),
                ("base_url", "url"),
                ("auth_type", "choice"),
                ("api_key", "secret"),
                ("credentials", "json"),
                ("settings", "json"),
                ("change_note", "text"),
            ],
        ),
    ]
}

/// Every update form, with the kind of key it changes.
fn update_forms() -> Vec<(&'static str, Value, Cases)> {
    vec![
        ("respan_temp_key", json!({"kind": "respan_temp_key"}), vec![("name", "required"), ("expiry_date", "date"), ("prefix", "required")]),
        (
            "respan_provider",
            json!({"kind": "respan_provider"}),
            vec![("provider_name", "required"), ("api_key", "optional-secret"), ("extra_kwargs", "json")],
        ),
        (
            "braintrust_ai_secret",
            json!({"kind": "braintrust_ai_secret"}),
            vec![("name", "required"), ("type", "text"), ("secret", "optional-secret"), ("metadata", "json")],
        ),
        (
            "barndoor_credential",
            json!({"kind": "barndoor_credential"}),
            vec![
                ("name", "required"),
                ("base_url", "url"),
                ("auth_type", "choice"),
                ("api_key", "optional-secret"),
                ("credentials", "json"),
                ("settings", "json"),
                ("change_note", "text"),
            ],
        ),
        ("barndoor_gateway_key", json!({"kind": "barndoor_gateway_key", "disabled": true}), vec![("expires_at", "date")]),
    ]
}

fn message_is_clean(field: &str, message: &str) {
    assert!(message.chars().count() < 400, "{field}: the message stays short ({} chars)", message.chars().count());
    assert!(!message.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)), "{field}: {message:?}");
}

struct Rig {
    core: Keyward,
    sb: SandboxHandle,
    _dir: tempfile::TempDir,
}

fn writes(sb: &SandboxHandle) -> u64 {
    sb.world().requests.iter().filter(|(k, _)| !k.starts_with("GET")).map(|(_, n)| n).sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_create_form_refuses_bad_input_by_field_and_sends_nothing() {
    let sb = spawn(SandboxConfig { allow_api_key_create: true, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { min_backoff: Duration::from_millis(5), ..Default::default() };
    let r = Rig { core: Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap(), sb, _dir: dir };
    let mut accounts = std::collections::HashMap::new();
    for service in Service::ALL {
        let input = NewAccount {
            service,
            label: format!("{service:?}"),
            host: r.sb.base_url.clone(),
            org_name: None,
            token: DEFAULT_TOKEN.to_string().into(),
        };
        accounts.insert(service, r.core.add_account(input).await.unwrap().id);
    }
    let stored = r.core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap().len();
    let sent = writes(&r.sb);
    let mut report = Vec::new();
    for (service, good, fields) in create_forms() {
        let kind = good["kind"].as_str().unwrap().to_string();
        let base: NewKey = serde_json::from_value(good.clone()).unwrap();
        assert!(base.problems(service, Utc::now()).is_empty(), "{kind}: the good request is good");
        let mut tried = 0;
        for (field, class) in fields {
            for (what, value) in bad(class) {
                let mut v = good.clone();
                v[field] = value;
                if field == "credentials" {
                    v["auth_type"] = json!("aws_role");
                }
                tried += 1;
                let Ok(request) = serde_json::from_value::<NewKey>(v) else {
                    continue; // the wrong type: refused before the core sees it (IPC and CLI parsing)
                };
                let problems = request.problems(service, Utc::now());
                let named = problems.iter().find(|p| p.field == field);
                let p = named.unwrap_or_else(|| panic!("{kind}.{field} with {what}: not named ({problems:?})"));
                message_is_clean(field, &p.message);
                let err =
                    r.core.create_key(&accounts[&service], request).await.err().unwrap_or_else(|| panic!("{kind}.{field} with {what} was created"));
                assert!(err.field.is_some(), "{kind}.{field} with {what}: {}", err.message);
            }
        }
        report.push(format!("{kind}: {tried}"));
    }
    assert_eq!(writes(&r.sb), sent, "nothing was sent");
    assert_eq!(r.core.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap().len(), stored, "nothing was stored");
    println!("bad inputs tried per create form: {}", report.join(", "));
}

#[test]
fn every_update_form_refuses_bad_input_by_field() {
    let mut report = Vec::new();
    for (kind, good, fields) in update_forms() {
        let key_kind = keyward_core::model::KeyKind::parse(kind).unwrap();
        let base: KeyUpdate = serde_json::from_value(good.clone()).unwrap();
        assert!(base.problems(key_kind, Utc::now()).is_empty(), "{kind}: {:?}", base.problems(key_kind, Utc::now()));
        let mut tried = 0;
        for (field, class) in fields {
            for (what, value) in bad(class) {
                let mut v = good.clone();
                v[field] = value;
                tried += 1;
                let Ok(update) = serde_json::from_value::<KeyUpdate>(v) else { continue };
                let problems = update.problems(key_kind, Utc::now());
                let p = problems.iter().find(|p| p.field == field).unwrap_or_else(|| panic!("{kind}.{field} with {what}: not named ({problems:?})"));
                message_is_clean(field, &p.message);
            }
        }
        report.push(format!("{kind}: {tried}"));
    }
    println!("bad inputs tried per update form: {}", report.join(", "));
}

#[test]
fn every_account_field_refuses_bad_input_by_field() {
    use keyward_core::model::account_rules;
    let good = || NewAccount {
        service: Service::Braintrust,
        label: "Prod".into(),
        host: "https://api.braintrust.dev".into(),
        org_name: None,
        token: "sk-good".to_string().into(),
    };
    let mut tried = 0;
    for (field, class) in [("label", "required"), ("host", "url"), ("org_name", "text"), ("token", "secret")] {
        for (what, value) in bad(class) {
            let Some(s) = value.as_str().map(str::to_string) else { continue };
            let mut input = good();
            match field {
                "label" => input.label = s,
                "host" => input.host = s,
                "org_name" => input.org_name = Some(s),
                _ => input.token = s.into(),
            }
            tried += 1;
            let problems = account_rules::new_account(&input);
            let p = problems.iter().find(|p| p.field == field).unwrap_or_else(|| panic!("account.{field} with {what}: not named ({problems:?})"));
            message_is_clean(field, &p.message);
        }
    }
    println!("bad inputs tried on the account form: {tried}");
}
