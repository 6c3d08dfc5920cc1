//! A sync's listing, staged page by page while the next page is on the wire, then swapped into
//! the cache in one short transaction. The cache shows the previous listing or the new one,
//! never half of each; no write transaction is open while a page is awaited, so the window's
//! own writes never queue behind a slow first sync; and the swap writes only the rows that
//! changed, so the usual resync, where little has, costs little.
//!
//! Each stage is a TEMP table of its own: private to this connection, in memory, gone with the
//! process, and written without the database's write lock, so another Keyward (the CLI beside
//! the window) never waits for it either. A table per stage, not one shared by all: at the end
//! it is dropped whole, where deleting its rows from a shared one cost 15–23 ms of every sync.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::keys::{local_id, SyncCounts, REFRESHED};
use super::Store;
use crate::error::Result;
use crate::model::{KeyKind, RemoteKey};

/// Several syncs (one per account) may stage at once on the one connection.
static NEXT_STAGE: AtomicI64 = AtomicI64::new(1);

/// A rowid table with the key's id unique: each page's rows are appended, and only the small
/// index entries go in all over its tree. (One table keyed by (stage, id) WITHOUT ROWID put
/// whole rows there, details and all: 29% of a sync's CPU.)
fn create_stage(table: &str) -> String {
    format!(
        "CREATE TEMP TABLE {table} (
            id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, kind TEXT NOT NULL,
            provider_id TEXT NOT NULL, name TEXT NOT NULL, preview TEXT, owner TEXT, created_at TEXT,
            expires_at TEXT, details TEXT NOT NULL, is_test INTEGER, usage_count INTEGER,
            usage_limit INTEGER, spend REAL, spend_limit REAL, rate_limit INTEGER, last_used_at TEXT
        )"
    )
}

/// Every listed row that is new, changed or back from gone into the cache, refreshed as one key
/// is (`REFRESHED`), unless a newer write (a later listing, a key created or refreshed
/// meanwhile) already set it. An unchanged row is passed over in the SELECT: in the usual
/// resync that is nearly every row, and a join is half the cost of an upsert that does nothing.
fn swap_in(table: &str) -> String {
    format!(
        "INSERT INTO keys (id, account_id, kind, provider_id, name, preview, owner, created_at,
            expires_at, status, first_seen_at, last_seen_at, details, is_test, usage_count, usage_limit, spend,
            spend_limit, rate_limit, last_used_at)
        SELECT s.id, s.account_id, s.kind, s.provider_id, s.name, s.preview, s.owner, s.created_at, s.expires_at,
            'active', ?1, ?1, s.details, s.is_test, s.usage_count, s.usage_limit, s.spend, s.spend_limit, s.rate_limit,
            s.last_used_at
        FROM temp.{table} s LEFT JOIN keys k ON k.id = s.id
        WHERE k.id IS NULL OR k.status = 'gone'
            OR k.name IS NOT s.name OR k.preview IS NOT s.preview OR k.owner IS NOT s.owner
            OR k.created_at IS NOT s.created_at OR k.expires_at IS NOT s.expires_at
            OR k.details IS NOT s.details OR k.is_test IS NOT s.is_test
            OR k.usage_count IS NOT s.usage_count OR k.usage_limit IS NOT s.usage_limit
            OR k.spend IS NOT s.spend OR k.spend_limit IS NOT s.spend_limit
            OR k.rate_limit IS NOT s.rate_limit OR k.last_used_at IS NOT s.last_used_at
        ORDER BY s.id
        ON CONFLICT (id) DO UPDATE SET {REFRESHED}
        WHERE keys.last_seen_at <= excluded.last_seen_at"
    )
}

/// Cached keys of the completely listed kinds (?4, ?5, …) that this listing did not have. Only
/// those written before it began: a key created, refreshed or listed by a newer sync meanwhile
/// is not gone because this older listing missed it. One pass over the account's keys for all
/// the kinds, each looked up in the stage's index (NOT IN built a copy of the stage, per kind).
fn mark_vanished(table: &str, kinds: usize) -> String {
    let kinds: Vec<String> = (4..4 + kinds).map(|n| format!("?{n}")).collect();
    format!(
        "UPDATE keys SET status = 'gone', gone_at = ?3
        WHERE account_id = ?1 AND status = 'active' AND last_seen_at < ?2 AND kind IN ({})
          AND NOT EXISTS (SELECT 1 FROM temp.{table} s WHERE s.id = keys.id)",
        kinds.join(", ")
    )
}

/// One sync's staged rows; dropped from the stage when it ends, swapped in or not.
pub struct Stage<'a> {
    store: &'a Store,
    /// Its TEMP table's name, `sync_stage_N`.
    table: String,
    account_id: String,
}

impl Store {
    /// A new, empty stage for a listing of `account_id`.
    pub fn stage(&self, account_id: &str) -> Result<Stage<'_>> {
        let table = format!("sync_stage_{}", NEXT_STAGE.fetch_add(1, Ordering::Relaxed));
        self.conn().execute(&create_stage(&table), [])?;
        Ok(Stage { store: self, table, account_id: account_id.to_string() })
    }
}

impl Stage<'_> {
    /// One page of the listing. A key listed twice (pages shifting under the listing) is kept
    /// as first listed.
    pub fn add(&self, keys: &[RemoteKey]) -> Result<()> {
        let mut conn = self.store.conn();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(&format!(
                "INSERT OR IGNORE INTO temp.{} (id, account_id, kind, provider_id, name, preview, owner,
                     created_at, expires_at, details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                self.table
            ))?;
            for key in keys {
                let l = &key.limits;
                insert.execute(params![
                    local_id(&self.account_id, key.kind, &key.provider_id),
                    self.account_id,
                    key.kind.as_str(),
                    key.provider_id,
                    key.name,
                    key.preview,
                    key.owner,
                    key.created_at,
                    key.expires_at,
                    key.details.to_string(),
                    l.is_test,
                    l.usage_count,
                    l.usage_limit,
                    l.spend,
                    l.spend_limit,
                    l.rate_limit,
                    l.last_used_at,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The staged listing becomes the account's cache, in one short write transaction.
    /// `listed_since` is when the listing began; `kinds` are the kinds it listed completely, the
    /// only ones whose missing keys are gone.
    pub fn swap_in(self, kinds: &[KeyKind], listed_since: DateTime<Utc>, now: DateTime<Utc>) -> Result<SyncCounts> {
        let mut conn = self.store.conn();
        let tx = super::write_transaction(&mut conn)?;
        let added: u32 = tx.query_row(
            &format!("SELECT count(*) FROM temp.{} s WHERE NOT EXISTS (SELECT 1 FROM keys k WHERE k.id = s.id)", self.table),
            [],
            |r| r.get(0),
        )?;
        // Rows inserted or changed: an unchanged one is not written.
        let written = tx.execute(&swap_in(&self.table), params![listed_since])? as u32;
        let gone = if kinds.is_empty() {
            0
        } else {
            let mut args: Vec<&dyn rusqlite::ToSql> = vec![&self.account_id, &listed_since, &now];
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            args.extend(names.iter().map(|n| n as &dyn rusqlite::ToSql));
            tx.execute(&mark_vanished(&self.table, kinds.len()), args.as_slice())? as u32
        };
        Store::mark_synced(&tx, &self.account_id, now)?;
        tx.commit()?;
        Ok(SyncCounts { added, updated: written.saturating_sub(added), gone })
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        // The stage is memory of this process only; a table left by a failed drop is freed with it.
        let _ = self.store.conn().execute(&format!("DROP TABLE IF EXISTS temp.{}", self.table), []);
    }
}
