//! Minting and revoking keys: the store is updated at once, every outcome is audited, and an
//! ambiguous create is reconciled by listing again, so one click never mints two keys.

use chrono::Utc;

use crate::error::{Error, ErrorCode, Result};
use crate::model::catalog::AuditAction;
use crate::model::new_key::NewKey;
use crate::model::{FieldError, KeyKind, KeyRow, Minted};
use crate::providers::CreateError;
use crate::store::{AuditEntry, AuditQuery};
use crate::Keyward;

/// The service says it made (or reissued) the key, but its secret never arrived: the key is
/// live, cached, and of no use to anyone, so the person is offered to revoke it.
fn secret_never_arrived(key: &KeyRow, did: &str) -> Error {
    let service = key.kind.service().display_name();
    let what = key.kind.label();
    let name = crate::model::rules::clip(&key.name);
    if !key.kind.revocable() {
        return Error::new(
            ErrorCode::Provider,
            format!("{service} {did} the {what} “{name}” but sent no secret back. It cannot be revoked; it expires by itself. Create another."),
        );
    }
    Error::new(
        ErrorCode::Conflict,
        format!("{service} {did} the {what} “{name}” but sent no secret back, so the key is live and nobody can use it. It is in your inventory: revoke it, then create another."),
    )
    .leaving(&key.id)
}

/// How many revocations run at once in a bulk revoke: quick, yet gentle on rate limits.
const BULK_CONCURRENCY: usize = 4;

/// What became of one key in a bulk revoke: its row now, or why it was not revoked.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RevokeOutcome {
    pub key_id: String,
    pub name: String,
    pub row: Option<KeyRow>,
    pub error: Option<Error>,
}

impl Keyward {
    pub fn validate_key(&self, account_id: &str, request: &NewKey) -> Result<Vec<FieldError>> {
        let account = self.get_account(account_id)?;
        Ok(request.problems(account.service, Utc::now()))
    }

    /// What is wrong with a change to a stored key, field by field, without sending anything.
    pub fn validate_update(&self, key_id: &str, update: &crate::model::key_change::KeyUpdate) -> Result<Vec<FieldError>> {
        let key = self.store.get_key(key_id)?;
        Ok(update.problems(key.kind, Utc::now()))
    }

    pub async fn create_key(&self, account_id: &str, request: NewKey) -> Result<Minted> {
        let account = self.get_account(account_id)?;
        request.check(account.service, Utc::now())?;
        let provider = self.provider_for(&account)?;
        self.create_with(&account, &*provider, request, None).await
    }

    /// A checked request minted through a connection the caller holds; the audit entry says what
    /// it was for besides the kind (a run's command).
    pub(crate) async fn create_with(
        &self,
        account: &crate::model::Account,
        provider: &dyn crate::providers::Provider,
        request: NewKey,
        note: Option<&str>,
    ) -> Result<Minted> {
        let started = Utc::now();
        let target = request.display_name();
        let outcome = match provider.create_key(&request).await {
            Ok(created) => {
                let key = self.store.insert_created(&account.id, &created.key, Utc::now())?;
                match created.secret {
                    None if key.kind.mints_secret() => Err(secret_never_arrived(&key, "created")),
                    secret => Ok(Minted { key, secret }),
                }
            }
            Err(CreateError::Refused(e)) => Err(e),
            Err(CreateError::Ambiguous(e)) => Err(self.reconcile(&account.id, provider, &request, started, e).await),
        };
        let detail = match note {
            Some(note) => format!("{} · {note}", request.kind().label()),
            None => request.kind().label().to_string(),
        };
        self.record(Some(&account.id), AuditAction::KeyCreate, &target, outcome.as_ref().err(), Some(&detail));
        outcome
    }

    /// The answer to a create was lost. Whatever the service made is cached and the person is
    /// told plainly; nothing is created a second time.
    async fn reconcile(
        &self,
        account_id: &str,
        provider: &dyn crate::providers::Provider,
        request: &NewKey,
        started: chrono::DateTime<Utc>,
        cause: Error,
    ) -> Error {
        let kind = request.kind();
        match provider.find_created(request, started).await {
            Ok(Some(found)) => {
                let row = self.store.insert_created(account_id, &found, Utc::now());
                let error = Error::new(
                    ErrorCode::Conflict,
                    format!(
                        "The {} “{}” was created, but the answer carrying its secret was lost ({}). The secret cannot be shown \
                         again: revoke this key and create a new one. It is in your inventory.",
                        kind.label(),
                        found.name,
                        cause.message
                    ),
                );
                match row {
                    Ok(row) if kind.revocable() => error.leaving(&row.id),
                    _ => error,
                }
            }
            Ok(None) if kind == KeyKind::BraintrustProxyCredential => Error::new(
                ErrorCode::Network,
                format!("The answer from Braintrust was lost ({}). If a credential was made it expires by itself; create another.", cause.message),
            ),
            Ok(None) => Error::new(cause.code, format!("No {} was created ({}). Nothing changed; you can try again.", kind.label(), cause.message)),
            Err(list_err) => Error::new(
                ErrorCode::Network,
                format!(
                    "The answer to the create was lost ({}), and listing to check failed too ({}). Sync the account before \
                     trying again, to see whether the key exists.",
                    cause.message, list_err.message
                ),
            ),
        }
    }

    /// Revokes a key at its service and marks it at once. A key the service no longer has is
    /// marked revoked too: the goal is reached.
    pub async fn revoke_key(&self, key_id: &str) -> Result<KeyRow> {
        let key = self.store.get_key(key_id)?;
        let account = self.get_account(&key.account_id)?;
        let provider = self.provider_for(&account)?;
        self.revoke_with(&key, &*provider).await
    }

    /// Revokes a cached key through a connection to its account the caller holds.
    pub(crate) async fn revoke_with(&self, key: &KeyRow, provider: &dyn crate::providers::Provider) -> Result<KeyRow> {
        let key_id = key.id.as_str();
        let result = match provider.delete_key(key.kind, &key.provider_id).await {
            Ok(()) => Ok(()),
            Err(e) if e.code == ErrorCode::NotFound => Ok(()),
            Err(e) => Err(e),
        };
        if result.is_ok() {
            self.store.mark_revoked(&key.id, Utc::now())?;
        }
        self.record(Some(&key.account_id), AuditAction::KeyRevoke, &key.name, result.as_ref().err(), Some(key.kind.label()));
        result?;
        self.store.get_key(key_id)
    }

    /// Revokes several keys, a few at a time, and says for each what happened: one refusal does
    /// not stop the rest. The answer keeps the order asked for.
    pub async fn revoke_keys(&self, key_ids: &[String]) -> Vec<RevokeOutcome> {
        use futures_util::stream::{self, StreamExt};
        // Owned ids keep the future `Send` for any caller (a borrowed stream item trips the
        // compiler's higher-ranked lifetime check inside a Tauri command).
        let revoke_one = |id: String| async move {
            let name = self.store.get_key(&id).map(|k| k.name).unwrap_or_default();
            match self.revoke_key(&id).await {
                Ok(row) => RevokeOutcome { key_id: id, name, row: Some(row), error: None },
                Err(e) => RevokeOutcome { key_id: id, name, row: None, error: Some(e) },
            }
        };
        let futures: Vec<_> = key_ids.iter().cloned().map(revoke_one).collect();
        stream::iter(futures).buffered(BULK_CONCURRENCY).collect().await
    }

    /// Fetches one key from its service and caches what it says now; a key the service no
    /// longer has is marked gone.
    pub async fn refresh_key(&self, key_id: &str) -> Result<KeyRow> {
        let key = self.store.get_key(key_id)?;
        let account = self.get_account(&key.account_id)?;
        match self.provider_for(&account)?.get_key(key.kind, &key.provider_id).await? {
            Some(remote) => self.store.insert_created(&account.id, &remote, Utc::now()),
            None => {
                self.store.mark_gone(&key.id, Utc::now())?;
                self.store.get_key(key_id)
            }
        }
    }

    /// Every field the service returned for a key, for a detail view. Never a secret: creates
    /// strip the minted secret before caching, and given secrets are never part of an answer.
    pub fn key_details(&self, key_id: &str) -> Result<serde_json::Value> {
        self.store.key_details(key_id)
    }

    /// Changes a key at its service and caches what the service answers.
    pub async fn update_key(&self, key_id: &str, update: crate::model::key_change::KeyUpdate) -> Result<KeyRow> {
        let key = self.store.get_key(key_id)?;
        if let Some(p) = update.problems(key.kind, Utc::now()).into_iter().next() {
            return Err(Error::invalid(&p.field, p.message));
        }
        let account = self.get_account(&key.account_id)?;
        let provider = self.provider_for(&account)?;
        let result = provider.update_key(key.kind, &key.provider_id, &update).await;
        let row = result.and_then(|remote| self.store.insert_created(&account.id, &remote, Utc::now()));
        let action = if reissues(&update) { AuditAction::KeyReissue } else { AuditAction::KeyUpdate };
        self.record(Some(&account.id), action, &key.name, row.as_ref().err(), Some(key.kind.label()));
        row
    }

    /// A new secret for the same key, shown once; the old one stops working at once.
    pub async fn reissue_key(&self, key_id: &str) -> Result<Minted> {
        self.reissue_key_with_grace(key_id, 0).await
    }

    /// A new secret for the same key, shown once, while the old one keeps working for
    /// `grace_period_secs` (at most 7 days), so the new one can be rolled out first.
    pub async fn reissue_key_with_grace(&self, key_id: &str, grace_period_secs: u32) -> Result<Minted> {
        let key = self.store.get_key(key_id)?;
        crate::model::key_change::check_grace_period(key.kind, grace_period_secs)?;
        let account = self.get_account(&key.account_id)?;
        let provider = self.provider_for(&account)?;
        let result = match provider.reissue_key(key.kind, &key.provider_id, grace_period_secs).await {
            Ok(created) => self.store.insert_created(&account.id, &created.key, Utc::now()).and_then(|row| match created.secret {
                None => Err(secret_never_arrived(&row, "reissued")),
                secret => Ok(Minted { key: row, secret }),
            }),
            Err(CreateError::Refused(e)) => Err(e),
            Err(CreateError::Ambiguous(e)) => Err(Error::new(
                e.code,
                format!("The answer to the reissue was lost ({}). The old secret may no longer work: reissue again to get a new one.", e.message),
            )),
        };
        self.record(Some(&account.id), AuditAction::KeyReissue, &key.name, result.as_ref().err(), Some(key.kind.label()));
        result
    }

    /// Before a Barndoor credential is created: asks Barndoor to try it (assume the AWS role, reach
    /// Vertex AI). Nothing is saved. A missing value is named with where it goes.
    pub async fn check_credential(&self, account_id: &str, request: &NewKey) -> Result<crate::model::setup_check::CheckOutcome> {
        let Some(check) = crate::model::setup_check::SetupCheck::for_credential(request)? else {
            return Err(Error::invalid(
                "auth_type",
                "Barndoor can check an AWS role or a Vertex AI setup before saving; this authentication is proven by its first use.",
            ));
        };
        if let Some(p) = check.problems().into_iter().next() {
            let home = if ["iam_role_arn", "external_id", "target_service_account"].contains(&p.field.as_str()) { "credentials" } else { "settings" };
            return Err(Error::invalid(home, format!("{} (in the {home} JSON): {}", p.field, p.message)));
        }
        self.check_setup(account_id, check).await
    }

    /// Asks the account's service to try a setup (Barndoor: assume an AWS role, reach Vertex).
    pub async fn check_setup(
        &self,
        account_id: &str,
        check: crate::model::setup_check::SetupCheck,
    ) -> Result<crate::model::setup_check::CheckOutcome> {
        let account = self.get_account(account_id)?;
        if account.service != check.service() {
            return Err(Error::invalid("kind", format!("This check is for a {} account.", check.service().display_name())));
        }
        check.check()?;
        let outcome = self.provider_for(&account)?.validate(&check).await;
        let target = match &check {
            crate::model::setup_check::SetupCheck::BarndoorAwsRole { iam_role_arn, .. } => iam_role_arn.clone(),
            crate::model::setup_check::SetupCheck::BarndoorGoogleVertex { project_id, .. } => project_id.clone(),
        };
        let failed = match &outcome {
            Ok(o) if !o.ok => Some(Error::new(ErrorCode::InvalidInput, o.message.clone())),
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        };
        self.record(Some(&account.id), AuditAction::SetupCheck, &target, failed.as_ref(), None);
        outcome
    }

    /// The newest `limit` entries, unfiltered.
    pub fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.audit(&AuditQuery { limit: Some(limit), ..Default::default() })
    }

    /// The log filtered by account, action and time, newest first.
    pub fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.store.query_audit(&query.resolve()?)
    }

    /// The actions the log holds, for a filter to offer.
    pub fn audit_actions(&self) -> Result<Vec<String>> {
        self.store.audit_actions()
    }

    /// Best effort: a failure to write the log must not undo what was done.
    pub(crate) fn record(&self, account_id: Option<&str>, action: AuditAction, target: &str, error: Option<&Error>, detail: Option<&str>) {
        let entry = AuditEntry {
            at: Utc::now(),
            account_id: account_id.map(str::to_string),
            account_label: None,
            action: action.as_str().into(),
            target: target.into(),
            outcome: error.map(|e| e.code.as_str().to_string()).unwrap_or_else(|| "ok".into()),
            detail: detail.map(str::to_string),
        };
        if let Err(e) = self.store.audit(&entry) {
            tracing::warn!(error = %e, "could not write the audit log");
        }
    }
}

impl Keyward {
    /// A cached key named by its local id, its service id, or its name (which must be unique,
    /// optionally within one account). Revoked and gone keys are not matched by name.
    pub fn find_key(&self, wanted: &str, account_id: Option<&str>) -> Result<KeyRow> {
        let query = crate::model::KeyQuery { account_id: account_id.map(str::to_string), include_gone: Some(true), ..Default::default() };
        let keys = self.store.list_keys(&query)?;
        if let Some(k) = keys.iter().find(|k| k.id == wanted || k.provider_id == wanted) {
            return Ok(k.clone());
        }
        let named: Vec<&KeyRow> = keys
            .iter()
            .filter(|k| k.name == wanted && !matches!(k.status, crate::model::KeyStatus::Revoked | crate::model::KeyStatus::Gone))
            .collect();
        match named.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::invalid("key", format!("No cached key has the id or name '{wanted}'. Sync first if it is new."))),
            _ => Err(Error::invalid("key", format!("{} keys are named '{wanted}'; use the id or --account.", named.len()))),
        }
    }
}

/// A credential update that carries a new secret is a reissue, and the log says so.
fn reissues(update: &crate::model::key_change::KeyUpdate) -> bool {
    matches!(
        update,
        crate::model::key_change::KeyUpdate::BarndoorCredential { api_key: Some(_), .. }
            | crate::model::key_change::KeyUpdate::BarndoorCredential { credentials: Some(_), .. }
    )
}
