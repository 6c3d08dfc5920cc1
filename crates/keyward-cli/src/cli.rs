//! The command tree and what each command does with the core.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use keyward_core::export::{self, ExportFormat};
use keyward_core::handoff::HandOff;
use keyward_core::rotation::RotationReport;
use keyward_core::model::{KeyKind, KeyQuery, NewAccount, Service, SyncProgress};
use keyward_core::store::AuditQuery;
use keyward_core::update::KeyUpdate;
use keyward_core::validation::{Validation, ValidationOutcome};
use keyward_core::vault::KeyringVault;
use keyward_core::{host, Error, HttpConfig, Keyward, Recovery, Result};

use crate::create_args::CreateCommand;
use crate::{output, token_input};

#[derive(Parser)]
#[command(name = "keyward", version, about = "Keys and credentials of your Braintrust, Respan and Barndoor accounts")]
pub struct Args {
    /// Where Keyward keeps its local store (default: the XDG data dir).
    #[arg(long, global = true, env = "KEYWARD_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Log what the core does to stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, list and remove accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Fetch every key of one account, or of all accounts, into the local store.
    Sync {
        /// Account id or label; all accounts when left out.
        #[arg(long)]
        account: Option<String>,
    },
    /// Browse the cached inventory.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Mint a key. Its secret goes to stdout, alone, once; nothing else is printed there. With
    /// --install-into it goes to those places instead and is not printed.
    Create {
        #[command(subcommand)]
        what: CreateCommand,
        /// An existing Barndoor credential, Braintrust AI secret or Respan custom provider (id or
        /// name) to rotate to the new secret, straight from Keyward's memory. Repeat for several.
        #[arg(long = "install-into", global = true, value_name = "KEY")]
        install_into: Vec<String>,
    },
    /// The rotation assistant: mint a replacement with the same settings, install it where it is
    /// used, check each, then revoke the old key. A failed step stops it before the revocation.
    Replace {
        /// Key id, the service's id, or its name.
        key: String,
        #[arg(long)]
        account: Option<String>,
        /// A credential, AI secret or custom provider (id or name) to install the replacement
        /// into. Repeat for several.
        #[arg(long = "install-into", value_name = "KEY")]
        install_into: Vec<String>,
        /// Also print the replacement's secret on stdout, once (by default it is only installed).
        #[arg(long)]
        print_secret: bool,
    },
    /// What expired or expires soon across every account, soonest first (the expiry centre).
    Expiring {
        #[arg(long)]
        json: bool,
    },
    /// Revoke (delete) keys at their services. Every key named is found first; if one is not,
    /// nothing is revoked.
    Revoke {
        /// Key ids, the services' ids, or names.
        #[arg(required = true)]
        keys: Vec<String>,
        /// Account id or label, to tell apart keys of the same name.
        #[arg(long)]
        account: Option<String>,
    },
    /// A new secret for a key: a Barndoor gateway key gets a new one, shown once on stdout; a
    /// Barndoor credential, Braintrust AI secret or Respan custom provider takes yours from stdin
    /// or a prompt (--credentials-json for a Barndoor JSON object).
    Rotate {
        /// Key id, the service's id, or its name.
        key: String,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        credentials_json: bool,
    },
    /// Change a key where its service allows it.
    Update {
        /// Key id, the service's id, or its name.
        key: String,
        #[arg(long)]
        account: Option<String>,
        /// New name (Respan temporary keys, Barndoor credentials, Braintrust AI secrets).
        #[arg(long)]
        name: Option<String>,
        /// New expiry, ISO 8601 (Respan temporary keys, Barndoor gateway keys).
        #[arg(long)]
        expiry: Option<String>,
        /// Remove the expiry (Barndoor gateway keys).
        #[arg(long)]
        no_expiry: bool,
        /// Mark a Respan key as a test key, or (with --test=false) as production.
        #[arg(long)]
        test: Option<bool>,
        /// Disable (true) or enable (false) a Barndoor gateway key.
        #[arg(long)]
        disabled: Option<bool>,
        /// New key prefix (Respan temporary keys).
        #[arg(long)]
        prefix: Option<String>,
        /// New upstream base URL (Barndoor credentials).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Ask Barndoor whether it can assume an AWS role, before saving a Bedrock credential.
    ValidateAwsRole {
        #[arg(long)]
        account: String,
        #[arg(long)]
        region: String,
        #[arg(long)]
        role_arn: String,
        #[arg(long)]
        external_id: String,
    },
    /// Ask Barndoor whether it can reach Vertex AI. With --credentials-json, a service-account key
    /// (a JSON object) is read from stdin.
    ValidateVertex {
        #[arg(long)]
        account: String,
        #[arg(long)]
        project_id: String,
        #[arg(long)]
        location: String,
        #[arg(long)]
        auth_type: Option<String>,
        #[arg(long)]
        credentials_json: bool,
    },
    /// A damaged local inventory: move it aside (it is kept), rebuild it with the accounts from
    /// accounts.json beside it, then `keyward sync` fetches their keys again.
    Recover,
    /// What Keyward did, newest first: a table, or JSON or CSV for a script or a spreadsheet.
    Audit {
        /// Print the entries as JSON.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print the entries as CSV (a header row, then one row per entry).
        #[arg(long)]
        csv: bool,
        /// Only what was done on this account (id or label).
        #[arg(long)]
        account: Option<String>,
        /// Only this action, exactly: e.g. key.create, key.revoke, key.update, account.add.
        #[arg(long)]
        action: Option<String>,
        /// From this day (YYYY-MM-DD, from its start in UTC) or moment (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Up to this day (YYYY-MM-DD, the whole day in UTC) or moment (RFC 3339).
        #[arg(long)]
        until: Option<String>,
        /// At most this many entries, the newest (default 500, at most 10,000).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// The inventory's metadata as CSV or JSON: every cached key's name, kind, status, dates and
    /// limits. Never a secret or a token: the store holds none.
    Export {
        /// csv (a header row, one row per key) or json (what `keys list --json` prints).
        #[arg(long, value_parser = parse_format)]
        format: ExportFormat,
        /// Write to this file instead of stdout: readable by you only, an existing one replaced
        /// whole, .csv or .json added when the name does not end so. Its folder must exist.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: KeyFilter,
    },
}

/// Which cached keys a listing or an export covers.
#[derive(clap::Args)]
struct KeyFilter {
    /// Only keys whose name, preview or owner contains every word.
    #[arg(long)]
    search: Option<String>,
    /// Account id or label.
    #[arg(long)]
    account: Option<String>,
    /// Include keys the service no longer lists.
    #[arg(long)]
    include_gone: bool,
}

impl KeyFilter {
    fn query(self, core: &Keyward) -> Result<KeyQuery> {
        let account_id = self.account.map(|a| core.find_account(&a).map(|a| a.id)).transpose()?;
        Ok(KeyQuery { search: self.search, account_id, include_gone: Some(self.include_gone), ..Default::default() })
    }
}

#[derive(Subcommand)]
enum AccountsCommand {
    /// Verify a token with the service and keep it in the system keychain.
    /// The token is read from stdin when it is piped, otherwise from a hidden prompt.
    Add {
        #[arg(long, value_parser = parse_service)]
        service: Service,
        #[arg(long)]
        label: String,
        /// The service's address; the service's default when left out.
        #[arg(long)]
        host: Option<String>,
        /// Braintrust organization (sent as x-bt-org-name) when a key belongs to several.
        #[arg(long)]
        org_name: Option<String>,
    },
    /// Change an account's label, host or organization, or give it a new token (--new-token).
    /// A new host needs the token again: Keyward sends a token only to the host it was verified
    /// with. The token is read from stdin when it is piped, otherwise from a hidden prompt.
    Edit {
        /// Account id or label.
        account: String,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        host: Option<String>,
        #[arg(long)]
        org_name: Option<String>,
        /// Read a new token (stdin or a hidden prompt), verify it and keep it in the keychain.
        #[arg(long)]
        new_token: bool,
    },
    /// List accounts with their last sync.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete an account's token from the keychain and its cached keys from this computer.
    Remove {
        /// Account id or label.
        account: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Fetch one key from its service now (every field it returns) and update the cache.
    Show {
        /// Key id, the service's id, or its name.
        key: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// List cached keys, newest first.
    List {
        /// Print the keys as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: KeyFilter,
    },
}

fn parse_service(s: &str) -> std::result::Result<Service, String> {
    Service::parse(&s.to_ascii_lowercase()).ok_or_else(|| "expected braintrust, respan or barndoor".into())
}

fn parse_format(s: &str) -> std::result::Result<ExportFormat, String> {
    ExportFormat::parse(&s.to_ascii_lowercase()).ok_or_else(|| "expected csv or json".into())
}

fn open(args: &Args) -> Result<Keyward> {
    match &args.data_dir {
        Some(dir) => Keyward::open(dir, Arc::new(KeyringVault::default()), HttpConfig::default()),
        None => Keyward::open_default(),
    }
}

/// `keyward recover`: only a damaged store is moved aside; a locked or unreadable one is said as it is.
fn recover(data_dir: Option<&std::path::Path>) -> Result<()> {
    let dir = match data_dir {
        Some(d) => d.to_path_buf(),
        None => keyward_core::paths::default_data_dir()?,
    };
    match Keyward::recover_if_damaged(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())? {
        Recovery::NotNeeded(_) => eprintln!("The local inventory opens fine; there is nothing to recover."),
        Recovery::Rebuilt(_, report) => eprintln!(
            "Moved the damaged inventory to {} and rebuilt it with {} account(s). Run `keyward sync` to fetch their keys.",
            report.moved_to, report.accounts_restored
        ),
    }
    Ok(())
}

pub async fn run(args: Args) -> Result<()> {
    if let Command::Recover = args.command {
        return recover(args.data_dir.as_deref());
    }
    let core = open(&args).map_err(|e| match e.code {
        keyward_core::ErrorCode::StoreDamaged => Error::new(e.code, format!("{} Run `keyward recover` to do it.", e.message)),
        _ => e,
    })?;
    match args.command {
        Command::Accounts(AccountsCommand::Add { service, label, host, org_name }) => {
            let host = host.unwrap_or_else(|| host::default_host(service));
            let token = token_input::read(service)?;
            let account = core.add_account(NewAccount { service, label, host, org_name, token }).await?;
            eprintln!("Added {} account '{}' ({}).", service.display_name(), account.label, account.id);
            println!("{}", account.id);
            Ok(())
        }
        Command::Accounts(AccountsCommand::Edit { account, label, host, org_name, new_token }) => {
            let found = core.find_account(&account)?;
            let token = if new_token { Some(token_input::read(found.service)?) } else { None };
            let update = keyward_core::model::AccountUpdate { label, host, org_name, token };
            let saved = core.update_account(&found.id, update).await?;
            eprintln!("Saved '{}' ({}, {}).", saved.label, saved.service.display_name(), saved.host);
            Ok(())
        }
        Command::Accounts(AccountsCommand::List { json }) => output::accounts(&core.list_accounts()?, json),
        Command::Accounts(AccountsCommand::Remove { account }) => {
            let found = core.find_account(&account)?;
            core.remove_account(&found.id)?;
            eprintln!("Removed '{}': its token left the keychain and its cached keys this computer.", found.label);
            Ok(())
        }
        Command::Sync { account } => sync(&core, account.as_deref()).await,
        Command::Create { what, install_into } => {
            let (account, request) = what.into_request()?;
            let account = core.find_account(&account)?;
            // Every place is found, and known to take a secret, before anything is minted.
            let targets = install_into.iter().map(|t| find_key(&core, t, None)).collect::<Result<Vec<_>>>()?;
            for t in &targets {
                if let Some(p) = core.validate_hand_off(&HandOff::Rotate { key_id: t.id.clone() })?.into_iter().next() {
                    return Err(Error::invalid("install-into", format!("“{}”: {}", t.name, p.message)));
                }
            }
            let minted = core.create_key(&account.id, request).await?;
            let k = &minted.key;
            let expires = k.expires_at.map(|e| format!(", expires {}", e.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
            match &minted.secret {
                Some(secret) if !targets.is_empty() => {
                    eprintln!("Created {} “{}” on '{}'{expires}.", k.kind.label(), k.name, account.label);
                    hand_off(&core, secret, k, &targets).await
                }
                Some(secret) => {
                    eprintln!("Created {} “{}” on '{}'{expires}. This is the only time its secret is shown:", k.kind.label(), k.name, account.label);
                    println!("{}", secret.expose());
                    Ok(())
                }
                None => {
                    eprintln!("Created {} “{}” on '{}'. The secret you gave was sent and not kept.", k.kind.label(), k.name, account.label);
                    Ok(())
                }
            }
        }
        Command::Replace { key, account, install_into, print_secret } => {
            let old = find_key(&core, &key, account.as_deref())?;
            let targets = install_into
                .iter()
                .map(|t| find_key(&core, t, None).map(|k| HandOff::Rotate { key_id: k.id }))
                .collect::<Result<Vec<_>>>()?;
            let shown = std::sync::Mutex::new(0usize);
            let progress = |r: &RotationReport| output::rotation_steps(r, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
            let rotation = core.rotate_assisted(&old.id, targets, &progress).await?;
            // The final report may settle steps no progress call showed (a stop skips the rest).
            output::rotation_steps(&rotation.report, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
            eprintln!("{}", rotation.report.summary);
            if let (true, Some(fresh)) = (rotation.report.replacement_unused, &rotation.report.new_key) {
                // Both keys carry the same name, so the id is what tells them apart.
                eprintln!("The replacement is installed nowhere; to put everything back as it was: keyward revoke {}", fresh.id);
            }
            if let (true, Some(secret)) = (print_secret, &rotation.secret) {
                println!("{}", secret.expose());
            }
            match rotation.report.completed {
                true => Ok(()),
                false => Err(Error::new(keyward_core::ErrorCode::Conflict, "The rotation stopped; the old key is still active (see above).")),
            }
        }
        Command::Expiring { json } => {
            let centre = core.expiry_centre()?;
            eprintln!(
                "Needing attention: {} (expiry window {} days). Listed: what expired or expires in the next {} days.",
                output::count(centre.attention, "key", "keys"),
                centre.window_days,
                centre.horizon_days
            );
            output::keys(&centre.keys, json)
        }
        Command::Revoke { keys, account } => {
            let ids = keys.iter().map(|k| find_key(&core, k, account.as_deref()).map(|f| f.id)).collect::<Result<Vec<_>, Error>>()?;
            let outcomes = core.revoke_keys(&ids).await;
            let mut failed = 0;
            for o in &outcomes {
                match (&o.row, &o.error) {
                    (Some(r), _) => eprintln!("Revoked {} “{}” on '{}'.", r.kind.label(), r.name, r.account_label),
                    (None, Some(e)) => {
                        failed += 1;
                        eprintln!("Not revoked: “{}”: {}", o.name, e.message);
                    }
                    (None, None) => {}
                }
            }
            let total = outcomes.len();
            match outcomes.into_iter().find_map(|o| o.error) {
                None => Ok(()),
                Some(first) if total == 1 => Err(first),
                // The exit code follows the first failure; the lines above name each one.
                Some(first) => Err(Error::new(first.code, format!("{failed} of {total} keys were not revoked; see above."))),
            }
        }
        Command::Rotate { key, account, credentials_json } => {
            let found = find_key(&core, &key, account.as_deref())?;
            let given = |what: &str, field: &str| token_input::read_secret(what, field).map(Some);
            let update = match found.kind {
                KeyKind::BraintrustAiSecret => {
                    Some(KeyUpdate::BraintrustAiSecret { name: None, secret_type: None, secret: given("New secret", "secret")?, metadata: None })
                }
                KeyKind::RespanProvider => {
                    Some(KeyUpdate::RespanProvider { provider_name: None, api_key: given("New upstream API key", "api_key")?, extra_kwargs: None })
                }
                _ => None,
            };
            if let Some(update) = update {
                let row = core.update_key(&found.id, update).await?;
                eprintln!("Rotated {} “{}”: the service now holds the new secret.", row.kind.label(), row.name);
                return Ok(());
            }
            if found.kind == KeyKind::BarndoorCredential {
                let (api_key, credentials) = if credentials_json {
                    (None, Some(token_input::read_secret("New credentials (JSON)", "credentials")?))
                } else {
                    (Some(token_input::read_secret("New upstream API key", "api_key")?), None)
                };
                let update = KeyUpdate::BarndoorCredential {
                    name: None, base_url: None, auth_type: None, api_key, credentials, settings: None, change_note: None,
                };
                let row = core.update_key(&found.id, update).await?;
                eprintln!("Rotated credential “{}”: Barndoor now holds the new secret (…{}).", row.name, row.preview.unwrap_or_default().trim_start_matches('…'));
                return Ok(());
            }
            let minted = core.rotate_key(&found.id).await?;
            eprintln!("Rotated {} “{}”. This is the only time its new secret is shown:", minted.key.kind.label(), minted.key.name);
            if let Some(secret) = &minted.secret {
                println!("{}", secret.expose());
            }
            Ok(())
        }
        Command::Update { key, account, name, expiry, no_expiry, test, disabled, prefix, base_url } => {
            let found = find_key(&core, &key, account.as_deref())?;
            let update = match found.kind {
                KeyKind::RespanTempKey => KeyUpdate::RespanTempKey { name, expiry_date: expiry, is_test: test, prefix },
                KeyKind::BarndoorGatewayKey => KeyUpdate::BarndoorGatewayKey { disabled, expires_at: expiry, clear_expiry: Some(no_expiry) },
                KeyKind::BarndoorCredential => KeyUpdate::BarndoorCredential {
                    name, base_url, auth_type: None, api_key: None, credentials: None, settings: None, change_note: None,
                },
                KeyKind::BraintrustAiSecret => KeyUpdate::BraintrustAiSecret { name, secret_type: None, secret: None, metadata: None },
                KeyKind::RespanProvider => KeyUpdate::RespanProvider { provider_name: name, api_key: None, extra_kwargs: None },
                other => return Err(Error::invalid("key", format!("{} cannot be changed; revoke it and create another.", other.label()))),
            };
            let row = core.update_key(&found.id, update).await?;
            eprintln!("Updated {} “{}”.", row.kind.label(), row.name);
            Ok(())
        }
        Command::ValidateAwsRole { account, region, role_arn, external_id } => {
            let account = core.find_account(&account)?;
            let check = Validation::BarndoorAwsRole { region, iam_role_arn: role_arn, external_id };
            report_validation(core.validate_setup(&account.id, check).await?)
        }
        Command::ValidateVertex { account, project_id, location, auth_type, credentials_json } => {
            let account = core.find_account(&account)?;
            let credentials = credentials_json.then(|| token_input::read_secret("Service-account key (JSON)", "credentials")).transpose()?;
            let check = Validation::BarndoorGoogleVertex {
                project_id, location, auth_type, model_api_family: None, target_service_account: None, credentials, model: None,
            };
            report_validation(core.validate_setup(&account.id, check).await?)
        }
        Command::Recover => unreachable!("handled before the store is opened"),
        Command::Audit { json, csv, account, action, since, until, limit } => {
            let account_id = account.map(|a| core.find_account(&a).map(|a| a.id)).transpose()?;
            let entries = core.audit(&AuditQuery { account_id, action, since, until, limit })?;
            if csv {
                print!("{}", export::audit_csv(&entries)?);
                return Ok(());
            }
            output::audit(&entries, json)
        }
        Command::Export { format, output, filter } => {
            let query = filter.query(&core)?;
            match output {
                None => print!("{}", core.export_keys(&query, format)?),
                Some(path) => {
                    let report = core.export_keys_to(&query, format, &path)?;
                    eprintln!("Exported {} to {}.", output::count(report.rows, "key", "keys"), report.path);
                }
            }
            Ok(())
        }
        Command::Keys(KeysCommand::Show { key, account }) => {
            let found = find_key(&core, &key, account.as_deref())?;
            let fresh = core.refresh_key(&found.id).await?;
            output::key_detail(&fresh, &core.key_details(&fresh.id)?)
        }
        Command::Keys(KeysCommand::List { json, filter }) => output::keys(&core.list_keys(&filter.query(&core)?)?, json),
    }
}

/// A failed check is an answer, not an error of Keyward's: it is said, and the exit code is 1.
fn report_validation(outcome: ValidationOutcome) -> Result<()> {
    if outcome.ok {
        eprintln!("{}", outcome.message);
        Ok(())
    } else {
        Err(Error::new(keyward_core::ErrorCode::InvalidInput, outcome.message))
    }
}

/// The minted secret goes to each place from memory; if one fails, the secret is printed once
/// so it is not lost (its key exists already).
async fn hand_off(core: &Keyward, secret: &keyward_core::secret::MintedSecret, key: &keyward_core::model::KeyRow, targets: &[keyward_core::model::KeyRow]) -> Result<()> {
    let given = secret.for_install();
    for t in targets {
        match core.install_secret(&given, HandOff::Rotate { key_id: t.id.clone() }, &key.name).await {
            Ok(done) if done.verified != Some(false) => eprintln!("Installed into {} “{}”: {}", done.key.kind.label(), done.key.name, done.check),
            outcome => {
                let why = match outcome {
                    Ok(done) => done.check,
                    Err(e) => e.message,
                };
                eprintln!("Installing into “{}” failed: {why} The secret is shown once here so it is not lost:", t.name);
                println!("{}", secret.expose());
                return Err(Error::new(keyward_core::ErrorCode::Conflict, format!("Not installed into “{}”.", t.name)));
            }
        }
    }
    eprintln!("The secret was installed and is not printed.");
    Ok(())
}

fn find_key(core: &Keyward, key: &str, account: Option<&str>) -> Result<keyward_core::model::KeyRow> {
    let account_id = account.map(|a| core.find_account(a).map(|a| a.id)).transpose()?;
    core.find_key(key, account_id.as_deref())
}

async fn sync(core: &Keyward, account: Option<&str>) -> Result<()> {
    let accounts = match account {
        Some(a) => vec![core.find_account(a)?],
        None => core.list_accounts()?,
    };
    let mut failed: Option<Error> = None;
    for account in accounts {
        let report = core.sync_account(&account.id, &|_p: SyncProgress| {}).await;
        match report {
            Ok(r) => {
                eprintln!("{}: {} keys ({} new, {} gone) in {} pages.", account.label, r.fetched, r.added, r.gone, r.pages);
                if r.skipped > 0 {
                    eprintln!(
                        "{}: {} listed object(s) could not be read and were skipped; nothing was marked gone this time.",
                        account.label, r.skipped
                    );
                }
            }
            Err(e) => {
                eprintln!("{}: {}", account.label, e.message);
                failed = Some(e);
            }
        }
    }
    failed.map_or(Ok(()), Err)
}
