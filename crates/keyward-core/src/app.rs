//! `Keyward`: the one API the window and the CLI both call. Each method is a whole user action.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;
use secrecy::SecretString;

use crate::error::{Error, ErrorCode, Result};
use crate::model::catalog::AuditAction;
use crate::model::{account_rules, host};
use crate::model::{Account, FieldError, HostPreset, KeyQuery, KeyRow, NewAccount, RemoteKey, SyncProgress, SyncReport};
use crate::paths;
use crate::providers::{self, Connection, HttpConfig, Provider};
use crate::store::Store;
use crate::vault::{BoundToken, KeyringVault, Vault};

/// What [`Keyward::recover_if_damaged`] found.
pub enum Recovery {
    /// The store opens fine: nothing was moved.
    NotNeeded(Keyward),
    /// It was damaged: moved aside and rebuilt.
    Rebuilt(Keyward, crate::store::recovery::RecoveryReport),
}

pub struct Keyward {
    pub(crate) store: Store,
    pub(crate) vault: Arc<dyn Vault>,
    http: HttpConfig,
    data_dir: PathBuf,
}

impl Keyward {
    /// Opens Keyward on `data_dir` with the given vault.
    pub fn open(data_dir: &Path, vault: Arc<dyn Vault>, http: HttpConfig) -> Result<Keyward> {
        let store = Store::open(data_dir)?;
        Ok(Keyward { store, vault, http, data_dir: data_dir.to_path_buf() })
    }

    /// The data dir from `KEYWARD_DATA_DIR` or XDG, and the system keychain.
    pub fn open_default() -> Result<Keyward> {
        let dir = paths::default_data_dir()?;
        Keyward::open(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())
    }

    /// A damaged store: moves it aside, builds a fresh one with the accounts from accounts.json
    /// (their tokens are still in the keychain under the same ids); their keys return with a sync.
    pub fn recover(data_dir: &Path, vault: Arc<dyn Vault>, http: HttpConfig) -> Result<(Keyward, crate::store::recovery::RecoveryReport)> {
        let (store, report) = crate::store::recovery::rebuild(data_dir)?;
        let core = Keyward { store, vault, http, data_dir: data_dir.to_path_buf() };
        let detail = format!("{} accounts restored", report.accounts_restored);
        core.record(None, AuditAction::StoreRecover, &report.moved_to, None, Some(&detail));
        tracing::warn!(moved_to = %report.moved_to, restored = report.accounts_restored, "damaged store moved aside and rebuilt");
        Ok((core, report))
    }

    /// The one recovery policy, for the window and the CLI alike: only a damaged store is moved
    /// aside and rebuilt. One that opens is left as it is, and a locked or otherwise unreadable
    /// one is reported, never moved: its data is whole, and a retry reads it again.
    pub fn recover_if_damaged(data_dir: &Path, vault: Arc<dyn Vault>, http: HttpConfig) -> Result<Recovery> {
        match Keyward::open(data_dir, vault.clone(), http.clone()) {
            Ok(core) => Ok(Recovery::NotNeeded(core)),
            Err(e) if e.code != ErrorCode::StoreDamaged => Err(e),
            Err(_) => Keyward::recover(data_dir, vault, http).map(|(core, report)| Recovery::Rebuilt(core, report)),
        }
    }

    pub fn recover_default() -> Result<(Keyward, crate::store::recovery::RecoveryReport)> {
        let dir = paths::default_data_dir()?;
        Keyward::recover(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn host_presets(&self) -> Vec<HostPreset> {
        host::presets()
    }

    pub fn validate_account(&self, input: &NewAccount) -> Vec<FieldError> {
        account_rules::new_account(input)
    }

    /// Verifies the token with the service, then keeps the token in the keychain and the rest
    /// in the store. Nothing is kept when any step fails.
    pub async fn add_account(&self, input: NewAccount) -> Result<Account> {
        if let Some(first) = account_rules::new_account(&input).into_iter().next() {
            return Err(Error::invalid(&first.field, first.message));
        }
        let label = account_rules::label(&input.label)?;
        let host = host::normalize(&input.host)?;
        let org_name = account_rules::org_name(input.org_name.as_deref())?;
        let token = SecretString::from(secrecy::ExposeSecret::expose_secret(&input.token).trim().to_string());
        let provider = providers::connect(
            Connection { service: input.service, host: host.clone(), org_name: org_name.clone(), token: token.clone() },
            &self.http,
        )?;
        let identity = provider.verify().await?;
        let account = Account {
            id: uuid::Uuid::new_v4().to_string(),
            service: input.service,
            label,
            host,
            org_name,
            identity,
            created_at: Utc::now(),
            last_synced_at: None,
            last_sync_error: None,
            key_count: 0,
        };
        self.vault.store(&account.id, &BoundToken::seal(&account.host, &token))?;
        if let Err(e) = self.store.insert_account(&account) {
            // Best effort: the account was not saved, so its token must not linger either.
            let _ = self.vault.delete(&account.id);
            return Err(e);
        }
        tracing::info!(account = %account.id, service = account.service.as_str(), "account added");
        self.record(Some(&account.id), AuditAction::AccountAdd, &account.label, None, Some(account.service.display_name()));
        Ok(account)
    }

    /// Edits an account. A new token, host or organization is verified with the service first;
    /// the keychain and the store change only when that works, so nothing stored is lost.
    /// A new host needs a token typed anew: the stored one was verified with the old host and
    /// goes nowhere else (a typo or a page script would otherwise hand it to a stranger).
    pub async fn update_account(&self, id: &str, update: crate::model::AccountUpdate) -> Result<Account> {
        let mut account = self.store.get_account(id)?;
        if let Some(label) = &update.label {
            account.label = account_rules::label(label)?;
        }
        let reach_changed = update.host.is_some() || update.org_name.is_some() || update.token.is_some();
        if let Some(host) = &update.host {
            let host = host::normalize(host)?;
            if host != account.host && update.token.as_ref().is_none_or(|t| secrecy::ExposeSecret::expose_secret(t).trim().is_empty()) {
                return Err(Error::invalid(
                    "token",
                    "A new address needs the token typed again: Keyward sends a token only to the address it was verified with.",
                ));
            }
            account.host = host;
        }
        if let Some(org) = &update.org_name {
            account.org_name = account_rules::org_name(Some(org))?;
        }
        let new_token = match &update.token {
            Some(t) => {
                let t = secrecy::ExposeSecret::expose_secret(t).trim().to_string();
                account_rules::token(&t)?;
                Some(SecretString::from(t))
            }
            None => None,
        };
        if reach_changed {
            let token = match &new_token {
                Some(t) => t.clone(),
                // The host is unchanged here (a new one needs a new token), so this is the
                // host the stored token was verified with; `token_for` checks that too.
                None => self.token_for(&self.store.get_account(id)?)?,
            };
            let provider = providers::connect(
                Connection { service: account.service, host: account.host.clone(), org_name: account.org_name.clone(), token },
                &self.http,
            )?;
            account.identity = provider.verify().await?;
        }
        if let Some(t) = &new_token {
            self.vault.store(id, &BoundToken::seal(&account.host, t))?;
        }
        self.store.update_account(&account)?;
        let what = if new_token.is_some() { AuditAction::AccountToken } else { AuditAction::AccountUpdate };
        self.record(Some(id), what, &account.label, None, Some(account.service.display_name()));
        self.store.get_account(id)
    }

    pub fn list_accounts(&self) -> Result<Vec<Account>> {
        self.store.list_accounts()
    }

    pub fn get_account(&self, id: &str) -> Result<Account> {
        self.store.get_account(id)
    }

    /// Deletes the token from the keychain first: if the keychain refuses, nothing is removed
    /// and the person can try again, rather than leaving a token with no account.
    pub fn remove_account(&self, id: &str) -> Result<()> {
        let account = self.store.get_account(id)?;
        self.vault.delete(id)?;
        self.store.delete_account(id)?;
        tracing::info!(account = %id, "account removed");
        self.record(Some(id), AuditAction::AccountRemove, &account.label, None, Some(account.service.display_name()));
        Ok(())
    }

    /// The account's token, only if its keychain entry was verified with the account's host.
    /// An entry from before tokens were bound is taken as bound to the stored host (where
    /// `add_account` verified it) and sealed with it, once.
    fn token_for(&self, account: &Account) -> Result<SecretString> {
        self.bound_token(account, self.vault.read(&account.id)?)
    }

    /// The token in a keychain entry, only if it was verified with the account's host.
    fn bound_token(&self, account: &Account, stored: SecretString) -> Result<SecretString> {
        let stored = BoundToken::open(&stored);
        match stored.host {
            Some(host) if host == account.host => Ok(stored.token),
            Some(host) => Err(Error::new(
                ErrorCode::TokenMissing,
                format!(
                    "The token of '{}' was verified with {}, not {}; Keyward sends it nowhere else. Enter the token again to use this address.",
                    crate::model::rules::clip(&account.label),
                    crate::model::rules::clip(&host),
                    crate::model::rules::clip(&account.host),
                ),
            )
            .on_field("token")),
            None => {
                self.vault.store(&account.id, &BoundToken::seal(&account.host, &stored.token))?;
                Ok(stored.token)
            }
        }
    }

    pub(crate) fn provider_for(&self, account: &Account) -> Result<Box<dyn Provider>> {
        self.connect_with(account, self.vault.read(&account.id)?)
    }

    /// A connection with the keychain entry the caller read (several at once, for a run).
    pub(crate) fn connect_with(&self, account: &Account, stored: SecretString) -> Result<Box<dyn Provider>> {
        let token = self.bound_token(account, stored)?;
        providers::connect(Connection { service: account.service, host: account.host.clone(), org_name: account.org_name.clone(), token }, &self.http)
    }

    /// Fetches every page of the account's keys, staging each while the next is on the wire, and
    /// swaps the listing in at the end in one short transaction. On failure the cache is
    /// untouched and the reason is remembered on the account.
    pub async fn sync_account(&self, id: &str, progress: &(dyn Fn(SyncProgress) + Send + Sync)) -> Result<SyncReport> {
        let account = self.store.get_account(id)?;
        let result = self.sync_inner(&account, progress).await;
        if let Err(err) = &result {
            tracing::warn!(account = %id, code = err.code.as_str(), "sync failed");
            if err.code != ErrorCode::Storage {
                self.store.record_sync_error(id, err)?;
            }
        }
        progress(SyncProgress { account_id: id.to_string(), pages: 0, fetched: result.as_ref().map(|r| r.fetched).unwrap_or(0), done: true });
        result
    }

    async fn sync_inner(&self, account: &Account, progress: &(dyn Fn(SyncProgress) + Send + Sync)) -> Result<SyncReport> {
        use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
        let provider = self.provider_for(account)?;
        let listed_since = Utc::now();
        let stage = self.store.stage(&account.id)?;
        let (pages, fetched) = (AtomicU32::new(0), AtomicU32::new(0));
        let (to_stage, staged) = std::sync::mpsc::channel::<Vec<RemoteKey>>();
        let writer = stage.write_beside(staged)?;
        let (pages_seen, fetched) = (&pages, &fetched);
        let on_page = move |page: u32, keys: &[RemoteKey]| {
            pages_seen.store(page, Relaxed);
            let so_far = fetched.fetch_add(keys.len() as u32, Relaxed) + keys.len() as u32;
            let _ = to_stage.send(keys.to_vec());
            progress(SyncProgress { account_id: account.id.clone(), pages: page, fetched: so_far, done: false });
        };
        let listing = provider.list_keys(&on_page).await;
        // The last page is sent: the writer ends once it has written it. It is waited for after
        // a failed listing too, so that no stage outlives the sync.
        drop(on_page);
        let written = writer.finish().await;
        let listing = listing?;
        let stage = written?;
        // A listing with a skipped object is incomplete: a key missing from it may be the one
        // that could not be read, so nothing is marked gone this time.
        let complete: &[crate::model::KeyKind] = if listing.skipped > 0 { &[] } else { &listing.kinds };
        if listing.skipped > 0 {
            tracing::warn!(account = %account.id, skipped = listing.skipped, "sync skipped objects it could not read");
        }
        let now = Utc::now();
        let counts = stage.swap_in(complete, listed_since, now)?;
        Ok(SyncReport {
            account_id: account.id.clone(),
            fetched: listing.keys.len() as u32,
            added: counts.added,
            updated: counts.updated,
            gone: counts.gone,
            skipped: listing.skipped,
            pages: pages.load(Relaxed),
            finished_at: now,
        })
    }

    pub fn list_keys(&self, query: &KeyQuery) -> Result<Vec<KeyRow>> {
        self.store.list_keys(query)
    }
}

impl Keyward {
    /// An account named by id or by its label (labels are matched case-insensitively and must
    /// name exactly one account).
    pub fn find_account(&self, id_or_label: &str) -> Result<Account> {
        let accounts = self.store.list_accounts()?;
        if let Some(a) = accounts.iter().find(|a| a.id == id_or_label) {
            return Ok(a.clone());
        }
        let wanted = id_or_label.trim().to_lowercase();
        let matches: Vec<&Account> = accounts.iter().filter(|a| a.label.to_lowercase() == wanted).collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::invalid("account", format!("No account has the id or label '{id_or_label}'."))),
            _ => Err(Error::invalid("account", format!("Several accounts are labelled '{id_or_label}'; use the id."))),
        }
    }
}

/// The store itself, for the crate's own tests: the front ends go through `Keyward`'s actions,
/// which audit what they do. (Last in the file: the catalog's scan of recorded actions reads
/// each file up to its first test-only item.)
#[cfg(test)]
impl Keyward {
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}
