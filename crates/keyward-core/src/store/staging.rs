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
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::checkpoint::{Checkpoints, AUTOCHECKPOINT_PAGES};
use super::keys::{local_id, SyncCounts, REFRESHED};
use super::Store;
use crate::error::{Error, ErrorCode, Result};
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

/// One sync's staged rows; dropped from the stage when it ends, swapped in or not. It owns a
/// handle on the store's connection, so that a sync can write its pages from a blocking thread
/// while its own task stays free to send the next request.
pub struct Stage {
    conn: Arc<Mutex<Connection>>,
    checkpoints: Arc<Checkpoints>,
    /// Its TEMP table's name, `sync_stage_N`.
    table: String,
    account_id: String,
}

impl Store {
    /// A new, empty stage for a listing of `account_id`.
    pub fn stage(&self, account_id: &str) -> Result<Stage> {
        let table = format!("sync_stage_{}", NEXT_STAGE.fetch_add(1, Ordering::Relaxed));
        self.conn().execute(&create_stage(&table), [])?;
        Ok(Stage { conn: Arc::clone(&self.conn), checkpoints: Arc::clone(&self.checkpoints), table, account_id: account_id.to_string() })
    }
}

impl Stage {
    /// One page of the listing. A key listed twice (pages shifting under the listing) is kept
    /// as first listed.
    pub fn add(&self, keys: &[RemoteKey]) -> Result<()> {
        let mut conn = super::lock(&self.conn);
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
        let mut conn = super::lock(&self.conn);
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
        // The biggest commit Keyward makes: its checkpoint is left to the checkpoint thread.
        let behind = self.checkpoints.available();
        if behind {
            tx.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        let committed = tx.commit();
        if behind {
            // Committed or not, the other commits keep SQLite's threshold; a failure to restore
            // it must not report a committed sync as failed.
            if let Err(e) = conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES) {
                tracing::warn!(error = %e, "the autocheckpoint threshold was not restored");
            }
            self.checkpoints.request();
        }
        committed?;
        Ok(SyncCounts { added, updated: written.saturating_sub(added), gone })
    }
}

/// A stage being written on a thread of its own ([`Stage::write_beside`]).
pub struct StageWriter(tokio::sync::oneshot::Receiver<Result<Stage>>);

impl Stage {
    /// Writes the pages that come over `pages` on a thread of their own, at the lowest priority:
    /// not on the sync's task, nor on a thread the network's tasks need at once. A page written
    /// on the task held up the request for the next one (its pooled connection came back while
    /// the write ran), and one written on a thread of normal priority the wake-up of the task
    /// sending it, on two cores: about a millisecond of every page's wall either way.
    pub fn write_beside(self, pages: std::sync::mpsc::Receiver<Vec<RemoteKey>>) -> Result<StageWriter> {
        let (done, written) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("keyward-stage".into())
            .spawn(move || {
                if let Err(e) = crate::process::lower_this_threads_priority() {
                    tracing::debug!(error = %e, "the stage's writer keeps its priority");
                }
                let mut result = Ok(());
                for page in pages {
                    if result.is_ok() {
                        result = self.add(&page);
                    }
                }
                let _ = done.send(result.map(|()| self));
            })
            .map_err(|e| Error::new(ErrorCode::Internal, format!("Could not start the sync's cache writer ({e}).")))?;
        Ok(StageWriter(written))
    }
}

impl StageWriter {
    /// The stage, once the pages' sender is dropped and every page it sent is written; or the
    /// first write that failed, after which nothing more was written and the stage is dropped.
    pub async fn finish(self) -> Result<Stage> {
        self.0.await.map_err(|_| Error::new(ErrorCode::Internal, "The sync's cache writer stopped before the listing was written."))?
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        // The stage is memory of this process only; a table left by a failed drop is freed with it.
        let _ = super::lock(&self.conn).execute(&format!("DROP TABLE IF EXISTS temp.{}", self.table), []);
    }
}

#[cfg(test)]
impl Store {
    /// How many stages' tables this connection holds.
    pub(crate) fn stages_left(&self) -> i64 {
        self.conn().query_row("SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'sync_stage%'", [], |r| r.get(0)).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KeyQuery;
    use crate::store::accounts::tests::sample;
    use crate::store::keys::tests::remote;

    fn store() -> Store {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("acc")).unwrap();
        store
    }

    #[tokio::test]
    async fn a_stage_written_beside_has_every_page_once_the_pages_end() {
        let store = store();
        let (pages, staged) = std::sync::mpsc::channel();
        let writer = store.stage("acc").unwrap().write_beside(staged).unwrap();
        pages.send(vec![remote("1", "first"), remote("2", "second")]).unwrap();
        pages.send(vec![remote("3", "third")]).unwrap();
        drop(pages);
        let stage = writer.finish().await.unwrap();
        let counts = stage.swap_in(&[KeyKind::BraintrustApiKey], Utc::now(), Utc::now()).unwrap();
        assert_eq!(counts, SyncCounts { added: 3, updated: 0, gone: 0 });
        assert_eq!(store.stages_left(), 0);
    }

    #[tokio::test]
    async fn a_failed_page_write_is_what_the_writer_gives_back_and_nothing_stays_staged() {
        let store = store();
        let stage = store.stage("acc").unwrap();
        // The stage's table gone underneath it: the next page's write fails.
        super::super::lock(&stage.conn).execute(&format!("DROP TABLE temp.{}", stage.table), []).unwrap();
        let (pages, staged) = std::sync::mpsc::channel();
        let writer = stage.write_beside(staged).unwrap();
        pages.send(vec![remote("1", "first")]).unwrap();
        pages.send(vec![remote("2", "second")]).unwrap();
        drop(pages);
        let Err(err) = writer.finish().await else { panic!("the write failed") };
        assert_eq!(err.code, ErrorCode::Storage, "{}", err.message);
        assert_eq!(store.stages_left(), 0);
        assert!(store.list_keys(&KeyQuery::default()).unwrap().is_empty(), "nothing reached the cache");
    }

    /// The writer gives way to the rest of the process: its thread runs at nice 19, the
    /// process's other threads as they were.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_stage_writer_runs_at_the_lowest_priority() {
        let store = store();
        let (pages, staged) = std::sync::mpsc::channel::<Vec<RemoteKey>>();
        let writer = store.stage("acc").unwrap().write_beside(staged).unwrap();
        // Its thread's nice value: field 19 of /proc/self/task/<tid>/stat, after the name.
        let nice_of = |name: &str| -> Vec<i64> {
            let mut found = Vec::new();
            for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
                let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
                if comm.trim() == name {
                    let stat = std::fs::read_to_string(task.path().join("stat")).unwrap();
                    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
                    found.push(after_name.split(' ').nth(16).unwrap().parse().unwrap());
                }
            }
            found
        };
        // Other tests' writers may run beside this one: every writer is at 19, and there is one.
        let lowered = || {
            let nice = nice_of("keyward-stage");
            !nice.is_empty() && nice.iter().all(|&n| n == 19)
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !lowered() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(lowered(), "writer threads at {:?}", nice_of("keyward-stage"));
        drop(pages);
        writer.finish().await.unwrap();
    }
}
