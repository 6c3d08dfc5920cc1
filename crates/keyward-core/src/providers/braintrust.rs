//! Braintrust: `/v1/organization` to verify a token, `/v1/api_key` paged by `starting_after`.

mod env_vars;

pub(crate) use env_vars::env_var;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::http::{Api, PostError};
use super::{CreateError, Listing, PageProgress, Provider};
use crate::error::{Error, ErrorCode, Result};
use crate::model::new_key::{proxy_name, NewKey, PROXY_TTL_DEFAULT};
use crate::model::secret::MintedSecret;
use crate::model::time::parse_timestamp;
use crate::model::{KeyKind, KeyLimits, Minted, RemoteKey};

/// A runaway cursor (a service that keeps answering full pages) stops here instead of looping.
const MAX_PAGES: u32 = 100_000;

pub struct Braintrust {
    api: Api,
}

impl Braintrust {
    pub fn new(api: Api) -> Self {
        Braintrust { api }
    }
}

#[derive(Deserialize)]
struct Objects {
    objects: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct ApiKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    preview_name: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    user_email: Option<String>,
    #[serde(default)]
    user_given_name: Option<String>,
    #[serde(default)]
    user_family_name: Option<String>,
}

impl ApiKey {
    fn owner(&self) -> Option<String> {
        let full_name = [&self.user_given_name, &self.user_family_name].iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(" ");
        self.user_email.clone().or_else(|| (!full_name.is_empty()).then_some(full_name)).or_else(|| self.user_id.clone())
    }
}

pub(crate) fn to_remote(raw: serde_json::Value) -> Result<RemoteKey> {
    let key: ApiKey = serde::Deserialize::deserialize(&raw).map_err(|e| super::unreadable(crate::model::Service::Braintrust, "an API key", &e))?;
    Ok(RemoteKey {
        kind: KeyKind::BraintrustApiKey,
        name: key.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: key.preview_name.clone(),
        owner: key.owner(),
        created_at: key.created.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: Default::default(),
        provider_id: super::listed_id(crate::model::Service::Braintrust, "an API key", key.id)?,
        details: super::cached::details(KeyKind::BraintrustApiKey, raw),
    })
}

#[derive(Deserialize)]
struct ServiceToken {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    preview_name: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    service_account_email: Option<String>,
    #[serde(default)]
    service_account_name: Option<String>,
}

pub(crate) fn service_token(raw: serde_json::Value) -> Result<RemoteKey> {
    let t: ServiceToken =
        serde::Deserialize::deserialize(&raw).map_err(|e| super::unreadable(crate::model::Service::Braintrust, "a service token", &e))?;
    Ok(RemoteKey {
        kind: KeyKind::BraintrustServiceToken,
        name: t.name.filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: t.preview_name,
        owner: t.service_account_email.or(t.service_account_name),
        created_at: t.created.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: KeyLimits::default(),
        provider_id: super::listed_id(crate::model::Service::Braintrust, "a service token", t.id)?,
        details: super::cached::details(KeyKind::BraintrustServiceToken, raw),
    })
}

#[derive(Deserialize)]
struct AiSecret {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    preview_secret: Option<String>,
    #[serde(default)]
    created: Option<String>,
}

/// An AI secret's value is write-only; `preview_secret` is already redacted by Braintrust.
pub(crate) fn ai_secret(raw: serde_json::Value) -> Result<RemoteKey> {
    let a: AiSecret = serde::Deserialize::deserialize(&raw).map_err(|e| super::unreadable(crate::model::Service::Braintrust, "an AI secret", &e))?;
    Ok(RemoteKey {
        kind: KeyKind::BraintrustAiSecret,
        name: a.name.filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: a.preview_secret,
        owner: a.kind,
        created_at: a.created.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: KeyLimits::default(),
        provider_id: super::listed_id(crate::model::Service::Braintrust, "an AI secret", a.id)?,
        details: super::cached::details(KeyKind::BraintrustAiSecret, raw),
    })
}

#[derive(Deserialize)]
struct WithKey {
    key: String,
}

fn take_key(raw: &mut serde_json::Value) -> Option<MintedSecret> {
    raw.as_object_mut()?.remove("key")?.as_str().map(|k| MintedSecret::new(k.to_string()))
}

fn explain_owner_only(e: PostError) -> CreateError {
    match e {
        PostError::Refused(err) if err.code == ErrorCode::Forbidden => CreateError::Refused(Error::new(
            ErrorCode::Forbidden,
            "Braintrust creates service tokens only for a service token with organization-owner permission (403). Add this \
             account with such a token, or create the service token in Settings → Service tokens.",
        )),
        other => other.into(),
    }
}

/// The live service no longer lets an API key mint API keys; say what to do instead.
fn explain_api_key_refusal(e: PostError) -> CreateError {
    match e {
        PostError::Refused(err) if err.code == ErrorCode::Forbidden => CreateError::Refused(Error::new(
            ErrorCode::Forbidden,
            format!(
                "Braintrust refused to create an API key with this account's key ({}). Braintrust does not let API keys \
                 create API keys: create one in the Braintrust web UI (Settings → API keys), or add this account with a \
                 service token, which can.",
                err.message.trim_start_matches("Braintrust refused the request ").trim_end_matches('.')
            ),
        )),
        other => other.into(),
    }
}

impl Braintrust {
    /// Every page of one list: `limit` plus `starting_after` the last id, until a short page.
    async fn list_all(
        &self,
        path: &str,
        parse: fn(serde_json::Value) -> Result<RemoteKey>,
        keys: &mut Vec<RemoteKey>,
        pages: &mut u32,
        skipped: &mut u32,
        progress: PageProgress<'_>,
    ) -> Result<()> {
        let limit = self.api.config().page_size.max(1);
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", limit.to_string())];
            if let Some(c) = &cursor {
                query.push(("starting_after", c.clone()));
            }
            let batch: Objects = self.api.get_json(path, &query).await?;
            let count = batch.objects.len();
            let before = keys.len();
            let mut last = None;
            for raw in batch.objects {
                // The cursor is the raw id, so an unreadable last object still moves the page on.
                let raw_id = raw.get("id").and_then(serde_json::Value::as_str).map(str::to_string);
                match parse(raw) {
                    Ok(key) => {
                        last = Some(key.provider_id.clone());
                        keys.push(key);
                    }
                    Err(_) => {
                        *skipped += 1;
                        last = raw_id.or(last);
                    }
                }
            }
            *pages += 1;
            progress(*pages, &keys[before..]);
            // Braintrust has no has-more field: a short page is the last one.
            if count < limit as usize {
                return Ok(());
            }
            if last == cursor {
                break;
            }
            cursor = last;
        }
        Err(Error::new(ErrorCode::Provider, "Braintrust kept returning the same page; the listing was stopped."))
    }

    async fn create_api_key(&self, name: &str) -> Result<Minted<RemoteKey>, CreateError> {
        let raw: serde_json::Value =
            self.api.send_json(Method::POST, "/v1/api_key", &json!({ "name": name.trim() })).await.map_err(explain_api_key_refusal)?;
        let secret = raw.get("key").and_then(|k| k.as_str()).map(|k| MintedSecret::new(k.to_string()));
        let mut listed = raw;
        if let Some(map) = listed.as_object_mut() {
            map.remove("key"); // the secret never reaches the store's details
        }
        Ok(Minted { key: to_remote(listed).map_err(CreateError::Ambiguous)?, secret })
    }

    /// Proxy credentials cannot be listed or revoked: Keyward keeps their metadata itself.
    async fn create_proxy_credential(&self, model: Option<&str>, ttl: Option<u32>, project: Option<&str>) -> Result<Minted<RemoteKey>, CreateError> {
        let ttl = ttl.unwrap_or(PROXY_TTL_DEFAULT);
        let model = model.map(str::trim).filter(|m| !m.is_empty());
        let mut body = json!({ "model": model, "ttl_seconds": ttl });
        if let Some(p) = project.map(str::trim).filter(|p| !p.is_empty()) {
            body["logging"] = json!({ "project_name": p });
        }
        let started = Utc::now();
        let answer: WithKey = self.api.send_json(Method::POST, "/v1/proxy/credentials", &body).await?;
        let details = json!({ "model": model, "ttl_seconds": ttl, "logging": body.get("logging") });
        Ok(Minted {
            key: RemoteKey {
                kind: KeyKind::BraintrustProxyCredential,
                provider_id: uuid::Uuid::new_v4().to_string(),
                name: proxy_name(model),
                preview: None,
                owner: None,
                created_at: Some(started),
                expires_at: Some(started + chrono::Duration::seconds(ttl as i64)),
                limits: KeyLimits::default(),
                details,
            },
            secret: Some(MintedSecret::new(answer.key)),
        })
    }
}

#[async_trait]
impl Provider for Braintrust {
    async fn verify(&self) -> Result<Option<String>> {
        let orgs: Objects = self.api.get_json("/v1/organization", &[("limit", "1".into())]).await?;
        Ok(orgs.objects.first().and_then(|o| o.get("name")).and_then(|n| n.as_str()).map(|n| format!("organization {n}")))
    }

    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Listing> {
        let mut listing = Listing { keys: Vec::new(), kinds: Vec::new(), skipped: 0 };
        let mut pages = 0;
        let lists: [(&str, KeyKind, fn(serde_json::Value) -> Result<RemoteKey>); 3] = [
            ("/v1/api_key", KeyKind::BraintrustApiKey, to_remote),
            ("/v1/service_token", KeyKind::BraintrustServiceToken, service_token),
            ("/v1/ai_secret", KeyKind::BraintrustAiSecret, ai_secret),
        ];
        for (path, kind, parse) in lists {
            match self.list_all(path, parse, &mut listing.keys, &mut pages, &mut listing.skipped, progress).await {
                Ok(()) => listing.kinds.push(kind),
                // Service tokens and AI secrets need more than a user's API key may have: the
                // kind is left as cached instead of failing the whole sync.
                Err(e) if e.code == ErrorCode::Forbidden && kind != KeyKind::BraintrustApiKey => {
                    tracing::info!(kind = kind.as_str(), "not listed: the token may not list this kind");
                }
                Err(e) => return Err(e),
            }
        }
        match self.env_vars(&mut listing.skipped).await {
            Ok(vars) => {
                pages += 1;
                progress(pages, &vars);
                listing.keys.extend(vars);
                listing.kinds.push(KeyKind::BraintrustEnvVar);
            }
            Err(e) if e.code == ErrorCode::Forbidden => tracing::info!("env vars not listed: the token may not list them"),
            Err(e) => return Err(e),
        }
        Ok(listing)
    }

    async fn create_key(&self, request: &NewKey) -> Result<Minted<RemoteKey>, CreateError> {
        match request {
            NewKey::BraintrustApiKey { name } => self.create_api_key(name).await,
            NewKey::BraintrustProxyCredential { model, ttl_seconds, logging_project } => {
                self.create_proxy_credential(model.as_deref(), *ttl_seconds, logging_project.as_deref()).await
            }
            NewKey::BraintrustServiceToken { name, service_account_id, replace_existing } => {
                let body = json!({ "name": name.trim(), "service_account_id": service_account_id.trim() });
                let method = if replace_existing.unwrap_or(false) { Method::PUT } else { Method::POST };
                let mut raw: serde_json::Value = self.api.send_json(method, "/v1/service_token", &body).await.map_err(explain_owner_only)?;
                let secret = take_key(&mut raw);
                Ok(Minted { key: service_token(raw).map_err(CreateError::Ambiguous)?, secret })
            }
            NewKey::BraintrustAiSecret { name, secret_type, secret, metadata, replace_existing } => {
                let mut body = json!({ "name": name.trim(), "secret": secrecy::ExposeSecret::expose_secret(secret).trim() });
                if let Some(t) = secret_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    body["type"] = json!(t);
                }
                if let Some(m) = crate::model::new_key::json_object("metadata", metadata.as_deref()).map_err(CreateError::Refused)? {
                    body["metadata"] = m;
                }
                let method = if replace_existing.unwrap_or(false) { Method::PUT } else { Method::POST };
                let raw: serde_json::Value = self.api.send_json(method, "/v1/ai_secret", &body).await?;
                Ok(Minted { key: ai_secret(raw).map_err(CreateError::Ambiguous)?, secret: None })
            }
            NewKey::BraintrustEnvVar { name, object_type, object_id, value, secret_type, replace_existing } => {
                let key = self
                    .create_env_var(name, *object_type, object_id.as_deref(), value, secret_type.as_deref(), replace_existing.unwrap_or(false))
                    .await?;
                Ok(Minted { key, secret: None })
            }
            other => Err(CreateError::Refused(Error::invalid("kind", format!("Braintrust cannot create a {}.", other.kind().label())))),
        }
    }

    async fn find_created(&self, request: &NewKey, since: DateTime<Utc>) -> Result<Option<RemoteKey>> {
        let (path, param, parse): (&str, &str, fn(serde_json::Value) -> Result<RemoteKey>) = match request {
            NewKey::BraintrustApiKey { .. } => ("/v1/api_key", "api_key_name", to_remote),
            NewKey::BraintrustServiceToken { .. } => ("/v1/service_token", "service_token_name", service_token),
            NewKey::BraintrustAiSecret { .. } => ("/v1/ai_secret", "ai_secret_name", ai_secret),
            NewKey::BraintrustEnvVar { name, .. } => {
                let recent = self
                    .find_created_env_var(name)
                    .await?
                    .into_iter()
                    .filter(|k| k.created_at.is_none_or(|c| c >= since - chrono::Duration::seconds(5)));
                return Ok(recent.max_by_key(|k| k.created_at));
            }
            _ => return Ok(None), // a proxy credential leaves no trace to find; it expires by itself
        };
        let name = request.display_name();
        let found: Objects = self.api.get_json(path, &[(param, name)]).await?;
        let recent = found
            .objects
            .into_iter()
            .filter_map(|raw| parse(raw).ok())
            .filter(|k| k.created_at.is_none_or(|c| c >= since - chrono::Duration::seconds(5)))
            .max_by_key(|k| k.created_at);
        Ok(recent)
    }

    async fn get_key(&self, kind: KeyKind, provider_id: &str) -> Result<Option<RemoteKey>> {
        let (path, parse): (&str, fn(serde_json::Value) -> Result<RemoteKey>) = match kind {
            KeyKind::BraintrustApiKey => ("/v1/api_key", to_remote),
            KeyKind::BraintrustServiceToken => ("/v1/service_token", service_token),
            KeyKind::BraintrustAiSecret => ("/v1/ai_secret", ai_secret),
            KeyKind::BraintrustEnvVar => return self.get_env_var(provider_id).await,
            _ => return Err(Error::invalid("kind", format!("Braintrust cannot look up a {}; it is kept only here.", kind.label()))),
        };
        match super::found(self.api.get_json::<serde_json::Value>(&super::http::with_id(&format!("{path}/"), provider_id, "")?, &[]).await)? {
            Some(raw) => parse(raw).map(Some),
            None => Ok(None),
        }
    }

    async fn update_key(&self, kind: KeyKind, provider_id: &str, update: &crate::model::key_change::KeyUpdate) -> Result<RemoteKey> {
        if kind == KeyKind::BraintrustEnvVar {
            return self.update_env_var(provider_id, update).await;
        }
        let crate::model::key_change::KeyUpdate::BraintrustAiSecret { name, secret_type, secret, metadata } = update else {
            return Err(Error::invalid("kind", format!("Braintrust cannot change a {} that way.", kind.label())));
        };
        let mut body = json!({});
        if let Some(n) = name {
            body["name"] = json!(n.trim());
        }
        if let Some(t) = secret_type {
            body["type"] = json!(t.trim());
        }
        if let Some(s) = secret.as_ref().map(|s| secrecy::ExposeSecret::expose_secret(s).trim()).filter(|s| !s.is_empty()) {
            body["secret"] = json!(s);
        }
        let path = super::http::with_id("/v1/ai_secret/", provider_id, "")?;
        if let Some(m) = crate::model::new_key::json_object("metadata", metadata.as_deref())? {
            let current: serde_json::Value = self.api.get_json(&path, &[]).await?;
            body["metadata"] = super::cached::with_hidden_kept(m, current.get("metadata"));
        }
        let raw: serde_json::Value = self.api.write(Method::PATCH, &path, &body).await?;
        ai_secret(raw)
    }

    async fn list_projects(&self) -> Result<Vec<crate::model::env_var::Project>> {
        self.projects().await
    }

    async fn delete_key(&self, kind: KeyKind, provider_id: &str) -> Result<()> {
        match kind {
            KeyKind::BraintrustApiKey => self.api.delete(&super::http::with_id("/v1/api_key/", provider_id, "")?).await,
            KeyKind::BraintrustServiceToken => self.api.delete(&super::http::with_id("/v1/service_token/", provider_id, "")?).await,
            KeyKind::BraintrustAiSecret => self.api.delete(&super::http::with_id("/v1/ai_secret/", provider_id, "")?).await,
            KeyKind::BraintrustEnvVar => self.api.delete(&super::http::with_id("/v1/env_var/", provider_id, "")?).await,
            _ => Err(Error::invalid("kind", format!("Braintrust cannot revoke a {}: it stops working when it expires.", kind.label()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_leniently() {
        let k = to_remote(serde_json::json!({"id": "1", "name": "n", "preview_name": "sk-…ab",
            "created": "2024-01-02T03:04:05.123Z", "user_given_name": "Ana", "user_family_name": "Li", "extra": [1]}))
        .unwrap();
        assert_eq!(k.owner.as_deref(), Some("Ana Li"));
        assert!(k.created_at.is_some());
        let bare = to_remote(serde_json::json!({"id": "2"})).unwrap();
        assert_eq!(bare.name, "(unnamed)");
        assert!(to_remote(serde_json::json!({"name": "no id"})).is_err());
        assert!(to_remote(serde_json::json!("text")).is_err());
    }
}
