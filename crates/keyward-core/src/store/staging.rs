//! A sync's listing, staged page by page while the next page is on the wire, then swapped into
//! the cache in one short transaction. The cache shows the previous listing or the new one,
//! never half of each; no write transaction is open while a page is awaited, so the window's
//! own writes never queue behind a slow first sync; and the swap writes only the rows that
//! changed, so the usual resync, where little has, costs little.
//!
//! The stage is a TEMP table: private to this connection, in memory, gone with the process, and
//! written without the database's write lock, so another Keyward (the CLI beside the window)
//! never waits for it either.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::keys::{local_id, SyncCounts, REFRESHED};
use super::Store;
use crate::error::Result;
use crate::model::{KeyKind, RemoteKey};

/// Several syncs (one per account) may stage at once on the one connection.
static NEXT_STAGE: AtomicI64 = AtomicI64::new(1);

const STAGE_TABLE: &str = "CREATE TEMP TABLE IF NOT EXISTS sync_stage (
    stage INTEGER NOT NULL, id TEXT NOT NULL, account_id TEXT NOT NULL, kind TEXT NOT NULL,
    provider_id TEXT NOT NULL, name TEXT NOT NULL, preview TEXT, owner TEXT, created_at TEXT,
    expires_at TEXT, details TEXT NOT NULL, is_test INTEGER, usage_count INTEGER,
    usage_limit INTEGER, spend REAL, spend_limit REAL, rate_limit INTEGER, last_used_at TEXT,
    PRIMARY KEY (stage, id)
) WITHOUT ROWID";

/// Every listed row into the cache, refreshed as one key is (`REFRESHED`). A row changes only if
/// something about it did, and only if no newer write (a later listing, a key created or
/// refreshed meanwhile) already set it.
static SWAP_IN: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO keys (id, account_id, kind, provider_id, name, preview, owner, created_at,
            expires_at, status, first_seen_at, last_seen_at, details, is_test, usage_count, usage_limit, spend,
            spend_limit, rate_limit, last_used_at)
        SELECT id, account_id, kind, provider_id, name, preview, owner, created_at, expires_at, 'active', ?2, ?2,
            details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at
        FROM temp.sync_stage WHERE stage = ?1
        ON CONFLICT (id) DO UPDATE SET {REFRESHED}
        WHERE keys.last_seen_at <= excluded.last_seen_at AND (keys.status = 'gone'
            OR keys.name IS NOT excluded.name OR keys.preview IS NOT excluded.preview OR keys.owner IS NOT excluded.owner
            OR keys.created_at IS NOT excluded.created_at OR keys.expires_at IS NOT excluded.expires_at
            OR keys.details IS NOT excluded.details OR keys.is_test IS NOT excluded.is_test
            OR keys.usage_count IS NOT excluded.usage_count OR keys.usage_limit IS NOT excluded.usage_limit
            OR keys.spend IS NOT excluded.spend OR keys.spend_limit IS NOT excluded.spend_limit
            OR keys.rate_limit IS NOT excluded.rate_limit OR keys.last_used_at IS NOT excluded.last_used_at)"
    )
});

/// Cached keys of a completely listed kind that this listing did not have. Only those written
/// before it began: a key created, refreshed or listed by a newer sync meanwhile is not gone
/// because this older listing missed it.
const MARK_VANISHED: &str = "UPDATE keys SET status = 'gone', gone_at = ?4
    WHERE account_id = ?1 AND kind = ?2 AND status = 'active' AND last_seen_at < ?3
      AND id NOT IN (SELECT id FROM temp.sync_stage WHERE stage = ?5)";

/// One sync's staged rows; dropped from the stage when it ends, swapped in or not.
pub struct Stage<'a> {
    store: &'a Store,
    id: i64,
    account_id: String,
}

impl Store {
    /// A new, empty stage for a listing of `account_id`.
    pub fn stage(&self, account_id: &str) -> Result<Stage<'_>> {
        self.conn().execute(STAGE_TABLE, [])?;
        Ok(Stage { store: self, id: NEXT_STAGE.fetch_add(1, Ordering::Relaxed), account_id: account_id.to_string() })
    }
}

impl Stage<'_> {
    /// One page of the listing. A key listed twice (pages shifting under the listing) is kept
    /// as first listed.
    pub fn add(&self, keys: &[RemoteKey]) -> Result<()> {
        let mut conn = self.store.conn();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO temp.sync_stage (stage, id, account_id, kind, provider_id, name, preview, owner,
                     created_at, expires_at, details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?;
            for key in keys {
                let l = &key.limits;
                insert.execute(params![
                    self.id,
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
            "SELECT count(*) FROM temp.sync_stage s WHERE s.stage = ?1 AND NOT EXISTS (SELECT 1 FROM keys k WHERE k.id = s.id)",
            [self.id],
            |r| r.get(0),
        )?;
        // Rows inserted or changed: SWAP_IN skips an unchanged one.
        let written = tx.execute(&SWAP_IN, params![self.id, listed_since])? as u32;
        let mut gone = 0;
        {
            let mut vanish = tx.prepare_cached(MARK_VANISHED)?;
            for kind in kinds {
                gone += vanish.execute(params![self.account_id, kind.as_str(), listed_since, now, self.id])? as u32;
            }
        }
        Store::mark_synced(&tx, &self.account_id, now)?;
        tx.commit()?;
        Ok(SyncCounts { added, updated: written.saturating_sub(added), gone })
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        // The stage is memory of this process only; a row left by a failed delete is freed with it.
        let _ = self.store.conn().execute("DELETE FROM temp.sync_stage WHERE stage = ?1", [self.id]);
    }
}
