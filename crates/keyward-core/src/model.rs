//! The types that cross the IPC boundary and the CLI's `--json`. None of them holds a secret:
//! account tokens and minted keys live in `secrecy` types that are never `Serialize`.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Service {
    Braintrust,
    Respan,
    Barndoor,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Braintrust, Service::Respan, Service::Barndoor];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::Braintrust => "braintrust",
            Service::Respan => "respan",
            Service::Barndoor => "barndoor",
        }
    }

    /// The name a person reads in messages ("refused by Braintrust").
    pub fn display_name(self) -> &'static str {
        match self {
            Service::Braintrust => "Braintrust",
            Service::Respan => "Respan",
            Service::Barndoor => "Barndoor",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|svc| svc.as_str() == s)
    }
}

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
    /// A new token replaces the one in the keychain (re-entry after it was lost, or rotation).
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

/// One validation problem, named by the form field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyKind {
    BraintrustApiKey,
    BraintrustProxyCredential,
    BraintrustServiceToken,
    /// An upstream provider key stored in Braintrust; its secret was given by the user.
    BraintrustAiSecret,
    RespanTempKey,
    /// An upstream provider key stored in Respan; its secret was given by the user.
    RespanProvider,
    BarndoorGatewayKey,
    /// An upstream provider credential stored in Barndoor; its secret was given by the user.
    BarndoorCredential,
    /// A Barndoor route that uses a credential; listed with its health, never created here.
    BarndoorProvider,
}

impl KeyKind {
    pub const ALL: [KeyKind; 9] = [
        KeyKind::BraintrustApiKey,
        KeyKind::BraintrustProxyCredential,
        KeyKind::BraintrustServiceToken,
        KeyKind::BraintrustAiSecret,
        KeyKind::RespanTempKey,
        KeyKind::RespanProvider,
        KeyKind::BarndoorGatewayKey,
        KeyKind::BarndoorCredential,
        KeyKind::BarndoorProvider,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey => "braintrust_api_key",
            KeyKind::BraintrustProxyCredential => "braintrust_proxy_credential",
            KeyKind::BraintrustServiceToken => "braintrust_service_token",
            KeyKind::BraintrustAiSecret => "braintrust_ai_secret",
            KeyKind::RespanTempKey => "respan_temp_key",
            KeyKind::RespanProvider => "respan_provider",
            KeyKind::BarndoorGatewayKey => "barndoor_gateway_key",
            KeyKind::BarndoorCredential => "barndoor_credential",
            KeyKind::BarndoorProvider => "barndoor_provider",
        }
    }

    pub fn parse(s: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kinds services list (a proxy credential is never listed: Braintrust keeps no record).
    pub const LISTED: [KeyKind; 8] = [
        KeyKind::BraintrustApiKey,
        KeyKind::BraintrustServiceToken,
        KeyKind::BraintrustAiSecret,
        KeyKind::RespanTempKey,
        KeyKind::RespanProvider,
        KeyKind::BarndoorGatewayKey,
        KeyKind::BarndoorCredential,
        KeyKind::BarndoorProvider,
    ];

    /// The kinds a secret can be installed into: the ones whose secret a person gives.
    pub const INSTALL_TARGETS: [KeyKind; 3] = [KeyKind::BarndoorCredential, KeyKind::BraintrustAiSecret, KeyKind::RespanProvider];

    /// Whether its service lets Keyward revoke or delete it: a proxy credential only expires,
    /// and a Barndoor provider is removed in Barndoor. (What each provider's `delete_key` accepts.)
    pub fn revocable(self) -> bool {
        !matches!(self, KeyKind::BraintrustProxyCredential | KeyKind::BarndoorProvider)
    }

    /// Only Barndoor reissues a key's secret (what its `reissue_key` accepts).
    pub fn reissuable(self) -> bool {
        self == KeyKind::BarndoorGatewayKey
    }

    /// Whether the service mints this kind's secret (shown once); the others' secret is given
    /// by the person.
    pub fn mints_secret(self) -> bool {
        matches!(
            self,
            KeyKind::BraintrustApiKey
                | KeyKind::BraintrustProxyCredential
                | KeyKind::BraintrustServiceToken
                | KeyKind::RespanTempKey
                | KeyKind::BarndoorGatewayKey
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey => "API key",
            KeyKind::BraintrustProxyCredential => "Proxy credential",
            KeyKind::BraintrustServiceToken => "Service token",
            KeyKind::BraintrustAiSecret => "AI secret",
            KeyKind::RespanTempKey => "Temporary key",
            KeyKind::RespanProvider => "Custom provider",
            KeyKind::BarndoorGatewayKey => "Gateway key",
            KeyKind::BarndoorCredential => "Credential",
            KeyKind::BarndoorProvider => "Provider",
        }
    }

    /// The environment variable a minted secret of this kind is usually given to programs as
    /// ("Copy as .env line").
    pub fn env_var(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey | KeyKind::BraintrustServiceToken => "BRAINTRUST_API_KEY",
            KeyKind::BraintrustProxyCredential => "BRAINTRUST_PROXY_CREDENTIAL",
            KeyKind::BraintrustAiSecret => "OPENAI_API_KEY",
            KeyKind::RespanTempKey | KeyKind::RespanProvider => "RESPAN_API_KEY",
            KeyKind::BarndoorGatewayKey | KeyKind::BarndoorCredential | KeyKind::BarndoorProvider => "BARNDOOR_API_KEY",
        }
    }

    pub fn service(self) -> Service {
        match self {
            KeyKind::BraintrustApiKey | KeyKind::BraintrustProxyCredential | KeyKind::BraintrustServiceToken | KeyKind::BraintrustAiSecret => {
                Service::Braintrust
            }
            KeyKind::RespanTempKey | KeyKind::RespanProvider => Service::Respan,
            KeyKind::BarndoorGatewayKey | KeyKind::BarndoorCredential | KeyKind::BarndoorProvider => Service::Barndoor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyStatus {
    Active,
    /// Active, and expiring within the settings' expiry window (computed when read).
    Expiring,
    /// Past its expiry date (computed when read, so it needs no sync to become true).
    Expired,
    /// Revoked or deleted through Keyward.
    Revoked,
    /// No longer listed by the service: deleted elsewhere.
    Gone,
}

impl KeyStatus {
    pub const ALL: [KeyStatus; 5] = [KeyStatus::Active, KeyStatus::Expiring, KeyStatus::Expired, KeyStatus::Revoked, KeyStatus::Gone];
    /// How near an expiry must be for an active key to read as expiring, unless the settings say otherwise.
    pub const EXPIRING_DAYS: i64 = 7;

    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::Expiring => "expiring",
            KeyStatus::Expired => "expired",
            KeyStatus::Revoked => "revoked",
            KeyStatus::Gone => "gone",
        }
    }

    pub fn parse(s: &str) -> Option<KeyStatus> {
        KeyStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One row of the inventory, from the local store.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct KeyRow {
    /// Stable local id (derived from account, kind and the service's id).
    pub id: String,
    pub account_id: String,
    pub account_label: String,
    pub service: Service,
    pub kind: KeyKind,
    /// The service's own id for the key.
    pub provider_id: String,
    pub name: String,
    pub preview: Option<String>,
    pub owner: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub status: KeyStatus,
    pub last_seen_at: DateTime<Utc>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub limits: KeyLimits,
    /// Live and older than the rotation age in the settings (computed when read).
    pub rotate_due: bool,
}

/// Limits and usage, where a service reports them (Respan temporary keys do).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KeyLimits {
    pub is_test: Option<bool>,
    #[ts(type = "number | null")]
    pub usage_count: Option<i64>,
    /// `None` and -1 both mean unlimited.
    #[ts(type = "number | null")]
    pub usage_limit: Option<i64>,
    /// US dollars.
    pub spend: Option<f64>,
    pub spend_limit: Option<f64>,
    /// Calls per minute.
    #[ts(type = "number | null")]
    pub rate_limit: Option<i64>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A key as a provider listed it, before it is cached.
#[derive(Debug, Clone, Serialize)]
pub struct RemoteKey {
    pub kind: KeyKind,
    pub provider_id: String,
    pub name: String,
    pub preview: Option<String>,
    pub owner: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub limits: KeyLimits,
    /// Every other field the service returned, for the detail panel. Never a secret.
    pub details: serde_json::Value,
}

/// What the inventory asks the store for.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct KeyQuery {
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub account_id: Option<String>,
    /// Keys the service no longer lists are hidden unless asked for.
    #[serde(default)]
    #[ts(optional)]
    pub include_gone: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub service: Option<Service>,
    /// Only these kinds; all when empty or left out.
    #[serde(default)]
    #[ts(optional)]
    pub kinds: Option<Vec<KeyKind>>,
    /// Only these statuses (as shown: a key past its expiry is `expired`).
    #[serde(default)]
    #[ts(optional)]
    pub statuses: Option<Vec<KeyStatus>>,
    /// Only test keys (true) or only production keys (false).
    #[serde(default)]
    #[ts(optional)]
    pub is_test: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<KeySort>,
    #[serde(default)]
    #[ts(optional)]
    pub descending: Option<bool>,
    /// At most this many rows (the first screenful, while the rest loads).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// The inventory's sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeySort {
    Name,
    Kind,
    Account,
    Preview,
    Owner,
    Created,
    Expires,
    /// How much of its use or spend limit a key has used (the larger of the two).
    Usage,
    Status,
}

/// The share of a limit used: uses over a positive use limit, spend over a positive spend limit,
/// whichever is larger. No ", " inside: the sort code splits columns on it.
macro_rules! used_share {
    () => {
        "COALESCE(MAX((CASE WHEN k.usage_limit>0 THEN 1.0*k.usage_count/k.usage_limit END),(CASE WHEN k.spend_limit>0 THEN k.spend/k.spend_limit END)),(CASE WHEN k.usage_limit>0 THEN 1.0*k.usage_count/k.usage_limit END),(CASE WHEN k.spend_limit>0 THEN k.spend/k.spend_limit END))"
    };
}

impl KeySort {
    /// The SQL it orders by; fixed strings, never user text.
    pub fn column(self) -> &'static str {
        match self {
            KeySort::Name => "k.name COLLATE NOCASE",
            KeySort::Kind => "k.kind",
            KeySort::Account => "a.label COLLATE NOCASE",
            KeySort::Preview => "k.preview",
            KeySort::Owner => "k.owner COLLATE NOCASE",
            KeySort::Created => "k.created_at",
            KeySort::Expires => "k.expires_at IS NULL, k.expires_at",
            KeySort::Usage => concat!(used_share!(), " IS NULL, ", used_share!()),
            KeySort::Status => "shown_status",
        }
    }
}

/// Emitted while an account syncs (event `sync-progress`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub account_id: String,
    pub pages: u32,
    pub fetched: u32,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub account_id: String,
    pub fetched: u32,
    pub added: u32,
    pub updated: u32,
    pub gone: u32,
    /// Objects the service listed that Keyward could not read; while any is, nothing is gone.
    pub skipped: u32,
    pub pages: u32,
    pub finished_at: DateTime<Utc>,
}

/// A key just minted: how it is described (`RemoteKey` as its service answered, `KeyRow` once
/// cached) and the secret to show once, `None` when the user gave the secret. Not `Serialize`:
/// the secret stays in Rust until the reveal dialog (or the CLI's stdout) takes it.
pub struct Minted<K = KeyRow> {
    pub key: K,
    pub secret: Option<crate::secret::MintedSecret>,
}
