//! Respan: temporary keys under `/api/temporary-keys/` (every path ends with a slash). Lists come
//! as a bare array, or as a `{results, next}` page in the legacy shape.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::Api;
use super::{CreateError, Listing, PageProgress, Provider};
use crate::error::{Error, ErrorCode, Result};
use crate::model::new_key::{expiry, NewKey};
use crate::model::secret::MintedSecret;
use crate::model::time::parse_timestamp;
use crate::model::{KeyKind, KeyLimits, Minted, RemoteKey};

const KEYS: &str = "/api/temporary-keys/";
const PROVIDERS: &str = "/api/providers/";

pub struct Respan {
    api: Api,
}

impl Respan {
    pub fn new(api: Api) -> Self {
        Respan { api }
    }

    async fn all_keys(&self, progress: PageProgress<'_>) -> Result<Vec<RemoteKey>> {
        self.all_of(KEYS, to_remote, progress, 0, &mut 0).await
    }

    /// Every item of one list, following the legacy `next` pages when the answer has them.
    async fn all_of(
        &self,
        path: &str,
        parse: fn(Value) -> Result<RemoteKey>,
        progress: PageProgress<'_>,
        pages_before: u32,
        skipped: &mut u32,
    ) -> Result<Vec<RemoteKey>> {
        let mut keys = Vec::new();
        let mut page = 1u32;
        let mut query: Vec<(&str, String)> = Vec::new();
        loop {
            let before = keys.len();
            let body: Value = self.api.get_json(path, &query).await?;
            let (items, next) = match body {
                Value::Array(items) => (items, None),
                Value::Object(mut map) => {
                    let items = match map.remove("results") {
                        Some(Value::Array(items)) => items,
                        _ => return Err(Error::new(ErrorCode::Provider, "Respan answered a list without a list of items.")),
                    };
                    (items, map.get("next").and_then(Value::as_str).and_then(next_page))
                }
                _ => return Err(Error::new(ErrorCode::Provider, "Respan answered a list with something that is not a list.")),
            };
            for raw in items {
                match parse(raw) {
                    Ok(key) => keys.push(key),
                    Err(_) => *skipped += 1,
                }
            }
            progress(pages_before + page, &keys[before..]);
            match next {
                Some(n) if page < 10_000 => {
                    query = vec![("page", n.to_string())];
                    page += 1;
                }
                _ => return Ok(keys),
            }
        }
    }
}

/// The legacy `next` link carries `?page=N`; only the number is followed, never another host.
pub(crate) fn next_page(url: &str) -> Option<u32> {
    let parsed = url::Url::parse(url).ok()?;
    let page = parsed.query_pairs().find(|(k, _)| k == "page")?.1;
    page.parse().ok()
}

#[derive(Deserialize)]
struct TempKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    is_test: Option<bool>,
    #[serde(default)]
    expiry_date: Option<String>,
    #[serde(default)]
    max_usage: Option<i64>,
    #[serde(default)]
    key_usage: Option<i64>,
    #[serde(default)]
    rate_limit: Option<i64>,
    #[serde(default)]
    spending_limit: Option<f64>,
    #[serde(default)]
    spending_in_period: Option<f64>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    last_used: Option<String>,
}

pub(crate) fn to_remote(raw: Value) -> Result<RemoteKey> {
    let k: TempKey = serde::Deserialize::deserialize(&raw).map_err(|e| super::unreadable(crate::model::Service::Respan, "a temporary key", &e))?;
    let ts = |v: &Option<String>| v.as_deref().and_then(parse_timestamp);
    // Respan reports "never used" as the Unix epoch.
    let last_used = ts(&k.last_used).filter(|t| t.timestamp() > 0);
    Ok(RemoteKey {
        kind: KeyKind::RespanTempKey,
        name: k.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: k.prefix.as_ref().map(|p| format!("{p}…")),
        owner: None,
        created_at: ts(&k.created_at).or_else(|| ts(&k.created)),
        expires_at: ts(&k.expiry_date),
        limits: KeyLimits {
            is_test: k.is_test,
            usage_count: k.key_usage,
            usage_limit: k.max_usage,
            spend: k.spending_in_period,
            spend_limit: k.spending_limit,
            rate_limit: k.rate_limit,
            last_used_at: last_used,
        },
        provider_id: super::listed_id(crate::model::Service::Respan, "a temporary key", k.id)?,
        details: super::cached::details(KeyKind::RespanTempKey, raw),
    })
}

#[derive(Deserialize)]
struct CustomProvider {
    provider_id: String,
    #[serde(default)]
    provider_name: Option<String>,
    #[serde(default)]
    extra_kwargs: Option<Value>,
    #[serde(default)]
    created_at: Option<String>,
}

/// A custom provider's key is write-only: only its id, name and settings are listed.
pub(crate) fn provider(raw: Value) -> Result<RemoteKey> {
    let p: CustomProvider =
        serde::Deserialize::deserialize(&raw).map_err(|e| super::unreadable(crate::model::Service::Respan, "a custom provider", &e))?;
    let base_url = p.extra_kwargs.as_ref().and_then(|k| k.get("base_url")).and_then(Value::as_str).map(str::to_string);
    Ok(RemoteKey {
        kind: KeyKind::RespanProvider,
        name: p.provider_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| p.provider_id.clone()),
        preview: Some(p.provider_id.clone()),
        owner: base_url,
        created_at: p.created_at.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: KeyLimits::default(),
        provider_id: super::listed_id(crate::model::Service::Respan, "a custom provider", p.provider_id)?,
        details: super::cached::details(KeyKind::RespanProvider, raw),
    })
}

#[async_trait]
impl Provider for Respan {
    async fn verify(&self) -> Result<Option<String>> {
        let _: Value = self.api.get_json(KEYS, &[]).await?;
        Ok(None)
    }

    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Listing> {
        let mut skipped = 0;
        let mut keys = self.all_of(KEYS, to_remote, progress, 0, &mut skipped).await?;
        keys.extend(self.all_of(PROVIDERS, provider, progress, 1, &mut skipped).await?);
        Ok(Listing { keys, kinds: vec![KeyKind::RespanTempKey, KeyKind::RespanProvider], skipped })
    }

    async fn create_key(&self, request: &NewKey) -> Result<Minted<RemoteKey>, CreateError> {
        if let NewKey::RespanProvider { provider_id, provider_name, api_key, extra_kwargs } = request {
            let mut body = json!({
                "provider_id": provider_id.trim(),
                "provider_name": provider_name.trim(),
                "api_key": secrecy::ExposeSecret::expose_secret(api_key).trim(),
            });
            if let Some(k) = crate::model::new_key::json_object("extra_kwargs", extra_kwargs.as_deref()).map_err(CreateError::Refused)? {
                body["extra_kwargs"] = k;
            }
            let raw: Value = self.api.send_json(Method::POST, PROVIDERS, &body).await?;
            return Ok(Minted { key: provider(raw).map_err(CreateError::Ambiguous)?, secret: None });
        }
        let NewKey::RespanTempKey { name, expiry_date, max_usage, rate_limit, spending_limit, is_test } = request else {
            return Err(CreateError::Refused(Error::invalid("kind", format!("Respan cannot create a {}.", request.kind().label()))));
        };
        let mut body = json!({});
        if let Some(n) = name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            body["name"] = json!(n);
        }
        let expiry = expiry(expiry_date.as_deref(), Utc::now()).map_err(CreateError::Refused)?;
        if let Some(e) = expiry {
            body["expiry_date"] = json!(e.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
        }
        body["max_usage"] = json!(max_usage.unwrap_or(-1));
        if let Some(r) = rate_limit {
            body["rate_limit"] = json!(r);
        }
        if let Some(s) = spending_limit {
            body["spending_limit"] = json!(s);
        }
        body["is_test"] = json!(is_test.unwrap_or(false));
        let mut raw: Value = self.api.send_json(Method::POST, KEYS, &body).await?;
        let secret = raw.as_object_mut().and_then(|m| m.remove("api_key")).and_then(|v| v.as_str().map(|s| MintedSecret::new(s.to_string())));
        Ok(Minted { key: to_remote(raw).map_err(CreateError::Ambiguous)?, secret })
    }

    async fn find_created(&self, request: &NewKey, since: DateTime<Utc>) -> Result<Option<RemoteKey>> {
        if let NewKey::RespanProvider { provider_id, .. } = request {
            let all = self.all_of(PROVIDERS, provider, &|_, _| {}, 0, &mut 0).await?;
            return Ok(all.into_iter().find(|p| p.provider_id == provider_id.trim()));
        }
        let wanted = request.display_name();
        let keys = self.all_keys(&|_, _| {}).await?;
        Ok(keys
            .into_iter()
            .filter(|k| k.name == wanted && k.created_at.is_none_or(|c| c >= since - chrono::Duration::seconds(5)))
            .max_by_key(|k| k.created_at))
    }

    async fn get_key(&self, kind: KeyKind, provider_id: &str) -> Result<Option<RemoteKey>> {
        let (path, parse): (&str, fn(Value) -> Result<RemoteKey>) = match kind {
            KeyKind::RespanTempKey => (KEYS, to_remote),
            _ => (PROVIDERS, provider),
        };
        match super::found(self.api.get_json::<Value>(&super::http::with_id(path, provider_id, "/")?, &[]).await)? {
            Some(raw) => parse(raw).map(Some),
            None => Ok(None),
        }
    }

    async fn update_key(&self, kind: KeyKind, provider_id: &str, update: &crate::model::key_change::KeyUpdate) -> Result<RemoteKey> {
        if let crate::model::key_change::KeyUpdate::RespanProvider { provider_name, api_key, extra_kwargs } = update {
            let mut body = json!({});
            if let Some(n) = provider_name {
                body["provider_name"] = json!(n.trim());
            }
            if let Some(k) = api_key.as_ref().map(|k| secrecy::ExposeSecret::expose_secret(k).trim()).filter(|k| !k.is_empty()) {
                body["api_key"] = json!(k);
            }
            let path = super::http::with_id(PROVIDERS, provider_id, "/")?;
            if let Some(k) = crate::model::new_key::json_object("extra_kwargs", extra_kwargs.as_deref())? {
                let current: Value = self.api.get_json(&path, &[]).await?;
                body["extra_kwargs"] = super::cached::with_hidden_kept(k, current.get("extra_kwargs"));
            }
            let raw: Value = self.api.write(Method::PATCH, &path, &body).await?;
            return provider(raw);
        }
        let crate::model::key_change::KeyUpdate::RespanTempKey { name, expiry_date, is_test, prefix } = update else {
            return Err(Error::invalid("kind", format!("Respan cannot change a {} that way.", kind.label())));
        };
        let mut body = json!({});
        if let Some(n) = name {
            body["name"] = json!(n.trim());
        }
        if let Some(e) = expiry(expiry_date.as_deref(), Utc::now())? {
            body["expiry_date"] = json!(e.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
        }
        if let Some(t) = is_test {
            body["is_test"] = json!(t);
        }
        if let Some(p) = prefix {
            body["prefix"] = json!(p.trim());
        }
        let raw: Value = self.api.write(Method::PATCH, &super::http::with_id(KEYS, provider_id, "/")?, &body).await?;
        to_remote(raw)
    }

    async fn delete_key(&self, kind: KeyKind, provider_id: &str) -> Result<()> {
        match kind {
            KeyKind::RespanTempKey => self.api.delete(&super::http::with_id(KEYS, provider_id, "/")?).await,
            KeyKind::RespanProvider => self.api.delete(&super::http::with_id(PROVIDERS, provider_id, "/")?).await,
            _ => Err(Error::invalid("kind", format!("Respan has no {} to revoke.", kind.label()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let k = to_remote(json!({ "id": "vcjRcdm8...", "prefix": "vcjRcdm8", "created": "2025-03-16T01:19:17.074170Z",
            "name": "Respan temporary key", "revoked": false, "expiry_date": "2025-03-15T01:19:33.263343Z", "key_usage": 0,
            "max_usage": -1, "last_used": "1970-01-01T00:00:00Z", "rate_limit": null, "spending_limit": null,
            "spending_in_period": 0.0, "is_test": false, "is_temporary": true }))
        .unwrap();
        assert_eq!(k.preview.as_deref(), Some("vcjRcdm8…"));
        assert_eq!(k.limits.usage_limit, Some(-1));
        assert!(k.limits.last_used_at.is_none(), "the epoch means never used");
        assert!(k.created_at.is_some() && k.expires_at.is_some());
    }

    #[test]
    fn next_links_give_only_a_page_number() {
        assert_eq!(next_page("https://api.respan.ai/api/temporary-keys/?page=3"), Some(3));
        assert_eq!(next_page("https://evil.example/?page=x"), None);
        assert_eq!(next_page("not a url"), None);
    }
}
