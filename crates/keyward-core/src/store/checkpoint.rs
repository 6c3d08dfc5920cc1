//! The checkpoint that follows a sync's swap, on a connection and a thread of its own. A first
//! sync of 10,000 keys writes about 6 MB to the WAL; the commit that passed SQLite's
//! autocheckpoint threshold then copied it all into the db file before the sync could return
//! (62 of the swap's 69 ms). Here the swap commits without it and this thread checkpoints
//! behind it, PASSIVE, so the window's readers and writers never wait for it.
//!
//! Started at the first request only: a process that never swaps (`keyward keys list`, a run)
//! opens no second connection. Dropped with the store, it finishes the checkpoint under way and
//! closes its connection before the store is gone, so a process that exits leaves the file as
//! a checkpoint at close would.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

/// The checkpoints of one store's file; none for an in-memory store, which has no WAL.
pub(super) struct Checkpoints {
    path: Option<PathBuf>,
    worker: OnceLock<Option<Worker>>,
}

/// SQLite's own threshold, which the other commits keep.
pub(super) const AUTOCHECKPOINT_PAGES: i64 = 1000;

struct Worker {
    requests: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpoints {
    pub(super) fn of(path: Option<&Path>) -> Checkpoints {
        Checkpoints { path: path.map(Path::to_path_buf), worker: OnceLock::new() }
    }

    /// Whether a commit may leave its checkpoint to [`Checkpoints::request`]: there is a file,
    /// and its thread is running or could be started.
    pub(super) fn available(&self) -> bool {
        self.worker().is_some()
    }

    /// Asks for a checkpoint soon; requests made while one runs are answered by the next.
    pub(super) fn request(&self) {
        if let Some(worker) = self.worker() {
            if let Some(requests) = &worker.requests {
                let _ = requests.send(());
            }
        }
    }

    fn worker(&self) -> Option<&Worker> {
        self.worker
            .get_or_init(|| {
                let path = self.path.clone()?;
                Worker::start(path).map_err(|e| tracing::warn!(error = %e, "checkpoints stay with the commits")).ok()
            })
            .as_ref()
    }
}

impl Worker {
    fn start(path: PathBuf) -> std::io::Result<Worker> {
        let (requests, asked) = channel::<()>();
        let thread = std::thread::Builder::new().name("keyward-checkpoint".into()).spawn(move || {
            if let Err(e) = crate::process::lower_this_threads_priority() {
                tracing::debug!(error = %e, "the checkpoint thread keeps its priority");
            }
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = match Connection::open_with_flags(&path, flags) {
                Ok(conn) => conn,
                Err(e) => return tracing::warn!(error = %e, "the checkpoint thread could not open the store"),
            };
            while asked.recv().is_ok() {
                // One checkpoint answers every request made so far.
                while asked.try_recv().is_ok() {}
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "a checkpoint failed; the next commit past the threshold does it");
                }
            }
        })?;
        Ok(Worker { requests: Some(requests), thread: Some(thread) })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use crate::model::KeyKind;
    use crate::store::accounts::tests::sample;
    use crate::store::keys::tests::remote;
    use crate::store::{Store, DB_FILE};

    fn synced(dir: &std::path::Path, keys: usize) -> Store {
        let store = Store::open(dir).unwrap();
        store.insert_account(&sample("acc")).unwrap();
        assert!(store.checkpoints.worker.get().is_none(), "no second connection before a swap asks for one");
        let listed: Vec<_> = (0..keys).map(|n| remote(&format!("key-{n}"), &format!("key number {n}"))).collect();
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &listed, Utc::now()).unwrap();
        store
    }

    /// The swap's rows reach the db file while the store is still open, without another commit.
    #[test]
    fn a_big_swap_is_checkpointed_behind_its_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = synced(dir.path(), 5_000);
        let db = dir.path().join(DB_FILE);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::metadata(&db).unwrap().len() < 1 << 20 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(std::fs::metadata(&db).unwrap().len() >= 1 << 20, "5,000 keys were copied into the db file");
        let threshold: i64 = store.conn().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(threshold, super::AUTOCHECKPOINT_PAGES, "the other commits keep SQLite's threshold");
        assert!(store.checkpoints.worker.get().is_some_and(|w| w.is_some()), "the swap started the checkpoint thread");
        assert_eq!(store.list_keys(&Default::default()).unwrap().len(), 5_000);
    }

    /// Closed, the store leaves its file as a checkpoint at close does: no WAL beside it, every
    /// row in it.
    #[test]
    fn a_closed_store_leaves_no_wal_behind() {
        let dir = tempfile::tempdir().unwrap();
        drop(synced(dir.path(), 2_000));
        assert!(!dir.path().join(format!("{DB_FILE}-wal")).exists(), "the last connection to close removed the WAL");
        assert_eq!(Store::open(dir.path()).unwrap().list_keys(&Default::default()).unwrap().len(), 2_000);
    }

    #[test]
    fn an_in_memory_store_has_no_checkpoint_thread() {
        let store = Store::in_memory().unwrap();
        assert!(!store.checkpoints.available());
    }
}
