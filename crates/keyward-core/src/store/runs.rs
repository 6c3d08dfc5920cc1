//! The runs of `keyward run` and the keys each minted, so a run's keys are revoked when its
//! process ends, by the `keyward` that started it or, after a crash, by the next one to start.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};
use crate::model::KeyRow;
use crate::process::ProcessMark;

/// A run as the store has it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub id: String,
    pub command: String,
    /// The `keyward` process that minted the keys and revokes them.
    pub keeper: ProcessMark,
    /// The command, once started.
    pub child: Option<ProcessMark>,
    pub started_at: DateTime<Utc>,
}

impl StoredRun {
    /// Neither the keeper nor the command is running: nobody will revoke its keys but whoever
    /// reads this.
    pub fn is_over(&self) -> bool {
        !self.keeper.is_running() && self.child.is_none_or(|c| !c.is_running())
    }
}

fn mark(pid: Option<u32>, started: Option<i64>) -> Option<ProcessMark> {
    pid.map(|pid| ProcessMark { pid, started })
}

const RUN_COLUMNS: &str = "SELECT id, command, keeper_pid, keeper_started, child_pid, child_started, started_at FROM runs";

fn run_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRun> {
    Ok(StoredRun {
        id: r.get(0)?,
        command: r.get(1)?,
        keeper: ProcessMark { pid: r.get(2)?, started: r.get(3)? },
        child: mark(r.get(4)?, r.get(5)?),
        started_at: r.get(6)?,
    })
}

impl Store {
    pub fn begin_run(&self, id: &str, command: &str, keeper: ProcessMark, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO runs (id, command, keeper_pid, keeper_started, started_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, command, keeper.pid, keeper.started, now],
        )?;
        Ok(())
    }

    /// The command has started: from now on the run goes on while it does.
    pub fn set_run_child(&self, id: &str, child: ProcessMark) -> Result<()> {
        let n = self.conn().execute("UPDATE runs SET child_pid = ?2, child_started = ?3 WHERE id = ?1", params![id, child.pid, child.started])?;
        if n == 0 {
            return Err(Error::not_found(format!("No run with id '{id}' is recorded here.")));
        }
        Ok(())
    }

    pub fn add_run_key(&self, run_id: &str, key_id: &str, env_name: &str) -> Result<()> {
        self.conn().execute("INSERT OR IGNORE INTO run_keys (run_id, key_id, env_name) VALUES (?1, ?2, ?3)", params![run_id, key_id, env_name])?;
        Ok(())
    }

    pub fn end_run(&self, id: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute("UPDATE runs SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL", params![id, now])?;
        Ok(())
    }

    /// Runs not yet marked ended, oldest first.
    pub fn open_runs(&self) -> Result<Vec<StoredRun>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("{RUN_COLUMNS} WHERE ended_at IS NULL ORDER BY started_at"))?;
        let rows = stmt.query_map([], run_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_run(&self, id: &str) -> Result<StoredRun> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(&format!("{RUN_COLUMNS} WHERE id = ?1"), [id], run_from_row)
            .optional()?
            .ok_or_else(|| Error::not_found(format!("No run with id '{id}' is recorded here.")))
    }

    /// The keys a run minted, in the order of their variables.
    pub fn run_keys(&self, run_id: &str) -> Result<Vec<KeyRow>> {
        let sql = format!("{} WHERE rk.run_id = ?2 ORDER BY rk.env_name", super::keys::select(&self.settings()));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![Utc::now(), run_id], super::keys::from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyKind, KeyLimits, RemoteKey};

    fn remote(id: &str) -> RemoteKey {
        RemoteKey {
            kind: KeyKind::RespanTempKey,
            provider_id: id.into(),
            name: format!("run {id}"),
            preview: None,
            owner: None,
            created_at: None,
            expires_at: None,
            details: serde_json::json!({}),
            limits: KeyLimits::default(),
        }
    }

    #[test]
    fn a_runs_keys_carry_its_mark_and_a_run_ends_once() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&crate::store::accounts::tests::sample("a1")).unwrap();
        let now = Utc::now();
        let key = store.insert_created("a1", &remote("k1"), now).unwrap();
        let other = store.insert_created("a1", &remote("k2"), now).unwrap();
        assert_eq!(key.run, None);

        store.begin_run("r1", "pytest", ProcessMark::own(), now).unwrap();
        store.add_run_key("r1", &key.id, "OPENAI_API_KEY").unwrap();
        let child = ProcessMark { pid: 4_000_000, started: Some(1) };
        store.set_run_child("r1", child).unwrap();
        let marked = store.get_key(&key.id).unwrap().run.unwrap();
        assert_eq!((marked.command.as_str(), marked.pid, marked.env_name.as_str()), ("pytest", 4_000_000, "OPENAI_API_KEY"));
        assert_eq!(marked.ended_at, None);
        let ids = |keys: Vec<KeyRow>| keys.into_iter().map(|k| k.id).collect::<Vec<_>>();
        assert_eq!(ids(store.run_keys("r1").unwrap()), [key.id.as_str()]);

        let runs = store.open_runs().unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].child, Some(child));
        assert!(!runs[0].is_over(), "its keeper, this test, is running");

        let from_run = |yes| store.list_keys(&crate::model::KeyQuery { from_run: Some(yes), ..Default::default() }).unwrap();
        assert_eq!(ids(from_run(true)), [key.id.as_str()]);
        assert_eq!(ids(from_run(false)), [other.id.as_str()]);

        store.end_run("r1", now).unwrap();
        let later = now + chrono::Duration::minutes(5);
        store.end_run("r1", later).unwrap();
        assert!(store.open_runs().unwrap().is_empty());
        assert_eq!(store.get_key(&key.id).unwrap().run.unwrap().ended_at, Some(now), "the first end stays");
        assert!(store.set_run_child("nope", child).is_err());
    }

    #[test]
    fn a_runs_keys_raise_no_expiry_notice_and_stay_out_of_the_expiry_centre() {
        let store = Store::in_memory().unwrap();
        store.insert_account(&crate::store::accounts::tests::sample("a1")).unwrap();
        let now = Utc::now();
        let soon = RemoteKey { expires_at: Some(now + chrono::Duration::minutes(50)), ..remote("k1") };
        let run_key = store.insert_created("a1", &soon, now).unwrap();
        let other = store.insert_created("a1", &RemoteKey { provider_id: "k2".into(), ..soon.clone() }, now).unwrap();
        store.begin_run("r1", "pytest", ProcessMark::own(), now).unwrap();
        store.add_run_key("r1", &run_key.id, "KEY").unwrap();
        let until = now + chrono::Duration::days(7);
        let ids = |keys: Vec<KeyRow>| keys.into_iter().map(|k| k.id).collect::<Vec<_>>();
        assert_eq!(ids(store.expiring_keys(now, until).unwrap()), [other.id.as_str()]);
        let notices: Vec<String> = store.notice_candidates(now, until).unwrap().into_iter().map(|c| c.key_id).collect();
        assert_eq!(notices, [other.id.as_str()], "a run's key ends with its process: no notice");
    }

    #[test]
    fn a_run_is_over_when_neither_its_keeper_nor_its_command_runs() {
        let gone = ProcessMark { pid: 4_000_001, started: Some(7) };
        let run = |child| StoredRun { id: "r".into(), command: "c".into(), keeper: gone, child, started_at: Utc::now() };
        assert!(run(None).is_over());
        assert!(run(Some(gone)).is_over());
        assert!(!run(Some(ProcessMark::own())).is_over(), "the command outlived its keeper: its keys stay");
    }
}
