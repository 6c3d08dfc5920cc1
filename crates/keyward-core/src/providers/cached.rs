//! What of a service's answer becomes a key's cached `details`: the SQLite `keys.details`
//! column, the detail panel and `keyward keys show`.
//!
//! A denylist of secret names cannot keep up: services spell a secret `apiKey`, `access_token`
//! or `Authorization`, and people put anything in Respan's `extra_kwargs` or Braintrust's
//! `metadata`. So the cache keeps only the top-level fields each kind's contract
//! (`tests/contracts/*/openapi.yaml`) documents and that are not secret, and inside them drops every
//! entry whose name looks secret, at any depth. A field wrongly hidden is still at the service;
//! a secret wrongly cached has leaked to disk and to every screen that shows details.

use serde_json::{Map, Value};

use crate::model::KeyKind;

/// Pieces of a name that mark a secret, or a map that carries one (headers hold
/// `Authorization`, cookies hold sessions). They also catch harmless names (`max_tokens`,
/// `author`, `keys_count`): inside a value those are dropped too, on purpose.
const SECRET_MARKS: [&str; 9] = ["key", "secret", "token", "passw", "credential", "auth", "header", "cookie", "bearer"];

/// Top-level names that look secret but that the contracts document as not secret and Keyward
/// shows or reads: a prefix or last four characters the preview column shows anyway, Braintrust's
/// redacted preview, when and by whom a secret changed, a use count, an auth *type*. Vouched for
/// only at the top of an object the contract describes: inside a free-form map the same name is
/// dropped like any other, as nothing there is documented.
const NOT_SECRET: [&str; 11] = [
    "key_prefix",
    "key_last4",
    "key_usage",
    "preview_secret",
    "secret_updated_at",
    "secret_updated_by_user_id",
    "secret_type",
    "secret_category",
    "auth_type",
    "stores_key_material",
    "previous_key_expires_at",
];

// Each list is the response schema's properties (for Respan and Barndoor also the create/rotate
// answers, which the same parsers read) less the secret: a create's `key` / `api_key`, and
// Barndoor's `secret_path`, which names where the secret is kept and nothing here reads.
const BRAINTRUST_API_KEY: &[&str] =
    &["id", "created", "name", "preview_name", "user_id", "user_email", "user_given_name", "user_family_name", "org_id"];
const BRAINTRUST_SERVICE_TOKEN: &[&str] =
    &["id", "created", "name", "preview_name", "service_account_id", "service_account_email", "service_account_name", "org_id"];
const BRAINTRUST_AI_SECRET: &[&str] =
    &["id", "created", "updated_at", "secret_updated_at", "org_id", "name", "type", "metadata", "secret_updated_by_user_id", "preview_secret"];
/// `project_name` is Keyward's: the scope's project, looked up by its id.
const BRAINTRUST_ENV_VAR: &[&str] = &[
    "id",
    "object_type",
    "object_id",
    "project_name",
    "name",
    "created",
    "used",
    "metadata",
    "preview_secret",
    "secret_type",
    "secret_category",
    "secret_updated_at",
    "secret_updated_by_user_id",
];
/// Never listed: Keyward writes these itself from the request it sent.
const BRAINTRUST_PROXY_CREDENTIAL: &[&str] = &["model", "ttl_seconds", "logging"];
const RESPAN_TEMP_KEY: &[&str] = &[
    "id",
    "name",
    "prefix",
    "is_test",
    "expiry_date",
    "max_usage",
    "rate_limit",
    "spending_limit",
    "created_at",
    "created",
    "revoked",
    "key_usage",
    "last_used",
    "spending_in_period",
    "is_temporary",
];
const RESPAN_PROVIDER: &[&str] = &["id", "provider_id", "provider_name", "extra_kwargs", "created_at", "updated_at"];
const BARNDOOR_GATEWAY_KEY: &[&str] = &[
    "id",
    "name",
    "kind",
    "scopes",
    "key_prefix",
    "group_name",
    "user_id",
    "org_id",
    "created_at",
    "created_by_user_id",
    "expires_at",
    "disabled_at",
    "revoked_at",
    "rotated_at",
    "previous_key_expires_at",
    "last_used_at",
];
const BARNDOOR_CREDENTIAL: &[&str] = &[
    "id",
    "name",
    "model_provider",
    "base_url",
    "auth_type",
    "key_last4",
    "stores_key_material",
    "settings",
    "org_id",
    "created_at",
    "updated_at",
    "created_by_email",
    "created_by_name",
    "created_by_user_id",
    "last_change_note",
    "last_modified_at",
    "last_modified_by_email",
    "last_modified_by_name",
    "last_modified_by_user_id",
];
const BARNDOOR_PROVIDER: &[&str] = &[
    "id",
    "name",
    "model_provider",
    "base_url",
    "auth_type",
    "connection_id",
    "catalog_id",
    "catalog_slug",
    "enabled",
    "health_status",
    "health_detail",
    "health_checked_at",
    "enforce_health_check",
    "billing_mode",
    "billing_note",
    "billing_reason",
    "model_sync_mode",
    "request_timeout_secs",
    "stream_idle_timeout_secs",
    "settings",
    "org_id",
    "created_at",
    "updated_at",
    "created_by_email",
    "created_by_name",
    "created_by_user_id",
    "last_change_note",
    "last_modified_at",
    "last_modified_by_email",
    "last_modified_by_name",
    "last_modified_by_user_id",
];

/// The top-level fields cached for a kind.
pub(crate) fn allowed(kind: KeyKind) -> &'static [&'static str] {
    match kind {
        KeyKind::BraintrustApiKey => BRAINTRUST_API_KEY,
        KeyKind::BraintrustServiceToken => BRAINTRUST_SERVICE_TOKEN,
        KeyKind::BraintrustAiSecret => BRAINTRUST_AI_SECRET,
        KeyKind::BraintrustEnvVar => BRAINTRUST_ENV_VAR,
        KeyKind::BraintrustProxyCredential => BRAINTRUST_PROXY_CREDENTIAL,
        KeyKind::RespanTempKey => RESPAN_TEMP_KEY,
        KeyKind::RespanProvider => RESPAN_PROVIDER,
        KeyKind::BarndoorGatewayKey => BARNDOOR_GATEWAY_KEY,
        KeyKind::BarndoorCredential => BARNDOOR_CREDENTIAL,
        KeyKind::BarndoorProvider => BARNDOOR_PROVIDER,
    }
}

/// Whether a name reads as a secret's. Non-ASCII characters are skipped so that an invisible
/// one (a zero-width space) cannot split a mark: `api\u{200b}key` is still a key.
pub(crate) fn looks_secret(name: &str) -> bool {
    let plain: String = name.chars().filter(char::is_ascii).map(|c| c.to_ascii_lowercase()).collect();
    SECRET_MARKS.iter().any(|mark| plain.contains(mark))
}

/// The one rule, for the cache and for the checks of it: a field is secret when its name looks
/// secret, unless it is at the top of the object and vouched for.
pub(crate) fn secret_field(name: &str, top: bool) -> bool {
    looks_secret(name) && !(top && NOT_SECRET.contains(&name))
}

/// A listed object of `kind` as cached: its allowed fields, with every secret-named entry
/// removed from their values at any depth. Anything but an object caches as `{}`.
pub(crate) fn details(kind: KeyKind, raw: Value) -> Value {
    let Value::Object(fields) = raw else { return Value::Object(Map::new()) };
    let allowed = allowed(kind);
    let kept = fields
        .into_iter()
        .filter(|(name, _)| allowed.contains(&name.as_str()) && !secret_field(name, true))
        .map(|(name, mut value)| {
            scrub(&mut value);
            (name, value)
        })
        .collect();
    Value::Object(kept)
}

fn scrub(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|name, _| !secret_field(name, false));
            map.values_mut().for_each(scrub);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub),
        _ => {}
    }
}

/// An edited free-form map (settings, metadata, extra_kwargs) with every entry the cache hid
/// from the form put back as the service holds it: the person never saw them, so sending the
/// map without them would delete them at the service.
pub(crate) fn with_hidden_kept(edited: Value, current: Option<&Value>) -> Value {
    let (Value::Object(mut edited), Some(Value::Object(current))) = (edited.clone(), current) else { return edited };
    for (name, value) in current {
        if secret_field(name, false) {
            edited.entry(name.clone()).or_insert_with(|| value.clone());
        } else if let Some(mine) = edited.get_mut(name) {
            *mine = with_hidden_kept(mine.take(), Some(value));
        }
    }
    Value::Object(edited)
}

/// Whether cached details hold a field the rule drops (the property tests and the fuzz target
/// check every parsed row with it).
pub(crate) fn holds_secret_field(v: &Value) -> bool {
    fn holds(v: &Value, top: bool) -> bool {
        match v {
            Value::Object(m) => m.iter().any(|(name, x)| secret_field(name, top) || holds(x, false)),
            Value::Array(a) => a.iter().any(|x| holds(x, false)),
            _ => false,
        }
    }
    holds(v, true)
}

#[cfg(test)]
mod kept_tests {
    use super::*;

    #[test]
    fn an_edited_map_keeps_what_the_form_never_showed() {
        let current = serde_json::json!({"timeout": 30, "max_tokens": 512, "headers": {"Authorization": "Bearer x"}, "nested": {"apiKey": "k", "region": "eu"}});
        let edited = serde_json::json!({"timeout": 60, "nested": {"region": "us"}});
        let sent = with_hidden_kept(edited, Some(&current));
        assert_eq!(
            sent,
            serde_json::json!({"timeout": 60, "max_tokens": 512, "headers": {"Authorization": "Bearer x"}, "nested": {"apiKey": "k", "region": "us"}})
        );
        // What the person could see and removed stays removed; nothing to merge is a no-op.
        assert_eq!(with_hidden_kept(serde_json::json!({}), Some(&serde_json::json!({"timeout": 30}))), serde_json::json!({}));
        assert_eq!(with_hidden_kept(serde_json::json!({"a": 1}), None), serde_json::json!({"a": 1}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Through the kind's own parser, as a sync or a create caches it.
    fn as_cached(kind: KeyKind, raw: Value) -> Value {
        crate::providers::parse::item(kind, raw.to_string().as_bytes()).unwrap().unwrap().details
    }

    #[test]
    fn secrets_spelled_any_way_are_not_cached() {
        for (name, kind) in [
            ("apiKey", KeyKind::BraintrustApiKey),
            ("access_token", KeyKind::BraintrustServiceToken),
            ("secret_access_key", KeyKind::BarndoorCredential),
            ("Authorization", KeyKind::RespanProvider),
            ("headers", KeyKind::BarndoorProvider),
            ("API_KEY", KeyKind::RespanTempKey),
            ("clientSecret", KeyKind::BarndoorGatewayKey),
            ("Password", KeyKind::BraintrustAiSecret),
        ] {
            let raw = json!({"id": "k1", "provider_id": "k1", "name": "ci", name: "sk-live-0123456789"});
            let cached = as_cached(kind, raw);
            assert!(!cached.to_string().contains("0123456789"), "{kind:?} cached {name}: {cached}");
            assert_eq!(cached["id"], "k1", "{kind:?}");
        }
    }

    #[test]
    fn a_secret_in_extra_kwargs_is_dropped_and_the_settings_kept() {
        let raw = json!({"provider_id": "p", "provider_name": "P", "extra_kwargs": {
            "base_url": "https://api.example.com/v1",
            "timeout": 30,
            "api_key": "sk-a-0123456789",
            "apiKey": "sk-b-0123456789",
            "headers": {"X-Team": "evals", "Authorization": "Bearer sk-c-0123456789"},
            "aws": {"region": "us-east-1", "secret_access_key": "sk-d-0123456789"},
        }});
        let cached = as_cached(KeyKind::RespanProvider, raw);
        assert!(!cached.to_string().contains("0123456789"), "{cached}");
        assert!(cached["extra_kwargs"].get("headers").is_none(), "a header map is dropped whole: {cached}");
        assert_eq!(cached["extra_kwargs"], json!({"base_url": "https://api.example.com/v1", "timeout": 30, "aws": {"region": "us-east-1"}}));
    }

    #[test]
    fn a_secret_in_metadata_is_dropped_at_any_depth() {
        let raw = json!({"id": "s1", "name": "OPENAI", "type": "openai", "preview_secret": "********9999", "metadata": {
            "team": "evals",
            "sessionToken": "sk-a-0123456789",
            "deploy": [{"stage": "prod", "vault": {"PASSWORD": "sk-b-0123456789", "path": "ok"}}],
            "l1": {"l2": {"l3": {"l4": {"l5": {"client_credential": "sk-c-0123456789", "kept": true}}}}},
        }});
        let cached = as_cached(KeyKind::BraintrustAiSecret, raw);
        assert!(!cached.to_string().contains("0123456789"), "{cached}");
        assert_eq!(cached["metadata"]["team"], "evals");
        assert_eq!(cached["metadata"]["deploy"][0], json!({"stage": "prod", "vault": {"path": "ok"}}));
        assert_eq!(cached["metadata"]["l1"]["l2"]["l3"]["l4"]["l5"], json!({"kept": true}));
        assert_eq!(cached["preview_secret"], "********9999", "the redacted preview is vouched for");
    }

    #[test]
    fn a_barndoor_credential_keeps_what_the_product_shows() {
        let raw = json!({"id": "c1", "name": "OpenAI", "model_provider": "openai", "base_url": "https://api.openai.com/v1",
            "auth_type": "api_key", "key_last4": "9xQz", "stores_key_material": true, "secret_path": "kv/llm-gateway/c1",
            "settings": {"organization": "org-1", "auth": {"token": "sk-0123456789"}}, "credentials": {"private_key": "-----BEGIN"}});
        let cached = as_cached(KeyKind::BarndoorCredential, raw);
        assert_eq!(
            cached,
            json!({"id": "c1", "name": "OpenAI", "model_provider": "openai", "base_url": "https://api.openai.com/v1",
                "auth_type": "api_key", "key_last4": "9xQz", "stores_key_material": true, "settings": {"organization": "org-1"}})
        );
    }

    #[test]
    fn unknown_fields_are_dropped_and_known_ones_kept() {
        let raw = json!({"id": "k1", "name": "ci", "key_prefix": "bdai_ab", "scopes": ["llm:invoke"], "rotated_at": null,
            "surprise": {"harmless": 1}, "owner_note": "hello"});
        let cached = as_cached(KeyKind::BarndoorGatewayKey, raw);
        assert_eq!(cached, json!({"id": "k1", "name": "ci", "key_prefix": "bdai_ab", "scopes": ["llm:invoke"], "rotated_at": null}));
        assert_eq!(details(KeyKind::BraintrustApiKey, json!(["not", "an", "object"])), json!({}));
    }

    #[test]
    fn a_vouched_name_counts_only_at_the_top() {
        let raw = json!({"provider_id": "p", "extra_kwargs": {"key_prefix": "sk-0123456789", "auth_type": "x"}});
        assert_eq!(details(KeyKind::RespanProvider, raw)["extra_kwargs"], json!({}));
        assert!(holds_secret_field(&json!({"extra_kwargs": {"key_prefix": "x"}})));
        assert!(!holds_secret_field(&json!({"key_prefix": "x", "list": [{"name": "n"}]})));
    }

    #[test]
    fn names_that_look_secret() {
        for name in [
            "key",
            "apiKey",
            "X-Api-Key",
            "access_token",
            "Authorization",
            "proxy_auth",
            "passwd",
            "set-cookie",
            "extra_headers",
            "client_credentials",
            "BEARER",
            "api\u{200b}key",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["id", "name", "base_url", "timeout", "organization", "region", "scopes", "team"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn every_allowed_field_survives_the_rule() {
        // A listed name the rule drops would be dead, and would hide a gap between the two lists.
        for kind in KeyKind::ALL {
            for name in allowed(kind) {
                assert!(!secret_field(name, true), "{kind:?} allows {name}, which the rule drops: vouch for it or remove it");
            }
        }
        for name in NOT_SECRET {
            assert!(looks_secret(name), "{name} needs no vouching");
            assert!(KeyKind::ALL.iter().any(|k| allowed(*k).contains(&name)), "{name} is vouched for but cached for no kind");
        }
    }

    #[test]
    fn the_checks_agree_with_the_cache() {
        let raw = json!({"id": "x", "name": "n", "metadata": {"a": {"token": 1}, "b": [{"Secret": 2}]}, "apiKey": "k",
            "preview_secret": "p", "secret_updated_at": "t"});
        assert!(holds_secret_field(&raw));
        assert!(!holds_secret_field(&details(KeyKind::BraintrustAiSecret, raw)));
    }
}
