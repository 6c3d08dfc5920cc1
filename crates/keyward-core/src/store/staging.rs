//! A sync's listing, staged page by page while the next page is on the wire, then swapped into
//! the cache in one short transaction. The cache shows the previous listing or the new one,
//! never half of each; no write transaction is open while a page is awaited, so the window's
//! own writes never queue behind a slow first sync; and the swap writes only the rows that
//! changed, so the usual resync, where little has, costs little.
//!
//! A first sync (no key of the account cached yet) has no previous listing to keep: each page
//! goes into the cache as it arrives, in its own short transaction, so the rows and their search
//! index are written while the next page is on the wire instead of all at the end. If that sync
//! fails, the rows it wrote are taken out again, and the cache is as empty as it was.
//!
//! The stage is a TEMP table: private to this connection, in memory, gone with the process, and
//! written without the database's write lock, so another Keyward (the CLI beside the window)
//! never waits for it either.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
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
    page INTEGER NOT NULL, PRIMARY KEY (stage, id)
) WITHOUT ROWID";

/// Every listed row into the cache, refreshed as one key is (`REFRESHED`). A row changes only if
/// something about it did, and only if no newer write (a later listing, a key created or
/// refreshed meanwhile) already set it.
fn swap_in_sql(rows: &str) -> String {
    format!(
        "INSERT INTO keys (id, account_id, kind, provider_id, name, preview, owner, created_at,
            expires_at, status, first_seen_at, last_seen_at, details, is_test, usage_count, usage_limit, spend,
            spend_limit, rate_limit, last_used_at)
        SELECT id, account_id, kind, provider_id, name, preview, owner, created_at, expires_at, 'active', ?2, ?2,
            details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at
        FROM temp.sync_stage WHERE stage = ?1 {rows}
        ON CONFLICT (id) DO UPDATE SET {REFRESHED}
        WHERE keys.last_seen_at <= excluded.last_seen_at AND (keys.status = 'gone'
            OR keys.name IS NOT excluded.name OR keys.preview IS NOT excluded.preview OR keys.owner IS NOT excluded.owner
            OR keys.created_at IS NOT excluded.created_at OR keys.expires_at IS NOT excluded.expires_at
            OR keys.details IS NOT excluded.details OR keys.is_test IS NOT excluded.is_test
            OR keys.usage_count IS NOT excluded.usage_count OR keys.usage_limit IS NOT excluded.usage_limit
            OR keys.spend IS NOT excluded.spend OR keys.spend_limit IS NOT excluded.spend_limit
            OR keys.rate_limit IS NOT excluded.rate_limit OR keys.last_used_at IS NOT excluded.last_used_at)"
    )
}

/// The whole stage, at the end of a resync.
static SWAP_IN: LazyLock<String> = LazyLock::new(|| swap_in_sql(""));
/// One page (`?3`), as a first sync's pages arrive.
static SWAP_IN_PAGE: LazyLock<String> = LazyLock::new(|| swap_in_sql("AND page = ?3"));

/// Rows of the stage not cached yet: the keys a swap adds.
const NEW_IN_STAGE: &str = "SELECT count(*) FROM temp.sync_stage s WHERE s.stage = ?1 AND (?2 IS NULL OR s.page = ?2)
    AND NOT EXISTS (SELECT 1 FROM keys k WHERE k.id = s.id)";

/// What a failed first sync wrote: rows it listed that nothing has written since.
const UNDO_FIRST: &str = "DELETE FROM keys WHERE account_id = ?1 AND first_seen_at = ?2 AND last_seen_at = ?2
    AND id IN (SELECT id FROM temp.sync_stage WHERE stage = ?3)";

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
    /// When the listing began: what its rows are written as of.
    listed_since: DateTime<Utc>,
    /// A first sync: each page goes into the cache as it arrives.
    direct: bool,
    pages: AtomicI64,
    /// A first sync's counts, page by page.
    added: AtomicU32,
    written: AtomicU32,
    swapped: bool,
}

impl Store {
    /// A new, empty stage for a listing of `account_id` that began at `listed_since`.
    pub fn stage(&self, account_id: &str, listed_since: DateTime<Utc>) -> Result<Stage<'_>> {
        let direct = {
            let conn = self.conn();
            conn.execute(STAGE_TABLE, [])?;
            !conn.query_row("SELECT EXISTS (SELECT 1 FROM keys WHERE account_id = ?1)", [account_id], |r| r.get::<_, bool>(0))?
        };
        Ok(Stage {
            store: self,
            id: NEXT_STAGE.fetch_add(1, Ordering::Relaxed),
            account_id: account_id.to_string(),
            listed_since,
            direct,
            pages: AtomicI64::new(0),
            added: AtomicU32::new(0),
            written: AtomicU32::new(0),
            swapped: false,
        })
    }
}

impl Stage<'_> {
    /// One page of the listing. A key listed twice (pages shifting under the listing) is kept
    /// as first listed. In a first sync the page is cached at once, in one short transaction.
    pub fn add(&self, keys: &[RemoteKey]) -> Result<()> {
        let page = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
        let mut conn = self.store.conn();
        let tx = if self.direct { super::write_transaction(&mut conn)? } else { conn.transaction()? };
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO temp.sync_stage (stage, id, account_id, kind, provider_id, name, preview, owner,
                     created_at, expires_at, details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at, page)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
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
                    page,
                ])?;
            }
        }
        if self.direct {
            let added: u32 = tx.query_row(NEW_IN_STAGE, params![self.id, page], |r| r.get(0))?;
            let written = tx.execute(&SWAP_IN_PAGE, params![self.id, self.listed_since, page])? as u32;
            self.added.fetch_add(added, Ordering::Relaxed);
            self.written.fetch_add(written, Ordering::Relaxed);
        }
        tx.commit()?;
        Ok(())
    }

    /// The staged listing becomes the account's cache, in one short write transaction (a first
    /// sync's rows are in already). `kinds` are the kinds it listed completely, the only ones
    /// whose missing keys are gone.
    pub fn swap_in(mut self, kinds: &[KeyKind], now: DateTime<Utc>) -> Result<SyncCounts> {
        let listed_since = self.listed_since;
        let mut conn = self.store.conn();
        let tx = super::write_transaction(&mut conn)?;
        let (added, written) = if self.direct {
            (self.added.load(Ordering::Relaxed), self.written.load(Ordering::Relaxed))
        } else {
            let added: u32 = tx.query_row(NEW_IN_STAGE, params![self.id, None::<i64>], |r| r.get(0))?;
            // Rows inserted or changed: SWAP_IN skips an unchanged one.
            (added, tx.execute(&SWAP_IN, params![self.id, listed_since])? as u32)
        };
        let mut gone = 0;
        {
            let mut vanish = tx.prepare_cached(MARK_VANISHED)?;
            for kind in kinds {
                gone += vanish.execute(params![self.account_id, kind.as_str(), listed_since, now, self.id])? as u32;
            }
        }
        Store::mark_synced(&tx, &self.account_id, now)?;
        tx.commit()?;
        drop(conn);
        self.swapped = true;
        Ok(SyncCounts { added, updated: written.saturating_sub(added), gone })
    }
}

impl Drop for Stage<'_> {
    fn drop(&mut self) {
        let conn = self.store.conn();
        if self.direct && !self.swapped {
            if let Err(e) = conn.execute(UNDO_FIRST, params![self.account_id, self.listed_since, self.id]) {
                // Each row is one the service listed; the next sync that completes sets them right.
                tracing::warn!(account = %self.account_id, error = %e, "a failed first sync's rows stay cached");
            }
        }
        // The stage is memory of this process only; a row left by a failed delete is freed with it.
        let _ = conn.execute("DELETE FROM temp.sync_stage WHERE stage = ?1", [self.id]);
    }
}
