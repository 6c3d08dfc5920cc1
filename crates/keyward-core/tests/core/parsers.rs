//! Property tests over every parser of what the services answer (list items, Barndoor's list,
//! Respan's next link, error bodies, Retry-After). Whatever the bytes: no panic, a row or a
//! named error, and no value from the answer quoted back, cached under a secret's name or cached
//! outside what its kind's contract documents.

use keyward_core::model::KeyKind;
use keyward_core::providers::parse::{self, holds_secret_field, quotes, strings_in, LISTED};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Field names the parsers look for, so generated objects often hit the real code paths.
const FIELDS: &[&str] = &[
    "id",
    "name",
    "preview_name",
    "created",
    "user_email",
    "user_given_name",
    "user_family_name",
    "user_id",
    "service_account_email",
    "service_account_name",
    "type",
    "metadata",
    "prefix",
    "is_test",
    "expiry_date",
    "max_usage",
    "key_usage",
    "rate_limit",
    "spending_limit",
    "spending_in_period",
    "created_at",
    "last_used",
    "provider_id",
    "provider_name",
    "extra_kwargs",
    "key_prefix",
    "group_name",
    "revoked_at",
    "expires_at",
    "last_used_at",
    "model_provider",
    "key_last4",
    "created_by_email",
    "health_status",
    "preview_secret",
    "key",
    "api_key",
    "secret",
    "credentials",
    "token",
    "settings",
    "scopes",
    "org_id",
    "secret_path",
    "apiKey",
    "access_token",
    "secret_access_key",
    "Authorization",
    "headers",
    "Password",
    "max_tokens",
];

/// Spellings of a secret's name the cache must drop wherever one is planted.
const SECRET_NAMES: &[&str] = &[
    "key",
    "api_key",
    "apiKey",
    "x-api-key",
    "access_token",
    "sessionToken",
    "secret_access_key",
    "client_secret",
    "Authorization",
    "proxy_auth",
    "headers",
    "extra_headers",
    "PASSWORD",
    "passwd",
    "client_credentials",
    "Cookie",
];

/// A value no generator produces, so finding it in the details means the plant leaked.
const PLANTED: &str = "PLANTED-7f3a9c1e5b2d";

/// `v` with `PLANTED` under `name`, reached from the top through objects named by `path`
/// (made, or put in place of a value that is not an object).
fn plant(mut v: Value, path: &[String], name: &str) -> Value {
    let mut at = &mut v;
    for step in path {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        at = at.as_object_mut().unwrap().entry(step.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    at.as_object_mut().unwrap().insert(name.to_string(), Value::String(PLANTED.into()));
    v
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::String),
        // Timestamps, near-timestamps and secret-looking strings.
        "(19|20|99)[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?".prop_map(Value::String),
        "sk-[A-Za-z0-9]{16,40}".prop_map(Value::String),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![4 => proptest::sample::select(FIELDS).prop_map(str::to_string), 1 => "[a-z_]{1,12}"]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 10, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((field(), inner), 0..14).prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Objects shaped like a listed key: an id and a handful of known fields.
fn keyish() -> impl Strategy<Value = Value> {
    ("[A-Za-z0-9-]{1,36}", proptest::collection::vec((field(), json()), 0..14)).prop_map(|(id, pairs)| {
        let mut m: Map<String, Value> = pairs.into_iter().collect();
        m.insert("id".into(), Value::String(id));
        Value::Object(m)
    })
}

fn check(parser: KeyKind, bytes: &[u8], input: Option<&Value>) -> Result<(), TestCaseError> {
    match parse::item(parser, bytes) {
        Ok(Some(row)) => {
            prop_assert!(!row.name.is_empty(), "{parser:?}: a row always has a name");
            prop_assert!(!holds_secret_field(&row.details), "{parser:?}: a secret field reached the details");
            let allowed = parse::cached_fields(parser);
            if let Value::Object(d) = &row.details {
                prop_assert!(d.keys().all(|k| allowed.contains(&k.as_str())), "{parser:?}: a field its contract lacks was cached: {}", row.details);
            } else {
                prop_assert!(false, "{parser:?}: details are not an object: {}", row.details);
            }
            if let Some(Value::Object(m)) = input {
                let id_field = if parser == KeyKind::RespanProvider { "provider_id" } else { "id" };
                prop_assert_eq!(Some(&Value::String(row.provider_id.clone())), m.get(id_field));
                // Any id is usable (it reaches a path only as one encoded segment) but those no
                // encoding keeps as one segment.
                prop_assert!(!row.provider_id.is_empty() && row.provider_id != "." && row.provider_id != "..");
            }
        }
        Ok(None) => prop_assert_eq!(parser, KeyKind::BarndoorGatewayKey, "only a revoked gateway key is skipped"),
        Err(e) => {
            prop_assert!(!e.message.is_empty());
            if let Some(v) = input {
                let failure = |b: &[u8]| parse::item(parser, b).err().map(|e| e.message);
                for s in strings_in(v, 10) {
                    prop_assert!(!quotes(&e.message, v, &s, failure), "{parser:?} quoted {s:?} in: {}", e.message);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn listed_objects_of_any_shape(parser in proptest::sample::select(LISTED.to_vec()), v in keyish()) {
        check(parser, v.to_string().as_bytes(), Some(&v))?;
    }

    #[test]
    fn a_planted_secret_never_reaches_the_details(
        parser in proptest::sample::select(LISTED.to_vec()),
        v in keyish(),
        path in proptest::collection::vec(field(), 0..4),
        name in proptest::sample::select(SECRET_NAMES),
    ) {
        let planted = plant(v, &path, name);
        if let Ok(Some(row)) = parse::item(parser, planted.to_string().as_bytes()) {
            prop_assert!(!row.details.to_string().contains(PLANTED), "{parser:?}: {name} under {path:?} was cached: {}", row.details);
        }
    }

    #[test]
    fn any_json_at_all(parser in proptest::sample::select(LISTED.to_vec()), v in json()) {
        check(parser, v.to_string().as_bytes(), Some(&v))?;
    }

    #[test]
    fn any_bytes_at_all(parser in proptest::sample::select(LISTED.to_vec()), bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check(parser, &bytes, None)?;
    }

    #[test]
    fn barndoor_lists(v in json()) {
        if let Err(e) = parse::barndoor_list(v.to_string().as_bytes()) {
            let failure = |b: &[u8]| parse::barndoor_list(b).err().map(|e| e.message);
            for s in strings_in(&v, 10) {
                prop_assert!(!quotes(&e.message, &v, &s, failure), "quoted {s:?} in: {}", e.message);
            }
        }
    }

    #[test]
    fn error_bodies_become_one_bounded_line(text in prop_oneof!["\\PC{0,600}", json().prop_map(|v| v.to_string())]) {
        let (line, wait) = parse::error_body(&text);
        prop_assert!(!line.contains('\n') && !line.contains('\r'));
        prop_assert!(line.chars().count() <= 301, "{} chars", line.chars().count());
        prop_assert!(line.trim() == line);
        if let Some(w) = wait {
            prop_assert!(w.as_secs() <= 86_400);
        }
    }

    #[test]
    fn retry_after_headers_are_bounded(bytes in proptest::collection::vec(any::<u8>(), 0..40), secs in any::<f64>()) {
        for input in [bytes, secs.to_string().into_bytes()] {
            if let Ok(Some(w)) = parse::retry_after_header(&input) {
                prop_assert!(w.as_secs() <= 86_400);
            }
        }
    }

    #[test]
    fn respan_next_links_yield_a_page_number_or_nothing(url in prop_oneof!["\\PC{0,80}", "https://[a-z.]{1,20}/api/temporary-keys/\\?page=[0-9]{0,12}"]) {
        let _ = parse::respan_next_page(&url);
    }
}

#[test]
fn a_quoted_secret_is_dropped_from_the_message() {
    let body = br#"{"id": "k1", "name": ["sk-live-0123456789abcdef"]}"#;
    let err = parse::item(KeyKind::BraintrustApiKey, body).unwrap_err();
    assert!(!err.message.contains("sk-live"), "{}", err.message);
    assert!(err.message.contains("Braintrust sent an API key Keyward could not read"), "{}", err.message);
}

#[test]
fn a_secret_field_in_a_listing_is_not_cached() {
    let body = br#"{"id": "k1", "name": "ci", "key": "sk-live-0123456789abcdef", "meta": {"api_key": "x-0123456789"}}"#;
    let row = parse::item(KeyKind::BraintrustApiKey, body).unwrap().unwrap();
    assert!(!row.details.to_string().contains("0123456789"), "{}", row.details);
    assert_eq!(row.details["name"], "ci");
}

/// Secrets as services and people spell them, at the top and inside every free-form field a
/// contract documents (Respan `extra_kwargs`, Braintrust `metadata`, Barndoor `settings`).
#[test]
fn secrets_under_any_name_are_not_cached() {
    for parser in LISTED {
        for name in SECRET_NAMES {
            let body = serde_json::json!({
                "id": "k1", "provider_id": "k1", "name": "ci",
                *name: "sk-top-0123456789",
                "metadata": {"team": "evals", *name: "sk-meta-0123456789", "deep": [{"x": {*name: {"v": "sk-deep-0123456789"}}}]},
                "extra_kwargs": {"timeout": 30, *name: "sk-kwargs-0123456789", "headers": {"X-Team": "evals"}},
                "settings": {"region": "us-east-1", "aws": {*name: "sk-settings-0123456789"}},
            });
            let row = parse::item(parser, body.to_string().as_bytes()).unwrap().unwrap();
            assert!(!row.details.to_string().contains("0123456789"), "{parser:?} cached {name}: {}", row.details);
            assert!(!row.details.to_string().contains("X-Team"), "{parser:?} cached a header map: {}", row.details);
        }
    }
    let row = parse::item(KeyKind::RespanProvider, br#"{"provider_id": "p", "extra_kwargs": {"timeout": 30, "apiKey": "x"}}"#).unwrap().unwrap();
    assert_eq!(row.details["extra_kwargs"], serde_json::json!({"timeout": 30}), "what is not secret stays");
}

/// Found by the `responses` fuzz target: a value holding an escaped quote ended the dropped span
/// early, and the rest of the value was quoted back.
#[test]
fn a_value_with_escaped_quotes_is_dropped_whole() {
    let crash: &[u8] = b"\"\"\\\"888888888888 R    8 a0588x8~Kiiiiiiiiiy\"";
    let planted = br#"{"id": "p1", "name": ["x"], "health_status": "\"sk-0123456789 \\ x\""}"#;
    let in_name = br#"{"id": "p1", "name": {"a": 1}, "created_at": 5, "key_prefix": "\"sk-0123456789abc\""}"#;
    for bytes in [crash, &planted[..], &in_name[..], &br#""\"sk-0123456789abc""#[..]] {
        for parser in LISTED {
            if let Err(e) = parse::item(parser, bytes) {
                assert!(!e.message.contains("0123456789") && !e.message.contains("888888888888"), "{parser:?}: {}", e.message);
            }
        }
    }
}

/// Every input the fuzzer found and we kept (fuzz/regressions/responses), through the same checks
/// as the fuzz target: its first byte picks the parser, as there.
#[test]
fn every_input_the_fuzzer_kept_still_passes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/responses");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let Some((&pick, body)) = data.split_first() else { continue };
        let value = serde_json::from_slice::<Value>(body).ok();
        match LISTED.get(pick as usize % (LISTED.len() + 1)) {
            Some(&parser) => check(parser, body, value.as_ref()).unwrap(),
            None => {
                if let (Err(e), Some(v)) = (parse::barndoor_list(body), &value) {
                    let failure = |b: &[u8]| parse::barndoor_list(b).err().map(|e| e.message);
                    for s in strings_in(v, 10) {
                        assert!(!quotes(&e.message, v, &s, failure), "quoted {s:?} in: {}", e.message);
                    }
                }
            }
        }
        seen += 1;
    }
    assert!(seen >= 2, "the kept inputs were read from {}", dir.display());
}
