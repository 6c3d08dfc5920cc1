//! `keyward-bench`: the core's figures for `make bench`, printed as `figure<TAB>value<TAB>unit`
//! lines that tests/bench/run.sh gathers into the results table.
//!
//! - `seed DIR N`: a data dir with one account and N cached keys (no keychain needed).
//! - `search N`: core search over N keys against the same statement in the sqlite3 CLI, and how
//!   long caching the N keys took.
//! - `sync`: 10,000 keys at 100 a page with 20 ms latency, against 100 × 20 ms.
//! - `sync-scale`: a first sync's cost per key at 100,000 keys against at 1,000 (same latency).
//! - `concurrent`: 5 accounts synced at once against the slowest alone.
//! - `list KEYWARD`: `keyward keys list --json --search` on 10,000 keys, the whole process,
//!   against `sqlite3 -json` running the same statement on the same file.
//! - `dbsize`: the store's file for 10,000 keys against the metadata it holds, and what the
//!   search index takes of it.
//! - `run KEYWARD`: `keyward run` of `true` with two keys at 20 ms latency, the whole process,
//!   against two round trips (the creates go out together, then the revocations). Needs the
//!   keychain: run.sh runs it inside tests/with-keychain.sh.

mod dbsize;
mod list;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use keyward_core::model::{Account, KeyKind, KeyLimits, KeyQuery, NewAccount, Service, SyncProgress};
use keyward_core::store::{search_sql, RemoteKey, Store};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

const OWNERS: [&str; 5] = ["ana@example.com", "ben@example.com", "chen@example.org", "dara@example.net", "eli@example.com"];

/// Keys go in through `apply_sync`, the path a sync takes, this many a call: a million
/// `RemoteKey`s built at once would hold hundreds of MB. Every call is given the same `now`, so
/// none marks an earlier call's keys gone (only keys last seen before `now` are).
const SEED_CHUNK: usize = 100_000;

fn seed(dir: &Path, n: usize) -> Store {
    let store = Store::open(dir).expect("a store");
    let now = Utc::now();
    let account = Account {
        id: "bench-account".into(),
        service: Service::Braintrust,
        label: "Production".into(),
        host: "http://127.0.0.1:9".into(),
        org_name: None,
        identity: Some("bench".into()),
        created_at: now,
        last_synced_at: Some(now),
        last_sync_error: None,
        key_count: 0,
    };
    if store.list_accounts().map(|a| a.is_empty()).unwrap_or(true) {
        store.insert_account(&account).expect("an account");
    }
    for start in (0..n).step_by(SEED_CHUNK) {
        let keys: Vec<RemoteKey> = (start..n.min(start + SEED_CHUNK)).map(|i| remote_key(i, now)).collect();
        store.apply_sync("bench-account", &[KeyKind::BraintrustApiKey], &keys, now).expect("seeded");
    }
    store
}

fn remote_key(i: usize, now: chrono::DateTime<Utc>) -> RemoteKey {
    RemoteKey {
        kind: KeyKind::BraintrustApiKey,
        provider_id: format!("k{i:06}"),
        name: format!("{}-{i:06}", ["ci-deploy", "evals-runner", "staging-proxy", "prod-gateway"][i % 4]),
        preview: Some(format!("sk-****{:04x}", i % 65536)),
        owner: Some(OWNERS[i % OWNERS.len()].into()),
        created_at: Some(now - chrono::Duration::minutes(i as i64)),
        expires_at: None,
        limits: KeyLimits::default(),
        details: serde_json::json!({"id": format!("k{i:06}")}),
    }
}

/// 1000000 as "1,000,000", as the figures' names write counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn emit(figure: &str, value: f64, unit: &str) {
    println!("{figure}\t{value:.3}\t{unit}");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(&values, 0.5)
}

/// The same statement, timed by the sqlite3 CLI itself (`.timer on`), RUNS times in one session.
fn sqlite3_times(db: &Path, sql: &str, runs: usize) -> Vec<f64> {
    let mut script = String::from(".timer on\n.output /dev/null\n");
    for _ in 0..runs {
        script.push_str(sql);
        script.push_str(";\n");
    }
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sqlite3 (apt install sqlite3)");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    // ".output /dev/null" sends rows away; the timer lines still reach stdout or stderr.
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // "Run Time: real 0.001 user 0.000712 sys 0.000021": real is in whole milliseconds, user and
    // sys in microseconds; the query is one thread on a warm cache, so user + sys is its time.
    let mut times: Vec<f64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: real "))
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let user: f64 = w.get(2)?.parse().ok()?;
            let sys: f64 = w.get(4)?.parse().ok()?;
            Some((user + sys) * 1000.0)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

fn search(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    drop(seed(dir.path(), n));
    emit("search cached keys", n as f64, "keys");
    emit(&format!("search seed {} keys ({} a call) wall", thousands(n), thousands(SEED_CHUNK)), started.elapsed().as_secs_f64(), "s");
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), HttpConfig::default()).unwrap();
    const RUNS: usize = 40;
    // A name prefix, a piece from the middle of names, and a word no key has.
    for (label, q) in [("prefix", "evals-runner-0012"), ("substring", "ploy-0420"), ("no-hit", "zzqqxxyy")] {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            hits = core.list_keys(&KeyQuery { search: Some(q.into()), ..Default::default() }).unwrap().len();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let cli = sqlite3_times(&dir.path().join("keyward.db"), &search_sql(q), RUNS);
        let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
        let (c50, c95) = (percentile(&cli, 0.5), percentile(&cli, 0.95));
        emit(&format!("search {label} ({hits} hits) core p50"), p50, "ms");
        emit(&format!("search {label} core p95"), p95, "ms");
        emit(&format!("search {label} sqlite3 p50"), c50, "ms");
        emit(&format!("search {label} sqlite3 p95"), c95, "ms");
        emit(&format!("search {label} ratio p50"), p50 / c50.max(0.001), "x");
        emit(&format!("search {label} ratio p95"), p95 / c95.max(0.001), "x");
    }
}

async fn core_with_accounts(host: &str, n: usize) -> (Keyward, Vec<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), HttpConfig::default()).unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let input = NewAccount {
            service: Service::Braintrust,
            label: format!("acc-{i}"),
            host: host.into(),
            org_name: None,
            token: DEFAULT_TOKEN.to_string().into(),
        };
        ids.push(core.add_account(input).await.unwrap().id);
    }
    (core, ids, dir)
}

async fn sync() {
    let sb = spawn(SandboxConfig { seed_keys: 10_000, latency_ms: 20, ..Default::default() }).await.unwrap();
    let (core, ids, _dir) = core_with_accounts(&sb.base_url, 1).await;
    let started = Instant::now();
    let report = core.sync_account(&ids[0], &|_: SyncProgress| {}).await.unwrap();
    let took = started.elapsed().as_secs_f64() * 1000.0;
    let floor = (report.pages as f64) * 20.0;
    emit(&format!("sync 10,000 keys ({} pages) wall", report.pages), took, "ms");
    emit("sync floor (pages × 20 ms)", floor, "ms");
    emit("sync ratio", took / floor, "x");
    // Again, into the cache it just filled: the usual sync, where little has changed.
    let started = Instant::now();
    core.sync_account(&ids[0], &|_: SyncProgress| {}).await.unwrap();
    let again = started.elapsed().as_secs_f64() * 1000.0;
    emit("resync 10,000 keys wall", again, "ms");
    emit("resync ratio", again / floor, "x");
    emit("sync the same pages fetched, not read, wall", raw_pages_ms(&sb.base_url, report.pages).await, "ms");
}

/// The api-key pages of a sync fetched one after another as the core's listing does, each body
/// read but neither parsed nor stored: what the sandbox and the loopback take beyond the
/// latency, apart from Keyward's own work. The cursor is the last `"id"` in the body.
async fn raw_pages_ms(base: &str, pages: u32) -> f64 {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    for _ in 0..pages {
        let mut query = vec![("limit", "100".to_string())];
        if let Some(c) = &cursor {
            query.push(("starting_after", c.clone()));
        }
        let body = client.get(format!("{base}/v1/api_key")).bearer_auth(DEFAULT_TOKEN).query(&query).send().await.unwrap().text().await.unwrap();
        cursor = body.rfind("\"id\":\"").map(|at| body[at + 6..].split('"').next().unwrap_or_default().to_string());
        if cursor.is_none() {
            break;
        }
    }
    started.elapsed().as_secs_f64() * 1000.0
}

/// A first sync at 1,000 and at 100,000 keys, same latency and page size (the core's 100 a
/// page): a key should cost the same whatever the inventory's size. Each size's wall includes
/// what does not grow with it (the service-token and AI-secret lists, the empty last page), which
/// weighs more at 1,000; the sandbox also scans its whole list for each page's cursor, a little
/// more of the 100,000-key wall that is not Keyward's.
async fn sync_scale() {
    // A 1,000-key sync is about 13 pages, 0.3 s, at the mercy of one slow page: the median of 5
    // fresh caches. The 100,000-key one (about 1,000 pages) averages that out by itself.
    let (small_ms, small_pages) = first_sync_ms(1_000, 5).await;
    let (large_ms, large_pages) = first_sync_ms(100_000, 1).await;
    let per_key_us = |ms: f64, keys: f64| ms * 1000.0 / keys;
    let (small_key, large_key) = (per_key_us(small_ms, 1_000.0), per_key_us(large_ms, 100_000.0));
    emit(&format!("first sync 1,000 keys ({small_pages} pages) wall"), small_ms, "ms");
    emit(&format!("first sync 100,000 keys ({large_pages} pages) wall"), large_ms, "ms");
    emit("first sync per key at 1,000", small_key, "us");
    emit("first sync per key at 100,000", large_key, "us");
    emit("first sync per key ratio", large_key / small_key, "x");
}

/// The median wall of `runs` first syncs of `keys` keys, each into a fresh cache, and its pages.
async fn first_sync_ms(keys: usize, runs: usize) -> (f64, u32) {
    let sb = spawn(SandboxConfig { seed_keys: keys, latency_ms: 20, ..Default::default() }).await.unwrap();
    let mut walls = Vec::new();
    let mut pages = 0;
    for _ in 0..runs {
        let (core, ids, _dir) = core_with_accounts(&sb.base_url, 1).await;
        let started = Instant::now();
        let report = core.sync_account(&ids[0], &|_: SyncProgress| {}).await.unwrap();
        walls.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(report.added as usize >= keys, "every seeded key was cached");
        pages = report.pages;
    }
    (median(walls), pages)
}

async fn concurrent() {
    let sb = spawn(SandboxConfig { seed_keys: 5_000, latency_ms: 20, ..Default::default() }).await.unwrap();
    let (core, ids, _dir) = core_with_accounts(&sb.base_url, 5).await;
    let mut slowest = Duration::ZERO;
    for id in &ids {
        let started = Instant::now();
        core.sync_account(id, &|_: SyncProgress| {}).await.unwrap();
        slowest = slowest.max(started.elapsed());
    }
    let started = Instant::now();
    let all = futures_util::future::join_all(ids.iter().map(|id| core.sync_account(id, &|_: SyncProgress| {}))).await;
    let together = started.elapsed();
    assert!(all.iter().all(|r| r.is_ok()));
    emit("5 accounts at once wall", together.as_secs_f64() * 1000.0, "ms");
    emit("slowest account alone wall", slowest.as_secs_f64() * 1000.0, "ms");
    emit("5 accounts ratio", together.as_secs_f64() / slowest.as_secs_f64(), "x");
}

/// Launches of `keyward run` timed; the median is reported.
const RUNS: usize = 15;
const RUN_LATENCY_MS: u64 = 20;

async fn run(keyward: &str) {
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cli = |args: &[&str], stdin: &str| {
        let mut child = Command::new(keyward)
            .args(args)
            .env("KEYWARD_DATA_DIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("keyward runs");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "keyward {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    for (service, label) in [("respan", "R"), ("barndoor", "B")] {
        cli(&["accounts", "add", "--service", service, "--label", label, "--host", &sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
    }
    sb.world().faults.latency_ms = RUN_LATENCY_MS;
    let args = ["run", "-q", "-e", "A=respan-temp@R?ttl=5m", "-e", "B=barndoor-gateway-key@B?ttl=5m", "--", "true"];
    cli(&args, ""); // warm: the first launch pages the binary in
    let mut took: Vec<f64> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            cli(&args, "");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    took.sort_by(f64::total_cmp);
    assert!(sb.world().respan.keys.is_empty(), "every run's keys were revoked");
    let median = took[RUNS / 2];
    let floor = 2.0 * RUN_LATENCY_MS as f64;
    emit("run of true with 2 keys median", median, "ms");
    emit("run floor (2 round trips)", floor, "ms");
    emit("run ratio", median / floor, "x");
    // What a run cannot do without: one keychain lookup, as another Secret Service client (the
    // stock secret-tool) takes it on this machine.
    let listed = Command::new(keyward).args(["accounts", "list", "--json"]).env("KEYWARD_DATA_DIR", dir.path()).output().unwrap();
    let accounts: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id = accounts[0]["id"].as_str().unwrap().to_string();
    let mut lookups: Vec<f64> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let out = Command::new("secret-tool").args(["lookup", "service", "keyward", "username", &id]).output().expect("secret-tool runs");
            assert!(out.status.success() && !out.stdout.is_empty(), "secret-tool found the token");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    lookups.sort_by(f64::total_cmp);
    emit("run keychain lookup (secret-tool) median", lookups[RUNS / 2], "ms");
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("seed") => {
            let dir = Path::new(args.get(1).expect("seed DIR N"));
            let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
            drop(seed(dir, n));
            eprintln!("seeded {} with {n} keys", dir.display());
        }
        Some("search") => search(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000)),
        Some("sync") => sync().await,
        Some("sync-scale") => sync_scale().await,
        Some("concurrent") => concurrent().await,
        Some("list") => list::run(args.get(1).expect("list KEYWARD")),
        Some("dbsize") => dbsize::run(),
        Some("run") => run(args.get(1).expect("run KEYWARD")).await,
        _ => {
            eprintln!("usage: keyward-bench seed DIR N | search N | sync | sync-scale | concurrent | list KEYWARD | dbsize | run KEYWARD");
            std::process::exit(2);
        }
    }
}
