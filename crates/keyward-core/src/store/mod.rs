//! The local SQLite store: the inventory the window renders, online or not.
//! Metadata only; WAL so the window can read while a sync writes.

mod accounts;
mod audit;
mod keys;
mod notices;
pub mod recovery;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::paths;

pub use audit::{AuditEntry, AuditFilter, AuditQuery};
pub use keys::{local_id, search_sql, RemoteKey, SyncCounts};
pub use notices::NoticeCandidate;

pub const DB_FILE: &str = "keyward.db";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_accounts_and_keys.sql")),
        M::up(include_str!("migrations/0002_limits_and_audit.sql")),
        M::up(include_str!("migrations/0003_fts_only_on_change.sql")),
        M::up(include_str!("migrations/0004_expiry_and_settings.sql")),
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
    conn: Mutex<Connection>,
    path: PathBuf,
    settings: RwLock<crate::settings::Settings>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, migrated to the newest schema.
    pub fn open(data_dir: &Path) -> Result<Store> {
        paths::ensure_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(|e| recovery::classify(Some(&path), &format!("open {}", path.display()), e))?;
        Self::prepare(&mut conn).map_err(|e| match e {
            PrepareError::Sql(e) => recovery::classify(Some(&path), "be read", e),
            PrepareError::Migration(e) => Error::storage("update its schema", e),
        })?;
        for suffix in ["", "-wal", "-shm"] {
            paths::restrict_file(&PathBuf::from(format!("{}{suffix}", path.display())))?;
        }
        let settings = RwLock::new(Store::read_settings(&conn));
        let store = Store { conn: Mutex::new(conn), path, settings };
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
        Ok(Store { conn: Mutex::new(conn), path: PathBuf::from(":memory:"), settings })
    }

    fn prepare(conn: &mut Connection) -> std::result::Result<(), PrepareError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => PrepareError::Sql(err),
            other => PrepareError::Migration(other),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back),
        // so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
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
