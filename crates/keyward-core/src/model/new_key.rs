//! What a person asks to mint, with every limit the service takes, and the checks made before
//! anything is sent. Each problem names its form field.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::env_var::EnvVarScope;
pub(crate) use crate::model::rules::text;
use crate::model::time::parse_timestamp;
use crate::model::{FieldError, KeyKind, Service};

pub const PROXY_TTL_DEFAULT: u32 = 600;
pub const PROXY_TTL_MAX: u32 = 86_400;

/// Barndoor's upstream providers, as its API names them.
pub const MODEL_PROVIDERS: [&str; 16] = [
    "openai",
    "anthropic",
    "azure_openai",
    "google_ai",
    "bedrock",
    "vertex",
    "groq",
    "together",
    "mistral",
    "cohere",
    "xai",
    "fireworks",
    "perplexity",
    "openrouter",
    "deepseek",
    "custom",
];
/// The auth types the docs list; the server decides when none is sent.
pub const AUTH_TYPES: [&str; 8] =
    ["api_key", "aws_role", "aws_keys", "bedrock_api_key", "google_adc", "google_service_account", "google_impersonation", "oauth_passthrough"];

/// What a Barndoor gateway key may do and who it acts for: a user (by id or by email) or an IdP
/// group, not both. Every field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct GatewayAccess {
    #[serde(default)]
    #[ts(optional)]
    pub scopes: Option<Vec<String>>,
    /// The user the key acts for, by Barndoor id (a UUID).
    #[serde(default)]
    #[ts(optional)]
    pub user_id: Option<String>,
    /// Or by email.
    #[serde(default)]
    #[ts(optional)]
    pub user_email: Option<String>,
    /// An IdP group whose budgets, rate limits and model policies the key shares.
    #[serde(default)]
    #[ts(optional)]
    pub group_name: Option<String>,
}

/// At most this many scopes on a key, each at most `MAX_SCOPE` characters.
const MAX_SCOPES: usize = 50;
const MAX_SCOPE: usize = 100;

impl GatewayAccess {
    fn given(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn user_id(&self) -> Option<&str> {
        Self::given(&self.user_id)
    }

    pub fn user_email(&self) -> Option<&str> {
        Self::given(&self.user_email)
    }

    pub fn group_name(&self) -> Option<&str> {
        Self::given(&self.group_name)
    }

    /// The scopes as sent: trimmed, empty ones dropped.
    pub fn scopes(&self) -> Vec<&str> {
        self.scopes.iter().flatten().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()
    }

    fn problems(&self, check: &mut dyn FnMut(Result<()>)) {
        let scopes = self.scopes();
        if scopes.len() > MAX_SCOPES {
            check(Err(Error::invalid("scopes", format!("At most {MAX_SCOPES} scopes."))));
        }
        for (i, scope) in scopes.iter().enumerate() {
            if scope.chars().count() > MAX_SCOPE || scope.chars().any(|c| c.is_whitespace() || crate::model::rules::is_hidden_control(c)) {
                check(Err(Error::invalid(
                    "scopes",
                    format!(
                        "“{}” is not a scope: no spaces or control characters, at most {MAX_SCOPE} characters.",
                        crate::model::rules::clip(scope)
                    ),
                )));
                break;
            }
            if scopes[..i].contains(scope) {
                check(Err(Error::invalid("scopes", format!("{} is given twice.", crate::model::rules::clip(scope)))));
                break;
            }
        }
        if let Some(id) = self.user_id() {
            if uuid::Uuid::parse_str(id).is_err() {
                check(Err(Error::invalid("user_id", "A Barndoor user id is a UUID, e.g. 0b6c3c8e-8a0e-4a38-9a43-6f1c1d1e0b01.")));
            }
        }
        if let Some(email) = self.user_email() {
            let well_formed = email.len() <= 254
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && email
                    .split_once('@')
                    .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
            if !well_formed {
                check(Err(Error::invalid("user_email", "This is not an email address.")));
            }
        }
        if self.user_id().is_some() && self.user_email().is_some() {
            check(Err(Error::invalid("user_email", "Name the user once: by id or by email, not both.")));
        }
        if let Some(group) = self.group_name() {
            check(text("group_name", Some(&group.to_string()), true));
            if self.user_id().is_some() || self.user_email().is_some() {
                check(Err(Error::invalid("group_name", "A key acts for a user or for a group, not both.")));
            }
        }
    }
}

/// `Debug` is derived: secret fields are `SecretString`, which prints as redacted.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum NewKey {
    BraintrustApiKey {
        name: String,
    },
    BraintrustProxyCredential {
        /// A model name; all models when left out.
        #[serde(default)]
        #[ts(optional)]
        model: Option<String>,
        /// 1 to `PROXY_TTL_MAX`; `PROXY_TTL_DEFAULT` when left out.
        #[serde(default)]
        #[ts(optional)]
        ttl_seconds: Option<u32>,
        /// A Braintrust project to log the credential's calls to.
        #[serde(default)]
        #[ts(optional)]
        logging_project: Option<String>,
    },
    BraintrustServiceToken {
        name: String,
        /// The service account the token acts as (Settings → Service tokens in Braintrust).
        service_account_id: String,
        /// Replace the token of the same name (PUT) instead of adding another.
        #[serde(default)]
        #[ts(optional)]
        replace_existing: Option<bool>,
    },
    BraintrustAiSecret {
        name: String,
        /// The provider it is for, e.g. "openai".
        #[serde(default, rename = "type")]
        #[ts(optional, rename = "type")]
        secret_type: Option<String>,
        /// The upstream key, given by the user; sent once, never stored.
        #[ts(type = "string")]
        secret: SecretString,
        /// A JSON object of non-secret metadata.
        #[serde(default)]
        #[ts(optional)]
        metadata: Option<String>,
        /// Replace the AI secret of the same name (PUT) instead of failing.
        #[serde(default)]
        #[ts(optional)]
        replace_existing: Option<bool>,
    },
    BraintrustEnvVar {
        /// The variable's name, as the function or project reads it.
        name: String,
        object_type: EnvVarScope,
        /// The project's or function's id; left out for the organization (the token's own).
        #[serde(default)]
        #[ts(optional)]
        object_id: Option<String>,
        /// Given by the user; sent once, never stored.
        #[ts(type = "string")]
        value: SecretString,
        /// e.g. the AI provider it is a key for ("openai").
        #[serde(default)]
        #[ts(optional)]
        secret_type: Option<String>,
        /// Replace the value of the variable of the same name and scope (PUT) instead of failing.
        #[serde(default)]
        #[ts(optional)]
        replace_existing: Option<bool>,
    },
    RespanTempKey {
        #[serde(default)]
        #[ts(optional)]
        name: Option<String>,
        /// ISO 8601; must be in the future.
        #[serde(default)]
        #[ts(optional)]
        expiry_date: Option<String>,
        /// -1 for unlimited.
        #[serde(default)]
        #[ts(optional, type = "number")]
        max_usage: Option<i64>,
        /// Calls per minute.
        #[serde(default)]
        #[ts(optional, type = "number")]
        rate_limit: Option<i64>,
        /// US dollars.
        #[serde(default)]
        #[ts(optional)]
        spending_limit: Option<f64>,
        #[serde(default)]
        #[ts(optional)]
        is_test: Option<bool>,
    },
    RespanProvider {
        /// Unique in the organization, e.g. "my-openai".
        provider_id: String,
        provider_name: String,
        /// The upstream key, given by the user; sent once, never stored.
        #[ts(type = "string")]
        api_key: SecretString,
        /// A JSON object of configuration such as `base_url` and timeouts (never a secret).
        #[serde(default)]
        #[ts(optional)]
        extra_kwargs: Option<String>,
    },
    BarndoorGatewayKey {
        name: String,
        /// ISO 8601; must be in the future. Never expires when left out.
        #[serde(default)]
        #[ts(optional)]
        expires_at: Option<String>,
        #[serde(flatten)]
        #[ts(flatten)]
        access: GatewayAccess,
    },
    BarndoorCredential {
        name: String,
        model_provider: String,
        base_url: String,
        /// Left out: the server picks the provider's default.
        #[serde(default)]
        #[ts(optional)]
        auth_type: Option<String>,
        /// The upstream key, given by the user; sent once, never stored.
        #[serde(default)]
        #[ts(optional, type = "string")]
        api_key: Option<SecretString>,
        /// A JSON object of secret fields (AWS keys, a service-account key); sent once, never stored.
        #[serde(default)]
        #[ts(optional, type = "string")]
        credentials: Option<SecretString>,
        /// A JSON object of non-secret settings (region, project id…).
        #[serde(default)]
        #[ts(optional)]
        settings: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        change_note: Option<String>,
    },
}

impl NewKey {
    pub fn kind(&self) -> KeyKind {
        match self {
            NewKey::BraintrustApiKey { .. } => KeyKind::BraintrustApiKey,
            NewKey::BraintrustProxyCredential { .. } => KeyKind::BraintrustProxyCredential,
            NewKey::BraintrustServiceToken { .. } => KeyKind::BraintrustServiceToken,
            NewKey::BraintrustAiSecret { .. } => KeyKind::BraintrustAiSecret,
            NewKey::BraintrustEnvVar { .. } => KeyKind::BraintrustEnvVar,
            NewKey::RespanTempKey { .. } => KeyKind::RespanTempKey,
            NewKey::RespanProvider { .. } => KeyKind::RespanProvider,
            NewKey::BarndoorGatewayKey { .. } => KeyKind::BarndoorGatewayKey,
            NewKey::BarndoorCredential { .. } => KeyKind::BarndoorCredential,
        }
    }

    /// What the audit log and messages call the new key.
    pub fn display_name(&self) -> String {
        match self {
            NewKey::BraintrustApiKey { name } => name.trim().to_string(),
            NewKey::BraintrustProxyCredential { model, .. } => proxy_name(model.as_deref()),
            NewKey::RespanTempKey { name, .. } => name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("(unnamed)").to_string(),
            NewKey::RespanProvider { provider_name, .. } => provider_name.trim().to_string(),
            NewKey::BarndoorGatewayKey { name, .. }
            | NewKey::BarndoorCredential { name, .. }
            | NewKey::BraintrustServiceToken { name, .. }
            | NewKey::BraintrustAiSecret { name, .. }
            | NewKey::BraintrustEnvVar { name, .. } => name.trim().to_string(),
        }
    }

    /// Every problem at once, so a form can show them all. `now` decides what "in the past" means.
    pub fn problems(&self, service: Service, now: DateTime<Utc>) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut check = |r: Result<()>| {
            if let Err(e) = r {
                out.push(FieldError { field: e.field.unwrap_or_default(), message: e.message });
            }
        };
        if self.kind().service() != service {
            check(Err(Error::invalid(
                "kind",
                format!("A {} can only be created on a {} account.", self.kind().label(), self.kind().service().display_name()),
            )));
        }
        match self {
            NewKey::BraintrustApiKey { name } => check(text("name", Some(name), true)),
            NewKey::BraintrustProxyCredential { model, ttl_seconds, logging_project } => {
                check(text("model", model.as_ref(), false));
                check(ttl(*ttl_seconds));
                check(text("logging_project", logging_project.as_ref(), false));
            }
            NewKey::BraintrustServiceToken { name, service_account_id, .. } => {
                check(text("name", Some(name), true));
                check(text("service_account_id", Some(service_account_id), true));
            }
            NewKey::BraintrustAiSecret { name, secret_type, secret, metadata, .. } => {
                check(text("name", Some(name), true));
                check(text("type", secret_type.as_ref(), false));
                check(given_key("secret", Some(secret), true));
                check(json_object("metadata", metadata.as_deref()).map(|_| ()));
            }
            NewKey::BraintrustEnvVar { name, object_type, object_id, value, secret_type, .. } => {
                check(crate::model::env_var::check_name("name", name));
                check(crate::model::env_var::check_object(*object_type, object_id.as_deref()));
                check(crate::model::env_var::check_value("value", Some(value), true));
                check(text("secret_type", secret_type.as_ref(), false));
            }
            NewKey::RespanTempKey { name, expiry_date, max_usage, rate_limit, spending_limit, .. } => {
                check(text("name", name.as_ref(), false));
                check(expiry(expiry_date.as_deref(), now).map(|_| ()));
                check(usage(*max_usage));
                check(rate(*rate_limit));
                check(spend(*spending_limit));
            }
            NewKey::RespanProvider { provider_id, provider_name, api_key, extra_kwargs } => {
                check(slug("provider_id", provider_id));
                check(text("provider_name", Some(provider_name), true));
                check(given_key("api_key", Some(api_key), true));
                check(respan_extra_kwargs(extra_kwargs.as_deref()).map(|_| ()));
            }
            NewKey::BarndoorGatewayKey { name, expires_at, access } => {
                check(text("name", Some(name), true));
                check(future("expires_at", expires_at.as_deref(), now).map(|_| ()));
                access.problems(&mut check);
            }
            NewKey::BarndoorCredential { name, model_provider, base_url, auth_type, api_key, credentials, settings, change_note } => {
                check(text("name", Some(name), true));
                check(one_of("model_provider", Some(model_provider), &MODEL_PROVIDERS, true));
                check(crate::model::host::normalize(base_url).map(|_| ()).map_err(|e| Error::invalid("base_url", e.message)));
                check(one_of("auth_type", auth_type.as_ref(), &AUTH_TYPES, false));
                check(credential_secret(model_provider, auth_type.as_deref(), api_key.as_ref(), credentials.as_ref()));
                check(json_object("settings", settings.as_deref()).map(|_| ()));
                check(text("change_note", change_note.as_ref(), false));
            }
        }
        out
    }

    /// The first problem as an error, for callers that act rather than show a form.
    pub fn check(&self, service: Service, now: DateTime<Utc>) -> Result<()> {
        match self.problems(service, now).into_iter().next() {
            Some(p) => Err(Error::invalid(&p.field, p.message)),
            None => Ok(()),
        }
    }
}

pub fn proxy_name(model: Option<&str>) -> String {
    match model.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => format!("Proxy credential · {m}"),
        None => "Proxy credential · all models".into(),
    }
}

/// An identifier that goes into a URL path: letters, digits, `-` and `_`.
fn slug(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, "This cannot be empty."));
    }
    if v.len() > 100 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Error::invalid(field, "Use up to 100 letters, digits, '-' or '_'."));
    }
    Ok(())
}

fn ttl(value: Option<u32>) -> Result<()> {
    match value {
        Some(t) if t == 0 || t > PROXY_TTL_MAX => {
            Err(Error::invalid("ttl_seconds", format!("A proxy credential lives 1 to {PROXY_TTL_MAX} seconds (24 hours); {t} is outside that.")))
        }
        _ => Ok(()),
    }
}

/// The expiry as a time, if one was given.
pub fn expiry(value: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    future("expiry_date", value, now)
}

pub fn future(field: &str, value: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let when = parse_timestamp(raw).ok_or_else(|| {
        Error::invalid(field, format!("'{}' is not a date; use a form like 2026-12-31 or 2026-12-31T18:00:00Z.", crate::model::rules::clip(raw)))
    })?;
    if when <= now {
        return Err(Error::invalid(field, "The expiry date is in the past; pick a later one."));
    }
    Ok(Some(when))
}

fn one_of(field: &str, value: Option<&String>, allowed: &[&str], required: bool) -> Result<()> {
    match value.map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None if required => Err(Error::invalid(field, "Pick one.")),
        None => Ok(()),
        Some(v) if allowed.contains(&v) => Ok(()),
        Some(v) => Err(Error::invalid(field, format!("'{}' is not one of: {}.", crate::model::rules::clip(v), allowed.join(", ")))),
    }
}

/// The auth type the server uses when none is sent.
pub fn default_auth_type(model_provider: &str) -> &'static str {
    match model_provider {
        "bedrock" => "aws_role",
        "vertex" => "google_adc",
        _ => "api_key",
    }
}

/// The auth types whose secret is one API key (the `api_key` field).
pub fn auth_takes_key(auth: &str) -> bool {
    matches!(auth, "api_key" | "bedrock_api_key")
}

/// The auth types that cannot work without their fields in `credentials`.
pub fn auth_needs_credentials(auth: &str) -> bool {
    matches!(auth, "aws_role" | "aws_keys" | "google_service_account" | "google_impersonation")
}

/// Which secret a credential needs depends on how it authenticates upstream.
fn credential_secret(provider: &str, auth_type: Option<&str>, api_key: Option<&SecretString>, credentials: Option<&SecretString>) -> Result<()> {
    let auth = auth_type.map(str::trim).filter(|a| !a.is_empty()).unwrap_or_else(|| default_auth_type(provider));
    let key = api_key.map(|k| k.expose_secret().trim()).unwrap_or("");
    if let Some(c) = credentials.filter(|c| !c.expose_secret().trim().is_empty()) {
        secret_json("credentials", Some(c))?;
    } else if auth_needs_credentials(auth) {
        return Err(Error::invalid("credentials", format!("A {auth} credential needs its fields as a JSON object.")));
    }
    let _ = key;
    given_key("api_key", api_key, auth_takes_key(auth))
}

/// A JSON object of secret fields. The parse error would quote the text, and the text is secret:
/// the message says only where it broke.
pub(crate) fn secret_json(field: &str, value: Option<&SecretString>) -> Result<()> {
    let Some(raw) = value.map(|c| c.expose_secret().trim()).filter(|c| !c.is_empty()) else {
        return Ok(());
    };
    if raw.len() > MAX_JSON {
        return Err(Error::invalid(field, format!("Keep this under {} KB.", MAX_JSON / 1024)));
    }
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(Error::invalid(field, "Credentials must be a JSON object, like {\"iam_role_arn\": \"…\"}.")),
        Err(e) => Err(Error::invalid(field, format!("The credentials are not valid JSON (line {}, column {}).", e.line(), e.column()))),
    }
}

/// A key the user pastes: one line of visible ASCII. The message never quotes it.
pub(crate) fn given_key(field: &str, value: Option<&SecretString>, required: bool) -> Result<()> {
    let key = value.map(|k| k.expose_secret().trim()).unwrap_or("");
    if key.is_empty() {
        return if required { Err(Error::invalid(field, "Paste the upstream API key.")) } else { Ok(()) };
    }
    if key.len() > 8192 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(field, "An API key has no spaces, line breaks or non-ASCII characters; check what was pasted."));
    }
    Ok(())
}

/// Respan's provider configuration: a JSON object whose `base_url`, where given, is where
/// Respan sends the upstream key, so it obeys the same https rule as an account's host.
pub fn respan_extra_kwargs(value: Option<&str>) -> Result<Option<serde_json::Value>> {
    let parsed = json_object("extra_kwargs", value)?;
    if let Some(url) = parsed.as_ref().and_then(|v| v.get("base_url")) {
        let Some(url) = url.as_str() else {
            return Err(Error::invalid("extra_kwargs", "base_url must be an address in quotes, like \"https://api.openai.com/v1\"."));
        };
        crate::model::host::normalize(url).map_err(|e| Error::invalid("extra_kwargs", format!("base_url: {}", e.message)))?;
    }
    Ok(parsed)
}

/// Settings and metadata are small; anything larger is a paste gone wrong.
const MAX_JSON: usize = 8 * 1024;

/// Parses an optional JSON-object field.
pub fn json_object(field: &str, value: Option<&str>) -> Result<Option<serde_json::Value>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if raw.len() > MAX_JSON {
        return Err(Error::invalid(field, format!("Keep this under {} KB.", MAX_JSON / 1024)));
    }
    match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(Some(v)),
        Ok(_) => Err(Error::invalid(field, "This must be a JSON object, like {\"region\": \"us-east-1\"}.")),
        Err(e) => Err(Error::invalid(field, format!("This is not valid JSON: {e}."))),
    }
}

fn usage(value: Option<i64>) -> Result<()> {
    match value {
        Some(n) if n != -1 && n < 1 => Err(Error::invalid("max_usage", "Allow at least 1 use, or -1 for unlimited.")),
        _ => Ok(()),
    }
}

fn rate(value: Option<i64>) -> Result<()> {
    match value {
        Some(n) if n < 1 => Err(Error::invalid("rate_limit", "A rate limit is at least 1 call a minute; leave it empty for none.")),
        _ => Ok(()),
    }
}

fn spend(value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 => {
            Err(Error::invalid("spending_limit", "A spending limit is a positive amount of US dollars; leave it empty for none."))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-24T12:00:00Z".parse().unwrap()
    }

    fn respan(expiry: Option<&str>, max_usage: Option<i64>, rate: Option<i64>, spend: Option<f64>) -> NewKey {
        NewKey::RespanTempKey {
            name: Some("ci".into()),
            expiry_date: expiry.map(Into::into),
            max_usage,
            rate_limit: rate,
            spending_limit: spend,
            is_test: None,
        }
    }

    fn fields(k: &NewKey, s: Service) -> Vec<String> {
        k.problems(s, now()).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn proxy_ttl_bounds() {
        let p = |t| NewKey::BraintrustProxyCredential { model: None, ttl_seconds: t, logging_project: None };
        assert!(fields(&p(Some(1)), Service::Braintrust).is_empty());
        assert!(fields(&p(Some(86_400)), Service::Braintrust).is_empty());
        assert!(fields(&p(None), Service::Braintrust).is_empty());
        assert_eq!(fields(&p(Some(0)), Service::Braintrust), ["ttl_seconds"]);
        assert_eq!(fields(&p(Some(90_000)), Service::Braintrust), ["ttl_seconds"]);
    }

    #[test]
    fn respan_limits() {
        assert!(fields(&respan(Some("2026-12-31"), Some(-1), Some(60), Some(12.5)), Service::Respan).is_empty());
        assert_eq!(fields(&respan(Some("2025-01-01"), None, None, None), Service::Respan), ["expiry_date"]);
        assert_eq!(fields(&respan(Some("soon"), None, None, None), Service::Respan), ["expiry_date"]);
        assert_eq!(fields(&respan(None, Some(0), None, None), Service::Respan), ["max_usage"]);
        assert_eq!(fields(&respan(None, Some(-2), None, None), Service::Respan), ["max_usage"]);
        assert_eq!(fields(&respan(None, None, Some(0), None), Service::Respan), ["rate_limit"]);
        assert_eq!(fields(&respan(None, None, None, Some(-1.0)), Service::Respan), ["spending_limit"]);
        assert_eq!(fields(&respan(None, None, None, Some(f64::NAN)), Service::Respan), ["spending_limit"]);
    }

    #[test]
    fn names_and_services() {
        let empty = NewKey::BraintrustApiKey { name: "  ".into() };
        assert_eq!(fields(&empty, Service::Braintrust), ["name"]);
        let long = NewKey::BraintrustApiKey { name: "x".repeat(10_000) };
        assert_eq!(fields(&long, Service::Braintrust), ["name"]);
        let wrong_account = NewKey::BraintrustApiKey { name: "ok".into() };
        assert_eq!(fields(&wrong_account, Service::Respan), ["kind"]);
    }

    fn credential(provider: &str, auth: Option<&str>, key: Option<&str>, creds: Option<&str>) -> NewKey {
        NewKey::BarndoorCredential {
            name: "OpenAI Production".into(),
            model_provider: provider.into(),
            base_url: "https://api.openai.com/v1".into(),
            auth_type: auth.map(Into::into),
            api_key: key.map(|k| SecretString::from(k.to_string())),
            credentials: creds.map(|c| SecretString::from(c.to_string())),
            settings: None,
            change_note: None,
        }
    }

    #[test]
    fn barndoor_credentials_need_the_right_secret() {
        let b = Service::Barndoor;
        assert!(fields(&credential("openai", None, Some("sk-x"), None), b).is_empty());
        assert_eq!(fields(&credential("openai", None, None, None), b), ["api_key"]);
        assert!(fields(&credential("bedrock", None, None, Some(r#"{"iam_role_arn":"arn:aws:iam::1:role/x","external_id":"e"}"#)), b).is_empty());
        assert_eq!(fields(&credential("bedrock", Some("aws_role"), None, None), b), ["credentials"]);
        assert_eq!(fields(&credential("vertex", Some("google_service_account"), None, Some("{not json")), b), ["credentials"]);
        assert_eq!(fields(&credential("nope", None, Some("k"), None), b), ["model_provider"]);
        assert_eq!(fields(&credential("openai", Some("magic"), Some("k"), None), b), ["auth_type"]);
        let err = credential("vertex", Some("google_service_account"), None, Some("{\"private_key\": \"SECRETPEM")).problems(b, now());
        assert!(!err[0].message.contains("SECRETPEM"), "a parse error never quotes the secret");
        let mut bad_url = credential("openai", None, Some("k"), None);
        if let NewKey::BarndoorCredential { base_url, .. } = &mut bad_url {
            *base_url = "http://api.openai.com".into();
        }
        assert_eq!(fields(&bad_url, b), ["base_url"]);
    }

    #[test]
    fn gateway_key_expiry() {
        let k = |e: &str| NewKey::BarndoorGatewayKey { name: "svc".into(), expires_at: Some(e.into()), access: Default::default() };
        assert!(fields(&k("2030-01-01"), Service::Barndoor).is_empty());
        assert_eq!(fields(&k("2020-01-01"), Service::Barndoor), ["expires_at"]);
    }

    #[test]
    fn debug_of_a_request_hides_given_secrets() {
        let text = format!("{:?}", credential("openai", None, Some("sk-very-secret"), Some("{\"a\":\"creds-secret\"}")));
        assert!(!text.contains("sk-very-secret") && !text.contains("creds-secret"), "{text}");
    }

    #[test]
    fn parses_from_the_window_json() {
        let k: NewKey = serde_json::from_str(r#"{"kind":"respan_temp_key","max_usage":100}"#).unwrap();
        assert_eq!(k.kind(), KeyKind::RespanTempKey);
        assert!(serde_json::from_str::<NewKey>(r#"{"kind":"respan_temp_key","max_usage":"lots"}"#).is_err());
        assert!(serde_json::from_str::<NewKey>(r#"{"kind":"nope"}"#).is_err());
    }

    #[test]
    fn one_hidden_character_rule_for_key_names_and_account_labels() {
        for mark in ['\u{200e}', '\u{200f}', '\u{061c}', '\u{202e}', '\u{2067}'] {
            let name = format!("prod{mark}uction");
            assert_eq!(text("name", Some(&name), true).unwrap_err().field.as_deref(), Some("name"), "{mark:?}");
            assert!(crate::model::account_rules::label(&name).is_err(), "{mark:?}");
        }
    }

    #[test]
    fn a_respan_provider_base_url_obeys_the_https_rule() {
        let with = |url: &str| respan_extra_kwargs(Some(&format!(r#"{{"base_url": "{url}", "timeout": 30}}"#)));
        assert!(with("https://api.openai.com/v1").is_ok());
        assert!(with("http://127.0.0.1:9000").is_ok());
        for bad in ["http://api.openai.com/v1", "http://localhost:1", "ftp://x.y", "https://u:p@x.y"] {
            let err = with(bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("extra_kwargs"), "{bad}");
            assert!(err.message.starts_with("base_url: "), "{}", err.message);
        }
        assert_eq!(respan_extra_kwargs(Some(r#"{"base_url": 5}"#)).unwrap_err().field.as_deref(), Some("extra_kwargs"));
        assert!(respan_extra_kwargs(Some(r#"{"timeout": 30}"#)).unwrap().is_some());
    }
}
