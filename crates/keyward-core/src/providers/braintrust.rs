//! Braintrust: `/v1/organization` to verify a token, `/v1/api_key` paged by `starting_after`.

use async_trait::async_trait;
use serde::Deserialize;

use super::http::Api;
use super::{PageProgress, Provider};
use crate::error::{Error, ErrorCode, Result};
use crate::model::KeyKind;
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
        provider_id: key.id,
        details: raw,
    })
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
