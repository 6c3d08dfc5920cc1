//! What the expiry centre and the expiry notices read: live keys with an expiry, soonest first,
//! and which notices each has already had.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};
use crate::model::{KeyKind, KeyRow};

/// A live key whose expiry is near enough for a notice.
#[derive(Debug, Clone)]
pub struct NoticeCandidate {
    pub key_id: String,
    pub name: String,
    pub account_label: String,
    pub kind: KeyKind,
    pub expires_at: DateTime<Utc>,
    /// When the key began (created, or first seen when the service does not say).
    pub born: DateTime<Utc>,
    /// Stages already announced for this expiry.
    pub sent: Vec<String>,
}

impl Store {
    /// Live keys expiring before `until` (expired ones included) that were not set aside, soonest
    /// first. A run's keys are not among them: they end with their process, by design.
    pub fn expiring_keys(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<KeyRow>> {
        let sql = format!(
            "{} WHERE k.status = 'active' AND k.expires_at IS NOT NULL AND k.expires_at <= ?2 AND k.dismissed_at IS NULL
               AND rk.run_id IS NULL
             ORDER BY k.expires_at, k.name",
            super::keys::select(&self.settings())
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![now, until], super::keys::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets an expired key aside: it leaves the expiry centre until its expiry changes.
    pub fn dismiss(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        let n = self.conn().execute("UPDATE keys SET dismissed_at = ?2 WHERE id = ?1", params![id, now])?;
        if n == 0 {
            return Err(Error::not_found(format!("No key with id '{id}' is cached here.")));
        }
        Ok(())
    }

    /// Live keys expiring after `now` and no later than `until`, with the notices each has had;
    /// not a run's keys, whose short life is the point.
    pub fn notice_candidates(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<NoticeCandidate>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT k.id, k.name, a.label, k.kind, k.expires_at, COALESCE(k.created_at, k.first_seen_at),
                    (SELECT group_concat(n.stage) FROM notices n WHERE n.key_id = k.id AND n.expires_at = k.expires_at)
             FROM keys k JOIN accounts a ON a.id = k.account_id
             WHERE k.status = 'active' AND k.dismissed_at IS NULL AND k.expires_at > ?1 AND k.expires_at <= ?2
               AND NOT EXISTS (SELECT 1 FROM run_keys rk WHERE rk.key_id = k.id)
             ORDER BY k.expires_at",
        )?;
        let rows = stmt.query_map(params![now, until], |r| {
            let kind: String = r.get(3)?;
            let sent: Option<String> = r.get(6)?;
            Ok(NoticeCandidate {
                key_id: r.get(0)?,
                name: r.get(1)?,
                account_label: r.get(2)?,
                kind: KeyKind::parse(&kind).ok_or_else(|| super::accounts::bad_value(3, "kind", &kind))?,
                expires_at: r.get(4)?,
                born: r.get(5)?,
                sent: sent.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers notices as raised, all at once, and says which of them this call recorded: the
    /// window and the notices timer may look at the same moment, and only the one whose row went
    /// in raises the notice.
    pub fn record_notices(&self, sent: &[(String, &'static str, DateTime<Utc>)], now: DateTime<Utc>) -> Result<Vec<bool>> {
        let mut conn = self.conn();
        let tx = super::write_transaction(&mut conn)?;
        let mut recorded = Vec::with_capacity(sent.len());
        {
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO notices (key_id, stage, expires_at, sent_at) VALUES (?1, ?2, ?3, ?4)")?;
            for (key_id, stage, expires_at) in sent {
                recorded.push(insert.execute(params![key_id, stage, expires_at, now])? == 1);
            }
        }
        tx.commit()?;
        Ok(recorded)
    }
}
