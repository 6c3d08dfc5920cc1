//! Cached keys: what each service listed at the last sync, plus what vanished since.

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Row};

use super::accounts::bad_value;
use super::Store;
use crate::error::{Error, Result};
use crate::model::settings::Settings;
use crate::model::{KeyKind, KeyLimits, KeyQuery, KeyRow, KeyStatus, RemoteKey, RunMark};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncCounts {
    pub added: u32,
    pub updated: u32,
    pub gone: u32,
}

/// The local id of a key: stable across syncs and the same on every machine.
pub fn local_id(account_id: &str, kind: KeyKind, provider_id: &str) -> String {
    let name = format!("{account_id}\n{}\n{provider_id}", kind.as_str());
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, name.as_bytes()).to_string()
}

/// `?1` is now: a key past its expiry reads as expired, and one within the expiry window of it
/// as expiring, without waiting for a sync; one older than the rotation age reads as due for
/// rotation. Both numbers come from the settings (integers, never user text).
pub(super) fn select(settings: &Settings) -> String {
    format!(
        "SELECT k.id, k.account_id, a.label, a.service, k.kind, k.provider_id, k.name,
        k.preview, k.owner, k.created_at, k.expires_at,
        CASE WHEN k.status != 'active' OR k.expires_at IS NULL THEN k.status
             WHEN k.expires_at <= ?1 THEN 'expired'
             WHEN julianday(k.expires_at) - julianday(?1) <= {window} THEN 'expiring'
             ELSE k.status END AS shown_status,
        k.last_seen_at, k.is_test, k.usage_count, k.usage_limit, k.spend, k.spend_limit, k.rate_limit, k.last_used_at,
        COALESCE(k.status = 'active' AND (k.expires_at IS NULL OR k.expires_at > ?1) AND k.kind NOT IN ({never})
            AND julianday(?1) - julianday(COALESCE(k.created_at, k.first_seen_at)) >= {rotate}, 0) AS rotate_due,
        r.id, r.command, COALESCE(r.child_pid, r.keeper_pid), rk.env_name, r.started_at, r.ended_at,
        CASE WHEN k.kind = 'barndoor_gateway_key' THEN k.details END
    FROM keys k JOIN accounts a ON a.id = k.account_id
    LEFT JOIN run_keys rk ON rk.key_id = k.id LEFT JOIN runs r ON r.id = rk.run_id",
        window = settings.expiry_window_days,
        rotate = settings.rotate_after_days,
        never = NEVER_ROTATED,
    )
}

/// Kinds never flagged for rotation: proxy credentials live minutes, providers are routes.
const NEVER_ROTATED: &str = "'braintrust_proxy_credential', 'barndoor_provider'";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<KeyRow> {
    let service: String = row.get(3)?;
    let kind: String = row.get(4)?;
    let status: String = row.get(11)?;
    Ok(KeyRow {
        id: row.get(0)?,
        account_id: row.get(1)?,
        account_label: row.get(2)?,
        service: crate::model::Service::parse(&service).ok_or_else(|| bad_value(3, "service", &service))?,
        kind: KeyKind::parse(&kind).ok_or_else(|| bad_value(4, "kind", &kind))?,
        provider_id: row.get(5)?,
        name: row.get(6)?,
        preview: row.get(7)?,
        owner: row.get(8)?,
        created_at: row.get(9)?,
        expires_at: row.get(10)?,
        status: KeyStatus::parse(&status).ok_or_else(|| bad_value(11, "status", &status))?,
        last_seen_at: row.get(12)?,
        limits: KeyLimits {
            is_test: row.get(13)?,
            usage_count: row.get(14)?,
            usage_limit: row.get(15)?,
            spend: row.get(16)?,
            spend_limit: row.get(17)?,
            rate_limit: row.get(18)?,
            last_used_at: row.get(19)?,
        },
        rotate_due: row.get(20)?,
        run: match row.get::<_, Option<String>>(21)? {
            None => None,
            Some(run_id) => Some(RunMark {
                run_id,
                command: row.get(22)?,
                pid: row.get(23)?,
                env_name: row.get(24)?,
                started_at: row.get(25)?,
                ended_at: row.get(26)?,
            }),
        },
        // Only a gateway key's details are read per row (the others' stay unparsed).
        gateway: row
            .get::<_, Option<String>>(27)?
            .map(|d| crate::model::gateway_state::GatewayState::from_details(&serde_json::from_str(&d).unwrap_or_default(), Utc::now())),
    })
}

/// What a cached key becomes when the service describes it again (`excluded` is the new
/// description), for one key (`upsert_key`) and a whole listing (staging.rs) alike. A key Keyward
/// revoked stays revoked while the service still lists it (some services keep revoked keys listed
/// for a while); a dismissed expiry notice stays dismissed while the expiry is the same.
pub(super) const REFRESHED: &str = "name = excluded.name, preview = excluded.preview, owner = excluded.owner,
    created_at = excluded.created_at, expires_at = excluded.expires_at,
    status = CASE WHEN keys.status = 'revoked' THEN 'revoked' ELSE 'active' END, gone_at = NULL,
    dismissed_at = CASE WHEN keys.expires_at IS excluded.expires_at THEN keys.dismissed_at END,
    last_seen_at = excluded.last_seen_at, details = excluded.details, is_test = excluded.is_test,
    usage_count = excluded.usage_count, usage_limit = excluded.usage_limit, spend = excluded.spend,
    spend_limit = excluded.spend_limit, rate_limit = excluded.rate_limit, last_used_at = excluded.last_used_at";

/// Inserts or refreshes one key as the service described it.
fn upsert_key(conn: &rusqlite::Connection, id: &str, account_id: &str, key: &RemoteKey, now: DateTime<Utc>) -> Result<()> {
    let l = &key.limits;
    conn.prepare_cached(&format!(
        "INSERT INTO keys (id, account_id, kind, provider_id, name, preview, owner, created_at, expires_at, status,
             first_seen_at, last_seen_at, details, is_test, usage_count, usage_limit, spend, spend_limit, rate_limit, last_used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET {REFRESHED}"
    ))?
    .execute(params![
        id,
        account_id,
        key.kind.as_str(),
        key.provider_id,
        key.name,
        key.preview,
        key.owner,
        key.created_at,
        key.expires_at,
        now,
        key.details.to_string(),
        l.is_test,
        l.usage_count,
        l.usage_limit,
        l.spend,
        l.spend_limit,
        l.rate_limit,
        l.last_used_at,
    ])?;
    Ok(())
}

/// The longest search Keyward runs. SQLite is built without its expression-depth limit
/// (`SQLITE_MAX_EXPR_DEPTH=0`, .cargo/config.toml), so the words of a search, each one more
/// `AND`, are what bounds the statement's depth: a pasted megabyte must not become a query.
pub const MAX_SEARCH_CHARS: usize = 256;
pub const MAX_SEARCH_WORDS: usize = 16;

/// A search as typed, trimmed, or a named error when it is longer than Keyward searches.
pub fn checked_search(raw: Option<&str>) -> Result<&str> {
    let search = raw.unwrap_or("").trim();
    if search.chars().count() > MAX_SEARCH_CHARS {
        return Err(Error::invalid("search", format!("Search for at most {MAX_SEARCH_CHARS} characters.")));
    }
    if search.split_whitespace().count() > MAX_SEARCH_WORDS {
        return Err(Error::invalid("search", format!("Search for at most {MAX_SEARCH_WORDS} words.")));
    }
    Ok(search)
}

/// A word this long or longer, all ASCII, is looked up by a few of its trigrams and then
/// matched whole with LIKE (`like_words`), instead of as a phrase of every trigram: a phrase
/// reads every trigram's full list, and in an inventory of names that share a start
/// ("evals-runner-…") those lists hold most of the keys.
const COVERED_FROM: usize = 6;

/// A word searched by `cover`: for ASCII, LIKE folds case exactly as the trigram index does.
fn covered(word: &str) -> bool {
    word.is_ascii() && word.len() >= COVERED_FROM
}

/// Trigrams that together span `word` (ASCII), overlapping only at the end: every row holding
/// the word holds each of them, and few rows hold them all.
fn cover(word: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = (0..=word.len() - 3).step_by(3).collect();
    if starts.last() != Some(&(word.len() - 3)) {
        starts.push(word.len() - 3);
    }
    starts.into_iter().map(|at| &word[at..at + 3]).collect()
}

/// Turns what a person typed into an FTS5 trigram query: each word must appear somewhere,
/// quoted so that FTS syntax characters are matched literally; a long ASCII word by its cover.
fn fts_query(search: &str) -> Option<String> {
    let quoted = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    let words: Vec<String> = search
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| if covered(w) { cover(w).into_iter().map(quoted).collect::<Vec<_>>().join(" AND ") } else { quoted(w) })
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// Words the index cannot find alone, matched with LIKE: those shorter than a trigram, and the
/// covered ones (whose trigrams only narrow the rows down).
fn like_words(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .filter(|w| w.chars().count() < 3 || covered(w))
        .map(|w| format!("%{}%", w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
        .collect()
}

/// A row matches a LIKE word in any of the columns the index holds.
fn like_clause(n: &str) -> String {
    format!(" AND (k.name LIKE {n} ESCAPE '\\' OR k.preview LIKE {n} ESCAPE '\\' OR k.owner LIKE {n} ESCAPE '\\')")
}

/// The statement `list_keys` runs for a plain search, with its values written in: `make bench`
/// runs it in the sqlite3 CLI to compare against the core.
#[doc(hidden)]
pub fn search_sql(search: &str) -> String {
    let now = Utc::now().format("%F %T%.f%:z").to_string();
    let literal = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let mut sql = format!("{} WHERE 1 = 1 AND k.status != 'gone'", select(&Settings::default()).replace("?1", &literal(&now)));
    if let Some(fts) = fts_query(search) {
        sql.push_str(&format!(" AND k.pk IN (SELECT rowid FROM keys_fts WHERE keys_fts MATCH {})", literal(&fts)));
    }
    for like in like_words(search) {
        sql.push_str(&like_clause(&literal(&like)));
    }
    sql + " ORDER BY k.created_at DESC, k.name"
}

impl Store {
    pub fn list_keys(&self, query: &KeyQuery) -> Result<Vec<KeyRow>> {
        let mut sql = format!("{} WHERE 1 = 1", select(&self.settings()));
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(Utc::now())];
        if let Some(account) = &query.account_id {
            args.push(Box::new(account.clone()));
            sql.push_str(&format!(" AND k.account_id = ?{}", args.len()));
        }
        if !query.include_gone.unwrap_or(false) && query.statuses.as_ref().is_none_or(|s| s.is_empty()) {
            sql.push_str(" AND k.status != 'gone'");
        }
        if let Some(service) = query.service {
            args.push(Box::new(service.as_str()));
            sql.push_str(&format!(" AND a.service = ?{}", args.len()));
        }
        if let Some(kinds) = query.kinds.as_ref().filter(|k| !k.is_empty()) {
            let mut marks = Vec::new();
            for kind in kinds {
                args.push(Box::new(kind.as_str()));
                marks.push(format!("?{}", args.len()));
            }
            sql.push_str(&format!(" AND k.kind IN ({})", marks.join(", ")));
        }
        if let Some(statuses) = query.statuses.as_ref().filter(|s| !s.is_empty()) {
            let mut marks = Vec::new();
            for status in statuses {
                args.push(Box::new(status.as_str()));
                marks.push(format!("?{}", args.len()));
            }
            sql.push_str(&format!(" AND shown_status IN ({})", marks.join(", ")));
        }
        if let Some(test) = query.is_test {
            sql.push_str(if test { " AND k.is_test = 1" } else { " AND (k.is_test IS NULL OR k.is_test = 0)" });
        }
        if let Some(from_run) = query.from_run {
            sql.push_str(if from_run { " AND rk.run_id IS NOT NULL" } else { " AND rk.run_id IS NULL" });
        }
        if let Some(days) = query.unused_days {
            let reporting: Vec<String> = KeyKind::ALL.into_iter().filter(|k| k.reports_last_use()).map(|k| format!("'{}'", k.as_str())).collect();
            sql.push_str(&format!(" AND k.kind IN ({})", reporting.join(", ")));
            if days == 0 {
                sql.push_str(" AND k.last_used_at IS NULL");
            } else {
                args.push(Box::new(Utc::now() - chrono::Duration::days(days.into())));
                sql.push_str(&format!(" AND (k.last_used_at IS NULL OR k.last_used_at < ?{})", args.len()));
            }
        }
        let search = checked_search(query.search.as_deref())?;
        if let Some(fts) = fts_query(search) {
            args.push(Box::new(fts));
            sql.push_str(&format!(" AND k.pk IN (SELECT rowid FROM keys_fts WHERE keys_fts MATCH ?{})", args.len()));
        }
        for like in like_words(search) {
            args.push(Box::new(like));
            sql.push_str(&like_clause(&format!("?{}", args.len())));
        }
        let direction = if query.descending.unwrap_or(false) { "DESC" } else { "ASC" };
        match query.sort {
            Some(sort) => {
                // Rows without a value (an "IS NULL" part) stay last whichever way the rest runs.
                let columns: Vec<String> =
                    sort.column().split(", ").map(|c| if c.ends_with(" IS NULL") { c.to_string() } else { format!("{c} {direction}") }).collect();
                sql.push_str(&format!(" ORDER BY {}, k.name", columns.join(", ")));
            }
            None => sql.push_str(" ORDER BY k.created_at DESC, k.name"),
        }
        if let Some(limit) = query.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let conn = self.conn();
        // The words searched for are parameters: each keystroke asks the same statement again,
        // and the connection keeps it prepared. On 1,000,000 keys, a search with no hit takes
        // 0.14 ms p50 instead of 0.21 (keyward-bench search, interleaved three times each).
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_key(&self, id: &str) -> Result<KeyRow> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(&format!("{} WHERE k.id = ?2", select(&self.settings())), params![Utc::now(), id], from_row)
            .optional()?
            .ok_or_else(|| crate::error::Error::not_found(format!("No key with id '{id}' is cached here.")))
    }

    /// Caches a key Keyward just created, at once, before any sync.
    pub fn insert_created(&self, account_id: &str, key: &RemoteKey, now: DateTime<Utc>) -> Result<KeyRow> {
        let id = local_id(account_id, key.kind, &key.provider_id);
        {
            let conn = self.conn();
            upsert_key(&conn, &id, account_id, key, now)?;
        }
        self.get_key(&id)
    }

    /// Marks a key revoked at once; the next sync reconciles with the service.
    pub fn mark_revoked(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute("UPDATE keys SET status = 'revoked', revoked_at = ?2 WHERE id = ?1", params![id, now])?;
        Ok(())
    }

    pub fn key_details(&self, id: &str) -> Result<serde_json::Value> {
        use rusqlite::OptionalExtension;
        let text: Option<String> = self.conn().query_row("SELECT details FROM keys WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let text = text.ok_or_else(|| crate::error::Error::not_found(format!("No key with id '{id}' is cached here.")))?;
        Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
    }

    /// Marks one key as no longer at its service (a revoked key stays revoked).
    pub fn mark_gone(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute("UPDATE keys SET status = 'gone', gone_at = ?2 WHERE id = ?1 AND status = 'active'", params![id, now])?;
        Ok(())
    }

    /// Replaces an account's view of `kinds` with what the service listed, in one transaction:
    /// listed keys are upserted, cached keys it no longer lists are marked gone, never deleted.
    /// A sync stages its pages as they come instead (staging.rs); this is the same in one go.
    pub fn apply_sync(&self, account_id: &str, kinds: &[KeyKind], listed: &[RemoteKey], now: DateTime<Utc>) -> Result<SyncCounts> {
        let stage = self.stage(account_id)?;
        stage.add(listed)?;
        stage.swap_in(kinds, now, now)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::accounts::tests::sample;

    pub(crate) fn remote(id: &str, name: &str) -> RemoteKey {
        RemoteKey {
            kind: KeyKind::BraintrustApiKey,
            provider_id: id.into(),
            name: name.into(),
            preview: Some(format!("sk-****{id}")),
            owner: Some("ana@example.com".into()),
            created_at: Some(Utc::now()),
            expires_at: None,
            limits: KeyLimits::default(),
            details: serde_json::json!({}),
        }
    }

    fn store_with(keys: &[RemoteKey]) -> Store {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("acc")).unwrap();
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], keys, Utc::now()).unwrap();
        store
    }

    fn search(store: &Store, text: &str) -> Vec<String> {
        let q = KeyQuery { search: Some(text.into()), ..Default::default() };
        store.list_keys(&q).unwrap().into_iter().map(|k| k.name).collect()
    }

    /// The CLI's sync listed later and committed first; the window's older listing, applied
    /// after it, must not mark gone the key only the newer listing saw.
    #[test]
    fn an_older_listing_applied_last_marks_nothing_gone_that_a_newer_one_saw() {
        let store = store_with(&[remote("1", "alpha")]);
        let older = Utc::now();
        let newer = older + chrono::Duration::seconds(1);
        let kinds = [KeyKind::BraintrustApiKey];
        store.apply_sync("acc", &kinds, &[remote("1", "alpha"), remote("2", "made meanwhile")], newer).unwrap();
        let counts = store.apply_sync("acc", &kinds, &[remote("1", "alpha")], older).unwrap();
        assert_eq!(counts.gone, 0);
        let statuses: Vec<(String, KeyStatus)> = store.list_keys(&KeyQuery::default()).unwrap().into_iter().map(|k| (k.name, k.status)).collect();
        assert_eq!(statuses.len(), 2, "{statuses:?}");
        assert!(statuses.iter().all(|(_, s)| *s == KeyStatus::Active), "{statuses:?}");
    }

    #[test]
    fn sync_adds_updates_and_marks_gone() {
        let store = store_with(&[remote("1", "alpha"), remote("2", "beta")]);
        let counts = store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[remote("2", "beta2"), remote("3", "gamma")], Utc::now()).unwrap();
        assert_eq!(counts, SyncCounts { added: 1, updated: 1, gone: 1 });
        assert_eq!(store.list_keys(&KeyQuery::default()).unwrap().len(), 2);
        let all = store.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
        let alpha = all.iter().find(|k| k.name == "alpha").unwrap();
        assert_eq!(alpha.status, KeyStatus::Gone);
        assert!(store.get_account("acc").unwrap().last_synced_at.is_some());
        assert_eq!(store.get_account("acc").unwrap().key_count, 2);
    }

    fn remote_of(kind: KeyKind, id: &str) -> RemoteKey {
        RemoteKey { kind, ..remote(id, &format!("{}-{id}", kind.as_str())) }
    }

    fn status(store: &Store, account: &str, kind: KeyKind, id: &str) -> KeyStatus {
        store.get_key(&local_id(account, kind, id)).unwrap().status
    }

    /// One pass marks what vanished for every completely listed kind at once; a kind the
    /// listing could not read keeps its keys, and so does another account.
    #[test]
    fn a_listing_marks_gone_what_vanished_of_each_listed_kind_and_of_no_other() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("acc")).unwrap();
        store.insert_account(&sample("other")).unwrap();
        let (api, token, secret) = (KeyKind::BraintrustApiKey, KeyKind::BraintrustServiceToken, KeyKind::BraintrustAiSecret);
        let all = [api, token, secret];
        let first: Vec<RemoteKey> = all.iter().flat_map(|k| [remote_of(*k, "1"), remote_of(*k, "2")]).collect();
        let earlier = Utc::now() - chrono::Duration::seconds(5);
        store.apply_sync("acc", &all, &first, earlier).unwrap();
        store.apply_sync("other", &[api], &[remote_of(api, "1")], earlier).unwrap();

        // The same keys as first listed, unchanged: nothing to update.
        let listed: Vec<RemoteKey> =
            first.iter().filter(|k| [(api, "2"), (token, "1")].contains(&(k.kind, k.provider_id.as_str()))).cloned().collect();
        let counts = store.apply_sync("acc", &[api, token], &listed, Utc::now()).unwrap();
        assert_eq!(counts, SyncCounts { added: 0, updated: 0, gone: 2 });
        assert_eq!(status(&store, "acc", api, "1"), KeyStatus::Gone);
        assert_eq!(status(&store, "acc", api, "2"), KeyStatus::Active);
        assert_eq!(status(&store, "acc", token, "1"), KeyStatus::Active);
        assert_eq!(status(&store, "acc", token, "2"), KeyStatus::Gone);
        for id in ["1", "2"] {
            assert_eq!(status(&store, "acc", secret, id), KeyStatus::Active, "a kind not listed completely keeps its keys");
        }
        assert_eq!(status(&store, "other", api, "1"), KeyStatus::Active, "another account's key is not this listing's");
    }

    /// Two accounts' syncs stage side by side on the one connection, each swaps in its own
    /// listing, and neither leaves its stage behind.
    #[test]
    fn stages_side_by_side_swap_in_their_own_listings_and_leave_nothing_staged() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("a")).unwrap();
        store.insert_account(&sample("b")).unwrap();
        let kinds = [KeyKind::BraintrustApiKey];
        let (first, second) = (store.stage("a").unwrap(), store.stage("b").unwrap());
        first.add(&[remote("1", "of a"), remote("1", "listed twice: the first is kept")]).unwrap();
        second.add(&[remote("1", "of b"), remote("2", "also of b")]).unwrap();
        first.add(&[remote("3", "a's second page")]).unwrap();
        assert_eq!(second.swap_in(&kinds, Utc::now(), Utc::now()).unwrap(), SyncCounts { added: 2, updated: 0, gone: 0 });
        assert_eq!(first.swap_in(&kinds, Utc::now(), Utc::now()).unwrap(), SyncCounts { added: 2, updated: 0, gone: 0 });
        let names = |account: &str| -> Vec<String> {
            let q = KeyQuery { account_id: Some(account.into()), ..Default::default() };
            let mut n: Vec<String> = store.list_keys(&q).unwrap().into_iter().map(|k| k.name).collect();
            n.sort();
            n
        };
        assert_eq!(names("a"), ["a's second page", "of a"]);
        assert_eq!(names("b"), ["also of b", "of b"]);
        assert_eq!(store.stages_left(), 0, "every stage's table was dropped");
    }

    #[test]
    fn a_gone_key_that_returns_is_active_again() {
        let store = store_with(&[remote("1", "alpha")]);
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[], Utc::now()).unwrap();
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[remote("1", "alpha")], Utc::now()).unwrap();
        assert_eq!(store.list_keys(&KeyQuery::default()).unwrap()[0].status, KeyStatus::Active);
    }

    #[test]
    fn a_search_longer_than_keyward_searches_is_named_and_the_longest_allowed_runs() {
        let store = store_with(&[remote("1", "alpha")]);
        for (text, why) in [("x".repeat(MAX_SEARCH_CHARS + 1), "characters"), (vec!["ab"; MAX_SEARCH_WORDS + 1].join(" "), "words")] {
            let err = store.list_keys(&KeyQuery { search: Some(text), ..Default::default() }).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("search"));
            assert!(err.message.contains(why), "{}", err.message);
        }
        // Every filter at once with the widest search: the statement stays within what SQLite runs.
        let widest = (0..MAX_SEARCH_WORDS).map(|i| if i % 2 == 0 { "ab".to_string() } else { format!("w{i:02}x") }).collect::<Vec<_>>().join(" ");
        let q = KeyQuery {
            search: Some(widest),
            kinds: Some(vec![KeyKind::BraintrustApiKey; 8]),
            statuses: Some(vec![KeyStatus::Active; 5]),
            is_test: Some(false),
            ..Default::default()
        };
        assert!(store.list_keys(&q).unwrap().is_empty());
    }

    #[test]
    fn search_matches_prefix_substring_short_and_literal() {
        let store = store_with(&[remote("1", "production-backend"), remote("2", "staging"), remote("3", "ci \"bot\"")]);
        assert_eq!(search(&store, "prod"), ["production-backend"]);
        assert_eq!(search(&store, "backend"), ["production-backend"]);
        assert_eq!(search(&store, "PROD back"), ["production-backend"]);
        assert_eq!(search(&store, "st"), ["staging"]);
        assert_eq!(search(&store, "\"bot\""), ["ci \"bot\""]);
        assert!(search(&store, "nothing-like-it").is_empty());
        assert_eq!(search(&store, "ana@exa").len(), 3);
        assert_eq!(search(&store, "%").len(), 0);
        // FTS syntax typed by a person is text, not a query.
        assert!(search(&store, "a OR b NEAR(").is_empty());
    }

    #[test]
    fn a_long_word_is_looked_up_by_a_few_trigrams_and_matched_whole() {
        assert_eq!(cover("evals-runner-0012"), ["eva", "ls-", "run", "ner", "-00", "012"]);
        assert_eq!(cover("abcdef"), ["abc", "def"]);
        assert_eq!(cover("abcdefg"), ["abc", "def", "efg"]);
        let store =
            store_with(&[remote("1", "abc-def-ghi"), remote("2", "abcdef-ghi"), remote("3", "Evals-Runner-0012"), remote("4", "clé-privée-prod")]);
        // A row with every trigram of the cover but not the word is not a match.
        assert_eq!(search(&store, "abcdef"), ["abcdef-ghi"]);
        assert_eq!(search(&store, "EVALS-runner-001"), ["Evals-Runner-0012"]);
        assert_eq!(search(&store, "ghi abcdef"), ["abcdef-ghi"]);
        // Found in any column the index holds: every row's owner is ana@example.com.
        assert_eq!(search(&store, "ana@example").len(), 4);
        assert_eq!(search(&store, "ANA@EXAMPLE.COM ghi").len(), 2);
        // A word with a letter outside ASCII is still one phrase, folded as the index folds it.
        assert_eq!(search(&store, "PRIVÉE-prod"), ["clé-privée-prod"]);
        assert!(search(&store, "privee-prod").is_empty());
        // The longest search of long words runs.
        let longest = vec!["abcdefghijklmno"; MAX_SEARCH_WORDS].join(" ");
        assert!(longest.chars().count() <= MAX_SEARCH_CHARS);
        assert!(search(&store, &longest).is_empty());
    }

    #[test]
    fn a_renamed_key_is_found_by_its_new_name_only() {
        let store = store_with(&[remote("1", "alpha-key")]);
        let found = |q: &str| store.list_keys(&KeyQuery { search: Some(q.into()), ..Default::default() }).unwrap().len();
        assert_eq!(found("alpha"), 1);
        // The same row listed again unchanged, then renamed: the index follows only the change.
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[remote("1", "alpha-key")], Utc::now()).unwrap();
        assert_eq!(found("alpha"), 1);
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[remote("1", "bravo-key")], Utc::now()).unwrap();
        assert_eq!((found("alpha"), found("bravo")), (0, 1));
    }

    #[test]
    fn deleting_an_account_drops_its_keys() {
        let store = store_with(&[remote("1", "alpha")]);
        store.delete_account("acc").unwrap();
        assert!(store.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap().is_empty());
    }

    #[test]
    fn expiry_and_revocation_show_in_status() {
        let mut past = remote("1", "old");
        past.expires_at = Some(Utc::now() - chrono::Duration::minutes(1));
        let days = KeyStatus::EXPIRING_DAYS;
        let mut soon = remote("2", "soon");
        soon.expires_at = Some(Utc::now() + chrono::Duration::days(days) - chrono::Duration::minutes(1));
        let mut later = remote("4", "later");
        later.expires_at = Some(Utc::now() + chrono::Duration::days(days) + chrono::Duration::minutes(1));
        let store = store_with(&[past, soon, later, remote("3", "revoke-me")]);
        let status = |name: &str| {
            let rows = store.list_keys(&KeyQuery { include_gone: Some(true), ..Default::default() }).unwrap();
            rows.into_iter().find(|k| k.name == name).unwrap().status
        };
        assert_eq!(status("old"), KeyStatus::Expired);
        assert_eq!(status("soon"), KeyStatus::Expiring);
        assert_eq!(status("later"), KeyStatus::Active);
        let expiring = store.list_keys(&KeyQuery { statuses: Some(vec![KeyStatus::Expiring]), ..Default::default() }).unwrap();
        assert_eq!(expiring.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["soon"]);
        let id = local_id("acc", KeyKind::BraintrustApiKey, "3");
        store.mark_revoked(&id, Utc::now()).unwrap();
        assert_eq!(status("revoke-me"), KeyStatus::Revoked);
        // Still listed by the service at the next sync: it stays revoked.
        store.apply_sync("acc", &[KeyKind::BraintrustApiKey], &[remote("3", "revoke-me")], Utc::now()).unwrap();
        assert_eq!(status("revoke-me"), KeyStatus::Revoked);
    }

    #[test]
    fn filters_and_sorts() {
        let mut test_key = remote("1", "b-test");
        test_key.limits.is_test = Some(true);
        (test_key.limits.usage_count, test_key.limits.usage_limit) = (Some(9), Some(10));
        let mut expired = remote("2", "a-expired");
        expired.expires_at = Some(Utc::now() - chrono::Duration::hours(1));
        let store = store_with(&[test_key, expired, remote("3", "c-prod")]);
        let names = |q: KeyQuery| store.list_keys(&q).unwrap().into_iter().map(|k| k.name).collect::<Vec<_>>();
        let sorted = |sort, descending| KeyQuery { sort: Some(sort), descending: Some(descending), ..Default::default() };
        assert_eq!(names(sorted(crate::model::KeySort::Name, false)), ["a-expired", "b-test", "c-prod"]);
        assert_eq!(names(sorted(crate::model::KeySort::Name, true)), ["c-prod", "b-test", "a-expired"]);
        assert_eq!(names(KeyQuery { is_test: Some(true), ..Default::default() }), ["b-test"]);
        assert_eq!(names(KeyQuery { is_test: Some(false), sort: Some(crate::model::KeySort::Name), ..Default::default() }), ["a-expired", "c-prod"]);
        assert_eq!(names(KeyQuery { statuses: Some(vec![KeyStatus::Expired]), ..Default::default() }), ["a-expired"]);
        assert_eq!(names(KeyQuery { kinds: Some(vec![KeyKind::RespanTempKey]), ..Default::default() }).len(), 0);
        assert_eq!(names(KeyQuery { service: Some(crate::model::Service::Braintrust), ..Default::default() }).len(), 3);
        assert_eq!(names(KeyQuery { service: Some(crate::model::Service::Barndoor), ..Default::default() }).len(), 0);
        assert_eq!(names(KeyQuery { limit: Some(2), sort: Some(crate::model::KeySort::Name), ..Default::default() }), ["a-expired", "b-test"]);
        let by_usage = names(sorted(crate::model::KeySort::Usage, true));
        assert_eq!(by_usage[0], "b-test", "the most used share first when descending (then keys with no limit)");
        let by_expiry = names(sorted(crate::model::KeySort::Expires, false));
        assert_eq!(by_expiry[0], "a-expired", "keys with an expiry come first, soonest first");
    }

    #[test]
    fn a_key_listed_twice_is_cached_once() {
        let store = store_with(&[remote("1", "alpha"), remote("1", "alpha")]);
        assert_eq!(store.list_keys(&KeyQuery::default()).unwrap().len(), 1);
    }
}
