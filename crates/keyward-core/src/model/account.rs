//! An account: what the store keeps of it, what the add and edit forms send.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Error;

use super::Service;

/// A host a person can pick instead of typing one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HostPreset {
    pub service: Service,
    pub label: String,
    pub url: String,
    pub is_default: bool,
}

/// An account as the store keeps it: metadata only, the token is in the keychain.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Account {
    pub id: String,
    pub service: Service,
    pub label: String,
    pub host: String,
    pub org_name: Option<String>,
    /// Who the token belongs to, as the service said when it was verified.
    pub identity: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Why the last sync failed; cleared by the next successful one.
    pub last_sync_error: Option<Error>,
    pub key_count: u32,
}

/// What the add-account form sends. The token is wrapped at once and never serialized back.
#[derive(Deserialize, TS)]
#[ts(export)]
pub struct NewAccount {
    pub service: Service,
    pub label: String,
    pub host: String,
    #[serde(default)]
    pub org_name: Option<String>,
    #[ts(type = "string")]
    pub token: SecretString,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("service", &self.service)
            .field("label", &self.label)
            .field("host", &self.host)
            .field("org_name", &self.org_name)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// Changes to an account; a new token or host is verified with the service before anything is kept.
#[derive(Deserialize, TS)]
#[ts(export)]
pub struct AccountUpdate {
    #[serde(default)]
    #[ts(optional)]
    pub label: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub host: Option<String>,
    /// An empty string clears it.
    #[serde(default)]
    #[ts(optional)]
    pub org_name: Option<String>,
    /// A new token replaces the one in the keychain (re-entry after it was lost, or a new one made at the service).
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub token: Option<SecretString>,
}

impl std::fmt::Debug for AccountUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountUpdate")
            .field("label", &self.label)
            .field("host", &self.host)
            .field("org_name", &self.org_name)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}
