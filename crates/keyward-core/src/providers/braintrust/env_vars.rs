//! Braintrust env vars (`/v1/env_var`) and the projects they are scoped to (`/v1/project`).
//! An env var's value is write-only: the service shows a redacted `preview_secret`.

use std::collections::HashMap;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Braintrust, Objects};
use crate::error::{Error, Result};
use crate::model::env_var::{EnvVarScope, Project};
use crate::model::key_change::KeyUpdate;
use crate::model::time::parse_timestamp;
use crate::model::{KeyKind, KeyLimits, RemoteKey, Service};
use crate::providers::http::with_id;
use crate::providers::CreateError;

/// A project id and name, as an env var's owner column names its scope.
pub(crate) type ProjectNames = HashMap<String, String>;

#[derive(Deserialize)]
struct EnvVar {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    object_type: Option<String>,
    #[serde(default)]
    object_id: Option<String>,
    #[serde(default)]
    preview_secret: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    used: Option<String>,
}

/// One env var. Its scope's project name, where known, is kept in its details (`project_name`)
/// so the detail panel and the owner column name the project, not its id.
pub(crate) fn env_var(raw: Value) -> Result<RemoteKey> {
    with_projects(raw, &ProjectNames::new())
}

pub(crate) fn with_projects(mut raw: Value, projects: &ProjectNames) -> Result<RemoteKey> {
    let e: EnvVar = serde::Deserialize::deserialize(&raw).map_err(|e| crate::providers::unreadable(Service::Braintrust, "an env var", &e))?;
    let scope = e.object_type.as_deref().and_then(EnvVarScope::parse);
    let object_id = e.object_id.clone().unwrap_or_default();
    let project_name = projects.get(&object_id).cloned().or_else(|| raw.get("project_name").and_then(Value::as_str).map(str::to_string));
    if let (Some(EnvVarScope::Project), Some(name), Some(map)) = (scope, &project_name, raw.as_object_mut()) {
        map.insert("project_name".into(), json!(name));
    }
    Ok(RemoteKey {
        kind: KeyKind::BraintrustEnvVar,
        name: e.name.filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed)".into()),
        preview: e.preview_secret,
        owner: scope.map(|s| s.describe(&object_id, project_name.as_deref())),
        created_at: e.created.as_deref().and_then(parse_timestamp),
        expires_at: None,
        limits: KeyLimits { last_used_at: e.used.as_deref().and_then(parse_timestamp), ..Default::default() },
        provider_id: crate::providers::listed_id(Service::Braintrust, "an env var", e.id)?,
        details: crate::providers::cached::details(KeyKind::BraintrustEnvVar, raw),
    })
}

#[derive(Deserialize)]
struct ProjectObject {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    deleted_at: Option<String>,
}

fn project(raw: Value) -> Result<Option<Project>> {
    let p: ProjectObject = serde_json::from_value(raw).map_err(|e| crate::providers::unreadable(Service::Braintrust, "a project", &e))?;
    if p.deleted_at.is_some() {
        return Ok(None);
    }
    Ok(Some(Project { id: p.id, name: p.name, description: p.description, created_at: p.created.as_deref().and_then(parse_timestamp) }))
}

impl Braintrust {
    /// Every project the token can see, every page, newest first (as Braintrust lists them).
    pub(crate) async fn projects(&self) -> Result<Vec<Project>> {
        let limit = self.api.config().page_size.max(1);
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..super::MAX_PAGES {
            let mut query = vec![("limit", limit.to_string())];
            if let Some(c) = &cursor {
                query.push(("starting_after", c.clone()));
            }
            let batch: Objects = self.api.get_json("/v1/project", &query).await?;
            let count = batch.objects.len();
            let last = batch.objects.last().and_then(|o| o.get("id")).and_then(Value::as_str).map(str::to_string);
            out.extend(batch.objects.into_iter().filter_map(|raw| project(raw).ok().flatten()));
            if count < limit as usize || last.is_none() || last == cursor {
                return Ok(out);
            }
            cursor = last;
        }
        Err(Error::new(crate::ErrorCode::Provider, "Braintrust kept returning the same page of projects; the listing was stopped."))
    }

    /// Every env var. The list has no cursor (`limit` and `ids` only), so it is asked for whole.
    pub(crate) async fn env_vars(&self, skipped: &mut u32) -> Result<Vec<RemoteKey>> {
        let names: ProjectNames = match self.projects().await {
            Ok(projects) => projects.into_iter().map(|p| (p.id, p.name)).collect(),
            // A token that may list env vars but not projects still gets its variables, by project id.
            Err(e) if e.code == crate::ErrorCode::Forbidden => ProjectNames::new(),
            Err(e) => return Err(e),
        };
        let all: Objects = self.api.get_json("/v1/env_var", &[]).await?;
        let mut keys = Vec::with_capacity(all.objects.len());
        for raw in all.objects {
            match with_projects(raw, &names) {
                Ok(k) => keys.push(k),
                Err(_) => *skipped += 1,
            }
        }
        Ok(keys)
    }

    /// The project's name, for a variable just written (its answer names only the id).
    async fn project_name(&self, scope: EnvVarScope, object_id: &str) -> Option<String> {
        if scope != EnvVarScope::Project {
            return None;
        }
        let path = with_id("/v1/project/", object_id, "").ok()?;
        let raw: Value = self.api.get_json(&path, &[]).await.ok()?;
        raw.get("name").and_then(Value::as_str).map(str::to_string)
    }

    async fn named(&self, mut raw: Value) -> Result<RemoteKey> {
        let scope = raw.get("object_type").and_then(Value::as_str).and_then(EnvVarScope::parse);
        let object_id = raw.get("object_id").and_then(Value::as_str).unwrap_or_default().to_string();
        if let (Some(scope), Some(map)) = (scope, raw.as_object_mut()) {
            if let Some(name) = self.project_name(scope, &object_id).await {
                map.insert("project_name".into(), json!(name));
            }
        }
        env_var(raw)
    }

    /// The organization's id: the object an organization-wide variable is scoped to.
    async fn organization_id(&self) -> Result<String> {
        let orgs: Objects = self.api.get_json("/v1/organization", &[("limit", "1".into())]).await?;
        orgs.objects
            .first()
            .and_then(|o| o.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::invalid("object_id", "Braintrust named no organization for this token; scope the variable to a project."))
    }

    /// The variable of that name in that scope, if there is one.
    async fn find_env_var(&self, scope: EnvVarScope, object_id: &str, name: &str) -> Result<Option<Value>> {
        let query = [("object_type", scope.as_str().to_string()), ("object_id", object_id.to_string()), ("env_var_name", name.to_string())];
        let found: Objects = self.api.get_json("/v1/env_var", &query).await?;
        Ok(found.objects.into_iter().find(|o| o.get("name").and_then(Value::as_str) == Some(name)))
    }

    /// Creates the variable, or with `replace` gives the one of that name its new value (PUT).
    /// Braintrust answers a create whose name is taken with the existing variable, unchanged, so
    /// without `replace` a taken name is refused here instead of reading as done.
    pub(crate) async fn create_env_var(
        &self,
        name: &str,
        scope: EnvVarScope,
        object_id: Option<&str>,
        value: &secrecy::SecretString,
        secret_type: Option<&str>,
        replace: bool,
    ) -> Result<RemoteKey, CreateError> {
        let name = name.trim();
        let object_id = match object_id.map(str::trim).filter(|v| !v.is_empty()) {
            Some(id) => id.to_string(),
            None => self.organization_id().await.map_err(CreateError::Refused)?,
        };
        if !replace && self.find_env_var(scope, &object_id, name).await.map_err(CreateError::Refused)?.is_some() {
            let place = self.project_name(scope, &object_id).await.map(|p| format!("project {p}")).unwrap_or_else(|| scope.as_str().to_string());
            return Err(CreateError::Refused(Error::invalid(
                "name",
                format!("{place} already has a variable named {name}: choose another name, or replace its value."),
            )));
        }
        let mut body = json!({
            "object_type": scope.as_str(),
            "object_id": object_id,
            "name": name,
            "value": secrecy::ExposeSecret::expose_secret(value).trim(),
        });
        if let Some(t) = secret_type.map(str::trim).filter(|t| !t.is_empty()) {
            body["secret_type"] = json!(t);
        }
        let method = if replace { Method::PUT } else { Method::POST };
        let raw: Value = self.api.send_json(method, "/v1/env_var", &body).await?;
        self.named(raw).await.map_err(CreateError::Ambiguous)
    }

    pub(crate) async fn find_created_env_var(&self, name: &str) -> Result<Vec<RemoteKey>> {
        let found: Objects = self.api.get_json("/v1/env_var", &[("env_var_name", name.trim().to_string())]).await?;
        Ok(found.objects.into_iter().filter_map(|raw| env_var(raw).ok()).collect())
    }

    pub(crate) async fn get_env_var(&self, id: &str) -> Result<Option<RemoteKey>> {
        let path = with_id("/v1/env_var/", id, "")?;
        match crate::providers::found(self.api.get_json::<Value>(&path, &[]).await)? {
            Some(raw) => self.named(raw).await.map(Some),
            None => Ok(None),
        }
    }

    /// Braintrust's PATCH requires the name: the current one is sent when only the value changes.
    pub(crate) async fn update_env_var(&self, id: &str, update: &KeyUpdate) -> Result<RemoteKey> {
        let KeyUpdate::BraintrustEnvVar { name, value } = update else {
            return Err(Error::invalid("kind", "Braintrust cannot change an env var that way."));
        };
        let path = with_id("/v1/env_var/", id, "")?;
        let name = match name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => n.to_string(),
            None => {
                let current: Value = self.api.get_json(&path, &[]).await?;
                current.get("name").and_then(Value::as_str).map(str::to_string).ok_or_else(|| {
                    Error::new(crate::ErrorCode::Provider, "Braintrust sent the variable without its name; rename it to change its value.")
                })?
            }
        };
        let mut body = json!({ "name": name });
        if let Some(v) = value.as_ref().map(|v| secrecy::ExposeSecret::expose_secret(v).trim()).filter(|v| !v.is_empty()) {
            body["value"] = json!(v);
        }
        let raw: Value = self.api.write(Method::PATCH, &path, &body).await?;
        self.named(raw).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_env_var_names_its_project_and_last_use() {
        let raw = json!({"id": "e1", "name": "RESPAN_API_KEY", "object_type": "project", "object_id": "p-1",
            "preview_secret": "sk-****abcd", "used": "2026-11-30T10:00:00Z", "secret_category": "env_var"});
        let projects = ProjectNames::from([("p-1".to_string(), "checkout".to_string())]);
        let k = with_projects(raw.clone(), &projects).unwrap();
        assert_eq!(k.owner.as_deref(), Some("project checkout"));
        assert_eq!(k.details["project_name"], "checkout");
        assert_eq!(k.details["secret_category"], "env_var");
        assert!(k.limits.last_used_at.is_some());
        assert_eq!(env_var(raw).unwrap().owner.as_deref(), Some("project p-1"));
        assert!(env_var(json!({"name": "no id"})).is_err());
    }

    #[test]
    fn a_deleted_project_is_not_offered() {
        assert!(project(json!({"id": "p", "name": "old", "deleted_at": "2026-01-01T00:00:00Z"})).unwrap().is_none());
        assert_eq!(project(json!({"id": "p", "name": "new"})).unwrap().unwrap().name, "new");
        assert!(project(json!({"id": "p"})).is_err());
    }
}
