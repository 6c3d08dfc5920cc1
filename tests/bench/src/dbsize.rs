//! What the store costs on disk for 10,000 keys, against the metadata it holds, and how much of
//! that is the search index (FTS5 trigrams: each name, preview and owner stored again as every
//! three-character piece of it).

use std::path::{Path, PathBuf};
use std::process::Command;

use keyward_core::store::DB_FILE;
use rusqlite::Connection;

use crate::{emit, seed};

const KEYS: usize = 10_000;

pub fn run() {
    let dir = tempfile::tempdir().unwrap();
    drop(seed(dir.path(), KEYS));
    let db = dir.path().join(DB_FILE);
    let conn = Connection::open(&db).unwrap();
    // Committed pages may still wait in the -wal; the store a person keeps is both files, so both
    // are counted, after a checkpoint that moves what it can into the main file.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    let file = file_size(&db) + file_size(&suffixed(&db, "-wal"));
    let raw = raw_metadata(&conn);
    drop(conn);
    let (with_index, without_index) = vacuumed_sizes(&db, dir.path());
    let index = with_index - without_index;
    emit("db file 10,000 keys (with -wal, after a checkpoint)", file, "bytes");
    emit("db raw metadata 10,000 keys (column values as stored text)", raw, "bytes");
    emit("db size ratio", file / raw, "x");
    emit("db vacuumed copy", with_index, "bytes");
    emit("db vacuumed copy without the search index", without_index, "bytes");
    emit("db search index", index, "bytes");
    emit("db search index share", index / with_index * 100.0, "%");
    for (name, bytes) in dbstat(&db) {
        emit(&format!("db table {name}"), bytes, "bytes");
    }
}

fn file_size(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64).unwrap_or(0.0)
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// The metadata as text: the length in bytes of every value of every column of the keys table
/// but `pk` (the table's own rowid), numbers as their text form, NULL as nothing. The accounts and
/// settings rows are left out: a few hundred bytes.
fn raw_metadata(conn: &Connection) -> f64 {
    let columns: Vec<String> =
        conn.prepare("SELECT * FROM keys").unwrap().column_names().into_iter().filter(|c| *c != "pk").map(String::from).collect();
    let lengths: Vec<String> = columns.iter().map(|c| format!("coalesce(length(CAST(\"{c}\" AS BLOB)), 0)")).collect();
    conn.query_row(&format!("SELECT total({}) FROM keys", lengths.join(" + ")), [], |r| r.get(0)).unwrap()
}

/// The search index's size, measured without dbstat (Keyward's SQLite is built without it): a
/// copy of the file vacuumed, then vacuumed again with the index dropped. Both are vacuumed so
/// that the difference is the index, not the free pages a drop leaves behind.
fn vacuumed_sizes(db: &Path, dir: &Path) -> (f64, f64) {
    let copy = dir.join("copy.db");
    std::fs::copy(db, &copy).unwrap();
    let conn = Connection::open(&copy).unwrap();
    // A rollback journal in the copy: each VACUUM rewrites the file itself, not the -wal.
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch("VACUUM").unwrap();
    let with_index = file_size(&copy);
    conn.execute_batch("DROP TABLE keys_fts; VACUUM").unwrap();
    (with_index, file_size(&copy))
}

/// Bytes of pages per table and index, from the sqlite3 CLI's dbstat (Debian's sqlite3 has it;
/// Keyward's SQLite leaves it out): none when this sqlite3 lacks it.
fn dbstat(db: &Path) -> Vec<(String, f64)> {
    let sql = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC, 1";
    let out = match Command::new("sqlite3").arg("-tabs").arg(db).arg(sql).output() {
        Ok(out) if out.status.success() => out,
        _ => {
            eprintln!("keyward-bench dbsize: this sqlite3 has no dbstat, so no sizes per table");
            return Vec::new();
        }
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(name, bytes)| Some((name.to_string(), bytes.trim().parse().ok()?)))
        .collect()
}
