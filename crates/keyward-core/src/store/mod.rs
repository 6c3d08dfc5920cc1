//! The local SQLite store: the inventory the window renders, online or not.
//! Metadata only; WAL so the window can read while a sync writes.

mod accounts;
mod audit;
mod keys;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::paths;

pub use audit::AuditEntry;
pub use keys::{local_id, RemoteKey, SyncCounts};

pub const DB_FILE: &str = "keyward.db";

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_accounts_and_keys.sql")),
        M::up(include_str!("migrations/0002_limits_and_audit.sql")),
    ])
}

pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, migrated to the newest schema.
    pub fn open(data_dir: &Path) -> Result<Store> {
        paths::ensure_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let mut conn = Connection::open(&path)
            .map_err(|e| Error::storage(&format!("open {}", path.display()), e))?;
        Self::prepare(&mut conn)?;
        for suffix in ["", "-wal", "-shm"] {
            paths::restrict_file(&PathBuf::from(format!("{}{suffix}", path.display())))?;
        }
        Ok(Store { conn: Mutex::new(conn), path })
    }

    /// An in-memory store for unit tests.
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        Self::prepare(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn), path: PathBuf::from(":memory:") })
    }

    fn prepare(conn: &mut Connection) -> Result<()> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations()
            .to_latest(conn)
            .map_err(|e| Error::storage("update its schema", e))
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
