//! `keyward keys list --json --search X` as a person runs it, the whole process timed from
//! outside, against the sqlite3 CLI printing the same rows as JSON from the same file: what the
//! CLI adds to the query (start-up, opening and checking the store, serializing the rows).

use std::process::{Command, Stdio};
use std::time::Instant;

use keyward_core::store::search_sql;

use crate::{emit, median, seed};

const KEYS: usize = 10_000;
/// A search a person might type: a piece of a name, matching 250 of the 10,000 keys
/// (evals-runner-001000 to -001999, one in four).
const SEARCH: &str = "runner-001";
/// Launches of each, alternating, so that both see the same moments of a busy machine.
const RUNS: usize = 30;

pub fn run(keyward: &str) {
    let dir = tempfile::tempdir().unwrap();
    drop(seed(dir.path(), KEYS));
    let mut cli = Command::new(keyward);
    cli.args(["keys", "list", "--json", "--search", SEARCH]).env("KEYWARD_DATA_DIR", dir.path());
    // `keys list --search X` is `list_keys` with a search and nothing else (gone keys left out,
    // no account, the default sort), and search_sql is that statement with its values written in
    // (the default settings, which a seeded dir has). Both processes run that one statement; what
    // differs is around it: start-up, opening and checking the store, KeyRow's JSON or sqlite3's.
    let mut sqlite3 = Command::new("sqlite3");
    sqlite3.arg("-json").arg(dir.path().join(keyward_core::store::DB_FILE)).arg(search_sql(SEARCH));
    let (_, from_cli) = timed(&mut cli);
    let (_, from_sqlite3) = timed(&mut sqlite3);
    let hits = provider_ids(&from_cli);
    assert_eq!(hits, provider_ids(&from_sqlite3), "the CLI and sqlite3 list the same keys in the same order");
    let (mut cli_ms, mut sqlite3_ms) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        cli_ms.push(timed(&mut cli).0);
        sqlite3_ms.push(timed(&mut sqlite3).0);
    }
    let (k, s) = (median(cli_ms), median(sqlite3_ms));
    emit(&format!("list keyward keys list --json --search {SEARCH} ({} hits) median", hits.len()), k, "ms");
    emit("list sqlite3 -json same statement median", s, "ms");
    emit("list ratio", k / s, "x");
}

/// One launch, waited for with its output read: its wall in ms and its stdout.
fn timed(command: &mut Command) -> (f64, Vec<u8>) {
    let started = Instant::now();
    let out = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).output().expect("the command runs");
    let took = started.elapsed().as_secs_f64() * 1000.0;
    assert!(out.status.success(), "{:?}: {}", command.get_program(), String::from_utf8_lossy(&out.stderr));
    (took, out.stdout)
}

/// The keys' service ids in a JSON array of rows (sqlite3 prints nothing at all for no rows).
/// Not `id`: the statement also selects the run's `r.id`, and sqlite3 writes both under that
/// name, the run's (null) last.
fn provider_ids(json: &[u8]) -> Vec<String> {
    if json.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let rows: Vec<serde_json::Value> = serde_json::from_slice(json).expect("a JSON array");
    rows.iter().map(|r| r["provider_id"].as_str().expect("a provider_id").to_string()).collect()
}
