//! `keyward run`: keys minted for one process and revoked when it ends. Every key is minted
//! before the command starts, all at once; if one fails, the others are revoked and the command
//! never starts. A run the store still holds after its processes are gone (Keyward was killed)
//! is ended by the next Keyward to start, CLI or window.

use std::collections::HashMap;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use chrono::{DateTime, Utc};

use crate::error::{Error, ErrorCode, Result};
use crate::model::catalog::AuditAction;
use crate::model::run_spec::{self, EnvEntry, EnvValue};
use crate::model::secret::MintedSecret;
use crate::model::KeyRow;
use crate::process::ProcessMark;
use crate::providers::Provider;
use crate::Keyward;

/// A run whose keys are minted: what its command's environment gets.
pub struct StartedRun {
    pub id: String,
    pub keys: Vec<KeyRow>,
    /// Each minted variable and its secret, in the order the entries named them.
    pub secrets: Vec<(String, MintedSecret)>,
    /// The connection to each account the run minted on, kept to revoke through: each token is
    /// read from the keychain once a run, not once a key and again at the end.
    connections: Connections,
}

/// Connections to accounts by account id.
type Connections = HashMap<String, Box<dyn Provider>>;

/// What became of a run's keys at its end.
#[derive(Debug, Default, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RunEnd {
    pub revoked: Vec<KeyRow>,
    /// Keys the service cannot revoke (Braintrust proxy credentials): they end at their expiry.
    pub expiring: Vec<KeyRow>,
    /// Keys still live after the retries, with why. The run stays open, so the next Keyward to
    /// start tries them again.
    pub failed: Vec<NotRevoked>,
}

#[derive(Debug, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NotRevoked {
    pub key: KeyRow,
    pub error: Error,
}

/// A run whose processes were gone when Keyward started, ended now.
#[derive(Debug, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReapedRun {
    pub command: String,
    pub started_at: DateTime<Utc>,
    pub end: RunEnd,
}

/// A revocation is a DELETE, which the HTTP layer already tries again on a dropped connection,
/// a 5xx or a 429 (with backoff, honouring Retry-After). What is left to retry here is the
/// store being held by another process when the revocation is written down (the service has
/// revoked the key by then; asked again, it answers that the key is gone, which is success).
const REVOKE_RETRIES: usize = 3;
const REVOKE_FIRST_WAIT: Duration = Duration::from_millis(200);

fn worth_retrying(e: &Error) -> bool {
    matches!(e.code, ErrorCode::StoreLocked)
}

/// An error about one variable of the run, named by it.
fn for_variable(name: &str, e: Error) -> Error {
    let mut out = Error::new(e.code, format!("{name}: {}", e.message)).on_field("env");
    out.key_id = e.key_id;
    out
}

struct Planned {
    env_name: String,
    account: crate::model::Account,
    request: crate::model::new_key::NewKey,
}

impl Keyward {
    /// Mints every key the entries name, for the command `command` (its name only). Nothing is
    /// minted unless every entry is good; nothing is left live if one mint fails.
    pub async fn start_run(&self, entries: &[EnvEntry], command: &str) -> Result<StartedRun> {
        let command = run_spec::command_name(command);
        let now = Utc::now();
        let mut planned = Vec::new();
        for entry in entries {
            let EnvValue::Mint(spec) = &entry.value else { continue };
            let account = self.find_account(&spec.account).map_err(|e| for_variable(&entry.name, e))?;
            if account.service != spec.kind.service() {
                return Err(for_variable(
                    &entry.name,
                    Error::invalid(
                        "account",
                        format!(
                            "'{}' is a {} account; {} is minted on a {} account.",
                            crate::model::rules::clip(&account.label),
                            account.service.display_name(),
                            spec.kind.command_word(),
                            spec.kind.service().display_name()
                        ),
                    ),
                ));
            }
            let request = spec.request(&run_spec::key_name(&command, &entry.name), now).map_err(|e| for_variable(&entry.name, e))?;
            request.check(account.service, now).map_err(|e| for_variable(&entry.name, e))?;
            planned.push(Planned { env_name: entry.name.clone(), account, request });
        }
        let connections = self.connect_all(planned.iter().map(|p| &p.account))?;

        let id = uuid::Uuid::new_v4().to_string();
        self.store.begin_run(&id, &command, ProcessMark::own(), now)?;
        self.record(None, AuditAction::RunStart, &command, None, Some(&format!("{} keys to mint", planned.len())));
        let note = format!("keyward run {command}");
        let mints = planned.iter().map(|p| self.create_with(&p.account, &*connections[&p.account.id], p.request.clone(), Some(&note)));
        let results = futures_util::future::join_all(mints).await;

        let mut started = StartedRun { id: id.clone(), keys: Vec::new(), secrets: Vec::new(), connections };
        let mut first_error = None;
        for (plan, result) in planned.iter().zip(results) {
            match result {
                Ok(minted) => {
                    self.store.add_run_key(&id, &minted.key.id, &plan.env_name)?;
                    if let Some(secret) = minted.secret {
                        started.secrets.push((plan.env_name.clone(), secret));
                    }
                    // Read again, with the run's mark on it.
                    started.keys.push(self.store.get_key(&minted.key.id)?);
                }
                Err(e) => {
                    // A key made without its secret reaching us is the run's too: it is revoked with the rest.
                    if let Some(key_id) = &e.key_id {
                        self.store.add_run_key(&id, key_id, &plan.env_name)?;
                    }
                    first_error.get_or_insert_with(|| for_variable(&plan.env_name, e));
                }
            }
        }
        let Some(error) = first_error else { return Ok(started) };
        let end = self.end_run(&id, Some(&started.connections)).await?;
        let mut message = format!("{} The command was not started.", error.message);
        if !end.revoked.is_empty() {
            message.push_str(&format!(" The {} keys minted for it were revoked.", end.revoked.len()));
        }
        if !end.failed.is_empty() {
            let ids: Vec<&str> = end.failed.iter().map(|f| f.key.id.as_str()).collect();
            message.push_str(&format!(" Still live, to revoke: keyward revoke {}.", ids.join(" ")));
        }
        Err(Error { message, key_id: None, ..error })
    }

    /// The `keyward run` value that mints a key like `request` for each run instead.
    pub fn run_hint(&self, account_id: &str, request: &crate::model::new_key::NewKey) -> Result<Option<run_spec::RunHint>> {
        let account = self.get_account(account_id)?;
        Ok(run_spec::hint_for(request, &account, Utc::now()))
    }

    /// The command has started: the run now lasts as long as it does, whatever becomes of us.
    pub fn run_command_started(&self, run_id: &str, pid: u32) -> Result<()> {
        let child = ProcessMark::of(pid).unwrap_or(ProcessMark { pid, started: None });
        self.store.set_run_child(run_id, child)
    }

    /// Reads the token of each account once, all in one keychain session, and connects to each.
    fn connect_all<'a>(&self, accounts: impl Iterator<Item = &'a crate::model::Account>) -> Result<Connections> {
        let mut distinct: Vec<&crate::model::Account> = Vec::new();
        for account in accounts {
            if !distinct.iter().any(|a| a.id == account.id) {
                distinct.push(account);
            }
        }
        let ids: Vec<&str> = distinct.iter().map(|a| a.id.as_str()).collect();
        let stored = self.vault.read_many(&ids);
        distinct.iter().zip(stored).map(|(a, stored)| self.connect_with(a, stored?).map(|c| (a.id.clone(), c))).collect()
    }

    /// Revokes what is left of a run's keys, retrying what failed for want of the network or
    /// the service, and ends the run once none is left live. The keeper of the run passes it,
    /// and its connections are used again.
    pub async fn finish_run(&self, run: &StartedRun) -> Result<RunEnd> {
        self.end_run(&run.id, Some(&run.connections)).await
    }

    async fn end_run(&self, run_id: &str, connections: Option<&Connections>) -> Result<RunEnd> {
        let run = self.store.get_run(run_id)?;
        let keys = self.store.run_keys(run_id)?;
        let mut end = RunEnd::default();
        let mut to_revoke = Vec::new();
        for key in keys {
            match key.status {
                crate::model::KeyStatus::Revoked | crate::model::KeyStatus::Gone => end.revoked.push(key),
                _ if !key.kind.revocable() => end.expiring.push(key),
                _ => to_revoke.push(key),
            }
        }
        let revoke = |key: KeyRow| async move {
            let policy = ExponentialBuilder::default().with_min_delay(REVOKE_FIRST_WAIT).with_max_times(REVOKE_RETRIES);
            let once = || async {
                match connections.and_then(|c| c.get(&key.account_id)) {
                    Some(provider) => self.revoke_with(&key, &**provider).await,
                    None => self.revoke_key(&key.id).await,
                }
            };
            let outcome = once.retry(policy).sleep(tokio::time::sleep).when(worth_retrying).await;
            (key, outcome)
        };
        for (key, outcome) in futures_util::future::join_all(to_revoke.into_iter().map(revoke)).await {
            match outcome {
                Ok(row) => end.revoked.push(row),
                Err(error) => end.failed.push(NotRevoked { key, error }),
            }
        }
        if end.failed.is_empty() {
            self.store.end_run(run_id, Utc::now())?;
            // As they are now, with the run's end on them.
            for key in end.revoked.iter_mut().chain(end.expiring.iter_mut()) {
                *key = self.store.get_key(&key.id)?;
            }
        }
        let detail = format!("{} revoked, {} expire by themselves, {} still live", end.revoked.len(), end.expiring.len(), end.failed.len());
        self.record(None, AuditAction::RunEnd, &run.command, end.failed.first().map(|f| &f.error), Some(&detail));
        Ok(end)
    }

    /// Ends every run whose processes are gone: Keyward was killed, or its machine stopped,
    /// before it could revoke their keys. Runs still going on are left alone.
    pub async fn reap_runs(&self) -> Result<Vec<ReapedRun>> {
        let mut reaped = Vec::new();
        for run in self.store.open_runs()?.into_iter().filter(|r| r.is_over()) {
            tracing::info!(run = %run.id, command = %run.command, "ending a run whose processes are gone");
            let end = self.end_run(&run.id, None).await?;
            reaped.push(ReapedRun { command: run.command, started_at: run.started_at, end });
        }
        Ok(reaped)
    }
}
