//! Braintrust environment variables: where one is scoped (the organization, a project or a
//! function), the projects a person picks from, and the rules for a variable's name and value.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// What an env var is scoped to (Braintrust's `object_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EnvVarScope {
    Organization,
    Project,
    Function,
}

impl EnvVarScope {
    pub const ALL: [EnvVarScope; 3] = [EnvVarScope::Organization, EnvVarScope::Project, EnvVarScope::Function];

    pub fn as_str(self) -> &'static str {
        match self {
            EnvVarScope::Organization => "organization",
            EnvVarScope::Project => "project",
            EnvVarScope::Function => "function",
        }
    }

    pub fn parse(s: &str) -> Option<EnvVarScope> {
        EnvVarScope::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the request must name the object (an organization is the token's own).
    pub fn needs_object_id(self) -> bool {
        self != EnvVarScope::Organization
    }

    /// How the inventory's owner column reads it: "project checkout", "organization".
    pub fn describe(self, object_id: &str, project_name: Option<&str>) -> String {
        match (self, project_name) {
            (EnvVarScope::Organization, _) => "organization".into(),
            (EnvVarScope::Project, Some(name)) => format!("project {name}"),
            (scope, _) => format!("{} {}", scope.as_str(), object_id.get(..8).unwrap_or(object_id)),
        }
    }
}

/// A Braintrust project, as `GET /v1/project` lists it: what a person picks an env var's scope from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
}

/// A name is checked like any key name, and a program reads it from its environment, so it
/// cannot hold `=` or spaces either.
pub(crate) fn check_name(field: &str, name: &str) -> Result<()> {
    crate::model::rules::text(field, Some(&name.to_string()), true)?;
    if name.trim().chars().any(|c| c == '=' || c.is_whitespace()) {
        return Err(Error::invalid(field, "An environment variable's name has no spaces or '='; e.g. RESPAN_API_KEY."));
    }
    Ok(())
}

/// Values are text a program reads: anything but a NUL, up to 64 KB. The message never quotes it.
const MAX_VALUE: usize = 64 * 1024;

pub(crate) fn check_value(field: &str, value: Option<&SecretString>, required: bool) -> Result<()> {
    let v = value.map(|v| v.expose_secret().trim()).unwrap_or("");
    if v.is_empty() {
        return if required { Err(Error::invalid(field, "Give the variable's value.")) } else { Ok(()) };
    }
    if v.len() > MAX_VALUE || v.contains('\0') {
        return Err(Error::invalid(field, format!("A value is text of at most {} KB, without NUL characters.", MAX_VALUE / 1024)));
    }
    Ok(())
}

/// The object an env var is scoped to, where the request must name one: a UUID.
pub(crate) fn check_object(scope: EnvVarScope, object_id: Option<&str>) -> Result<()> {
    let id = object_id.map(str::trim).filter(|v| !v.is_empty());
    match id {
        None if scope.needs_object_id() => Err(Error::invalid("object_id", format!("Pick the {} the variable is for.", scope.as_str()))),
        Some(id) if uuid::Uuid::parse_str(id).is_err() => {
            Err(Error::invalid("object_id", format!("A Braintrust {} id is a UUID, e.g. 5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01.", scope.as_str())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_values_and_objects() {
        assert!(check_name("name", "RESPAN_API_KEY").is_ok());
        assert_eq!(check_name("name", "A B").unwrap_err().field.as_deref(), Some("name"));
        assert_eq!(check_name("name", "A=B").unwrap_err().field.as_deref(), Some("name"));
        assert_eq!(check_name("name", "  ").unwrap_err().field.as_deref(), Some("name"));
        let v = |s: &str| SecretString::from(s.to_string());
        assert!(check_value("value", Some(&v("with spaces is fine")), true).is_ok());
        assert!(check_value("value", None, true).is_err());
        assert!(check_value("value", None, false).is_ok());
        let err = check_value("value", Some(&v("a\0secret-part")), true).unwrap_err();
        assert!(!err.message.contains("secret-part"));
        assert!(check_object(EnvVarScope::Organization, None).is_ok());
        assert_eq!(check_object(EnvVarScope::Project, None).unwrap_err().field.as_deref(), Some("object_id"));
        assert_eq!(check_object(EnvVarScope::Function, Some("f1")).unwrap_err().field.as_deref(), Some("object_id"));
        assert!(check_object(EnvVarScope::Project, Some("5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01")).is_ok());
    }

    #[test]
    fn scopes_read_as_a_person_says_them() {
        let id = "5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01";
        assert_eq!(EnvVarScope::Project.describe(id, Some("checkout")), "project checkout");
        assert_eq!(EnvVarScope::Project.describe(id, None), "project 5d7c7a52");
        assert_eq!(EnvVarScope::Organization.describe(id, None), "organization");
        assert_eq!(EnvVarScope::Function.describe("f", None), "function f");
        assert_eq!(EnvVarScope::parse("project"), Some(EnvVarScope::Project));
    }
}
