//! Barndoor's LLM gateway (`/api/llm-gateway/admin/...`): gateway keys Keyward mints, and
//! upstream credentials whose secret the user gives. Lists are bare arrays; errors are
//! `{"error": {"message", "type"}}`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::{Api, PostError};
use super::{CreateError, Listing, PageProgress, Provider};
use crate::error::{Error, ErrorCode, Result};
use crate::model::new_key::{future, json_object, NewKey};
use crate::model::secret::MintedSecret;
use crate::model::time::parse_timestamp;
use crate::model::{KeyKind, KeyLimits, Minted, RemoteKey};

const CONNECTIONS: &str = "/api/llm-gateway/admin/connections";
const API_KEYS: &str = "/api/llm-gateway/admin/api-keys";
const PROVIDERS: &str = "/api/llm-gateway/admin/providers";

pub struct Barndoor {
    api: Api,
}

impl Barndoor {
    pub fn new(api: Api) -> Self {
        Barndoor { api }
    }
}

#[derive(Deserialize)]
struct GatewayKey {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    key_prefix: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    last_used_at: Option<String>,
    #[serde(default)]
    revoked_at: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    group_name: Option<String>,
}

#[derive(Deserialize)]
struct Connection {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    model_provider: Option<String>,
    #[serde(default)]
    key_last4: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    created_by_email: Option<String>,
}

fn ts(v: &Option<String>) -> Option<DateTime<Utc>> {
    v.as_deref().and_then(parse_timestamp)
}

fn unreadable(what: &str, e: serde_json::Error) -> Error {
    super::unreadable(crate::model::Service::Barndoor, &format!("a {what}"), &e)
}

/// `None` for a key Barndoor reports revoked: it is not part of the live inventory.
pub(crate) fn gateway_key(raw: Value) -> Result<Option<RemoteKey>> {
    let k: GatewayKey = serde::Deserialize::deserialize(&raw).map_err(|e| unreadable("gateway key", e))?;
    if k.revoked_at.is_some() {
        return Ok(None);
    }
    Ok(Some(RemoteKey {
        kind: KeyKind::BarndoorGatewayKey,
        name: k.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: k.key_prefix.as_ref().map(|p| format!("{p}…")),
        owner: k.group_name.clone().or(k.user_id.clone()),
        created_at: ts(&k.created_at),
        expires_at: ts(&k.expires_at),
        limits: KeyLimits { last_used_at: ts(&k.last_used_at), ..Default::default() },
        provider_id: super::listed_id(crate::model::Service::Barndoor, "a gateway key", k.id)?,
        details: super::cached::details(KeyKind::BarndoorGatewayKey, raw),
    }))
}

pub(crate) fn credential(raw: Value) -> Result<RemoteKey> {
    let c: Connection = serde::Deserialize::deserialize(&raw).map_err(|e| unreadable("credential", e))?;
    let provider = c.model_provider.clone().unwrap_or_default();
    Ok(RemoteKey {
        kind: KeyKind::BarndoorCredential,
        name: c.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: c.key_last4.as_ref().map(|l| format!("…{l}")),
        owner: c.created_by_email.clone().or_else(|| (!provider.is_empty()).then_some(provider)),
        created_at: ts(&c.created_at),
        expires_at: None,
        limits: KeyLimits::default(),
        provider_id: super::listed_id(crate::model::Service::Barndoor, "a credential", c.id)?,
        details: super::cached::details(KeyKind::BarndoorCredential, raw),
    })
}

#[derive(Deserialize)]
struct ProviderRoute {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    model_provider: Option<String>,
    #[serde(default)]
    health_status: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
}

/// A provider holds no secret of its own; its health is what a person wants to see.
pub(crate) fn provider_route(raw: Value) -> Result<RemoteKey> {
    let p: ProviderRoute = serde::Deserialize::deserialize(&raw).map_err(|e| unreadable("provider", e))?;
    Ok(RemoteKey {
        kind: KeyKind::BarndoorProvider,
        name: p.name.filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: Some(p.health_status.unwrap_or_else(|| "unverified".into())),
        owner: p.model_provider,
        created_at: ts(&p.created_at),
        expires_at: None,
        limits: KeyLimits::default(),
        provider_id: super::listed_id(crate::model::Service::Barndoor, "a provider", p.id)?,
        details: super::cached::details(KeyKind::BarndoorProvider, raw),
    })
}

pub(crate) fn array(v: Value, what: &str) -> Result<Vec<Value>> {
    match v {
        Value::Array(items) => Ok(items),
        _ => Err(Error::new(ErrorCode::Provider, format!("Barndoor answered the {what} list with something that is not a list."))),
    }
}

#[async_trait]
impl Provider for Barndoor {
    /// `GET /admin/connections`: 401 is a bad token, 403 a token without the admin role.
    async fn verify(&self) -> Result<Option<String>> {
        match self.api.get_json::<Value>(CONNECTIONS, &[]).await {
            Ok(_) => Ok(Some("an admin of this organization".into())),
            Err(e) if e.code == ErrorCode::Forbidden => Err(Error::new(
                ErrorCode::Forbidden,
                "Barndoor accepted this token but it lacks the admin role, which managing credentials and keys needs (403).",
            )
            .on_field("token")),
            Err(e) => Err(e),
        }
    }

    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Listing> {
        let mut out = Vec::new();
        let mut skipped = 0;
        // An object that cannot be read is counted and skipped, not the whole listing failed.
        let mut keep = |parsed: Result<Option<RemoteKey>>, out: &mut Vec<RemoteKey>| match parsed {
            Ok(key) => out.extend(key),
            Err(_) => skipped += 1,
        };
        for raw in array(self.api.get_json(API_KEYS, &[]).await?, "gateway key")? {
            keep(gateway_key(raw), &mut out);
        }
        progress(1, &out);
        let before = out.len();
        for raw in array(self.api.get_json(CONNECTIONS, &[]).await?, "credential")? {
            keep(credential(raw).map(Some), &mut out);
        }
        progress(2, &out[before..]);
        let before = out.len();
        for raw in array(self.api.get_json(PROVIDERS, &[]).await?, "provider")? {
            keep(provider_route(raw).map(Some), &mut out);
        }
        progress(3, &out[before..]);
        Ok(Listing { keys: out, kinds: vec![KeyKind::BarndoorGatewayKey, KeyKind::BarndoorCredential, KeyKind::BarndoorProvider], skipped })
    }

    async fn create_key(&self, request: &NewKey) -> Result<Minted<RemoteKey>, CreateError> {
        match request {
            NewKey::BarndoorGatewayKey { name, expires_at, access } => {
                let mut body = json!({ "name": name.trim() });
                let scopes = access.scopes();
                if !scopes.is_empty() {
                    body["scopes"] = json!(scopes);
                }
                for (field, value) in [("user_id", access.user_id()), ("user_email", access.user_email()), ("group_name", access.group_name())] {
                    if let Some(v) = value {
                        body[field] = json!(v);
                    }
                }
                if let Some(e) = future("expires_at", expires_at.as_deref(), Utc::now()).map_err(CreateError::Refused)? {
                    body["expires_at"] = json!(e.to_rfc3339());
                }
                let mut raw: Value = self.api.send_json(Method::POST, API_KEYS, &body).await?;
                let secret = raw.as_object_mut().and_then(|m| m.remove("key")).and_then(|v| v.as_str().map(|s| MintedSecret::new(s.to_string())));
                let key = gateway_key(raw).map_err(CreateError::Ambiguous)?.ok_or_else(|| {
                    CreateError::Ambiguous(Error::new(ErrorCode::Provider, "Barndoor answered with a key that is already revoked."))
                })?;
                Ok(Minted { key, secret })
            }
            NewKey::BarndoorCredential { name, model_provider, base_url, auth_type, api_key, credentials, settings, change_note } => {
                let mut body = json!({ "name": name.trim(), "model_provider": model_provider.trim(), "base_url": base_url.trim() });
                if let Some(a) = auth_type.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                    body["auth_type"] = json!(a);
                }
                if let Some(k) = api_key.as_ref().map(|k| k.expose_secret().trim()).filter(|k| !k.is_empty()) {
                    body["api_key"] = json!(k);
                }
                if let Some(c) = credentials.as_ref().filter(|c| !c.expose_secret().trim().is_empty()) {
                    let parsed: Value = serde_json::from_str(c.expose_secret())
                        .map_err(|_| CreateError::Refused(Error::invalid("credentials", "The credentials are not valid JSON.")))?;
                    body["credentials"] = parsed;
                }
                if let Some(s) = json_object("settings", settings.as_deref()).map_err(CreateError::Refused)? {
                    body["settings"] = s;
                }
                if let Some(n) = change_note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    body["change_note"] = json!(n);
                }
                let raw: Value = self.api.send_json(Method::POST, CONNECTIONS, &body).await.map_err(explain_name_conflict)?;
                Ok(Minted { key: credential(raw).map_err(CreateError::Ambiguous)?, secret: None })
            }
            other => Err(CreateError::Refused(Error::invalid("kind", format!("Barndoor cannot create a {}.", other.kind().label())))),
        }
    }

    async fn find_created(&self, request: &NewKey, since: DateTime<Utc>) -> Result<Option<RemoteKey>> {
        let wanted = request.display_name();
        let (path, kind) = match request {
            NewKey::BarndoorGatewayKey { .. } => (API_KEYS, KeyKind::BarndoorGatewayKey),
            _ => (CONNECTIONS, KeyKind::BarndoorCredential),
        };
        let mut found = Vec::new();
        for raw in array(self.api.get_json(path, &[]).await?, "key")? {
            let key = if kind == KeyKind::BarndoorGatewayKey { gateway_key(raw)? } else { Some(credential(raw)?) };
            found.extend(key.filter(|k| k.name == wanted && k.created_at.is_none_or(|c| c >= since - chrono::Duration::seconds(5))));
        }
        Ok(found.into_iter().max_by_key(|k| k.created_at))
    }

    async fn get_key(&self, kind: KeyKind, provider_id: &str) -> Result<Option<RemoteKey>> {
        let path = match kind {
            KeyKind::BarndoorGatewayKey => API_KEYS,
            KeyKind::BarndoorCredential => CONNECTIONS,
            _ => PROVIDERS,
        };
        let Some(raw) = super::found(self.api.get_json::<Value>(&super::http::with_id(&format!("{path}/"), provider_id, "")?, &[]).await)? else {
            return Ok(None);
        };
        match kind {
            KeyKind::BarndoorGatewayKey => gateway_key(raw),
            KeyKind::BarndoorCredential => credential(raw).map(Some),
            _ => provider_route(raw).map(Some),
        }
    }

    async fn update_key(&self, kind: KeyKind, provider_id: &str, update: &crate::model::key_change::KeyUpdate) -> Result<RemoteKey> {
        use crate::model::key_change::KeyUpdate;
        match update {
            KeyUpdate::BarndoorCredential { name, base_url, auth_type, api_key, credentials, settings, change_note } => {
                let mut body = json!({});
                for (field, value) in [("name", name), ("base_url", base_url), ("auth_type", auth_type), ("change_note", change_note)] {
                    if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                        body[field] = json!(v);
                    }
                }
                if let Some(k) = api_key.as_ref().map(|k| k.expose_secret().trim()).filter(|k| !k.is_empty()) {
                    body["api_key"] = json!(k);
                }
                if let Some(c) = credentials.as_ref().filter(|c| !c.expose_secret().trim().is_empty()) {
                    body["credentials"] =
                        serde_json::from_str(c.expose_secret()).map_err(|_| Error::invalid("credentials", "The credentials are not valid JSON."))?;
                }
                let path = super::http::with_id(&format!("{CONNECTIONS}/"), provider_id, "")?;
                if let Some(s) = json_object("settings", settings.as_deref())? {
                    let current: Value = self.api.get_json(&path, &[]).await?;
                    body["settings"] = super::cached::with_hidden_kept(s, current.get("settings"));
                }
                let raw: Value = self.api.write(Method::PUT, &path, &body).await?;
                credential(raw)
            }
            KeyUpdate::BarndoorGatewayKey { disabled, expires_at, clear_expiry } => {
                let path = super::http::with_id(&format!("{API_KEYS}/"), provider_id, "")?;
                if let Some(d) = disabled {
                    let _: Value = self.api.write(Method::PATCH, &path, &json!({ "disabled": d })).await?;
                }
                if clear_expiry.unwrap_or(false) {
                    let _: Value = self.api.write(Method::PUT, &format!("{path}/expiry"), &json!({ "expires_at": null })).await?;
                } else if let Some(e) = future("expires_at", expires_at.as_deref(), Utc::now())? {
                    let _: Value = self.api.write(Method::PUT, &format!("{path}/expiry"), &json!({ "expires_at": e.to_rfc3339() })).await?;
                }
                let raw: Value = self.api.get_json(&path, &[]).await?;
                gateway_key(raw)?.ok_or_else(|| Error::new(ErrorCode::Provider, "Barndoor reports this key as revoked."))
            }
            _ => Err(Error::invalid("kind", format!("Barndoor cannot change a {} that way.", kind.label()))),
        }
    }

    async fn reissue_key(&self, kind: KeyKind, provider_id: &str, grace_period_secs: u32) -> Result<Minted<RemoteKey>, CreateError> {
        if kind != KeyKind::BarndoorGatewayKey {
            return Err(CreateError::Refused(Error::invalid("kind", format!("Barndoor reissues gateway keys, not a {}.", kind.label()))));
        }
        let key_path = super::http::with_id(&format!("{API_KEYS}/"), provider_id, "").map_err(CreateError::Refused)?;
        let body = if grace_period_secs > 0 { json!({ "grace_period_secs": grace_period_secs }) } else { json!({}) };
        let mut answer: Value = self.api.send_json(Method::POST, &format!("{key_path}/rotate"), &body).await?;
        let secret = answer.as_object_mut().and_then(|m| m.remove("key")).and_then(|v| v.as_str().map(|s| MintedSecret::new(s.to_string())));
        let raw: Value = self.api.get_json(&key_path, &[]).await.map_err(CreateError::Ambiguous)?;
        let key = gateway_key(raw)
            .map_err(CreateError::Ambiguous)?
            .ok_or_else(|| CreateError::Ambiguous(Error::new(ErrorCode::Provider, "Barndoor reports this key as revoked.")))?;
        Ok(Minted { key, secret })
    }

    async fn validate(&self, check: &crate::model::setup_check::SetupCheck) -> Result<crate::model::setup_check::CheckOutcome> {
        use crate::model::setup_check::{CheckOutcome, SetupCheck};
        let (path, body, what) = match check {
            SetupCheck::BarndoorAwsRole { region, iam_role_arn, external_id } => (
                "/api/llm-gateway/admin/connections/aws-role-validate",
                json!({ "region": region.trim(), "iam_role_arn": iam_role_arn.trim(), "external_id": external_id.trim() }),
                "assume the AWS role",
            ),
            SetupCheck::BarndoorGoogleVertex { project_id, location, auth_type, model_api_family, target_service_account, credentials, model } => {
                let mut body = json!({ "project_id": project_id.trim(), "location": location.trim() });
                for (field, value) in [
                    ("auth_type", auth_type),
                    ("model_api_family", model_api_family),
                    ("target_service_account", target_service_account),
                    ("model", model),
                ] {
                    if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                        body[field] = json!(v);
                    }
                }
                if let Some(c) = credentials.as_ref().filter(|c| !c.expose_secret().trim().is_empty()) {
                    body["credentials"] =
                        serde_json::from_str(c.expose_secret()).map_err(|_| Error::invalid("credentials", "The credentials are not valid JSON."))?;
                }
                ("/api/llm-gateway/admin/connections/google-vertex-validate", body, "reach Vertex AI with these settings")
            }
        };
        let answer: Value = self.api.write(Method::POST, path, &body).await?;
        let ok = answer.get("ok").and_then(Value::as_bool).unwrap_or(false);
        let detail = answer.get("message").or_else(|| answer.get("detail")).and_then(Value::as_str).map(|d| format!(" ({d})")).unwrap_or_default();
        let message = if ok { format!("Barndoor can {what}.") } else { format!("Barndoor could not {what}{detail}.") };
        Ok(CheckOutcome { ok, message })
    }

    async fn delete_key(&self, kind: KeyKind, provider_id: &str) -> Result<()> {
        match kind {
            KeyKind::BarndoorGatewayKey => self.api.delete(&super::http::with_id(&format!("{API_KEYS}/"), provider_id, "")?).await,
            KeyKind::BarndoorCredential => self.api.delete(&super::http::with_id(&format!("{CONNECTIONS}/"), provider_id, "")?).await.map_err(|e| {
                if e.code == ErrorCode::Conflict {
                    Error::new(
                        ErrorCode::Conflict,
                        format!(
                            "Barndoor keeps this credential while providers still use it ({}). Point those providers at another \
                             credential, or delete them, then delete this one.",
                            e.message.trim_start_matches("Barndoor reported a conflict (409): ")
                        ),
                    )
                } else {
                    e
                }
            }),
            _ => Err(Error::invalid("kind", format!("Barndoor has no {} to delete.", kind.label()))),
        }
    }
}

fn explain_name_conflict(e: PostError) -> CreateError {
    match e {
        PostError::Refused(err) if err.code == ErrorCode::Conflict => CreateError::Refused(
            Error::new(ErrorCode::Conflict, "Another credential in this Barndoor organization already has this name; pick another.").on_field("name"),
        ),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_gateway_keys_are_not_inventory() {
        let live = gateway_key(json!({"id": "1", "name": "svc", "key_prefix": "bdai_ab", "created_at": "2026-01-01T00:00:00Z"})).unwrap();
        assert_eq!(live.unwrap().preview.as_deref(), Some("bdai_ab…"));
        let gone = gateway_key(json!({"id": "2", "name": "old", "revoked_at": "2026-02-01T00:00:00Z"})).unwrap();
        assert!(gone.is_none());
    }

    #[test]
    fn credentials_show_last4_only() {
        let c = credential(json!({"id": "c1", "name": "OpenAI", "model_provider": "openai", "key_last4": "9xQz",
            "secret_path": "kv/x", "settings": {}, "stores_key_material": true}))
        .unwrap();
        assert_eq!(c.preview.as_deref(), Some("…9xQz"));
        assert_eq!(c.owner.as_deref(), Some("openai"));
    }
}
