//! A key: its row in the inventory, as a service listed it, what the inventory asks for, and
//! what a sync reports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{KeyKind, KeyStatus, Service};

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
    /// The `keyward run` it was minted for, if any: such a key ends with that process.
    pub run: Option<RunMark>,
    /// A Barndoor gateway key's kind, scopes, binding and secret state; `None` for other kinds.
    pub gateway: Option<super::gateway_state::GatewayState>,
}

/// The run a key was minted for (`keyward run`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RunMark {
    pub run_id: String,
    /// The command's name, never its arguments (they may hold secrets of their own).
    pub command: String,
    /// The command's pid (Keyward's own while the keys were being minted).
    pub pid: u32,
    /// The variable the key was handed to the command in.
    pub env_name: String,
    pub started_at: DateTime<Utc>,
    /// `None` while the run goes on: the key is revoked when its process ends.
    pub ended_at: Option<DateTime<Utc>>,
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
    /// Only keys minted by `keyward run` (true) or only the others (false).
    #[serde(default)]
    #[ts(optional)]
    pub from_run: Option<bool>,
    /// Only keys whose service reports their last use (`KeyKind::reports_last_use`) and that
    /// were not used in this many days; 0: never used.
    #[serde(default)]
    #[ts(optional)]
    pub unused_days: Option<u32>,
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
    /// The last use a service reported; keys never used come first ascending.
    LastUsed,
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
            KeySort::LastUsed => "k.last_used_at",
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
    /// Cached keys whose metadata the listing changed (an unchanged key is not counted).
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
    pub secret: Option<crate::model::secret::MintedSecret>,
}
