//! Braintrust: `/v1/organization` to verify a token, `/v1/api_key` paged by `starting_after`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::http::{Api, PostError};
use super::{CreateError, Created, PageProgress, Provider};
use crate::create::{proxy_name, NewKey, PROXY_TTL_DEFAULT};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{KeyKind, KeyLimits};
use crate::secret::MintedSecret;
use crate::store::RemoteKey;
use crate::time::parse_timestamp;

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
        let full_name = [&self.user_given_name, &self.user_family_name]
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        self.user_email
            .clone()
            .or_else(|| (!full_name.is_empty()).then_some(full_name))
            .or_else(|| self.user_id.clone())
    }
}

fn to_remote(raw: serde_json::Value) -> Result<RemoteKey> {
    let key: ApiKey = serde_json::from_value(raw.clone()).map_err(|e| {
        Error::new(ErrorCode::Provider, format!("Braintrust listed an API key Keyward could not read ({e})."))
    })?;
    Ok(RemoteKey {
        kind: KeyKind::BraintrustApiKey,
        name: key.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: key.preview_name.clone(),
        owner: key.owner(),
        created_at: key.created.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: Default::default(),
        provider_id: key.id,
        details: raw,
    })
}

#[derive(Deserialize)]
struct WithKey {
    key: String,
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
    async fn create_api_key(&self, name: &str) -> Result<Created, CreateError> {
        let raw: serde_json::Value =
            self.api.send_json(Method::POST, "/v1/api_key", &json!({ "name": name.trim() })).await.map_err(explain_api_key_refusal)?;
        let secret = raw
            .get("key")
            .and_then(|k| k.as_str())
            .map(|k| MintedSecret::new(k.to_string()))
            .ok_or_else(|| CreateError::Ambiguous(Error::new(ErrorCode::Provider, "Braintrust created the key but sent no secret back.")))?;
        let mut listed = raw;
        if let Some(map) = listed.as_object_mut() {
            map.remove("key"); // the secret never reaches the store's details
        }
        Ok(Created { key: to_remote(listed).map_err(CreateError::Ambiguous)?, secret: Some(secret) })
    }

    /// Proxy credentials cannot be listed or revoked: Keyward keeps their metadata itself.
    async fn create_proxy_credential(
        &self,
        model: Option<&str>,
        ttl: Option<u32>,
        project: Option<&str>,
    ) -> Result<Created, CreateError> {
        let ttl = ttl.unwrap_or(PROXY_TTL_DEFAULT);
        let model = model.map(str::trim).filter(|m| !m.is_empty());
        let mut body = json!({ "model": model, "ttl_seconds": ttl });
        if let Some(p) = project.map(str::trim).filter(|p| !p.is_empty()) {
            body["logging"] = json!({ "project_name": p });
        }
        let started = Utc::now();
        let answer: WithKey = self.api.send_json(Method::POST, "/v1/proxy/credentials", &body).await?;
        let details = json!({ "model": model, "ttl_seconds": ttl, "logging": body.get("logging") });
        Ok(Created {
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
        Ok(orgs
            .objects
            .first()
            .and_then(|o| o.get("name"))
            .and_then(|n| n.as_str())
            .map(|n| format!("organization {n}")))
    }

    fn listed_kinds(&self) -> &'static [KeyKind] {
        &[KeyKind::BraintrustApiKey]
    }

    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Vec<RemoteKey>> {
        let limit = self.api.config().page_size.max(1);
        let mut keys: Vec<RemoteKey> = Vec::new();
        let mut cursor: Option<String> = None;
        for page in 1..=MAX_PAGES {
            let mut query = vec![("limit", limit.to_string())];
            if let Some(c) = &cursor {
                query.push(("starting_after", c.clone()));
            }
            let batch: Objects = self.api.get_json("/v1/api_key", &query).await?;
            let count = batch.objects.len();
            for raw in batch.objects {
                keys.push(to_remote(raw)?);
            }
            progress(page, keys.len() as u32);
            // Braintrust has no has-more field: a short page is the last one.
            if count < limit as usize {
                return Ok(keys);
            }
            let next = keys.last().map(|k| k.provider_id.clone());
            if next == cursor {
                break;
            }
            cursor = next;
        }
        Err(Error::new(ErrorCode::Provider, "Braintrust kept returning the same page; the listing was stopped."))
    }

    async fn create_key(&self, request: &NewKey) -> Result<Created, CreateError> {
        match request {
            NewKey::BraintrustApiKey { name } => self.create_api_key(name).await,
            NewKey::BraintrustProxyCredential { model, ttl_seconds, logging_project } => {
                self.create_proxy_credential(model.as_deref(), *ttl_seconds, logging_project.as_deref()).await
            }
            other => Err(CreateError::Refused(Error::invalid("kind", format!("Braintrust cannot create a {}.", other.kind().label())))),
        }
    }

    async fn find_created(&self, request: &NewKey, since: DateTime<Utc>) -> Result<Option<RemoteKey>> {
        let NewKey::BraintrustApiKey { name } = request else {
            return Ok(None); // a proxy credential leaves no trace to find; it expires by itself
        };
        let found: Objects = self.api.get_json("/v1/api_key", &[("api_key_name", name.trim().to_string())]).await?;
        let recent = found
            .objects
            .into_iter()
            .filter_map(|raw| to_remote(raw).ok())
            .filter(|k| k.created_at.is_none_or(|c| c >= since - chrono::Duration::seconds(5)))
            .max_by_key(|k| k.created_at);
        Ok(recent)
    }

    async fn delete_key(&self, kind: KeyKind, provider_id: &str) -> Result<()> {
        match kind {
            KeyKind::BraintrustApiKey => self.api.delete(&format!("/v1/api_key/{provider_id}")).await,
            _ => Err(Error::invalid(
                "kind",
                format!("Braintrust cannot revoke a {}: it stops working when it expires.", kind.label()),
            )),
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
