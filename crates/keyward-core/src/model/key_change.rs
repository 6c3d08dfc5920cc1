//! Changes to an existing key, where the service allows them: Respan's patch, Barndoor's
//! credential update (a new secret reissues it), gateway-key expiry and disabling, and Braintrust
//! AI secrets' patch. Checked before anything is sent; each problem names its field.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::new_key::{future, given_key, json_object, secret_json, text, AUTH_TYPES};
use crate::model::{FieldError, KeyKind};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum KeyUpdate {
    RespanTempKey {
        #[serde(default)]
        #[ts(optional)]
        name: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        expiry_date: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        is_test: Option<bool>,
        #[serde(default)]
        #[ts(optional)]
        prefix: Option<String>,
    },
    RespanProvider {
        #[serde(default)]
        #[ts(optional)]
        provider_name: Option<String>,
        /// A new upstream key replaces the stored one.
        #[serde(default)]
        #[ts(optional, type = "string")]
        api_key: Option<SecretString>,
        #[serde(default)]
        #[ts(optional)]
        extra_kwargs: Option<String>,
    },
    BraintrustAiSecret {
        #[serde(default)]
        #[ts(optional)]
        name: Option<String>,
        #[serde(default, rename = "type")]
        #[ts(optional, rename = "type")]
        secret_type: Option<String>,
        /// A new value replaces the stored one.
        #[serde(default)]
        #[ts(optional, type = "string")]
        secret: Option<SecretString>,
        #[serde(default)]
        #[ts(optional)]
        metadata: Option<String>,
    },
    /// Braintrust's PATCH: a new name, or a new value in place of the stored one.
    BraintrustEnvVar {
        #[serde(default)]
        #[ts(optional)]
        name: Option<String>,
        #[serde(default)]
        #[ts(optional, type = "string")]
        value: Option<SecretString>,
    },
    /// A new `api_key` or `credentials` reissues the credential for every provider using it.
    BarndoorCredential {
        #[serde(default)]
        #[ts(optional)]
        name: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        base_url: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        auth_type: Option<String>,
        #[serde(default)]
        #[ts(optional, type = "string")]
        api_key: Option<SecretString>,
        #[serde(default)]
        #[ts(optional, type = "string")]
        credentials: Option<SecretString>,
        #[serde(default)]
        #[ts(optional)]
        settings: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        change_note: Option<String>,
    },
    BarndoorGatewayKey {
        /// Disable (true) or enable again (false) without reissuing the secret.
        #[serde(default)]
        #[ts(optional)]
        disabled: Option<bool>,
        /// A new expiry; with `clear_expiry` the key never expires.
        #[serde(default)]
        #[ts(optional)]
        expires_at: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        clear_expiry: Option<bool>,
    },
}

impl KeyUpdate {
    pub fn kind(&self) -> KeyKind {
        match self {
            KeyUpdate::RespanTempKey { .. } => KeyKind::RespanTempKey,
            KeyUpdate::RespanProvider { .. } => KeyKind::RespanProvider,
            KeyUpdate::BraintrustAiSecret { .. } => KeyKind::BraintrustAiSecret,
            KeyUpdate::BraintrustEnvVar { .. } => KeyKind::BraintrustEnvVar,
            KeyUpdate::BarndoorCredential { .. } => KeyKind::BarndoorCredential,
            KeyUpdate::BarndoorGatewayKey { .. } => KeyKind::BarndoorGatewayKey,
        }
    }

    pub fn problems(&self, kind: KeyKind, now: DateTime<Utc>) -> Vec<FieldError> {
        let mut errors: Vec<Error> = Vec::new();
        if self.kind() != kind {
            errors.push(Error::invalid("kind", format!("This change is for a {}, not a {}.", self.kind().label(), kind.label())));
        }
        let mut check = |r: Result<()>| errors.extend(r.err());
        match self {
            KeyUpdate::RespanTempKey { name, expiry_date, prefix, .. } => {
                check(non_empty_if_given("name", name.as_deref()));
                check(future("expiry_date", expiry_date.as_deref(), now).map(|_| ()));
                check(non_empty_if_given("prefix", prefix.as_deref()));
            }
            KeyUpdate::RespanProvider { provider_name, api_key, extra_kwargs } => {
                check(non_empty_if_given("provider_name", provider_name.as_deref()));
                check(given_key("api_key", api_key.as_ref(), false));
                check(crate::model::new_key::respan_extra_kwargs(extra_kwargs.as_deref()).map(|_| ()));
            }
            KeyUpdate::BraintrustAiSecret { name, secret_type, secret, metadata } => {
                check(non_empty_if_given("name", name.as_deref()));
                check(text("type", secret_type.as_ref(), false));
                check(given_key("secret", secret.as_ref(), false));
                check(json_object("metadata", metadata.as_deref()).map(|_| ()));
            }
            KeyUpdate::BraintrustEnvVar { name, value } => {
                if let Some(n) = name {
                    check(crate::model::env_var::check_name("name", n));
                }
                check(crate::model::env_var::check_value("value", value.as_ref(), false));
                if name.is_none() && value.as_ref().is_none_or(|v| secrecy::ExposeSecret::expose_secret(v).trim().is_empty()) {
                    check(Err(Error::invalid("value", "Nothing to change: give a new name or a new value.")));
                }
            }
            KeyUpdate::BarndoorCredential { name, base_url, auth_type, api_key, credentials, settings, change_note } => {
                check(non_empty_if_given("name", name.as_deref()));
                check(given_key("api_key", api_key.as_ref(), false));
                check(secret_json("credentials", credentials.as_ref()));
                check(text("change_note", change_note.as_ref(), false));
                if let Some(url) = base_url {
                    check(crate::model::host::normalize(url).map(|_| ()).map_err(|e| Error::invalid("base_url", e.message)));
                }
                if let Some(a) = auth_type.as_deref().filter(|a| !AUTH_TYPES.contains(a)) {
                    check(Err(Error::invalid("auth_type", format!("'{}' is not one of: {}.", crate::model::rules::clip(a), AUTH_TYPES.join(", ")))));
                }
                check(json_object("settings", settings.as_deref()).map(|_| ()));
            }
            KeyUpdate::BarndoorGatewayKey { disabled, expires_at, clear_expiry } => {
                check(future("expires_at", expires_at.as_deref(), now).map(|_| ()));
                if disabled.is_none() && expires_at.is_none() && !clear_expiry.unwrap_or(false) {
                    check(Err(Error::invalid("disabled", "Nothing to change: disable, enable, or set an expiry.")));
                }
            }
        }
        errors.into_iter().map(|e| FieldError { field: e.field.unwrap_or_default(), message: e.message }).collect()
    }
}

/// A field left out is unchanged; a field given must be a proper value (a name cannot be blanked).
fn non_empty_if_given(field: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => text(field, Some(&v.to_string()), true),
        None => Ok(()),
    }
}

/// A grace period `kind` takes: none for a kind whose previous secret always stops at once, up
/// to its maximum otherwise.
pub fn check_grace_period(kind: KeyKind, secs: u32) -> Result<()> {
    match kind.reissue_grace_max_secs() {
        _ if secs == 0 => Ok(()),
        None => Err(Error::invalid(
            "grace_period_secs",
            format!("Only a Barndoor gateway key keeps its previous secret working; this is a {}.", kind.label()),
        )),
        Some(max) if secs > max => {
            Err(Error::invalid("grace_period_secs", format!("The previous secret can keep working for at most {} days ({max} s).", max / 86_400)))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_checked_per_field() {
        let now: DateTime<Utc> = "2026-11-24T12:00:00Z".parse().unwrap();
        let respan = KeyUpdate::RespanTempKey { name: Some(" ".into()), expiry_date: Some("2020-01-01".into()), is_test: None, prefix: None };
        let fields: Vec<String> = respan.problems(KeyKind::RespanTempKey, now).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "expiry_date"]);
        let nothing = KeyUpdate::BarndoorGatewayKey { disabled: None, expires_at: None, clear_expiry: None };
        assert_eq!(nothing.problems(KeyKind::BarndoorGatewayKey, now)[0].field, "disabled");
        let wrong = KeyUpdate::BarndoorGatewayKey { disabled: Some(true), expires_at: None, clear_expiry: None };
        assert_eq!(wrong.problems(KeyKind::RespanTempKey, now)[0].field, "kind");
    }
}
