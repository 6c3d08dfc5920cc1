//! The local audit log: what Keyward did, when, to what, and how it went. Never a secret.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::Store;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub account_id: Option<String>,
    /// e.g. `account.add`, `key.create`, `key.revoke`.
    pub action: String,
    /// What it was done to, by name (never a secret).
    pub target: String,
    /// `ok`, or the error code.
    pub outcome: String,
    pub detail: Option<String>,
}

impl Store {
    pub fn audit(&self, entry: &AuditEntry) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit (at, account_id, action, target, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![entry.at, entry.account_id, entry.action, entry.target, entry.outcome, entry.detail],
        )?;
        Ok(())
    }

    /// Newest first.
    pub fn list_audit(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, account_id, action, target, outcome, detail FROM audit ORDER BY at DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                account_id: r.get(1)?,
                action: r.get(2)?,
                target: r.get(3)?,
                outcome: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_newest_first_and_survive_account_removal() {
        let store = Store::in_memory().unwrap();
        for (i, action) in ["account.add", "key.create"].iter().enumerate() {
            store
                .audit(&AuditEntry {
                    at: Utc::now() + chrono::Duration::seconds(i as i64),
                    account_id: Some("a".into()),
                    action: action.to_string(),
                    target: "Prod".into(),
                    outcome: "ok".into(),
                    detail: None,
                })
                .unwrap();
        }
        let log = store.list_audit(10).unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["key.create", "account.add"]);
        assert_eq!(store.list_audit(1).unwrap().len(), 1);
    }
}
