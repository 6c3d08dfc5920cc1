//! Install: a minted secret installed where it is used (a Barndoor credential, a Braintrust AI
//! secret or env var, a Respan custom provider) straight from Rust, never shown. Each install is read back
//! from the service and checked where the service shows the secret's last characters.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::model::catalog::AuditAction;
use crate::model::key_change::KeyUpdate;
use crate::model::new_key::NewKey;
use crate::model::{FieldError, KeyKind, KeyRow};
use crate::Keyward;

/// Where a minted secret goes.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "to", rename_all = "snake_case")]
#[ts(export)]
pub enum InstallTarget {
    /// A new credential, AI secret or custom provider made with the minted secret. The request's
    /// own secret field is ignored (send an empty string): the minted secret takes its place.
    Create { account_id: String, request: NewKey },
    /// An existing one, given the minted secret in place of its own.
    Existing { key_id: String },
}

/// A finished install: the target as its service now describes it, and how it was checked.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Installed {
    pub key: KeyRow,
    /// `true`: the service shows the new secret's last characters; `None`: it shows nothing of a
    /// stored secret, and the target was read back present.
    pub verified: Option<bool>,
    pub check: String,
}

/// Secret fields of a create form: the minted secret fills them, so they are not the form's problem.
const SECRET_FIELDS: [&str; 4] = ["api_key", "secret", "credentials", "value"];

fn not_a_target(kind: KeyKind) -> Error {
    Error::invalid(
        "kind",
        format!(
            "A {} cannot take a secret; install into a Barndoor credential, a Braintrust AI secret or env var, or a Respan custom provider.",
            kind.label()
        ),
    )
}

/// The create request with the minted secret as its secret.
fn with_secret(request: NewKey, secret: &SecretString) -> Result<NewKey> {
    match request {
        NewKey::BarndoorCredential { name, model_provider, base_url, auth_type, settings, change_note, .. } => {
            // An empty choice is the provider's default, as in every create form.
            let auth_type = auth_type.filter(|a| !a.trim().is_empty());
            if auth_type.as_deref().is_some_and(|a| !crate::model::new_key::auth_takes_key(a)) {
                return Err(Error::invalid("auth_type", "A minted key is an API key: choose API key authentication (or the provider's default)."));
            }
            Ok(NewKey::BarndoorCredential {
                name,
                model_provider,
                base_url,
                auth_type,
                api_key: Some(secret.clone()),
                credentials: None,
                settings,
                change_note,
            })
        }
        NewKey::BraintrustAiSecret { name, secret_type, metadata, replace_existing, .. } => {
            Ok(NewKey::BraintrustAiSecret { name, secret_type, secret: secret.clone(), metadata, replace_existing })
        }
        NewKey::BraintrustEnvVar { name, object_type, object_id, secret_type, replace_existing, .. } => {
            Ok(NewKey::BraintrustEnvVar { name, object_type, object_id, value: secret.clone(), secret_type, replace_existing })
        }
        NewKey::RespanProvider { provider_id, provider_name, extra_kwargs, .. } => {
            Ok(NewKey::RespanProvider { provider_id, provider_name, api_key: secret.clone(), extra_kwargs })
        }
        other => Err(not_a_target(other.kind())),
    }
}

/// The change that gives an existing target the minted secret, and nothing else.
fn reissue_to(kind: KeyKind, secret: &SecretString) -> Result<KeyUpdate> {
    let s = Some(secret.clone());
    match kind {
        KeyKind::BarndoorCredential => Ok(KeyUpdate::BarndoorCredential {
            name: None,
            base_url: None,
            auth_type: None,
            api_key: s,
            credentials: None,
            settings: None,
            change_note: Some("Secret installed by Keyward".into()),
        }),
        KeyKind::BraintrustAiSecret => Ok(KeyUpdate::BraintrustAiSecret { name: None, secret_type: None, secret: s, metadata: None }),
        KeyKind::BraintrustEnvVar => Ok(KeyUpdate::BraintrustEnvVar { name: None, value: s }),
        KeyKind::RespanProvider => Ok(KeyUpdate::RespanProvider { provider_name: None, api_key: s, extra_kwargs: None }),
        other => Err(not_a_target(other)),
    }
}

fn last4(secret: &SecretString) -> String {
    let s = secret.expose_secret();
    s.char_indices().rev().nth(3).map(|(i, _)| &s[i..]).unwrap_or(s).to_string()
}

/// What the service shows of a stored secret, compared with the one sent.
fn verification(row: &KeyRow, secret: &SecretString) -> (Option<bool>, String) {
    let service = row.service.display_name();
    match row.kind {
        KeyKind::BarndoorCredential | KeyKind::BraintrustAiSecret | KeyKind::BraintrustEnvVar => {
            let tail = last4(secret);
            match row.preview.as_deref() {
                Some(p) if p.ends_with(&tail) => (Some(true), format!("{service} shows the new secret's last 4 characters.")),
                Some(_) => (Some(false), format!("{service} still shows another secret's last characters: the new one did not take.")),
                None => (Some(false), format!("{service} shows no secret on “{}”.", row.name)),
            }
        }
        _ => (None, format!("{service} shows nothing of a stored key; “{}” was read back present.", row.name)),
    }
}

impl Keyward {
    /// What is wrong with an install target, field by field, without sending anything.
    pub fn validate_install(&self, target: &InstallTarget) -> Result<Vec<FieldError>> {
        match target {
            InstallTarget::Create { account_id, request } => {
                let placeholder = SecretString::from("placeholder-0000".to_string());
                let request = match with_secret(request.clone(), &placeholder) {
                    Ok(r) => r,
                    Err(e) => return Ok(vec![FieldError { field: e.field.unwrap_or_default(), message: e.message }]),
                };
                let mut problems = self.validate_key(account_id, &request)?;
                problems.retain(|p| !SECRET_FIELDS.contains(&p.field.as_str()));
                Ok(problems)
            }
            InstallTarget::Existing { key_id } => {
                let key = self.store.get_key(key_id)?;
                if !KeyKind::INSTALL_TARGETS.contains(&key.kind) {
                    return Ok(vec![FieldError { field: "key".into(), message: not_a_target(key.kind).message }]);
                }
                Ok(Vec::new())
            }
        }
    }

    /// Installs `secret` at the target, reads the target back from its service and checks it.
    /// `source` names where the secret came from, for the audit log.
    pub async fn install_secret(&self, secret: &SecretString, target: InstallTarget, source: &str) -> Result<Installed> {
        let row = match target {
            InstallTarget::Create { account_id, request } => {
                let request = with_secret(request, secret)?;
                self.create_key(&account_id, request).await?.key
            }
            InstallTarget::Existing { key_id } => {
                let key = self.store.get_key(&key_id)?;
                let update = reissue_to(key.kind, secret)?;
                self.update_key(&key_id, update).await?
            }
        };
        // Read back from the service: what it shows now, not what the write answered.
        let (row, (verified, check)) = match self.refresh_key(&row.id).await {
            Ok(fresh) => {
                let v = verification(&fresh, secret);
                (fresh, v)
            }
            Err(e) => {
                let msg = format!("Installed, but reading “{}” back failed: {}", row.name, e.message);
                (row, (Some(false), msg))
            }
        };
        let failed = (verified == Some(false)).then(|| Error::new(ErrorCode::Provider, check.clone()));
        self.record(Some(&row.account_id), AuditAction::KeyInstall, &row.name, failed.as_ref(), Some(&format!("from {source}")));
        Ok(Installed { key: row, verified, check })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_given_secret_kinds_take_a_minted_secret() {
        let s = SecretString::from("sk-new-1234".to_string());
        let req = NewKey::BraintrustApiKey { name: "x".into() };
        assert_eq!(with_secret(req, &s).unwrap_err().field.as_deref(), Some("kind"));
        assert!(reissue_to(KeyKind::RespanTempKey, &s).is_err());
        let aws = NewKey::BarndoorCredential {
            name: "Bedrock".into(),
            model_provider: "bedrock".into(),
            base_url: "https://bedrock.example".into(),
            auth_type: Some("aws_role".into()),
            api_key: None,
            credentials: None,
            settings: None,
            change_note: None,
        };
        assert_eq!(with_secret(aws, &s).unwrap_err().field.as_deref(), Some("auth_type"));
        // The form's "provider's default" arrives as an empty string: it is no choice, not a wrong one.
        let default = NewKey::BarndoorCredential {
            name: "Gateway".into(),
            model_provider: "custom".into(),
            base_url: "https://api.respan.ai/api/".into(),
            auth_type: Some(String::new()),
            api_key: None,
            credentials: None,
            settings: None,
            change_note: None,
        };
        assert!(matches!(with_secret(default, &s).unwrap(), NewKey::BarndoorCredential { auth_type: None, api_key: Some(_), .. }));
        let provider = NewKey::RespanProvider {
            provider_id: "p".into(),
            provider_name: "P".into(),
            api_key: SecretString::from(String::new()),
            extra_kwargs: None,
        };
        match with_secret(provider, &s).unwrap() {
            NewKey::RespanProvider { api_key, .. } => assert_eq!(api_key.expose_secret(), "sk-new-1234"),
            _ => unreachable!(),
        }
    }

    #[test]
    fn last4_takes_characters_not_bytes() {
        assert_eq!(last4(&SecretString::from("abcdef".to_string())), "cdef");
        assert_eq!(last4(&SecretString::from("ab".to_string())), "ab");
        assert_eq!(last4(&SecretString::from("xxéééé".to_string())), "éééé");
    }
}
