//! The local SQLite store: the inventory the window renders, online or not.
//! Metadata only; WAL so the window can read while a sync writes.

mod accounts;
mod audit;
mod checkpoint;
mod keys;
mod notices;
pub mod recovery;
mod runs;
mod settings;
mod staging;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::paths;

pub use audit::{AuditEntry, AuditFilter, AuditQuery};
pub use keys::{local_id, search_sql, SyncCounts};
// In the model so that providers build one without importing the store; the old path still works.
pub use crate::model::RemoteKey;
pub use notices::NoticeCandidate;
pub use runs::StoredRun;
pub use staging::{Stage, StageWriter};

pub const DB_FILE: &str = "keyward.db";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_accounts_and_keys.sql")),
        M::up(include_str!("migrations/0002_limits_and_audit.sql")),
        M::up(include_str!("migrations/0003_fts_only_on_change.sql")),
        M::up(include_str!("migrations/0004_expiry_and_settings.sql")),
        M::up(include_str!("migrations/0005_audit_words.sql")),
        M::up(include_str!("migrations/0006_runs.sql")),
    ])
}

enum PrepareError {
    Sql(rusqlite::Error),
    Migration(rusqlite_migration::Error),
}

impl From<rusqlite::Error> for PrepareError {
    fn from(e: rusqlite::Error) -> Self {
        PrepareError::Sql(e)
    }
}

fn path_exists_beside(store: &Store) -> bool {
    store.path.parent().is_some_and(|d| d.join(recovery::ACCOUNTS_EXPORT).exists())
}

pub struct Store {
    /// Shared with a sync's stage, which writes its pages from a thread of its own.
    conn: Arc<Mutex<Connection>>,
    /// After the connection: dropped last, its thread's connection is the one that closes last
    /// and checkpoints the file.
    checkpoints: Arc<checkpoint::Checkpoints>,
    path: PathBuf,
    settings: RwLock<crate::model::settings::Settings>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, migrated to the newest schema.
    pub fn open(data_dir: &Path) -> Result<Store> {
        new_enough(rusqlite::version_number(), rusqlite::version())?;
        paths::ensure_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(|e| recovery::classify(Some(&path), &format!("open {}", path.display()), e))?;
        Self::prepare_beside_others(&mut conn).map_err(|e| match e {
            PrepareError::Sql(e) => recovery::classify(Some(&path), "be read", e),
            PrepareError::Migration(e) => Error::storage("update its schema", e),
        })?;
        for suffix in ["", "-wal", "-shm"] {
            paths::restrict_file(&PathBuf::from(format!("{}{suffix}", path.display())))?;
        }
        let settings = RwLock::new(Store::read_settings(&conn));
        let checkpoints = Arc::new(checkpoint::Checkpoints::of(Some(&path)));
        let store = Store { conn: Arc::new(Mutex::new(conn)), checkpoints, path, settings };
        // Keeps accounts.json current for a store written by an older Keyward, or by hand.
        if !path_exists_beside(&store) {
            store.export_accounts();
        }
        Ok(store)
    }

    /// An in-memory store for unit tests.
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        Self::prepare(&mut conn).map_err(|e| match e {
            PrepareError::Sql(e) => Error::from(e),
            PrepareError::Migration(e) => Error::storage("update its schema", e),
        })?;
        let settings = RwLock::new(Store::read_settings(&conn));
        let checkpoints = Arc::new(checkpoint::Checkpoints::of(None));
        Ok(Store { conn: Arc::new(Mutex::new(conn)), checkpoints, path: PathBuf::from(":memory:"), settings })
    }

    /// [`Store::prepare`], while another process (the window, the CLI) may be preparing the same
    /// file. Switching a new file to WAL and the first migration take locks that SQLite refuses
    /// at once, without waiting, when two connections would otherwise deadlock; each step is
    /// idempotent, so it is tried again after the other has finished.
    fn prepare_beside_others(conn: &mut Connection) -> std::result::Result<(), PrepareError> {
        // Within the busy timeout only: a lock held for longer (another program's exclusive one)
        // is reported as locked, as a statement that waited that long would be.
        let started = std::time::Instant::now();
        loop {
            match Self::prepare(conn) {
                Err(PrepareError::Sql(e)) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                done => return done,
            }
        }
    }

    fn prepare(conn: &mut Connection) -> std::result::Result<(), PrepareError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A sync's stage (staging.rs) stays in memory: never a temporary file on disk.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Pages read from a mapping of the file instead of copied in by a read call each:
        // `keyward keys list --search` on 10,000 keys took 9.75 ms, now 8.67 (sqlite3 8.58).
        conn.pragma_update(None, "mmap_size", 256i64 << 20)?;
        // Two processes starting on a new data dir both read version 0 and both create the
        // schema; the one that waited for the other's write lock finds its tables made and rolls
        // back. Asked again, it reads the new version and has nothing left to do.
        migrations().to_latest(conn).or_else(|_| migrations().to_latest(conn)).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => PrepareError::Sql(err),
            other => PrepareError::Migration(other),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        lock(&self.conn)
    }
}

fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock leaves SQLite consistent (transactions roll back), so a
    // poisoned lock is safe to keep using.
    conn.lock().unwrap_or_else(|p| p.into_inner())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

/// Every transaction that writes. Another process (the window beside the CLI) may write the same
/// file: a deferred transaction that reads before it writes cannot wait for that writer, because
/// once it commits the read is stale and SQLite answers "database is locked" at once, busy timeout
/// or not. Taking the write lock at BEGIN waits (the busy timeout) and then reads the other's rows.
/// Keep what runs inside short: no network, no keychain, nothing but SQL.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// The search index's trigram tokenizer came with SQLite 3.34; on Linux the OS's SQLite is used.
const OLDEST_SQLITE: (i32, &str) = (3_034_000, "3.34");

/// Said before anything is opened: an older SQLite would fail at the first migration, with a
/// message about a tokenizer instead of what to do.
fn new_enough(number: i32, version: &str) -> Result<()> {
    if number >= OLDEST_SQLITE.0 {
        return Ok(());
    }
    Err(Error::new(
        crate::ErrorCode::Storage,
        format!(
            "Keyward needs SQLite {} or later for its search index; this system has {version}. Update the sqlite3 library (libsqlite3-0).",
            OLDEST_SQLITE.1
        ),
    ))
}

/// How long a statement waits for another process's write before giving up: long enough to
/// outwait a big sync's transaction (the longest Keyward writes), short enough that a process
/// stuck on the file is reported as "locked" rather than hanging the window.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sqlite_older_than_the_trigram_tokenizer_is_named_before_anything_is_opened() {
        let err = new_enough(3_033_000, "3.33.0").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Storage);
        assert!(err.message.contains("SQLite 3.34 or later") && err.message.contains("3.33.0"), "{}", err.message);
        assert!(new_enough(3_034_000, "3.34.0").is_ok());
        assert!(new_enough(rusqlite::version_number(), rusqlite::version()).is_ok(), "this build's SQLite {}", rusqlite::version());
    }

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn an_older_log_reads_in_todays_words() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        {
            let mut conn = Connection::open(data.join(DB_FILE)).unwrap();
            migrations().to_version(&mut conn, 4).unwrap();
            for action in ["key.rotate", "key.rotate_assisted", "setup.validate", "key.create"] {
                conn.execute("INSERT INTO audit (at, action, target, outcome) VALUES ('2026-01-01T00:00:00Z', ?1, 'gw', 'ok')", [action]).unwrap();
            }
        }
        let store = Store::open(&data).unwrap();
        let mut actions = store.audit_actions().unwrap();
        actions.sort();
        assert_eq!(actions, ["key.create", "key.reissue", "key.replace", "setup.check"]);
    }

    #[test]
    fn reopening_keeps_data_and_protects_files() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        {
            let store = Store::open(&data).unwrap();
            store.insert_account(&crate::store::accounts::tests::sample("a1")).unwrap();
        }
        let store = Store::open(&data).unwrap();
        assert_eq!(store.list_accounts().unwrap().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&data), 0o700);
            assert_eq!(mode(&data.join(DB_FILE)), 0o600);
        }
    }
}
