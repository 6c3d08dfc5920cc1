//! The local audit log: what Keyward did, when, to what, and how it went. Never a secret.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Store;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub account_id: Option<String>,
    /// The account's label when it still exists (read when listed, never stored with the entry);
    /// `None` for a removed account or an action on no account.
    pub account_label: Option<String>,
    /// e.g. `account.add`, `key.create`, `key.revoke`.
    pub action: String,
    /// What it was done to, by name (never a secret).
    pub target: String,
    /// `ok`, or the error code.
    pub outcome: String,
    pub detail: Option<String>,
}

/// What the audit screen and `keyward audit` ask for. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    #[serde(default)]
    #[ts(optional)]
    pub account_id: Option<String>,
    /// An exact action, e.g. `key.create`.
    #[serde(default)]
    #[ts(optional)]
    pub action: Option<String>,
    /// From this moment: `YYYY-MM-DD` (that day's start, UTC) or RFC 3339.
    #[serde(default)]
    #[ts(optional)]
    pub since: Option<String>,
    /// Up to this moment: `YYYY-MM-DD` (the whole of that day, UTC) or RFC 3339.
    #[serde(default)]
    #[ts(optional)]
    pub until: Option<String>,
    /// At most this many entries, newest first (default 500, at most 10,000).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl AuditQuery {
    pub const DEFAULT_LIMIT: u32 = 500;
    pub const MAX_LIMIT: u32 = 10_000;

    /// The query with its dates read and its limit checked; a bad value is named by its field.
    pub fn resolve(&self) -> Result<AuditFilter> {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let since = text(&self.since).map(|s| moment("since", &s, false)).transpose()?;
        let until = text(&self.until).map(|s| moment("until", &s, true)).transpose()?;
        if let (Some(from), Some(to)) = (since, until) {
            if to < from {
                return Err(Error::invalid("until", "The end of the range is before its start."));
            }
        }
        let limit = self.limit.unwrap_or(Self::DEFAULT_LIMIT);
        if limit == 0 || limit > Self::MAX_LIMIT {
            return Err(Error::invalid("limit", format!("Ask for 1 to {} entries at a time.", Self::MAX_LIMIT)));
        }
        Ok(AuditFilter { account_id: text(&self.account_id), action: text(&self.action), since, until, limit })
    }
}

/// A bare date is a whole UTC day: its first instant for `since`, its last for `until`, so that
/// `--until 2026-11-24` keeps everything done on the 24th.
fn moment(field: &str, text: &str, end_of_day: bool) -> Result<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let start = day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        return Ok(if end_of_day { start + chrono::Duration::days(1) - chrono::Duration::nanoseconds(1) } else { start });
    }
    DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&Utc)).map_err(|_| {
        Error::invalid(field, format!("'{}' is not a date; use a form like 2026-11-24 or 2026-11-24T09:30:00Z.", crate::model::rules::clip(text)))
    })
}

/// An [`AuditQuery`] checked and ready for SQL.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    pub account_id: Option<String>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// Inclusive.
    pub until: Option<DateTime<Utc>>,
    pub limit: u32,
}

impl Store {
    pub fn audit(&self, entry: &AuditEntry) -> Result<()> {
        self.conn().execute(
            "INSERT INTO audit (at, account_id, action, target, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![entry.at, entry.account_id, entry.action, entry.target, entry.outcome, entry.detail],
        )?;
        Ok(())
    }

    /// Newest first. Times compare as the stored text, which sorts as time (one UTC format).
    pub fn query_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut sql = String::from(
            "SELECT au.at, au.account_id, a.label, au.action, au.target, au.outcome, au.detail
             FROM audit au LEFT JOIN accounts a ON a.id = au.account_id WHERE 1 = 1",
        );
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let mut bind = |sql: &mut String, clause: &str, value: Box<dyn rusqlite::ToSql>| {
            args.push(value);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(account) = &filter.account_id {
            bind(&mut sql, "au.account_id =", Box::new(account.clone()));
        }
        if let Some(action) = &filter.action {
            bind(&mut sql, "au.action =", Box::new(action.clone()));
        }
        if let Some(since) = filter.since {
            bind(&mut sql, "au.at >=", Box::new(since));
        }
        if let Some(until) = filter.until {
            bind(&mut sql, "au.at <=", Box::new(until));
        }
        args.push(Box::new(filter.limit));
        sql.push_str(&format!(" ORDER BY au.at DESC, au.id DESC LIMIT ?{}", args.len()));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                account_id: r.get(1)?,
                account_label: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                outcome: r.get(5)?,
                detail: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every action the log holds, for the audit screen's filter.
    pub fn audit_actions(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT action FROM audit ORDER BY action")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::accounts::tests::sample;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn entry(when: &str, account: Option<&str>, action: &str, target: &str) -> AuditEntry {
        AuditEntry {
            at: at(when),
            account_id: account.map(str::to_string),
            account_label: None,
            action: action.into(),
            target: target.into(),
            outcome: "ok".into(),
            detail: None,
        }
    }

    /// Two accounts and six entries across the 23rd to the 25th of November 2026.
    fn store() -> Store {
        let store = Store::in_memory().unwrap();
        store.insert_account(&sample("a")).unwrap();
        store.insert_account(&sample("b")).unwrap();
        for e in [
            entry("2026-11-23T23:59:59.999999999Z", Some("a"), "account.add", "before"),
            entry("2026-11-24T00:00:00Z", Some("a"), "key.create", "first"),
            entry("2026-11-24T12:00:00.5Z", Some("b"), "key.create", "noon"),
            entry("2026-11-24T23:59:59.999999999Z", Some("a"), "key.revoke", "last"),
            entry("2026-11-25T00:00:00Z", Some("b"), "key.create", "after"),
            entry("2026-11-25T08:00:00Z", None, "store.recover", "elsewhere"),
        ] {
            store.audit(&e).unwrap();
        }
        store
    }

    fn targets(store: &Store, query: AuditQuery) -> Vec<String> {
        store.query_audit(&query.resolve().unwrap()).unwrap().into_iter().map(|e| e.target).collect()
    }

    fn q(since: Option<&str>, until: Option<&str>) -> AuditQuery {
        AuditQuery { since: since.map(str::to_string), until: until.map(str::to_string), ..Default::default() }
    }

    #[test]
    fn newest_first_with_the_label_of_an_account_that_still_exists() {
        let store = store();
        let all = store.query_audit(&AuditQuery::default().resolve().unwrap()).unwrap();
        assert_eq!(all.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(), ["elsewhere", "after", "last", "noon", "first", "before"]);
        assert_eq!(all[1].account_label.as_deref(), Some("label b"));
        assert_eq!(all[0].account_label, None, "an action on no account");
        store.delete_account("b").unwrap();
        let after = store.query_audit(&AuditQuery::default().resolve().unwrap()).unwrap();
        assert_eq!(after.len(), 6, "entries outlive their account");
        assert_eq!((after[1].account_id.as_deref(), after[1].account_label.as_deref()), (Some("b"), None));
    }

    #[test]
    fn filters_by_account_and_exact_action() {
        let store = store();
        let by = |account: Option<&str>, action: Option<&str>| {
            targets(&store, AuditQuery { account_id: account.map(str::to_string), action: action.map(str::to_string), ..Default::default() })
        };
        assert_eq!(by(Some("a"), None), ["last", "first", "before"]);
        assert_eq!(by(None, Some("key.create")), ["after", "noon", "first"]);
        assert_eq!(by(Some("b"), Some("key.create")), ["after", "noon"]);
        assert!(by(None, Some("key")).is_empty(), "an action matches exactly, not as a prefix");
        assert!(by(Some("nobody"), None).is_empty());
        assert_eq!(by(Some("  "), Some("")).len(), 6, "blank filters filter nothing");
    }

    #[test]
    fn a_date_covers_its_whole_utc_day_at_both_ends() {
        let store = store();
        assert_eq!(targets(&store, q(Some("2026-11-24"), Some("2026-11-24"))), ["last", "noon", "first"]);
        assert_eq!(targets(&store, q(Some("2026-11-25"), None)), ["elsewhere", "after"]);
        assert_eq!(targets(&store, q(None, Some("2026-11-23"))), ["before"]);
    }

    #[test]
    fn full_times_are_exact_and_inclusive_in_any_zone() {
        let store = store();
        assert_eq!(targets(&store, q(Some("2026-11-24T12:00:00.5Z"), Some("2026-11-24T12:00:00.5Z"))), ["noon"]);
        assert!(targets(&store, q(Some("2026-11-24T12:00:00.500000001Z"), Some("2026-11-24T23:00:00Z"))).is_empty());
        // 01:00 in UTC+1 is midnight UTC: the first of the 24th and everything before it.
        assert_eq!(targets(&store, q(None, Some("2026-11-24T01:00:00+01:00"))), ["first", "before"]);
        assert_eq!(targets(&store, q(Some("2026-11-24T19:00:00-05:00"), None)), ["elsewhere", "after"]);
    }

    #[test]
    fn the_limit_keeps_the_newest() {
        let store = store();
        assert_eq!(targets(&store, AuditQuery { limit: Some(2), ..Default::default() }), ["elsewhere", "after"]);
        assert_eq!(AuditQuery::default().resolve().unwrap().limit, AuditQuery::DEFAULT_LIMIT);
        assert_eq!(AuditQuery { limit: Some(10_000), ..Default::default() }.resolve().unwrap().limit, 10_000);
    }

    #[test]
    fn bad_values_are_named_by_their_field() {
        let field = |query: AuditQuery| {
            let e = query.resolve().unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidInput, "{e:?}");
            e.field.unwrap()
        };
        assert_eq!(field(q(Some("yesterday"), None)), "since");
        assert_eq!(field(q(Some("2026-13-01"), None)), "since");
        assert_eq!(field(q(None, Some("2026-11-31"))), "until");
        assert_eq!(field(q(None, Some("24/11/2026"))), "until");
        assert_eq!(field(q(Some("2026-11-25"), Some("2026-11-24"))), "until");
        assert_eq!(field(AuditQuery { limit: Some(0), ..Default::default() }), "limit");
        assert_eq!(field(AuditQuery { limit: Some(10_001), ..Default::default() }), "limit");
        let long = "9".repeat(10_000);
        let e = q(Some(&long), None).resolve().unwrap_err();
        assert!(e.message.len() < 200, "a long value is not echoed whole: {}", e.message);
        let e = q(Some("2026\u{202E}-01"), None).resolve().unwrap_err();
        assert!(!e.message.contains('\u{202E}'), "no direction characters in a message");
    }

    #[test]
    fn actions_are_listed_once_each_in_order() {
        assert_eq!(store().audit_actions().unwrap(), ["account.add", "key.create", "key.revoke", "store.recover"]);
        assert!(Store::in_memory().unwrap().audit_actions().unwrap().is_empty());
    }
}
