//! When the db file cannot be used. Damaged: it is moved aside (never deleted) and a fresh one is
//! built; the accounts come back from `accounts.json`, a small metadata export kept beside the db
//! and rewritten whenever an account changes (tokens stay in the keychain under the same ids), and
//! their keys come back with the next sync. Locked by another program: a clear message and a retry.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, DB_FILE};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Account, Service};
use crate::paths;

pub const ACCOUNTS_EXPORT: &str = "accounts.json";

/// An account as exported: what identifies it, nothing about its sync, never a token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccountRecord {
    pub id: String,
    pub service: Service,
    pub label: String,
    pub host: String,
    pub org_name: Option<String>,
    pub identity: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct Export {
    version: u32,
    accounts: Vec<AccountRecord>,
}

/// What a recovery did, for the window and the CLI to say.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RecoveryReport {
    /// Where the damaged file now is.
    pub moved_to: String,
    pub accounts_restored: u32,
}

/// Reads an SQLite failure as a person needs it: damaged (recoverable by moving it aside),
/// locked by another program, or something else about the store. Every SQLite error goes
/// through here (`From<rusqlite::Error>` too); `at` names the file when it is known.
pub(crate) fn classify(at: Option<&Path>, what: &str, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    let place = at.map(|p| format!(" at {}", p.display())).unwrap_or_default();
    match e.sqlite_error_code() {
        Some(C::NotADatabase | C::DatabaseCorrupt) => Error::new(
            ErrorCode::StoreDamaged,
            format!(
                "The local inventory{place} is damaged ({e}). Keyward can move it aside and rebuild it: \
                 accounts come back from {ACCOUNTS_EXPORT} beside it, and their keys from the services."
            ),
        ),
        Some(C::DatabaseBusy | C::DatabaseLocked) => Error::new(
            ErrorCode::StoreLocked,
            format!("The local inventory{place} is locked by another program. Close any other Keyward and try again."),
        ),
        _ => Error::storage(what, e),
    }
}

// Here rather than beside `Error`, so the error type stays a leaf that knows nothing of the store.
impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        classify(None, "complete the operation", err)
    }
}

impl Store {
    fn export_path(&self) -> Option<PathBuf> {
        self.path.parent().filter(|_| self.path != Path::new(":memory:")).map(|d| d.join(ACCOUNTS_EXPORT))
    }

    /// Rewrites `accounts.json` from the accounts now stored. A failure here never fails the
    /// change that caused it; it is logged and the next change tries again.
    pub(crate) fn export_accounts(&self) {
        let Some(path) = self.export_path() else { return };
        let accounts = match self.list_accounts() {
            Ok(a) => a,
            Err(e) => return tracing::warn!(error = %e, "could not read the accounts to export"),
        };
        let export = Export { version: 1, accounts: accounts.iter().map(AccountRecord::from).collect() };
        let bytes = serde_json::to_vec_pretty(&export).expect("plain data serializes");
        if let Err(e) = paths::write_private(&path, &bytes) {
            tracing::warn!(error = %e, "could not write {ACCOUNTS_EXPORT}");
        }
    }
}

impl From<&Account> for AccountRecord {
    fn from(a: &Account) -> Self {
        AccountRecord {
            id: a.id.clone(),
            service: a.service,
            label: a.label.clone(),
            host: a.host.clone(),
            org_name: a.org_name.clone(),
            identity: a.identity.clone(),
            created_at: a.created_at,
        }
    }
}

/// The accounts in `accounts.json`, or none when it is missing or unreadable (then accounts are
/// added again by hand; their tokens may still be in the keychain).
pub fn read_export(data_dir: &Path) -> Vec<AccountRecord> {
    let Ok(bytes) = std::fs::read(data_dir.join(ACCOUNTS_EXPORT)) else { return Vec::new() };
    serde_json::from_slice::<Export>(&bytes).map(|e| e.accounts).unwrap_or_default()
}

/// Moves the damaged db (and its -wal/-shm) aside, opens a fresh store and restores the
/// exported accounts into it.
pub fn rebuild(data_dir: &Path) -> Result<(Store, RecoveryReport)> {
    let db = data_dir.join(DB_FILE);
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = data_dir.join(format!("{DB_FILE}.damaged-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&from, &to).map_err(|e| Error::storage(&format!("move {} aside", from.display()), e))?;
            paths::restrict_file(&to)?;
        }
    }
    let records = read_export(data_dir);
    let store = Store::open(data_dir)?;
    let mut restored = 0;
    for r in &records {
        let account = Account {
            id: r.id.clone(),
            service: r.service,
            label: r.label.clone(),
            host: r.host.clone(),
            org_name: r.org_name.clone(),
            identity: r.identity.clone(),
            created_at: r.created_at,
            last_synced_at: None,
            last_sync_error: None,
            key_count: 0,
        };
        if store.insert_account(&account).is_ok() {
            restored += 1;
        }
    }
    Ok((store, RecoveryReport { moved_to: aside.display().to_string(), accounts_restored: restored }))
}
