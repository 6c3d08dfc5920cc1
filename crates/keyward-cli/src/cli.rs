//! The command tree, and `run()`, which opens the store and hands each command to its noun's file
//! in `commands/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use keyward_core::model::Service;
use keyward_core::ops::export::ExportFormat;
use keyward_core::Result;

use crate::commands;
use crate::create_args::CreateCommand;

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
        /// name) to give the new secret, straight from Keyward's memory. Repeat for several.
        #[arg(long = "install-into", global = true, value_name = "KEY")]
        install_into: Vec<String>,
    },
    /// The replace assistant: mint a replacement with the same settings, install it where it is
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
    /// Start a command with keys minted for it alone, in its environment only, revoked when it
    /// exits.
    ///
    /// Exit code: the command's (128 + N when a signal N ended it); 125 when the run did
    /// not start (an entry refused, a key not minted: nothing is left live); 126 or 127 when the
    /// command cannot be run or is not found; 124 when a key could not be revoked (stderr names
    /// it, with `keyward revoke ID`; the next keyward to start tries again).
    #[command(after_help = RUN_EXAMPLES)]
    Run(commands::run::RunArgs),
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
    // The services call this "rotate", and so did Keyward before; scripts keep working.
    #[command(alias = "rotate")]
    Reissue {
        /// Key id, the service's id, or its name.
        key: String,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        credentials_json: bool,
        /// Barndoor gateway keys: how long the previous secret keeps working, so clients can move
        /// to the new one first (e.g. 30m, 1h, 2days; at most 7 days). It stops at once by default.
        #[arg(long, value_name = "DURATION", value_parser = parse_grace)]
        grace: Option<u32>,
    },
    /// Change a key where its service allows it.
    Update(UpdateArgs),
    /// Ask Barndoor whether it can assume an AWS role, before saving a Bedrock credential.
    #[command(alias = "validate-aws-role")]
    CheckAwsRole {
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
    #[command(alias = "validate-vertex")]
    CheckVertex {
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
    Audit(AuditArgs),
    /// Expiry notices through the desktop's notification service.
    #[command(subcommand)]
    Notices(NoticesCommand),
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
    ///
    /// bash: keyward completions bash > ~/.local/share/bash-completion/completions/keyward
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (keyward.1 and one a command) into a folder; the package installs them.
    #[command(hide = true)]
    Man { dir: PathBuf },
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

const RUN_EXAMPLES: &str = "Examples:
  keyward run -e OPENAI_API_KEY='respan-temp@Gateway?max_usage=100&spending_limit=5&ttl=1h' -- pytest
  keyward run --env-file ci.env.keyward -- ./deploy.sh

A template (.env.keyward, read when no --env or --env-file is given) names keys, never holds one:
  # keys for the test suite
  OPENAI_BASE_URL=https://api.respan.ai/api/
  OPENAI_API_KEY=respan-temp@Gateway?max_usage=100&ttl=30m
  BRAINTRUST_API_KEY=braintrust-proxy@Production?model=gpt-4o&ttl=15m
  BARNDOOR_API_KEY=barndoor-gateway-key@Platform?ttl=1h

Limits: respan-temp takes max_usage, rate_limit, spending_limit, is_test; braintrust-proxy takes
model, logging_project; barndoor-gateway-key takes scopes (comma-separated) and user_id, user_email
or group_name; every kind takes ttl (1h unless given, at most 1 day).";

#[derive(Subcommand)]
pub enum NoticesCommand {
    /// Raise the expiry notices owed now through the desktop's notification service.
    ///
    /// Each notice comes once: the window and this share one record. The notices timer runs it
    /// every quarter hour while the window is closed. It reads the local inventory only (no
    /// network, no keychain).
    ///
    /// Exit code: 0 when every owed notice was raised (or none was owed, or notices are off in
    /// the settings); 3 when no notification service answered, and nothing was marked raised.
    Raise {
        /// Say nothing unless something fails.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// Which cached keys a listing or an export covers.
#[derive(clap::Args)]
pub struct KeyFilter {
    /// Only keys whose name, preview or owner contains every word.
    #[arg(long)]
    pub search: Option<String>,
    /// Account id or label.
    #[arg(long)]
    pub account: Option<String>,
    /// Include keys the service no longer lists.
    #[arg(long)]
    pub include_gone: bool,
}

// The flags of `update` and `audit`, as one value each for their command files (no doc comment
// here: the variant's is the command's help).
#[derive(clap::Args)]
pub struct UpdateArgs {
    /// Key id, the service's id, or its name.
    pub key: String,
    #[arg(long)]
    pub account: Option<String>,
    /// New name (Respan temporary keys, Barndoor credentials, Braintrust AI secrets).
    #[arg(long)]
    pub name: Option<String>,
    /// New expiry, ISO 8601 (Respan temporary keys, Barndoor gateway keys).
    #[arg(long)]
    pub expiry: Option<String>,
    /// Remove the expiry (Barndoor gateway keys).
    #[arg(long)]
    pub no_expiry: bool,
    /// Mark a Respan key as a test key, or (with --test=false) as production.
    #[arg(long)]
    pub test: Option<bool>,
    /// Disable (true) or enable (false) a Barndoor gateway key.
    #[arg(long)]
    pub disabled: Option<bool>,
    /// New key prefix (Respan temporary keys).
    #[arg(long)]
    pub prefix: Option<String>,
    /// New upstream base URL (Barndoor credentials).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Print the entries as JSON.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the entries as CSV (a header row, then one row per entry).
    #[arg(long)]
    pub csv: bool,
    /// Only what was done on this account (id or label).
    #[arg(long)]
    pub account: Option<String>,
    /// Only this action, exactly: e.g. key.create, key.revoke, key.update, account.add.
    #[arg(long)]
    pub action: Option<String>,
    /// From this day (YYYY-MM-DD, from its start in UTC) or moment (RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Up to this day (YYYY-MM-DD, the whole day in UTC) or moment (RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many entries, the newest (default 500, at most 10,000).
    #[arg(long)]
    pub limit: Option<u32>,
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

fn parse_grace(s: &str) -> std::result::Result<u32, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|_| "expected a duration such as 30m, 1h or 2days".to_string())?;
    u32::try_from(d.as_secs()).map_err(|_| "at most 7 days".to_string())
}

fn parse_format(s: &str) -> std::result::Result<ExportFormat, String> {
    ExportFormat::parse(&s.to_ascii_lowercase()).ok_or_else(|| "expected csv or json".into())
}

pub async fn run(args: Args) -> Result<std::process::ExitCode> {
    if let Command::Recover = args.command {
        return commands::recover::run(args.data_dir.as_deref()).map(|()| std::process::ExitCode::SUCCESS);
    }
    match &args.command {
        Command::Completions { shell } => return commands::completions::run(*shell).map(|()| std::process::ExitCode::SUCCESS),
        Command::Man { dir } => return commands::man::run(dir).map(|()| std::process::ExitCode::SUCCESS),
        _ => {}
    }
    let core = commands::open(args.data_dir.as_deref())?;
    let core = &core;
    // The timer's quarter-hourly look stays local: no run's keys revoked over the network from it.
    if let Command::Notices(NoticesCommand::Raise { quiet }) = args.command {
        return commands::notices::raise(core, quiet);
    }
    // Every start ends the runs a killed keyward left behind (a local read when there are none).
    commands::run::reap(core).await;
    if let Command::Run(run) = args.command {
        return Ok(commands::run::run(core, run).await);
    }
    match args.command {
        Command::Accounts(AccountsCommand::Add { service, label, host, org_name }) => {
            commands::accounts::add(core, service, label, host, org_name).await
        }
        Command::Accounts(AccountsCommand::Edit { account, label, host, org_name, new_token }) => {
            commands::accounts::edit(core, &account, label, host, org_name, new_token).await
        }
        Command::Accounts(AccountsCommand::List { json }) => commands::accounts::list(core, json),
        Command::Accounts(AccountsCommand::Remove { account }) => commands::accounts::remove(core, &account),
        Command::Sync { account } => commands::sync::run(core, account.as_deref()).await,
        Command::Keys(KeysCommand::Show { key, account }) => commands::keys::show(core, &key, account.as_deref()).await,
        Command::Keys(KeysCommand::List { json, filter }) => commands::keys::list(core, json, filter),
        Command::Create { what, install_into } => commands::create::run(core, what, &install_into).await,
        Command::Replace { key, account, install_into, print_secret } => {
            commands::replace::run(core, &key, account.as_deref(), &install_into, print_secret).await
        }
        Command::Expiring { json } => commands::expiring::run(core, json),
        Command::Revoke { keys, account } => commands::revoke::run(core, &keys, account.as_deref()).await,
        Command::Reissue { key, account, credentials_json, grace } => {
            commands::reissue::run(core, &key, account.as_deref(), credentials_json, grace).await
        }
        Command::Update(update) => commands::update::run(core, update).await,
        Command::CheckAwsRole { account, region, role_arn, external_id } => {
            commands::check::aws_role(core, &account, region, role_arn, external_id).await
        }
        Command::CheckVertex { account, project_id, location, auth_type, credentials_json } => {
            commands::check::vertex(core, &account, project_id, location, auth_type, credentials_json).await
        }
        Command::Recover | Command::Run(_) | Command::Notices(_) | Command::Completions { .. } | Command::Man { .. } => {
            unreachable!("handled above")
        }
        Command::Audit(audit) => commands::audit::run(core, audit),
        Command::Export { format, output, filter } => commands::export::run(core, format, output.as_deref(), filter),
    }
    .map(|()| std::process::ExitCode::SUCCESS)
}
