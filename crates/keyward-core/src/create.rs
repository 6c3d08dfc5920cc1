//! What a person asks to mint, with every limit the service takes, and the checks made before
//! anything is sent. Each problem names its form field.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{FieldError, KeyKind, Service};
use crate::time::parse_timestamp;

pub const PROXY_TTL_DEFAULT: u32 = 600;
pub const PROXY_TTL_MAX: u32 = 86_400;
const MAX_NAME: usize = 200;

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
        /// 1 to 86,400; 600 when left out.
        #[serde(default)]
        #[ts(optional)]
        ttl_seconds: Option<u32>,
        /// A Braintrust project to log the credential's calls to.
        #[serde(default)]
        #[ts(optional)]
        logging_project: Option<String>,
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
}

impl NewKey {
    pub fn kind(&self) -> KeyKind {
        match self {
            NewKey::BraintrustApiKey { .. } => KeyKind::BraintrustApiKey,
            NewKey::BraintrustProxyCredential { .. } => KeyKind::BraintrustProxyCredential,
            NewKey::RespanTempKey { .. } => KeyKind::RespanTempKey,
        }
    }

    /// What the audit log and messages call the new key.
    pub fn display_name(&self) -> String {
        match self {
            NewKey::BraintrustApiKey { name } => name.trim().to_string(),
            NewKey::BraintrustProxyCredential { model, .. } => proxy_name(model.as_deref()),
            NewKey::RespanTempKey { name, .. } => {
                name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or("(unnamed)").to_string()
            }
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
            NewKey::RespanTempKey { name, expiry_date, max_usage, rate_limit, spending_limit, .. } => {
                check(text("name", name.as_ref(), false));
                check(expiry(expiry_date.as_deref(), now).map(|_| ()));
                check(usage(*max_usage));
                check(rate(*rate_limit));
                check(spend(*spending_limit));
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

fn text(field: &str, value: Option<&String>, required: bool) -> Result<()> {
    let v = value.map(|s| s.trim()).unwrap_or("");
    if v.is_empty() {
        return if required { Err(Error::invalid(field, "This cannot be empty.")) } else { Ok(()) };
    }
    if v.chars().count() > MAX_NAME {
        return Err(Error::invalid(field, format!("Keep this under {MAX_NAME} characters.")));
    }
    if v.chars().any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
        return Err(Error::invalid(field, "This contains control or text-direction characters."));
    }
    Ok(())
}

fn ttl(value: Option<u32>) -> Result<()> {
    match value {
        Some(t) if t == 0 || t > PROXY_TTL_MAX => Err(Error::invalid(
            "ttl_seconds",
            format!("A proxy credential lives 1 to {PROXY_TTL_MAX} seconds (24 hours); {t} is outside that."),
        )),
        _ => Ok(()),
    }
}

/// The expiry as a time, if one was given.
pub fn expiry(value: Option<&str>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let when = parse_timestamp(raw)
        .ok_or_else(|| Error::invalid("expiry_date", format!("'{raw}' is not a date; use a form like 2026-12-31 or 2026-12-31T18:00:00Z.")))?;
    if when <= now {
        return Err(Error::invalid("expiry_date", "The expiry date is in the past; pick a later one."));
    }
    Ok(Some(when))
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

    #[test]
    fn parses_from_the_window_json() {
        let k: NewKey = serde_json::from_str(r#"{"kind":"respan_temp_key","max_usage":100}"#).unwrap();
        assert_eq!(k.kind(), KeyKind::RespanTempKey);
        assert!(serde_json::from_str::<NewKey>(r#"{"kind":"respan_temp_key","max_usage":"lots"}"#).is_err());
        assert!(serde_json::from_str::<NewKey>(r#"{"kind":"nope"}"#).is_err());
    }
}
