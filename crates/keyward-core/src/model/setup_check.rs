//! Checks a service can make before a credential is saved: Barndoor assumes an AWS role, or
//! reaches Vertex AI, and says whether it worked.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::new_key::{default_auth_type, json_object, NewKey};
use crate::model::{FieldError, Service};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SetupCheck {
    BarndoorAwsRole {
        region: String,
        iam_role_arn: String,
        external_id: String,
    },
    BarndoorGoogleVertex {
        project_id: String,
        location: String,
        #[serde(default)]
        #[ts(optional)]
        auth_type: Option<String>,
        /// `vertex_gemini` (default) or `anthropic_messages`.
        #[serde(default)]
        #[ts(optional)]
        model_api_family: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        target_service_account: Option<String>,
        /// A service-account key as a JSON object; sent once, never stored.
        #[serde(default)]
        #[ts(optional, type = "string")]
        credentials: Option<SecretString>,
        #[serde(default)]
        #[ts(optional)]
        model: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CheckOutcome {
    pub ok: bool,
    pub message: String,
}

impl SetupCheck {
    pub fn service(&self) -> Service {
        Service::Barndoor
    }

    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut need = |field: &str, v: &str| {
            if v.trim().is_empty() {
                out.push(FieldError { field: field.into(), message: "This cannot be empty.".into() });
            }
        };
        match self {
            SetupCheck::BarndoorAwsRole { region, iam_role_arn, external_id } => {
                need("region", region);
                need("iam_role_arn", iam_role_arn);
                need("external_id", external_id);
                if !iam_role_arn.trim().is_empty() && !iam_role_arn.trim().starts_with("arn:") {
                    out.push(FieldError {
                        field: "iam_role_arn".into(),
                        message: "A role ARN starts with arn:, e.g. arn:aws:iam::123456789012:role/name.".into(),
                    });
                }
            }
            SetupCheck::BarndoorGoogleVertex { project_id, location, model_api_family, credentials, .. } => {
                need("project_id", project_id);
                need("location", location);
                if let Some(f) = model_api_family.as_deref().filter(|f| !["vertex_gemini", "anthropic_messages"].contains(f)) {
                    out.push(FieldError { field: "model_api_family".into(), message: format!("'{f}' is not vertex_gemini or anthropic_messages.") });
                }
                if let Some(c) = credentials {
                    let text = secrecy::ExposeSecret::expose_secret(c);
                    // The parser's words could quote the secret: say only that it is not JSON.
                    if json_object("credentials", Some(text)).is_err() {
                        out.push(FieldError { field: "credentials".into(), message: "The credentials must be a JSON object.".into() });
                    }
                }
            }
        }
        out
    }

    pub fn check(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(p) => Err(Error::invalid(&p.field, p.message)),
            None => Ok(()),
        }
    }

    /// The check Barndoor can make for a credential about to be created: assume its AWS role, or
    /// reach Vertex AI with it. `Ok(None)` when its authentication has no such check (an API key is
    /// proven by its first use). Values come from the credential's settings and credentials JSON.
    pub fn for_credential(request: &NewKey) -> Result<Option<SetupCheck>> {
        let NewKey::BarndoorCredential { model_provider, auth_type, credentials, settings, .. } = request else {
            return Ok(None);
        };
        let settings = json_object("settings", settings.as_deref())?.unwrap_or_default();
        let secret = credentials.as_ref().map(|c| secrecy::ExposeSecret::expose_secret(c).to_string());
        // The parser's words could quote the secret: say only that it is not a JSON object.
        let given = json_object("credentials", secret.as_deref())
            .map_err(|_| Error::invalid("credentials", "The credentials must be a JSON object."))?
            .unwrap_or_default();
        let pick =
            |key: &str| [&given, &settings].iter().find_map(|v| v.get(key).and_then(serde_json::Value::as_str)).unwrap_or_default().to_string();
        let auth = auth_type.as_deref().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| default_auth_type(model_provider));
        Ok(match auth {
            "aws_role" => {
                Some(SetupCheck::BarndoorAwsRole { region: pick("region"), iam_role_arn: pick("iam_role_arn"), external_id: pick("external_id") })
            }
            "google_adc" | "google_service_account" | "google_impersonation" => Some(SetupCheck::BarndoorGoogleVertex {
                project_id: pick("project_id"),
                location: Some(pick("location")).filter(|l| !l.is_empty()).unwrap_or_else(|| pick("region")),
                auth_type: Some(auth.to_string()),
                model_api_family: Some(pick("model_api_family")).filter(|f| !f.is_empty()),
                target_service_account: Some(pick("target_service_account")).filter(|t| !t.is_empty()),
                credentials: (auth == "google_service_account").then(|| credentials.clone()).flatten(),
                model: None,
            }),
            _ => None,
        })
    }
}
