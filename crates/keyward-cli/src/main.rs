//! `keyward`: Keyward's core from a terminal. Data goes to stdout, everything said to a person
//! goes to stderr, and a token is read from stdin or a prompt, never from argv.

mod cli;
mod commands;
mod create_args;
mod output;
mod token_input;

use std::process::ExitCode;

use clap::Parser;
use keyward_core::ErrorCode;

// One thread: a command's work is a few requests, SQLite and the keychain, all waited on
// together, and starting the multi-threaded runtime's workers was a millisecond of every start.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // Before any token or secret is in memory, so none can reach a core file.
    if let Err(e) = keyward_core::process::harden() {
        eprintln!("warning: keyward could not keep its memory out of core dumps ({e})");
    }
    let args = cli::Args::parse();
    init_logging(args.verbose);
    match cli::run(args).await {
        Ok(code) => code,
        Err(err) => {
            match err.field.as_deref().map(flag_for) {
                Some(flag) => eprintln!("error: {flag}: {}", err.message),
                None => eprintln!("error: {}", err.message),
            }
            if let Some(key_id) = &err.key_id {
                eprintln!("To revoke the key this left behind: keyward revoke {key_id}");
            }
            match err.code {
                ErrorCode::InvalidInput => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// `KEYWARD_LOG` takes `level` or `target=level,...`, as the window's does. `Targets`, not
/// `EnvFilter`: the same syntax without a regex engine to build at every command's start.
fn init_logging(verbose: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let fallback = if verbose { "keyward_core=debug" } else { "keyward_core=warn" };
    let filter: tracing_subscriber::filter::Targets =
        std::env::var("KEYWARD_LOG").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| fallback.parse().expect("a valid default filter"));
    let _ = tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)).with(filter).try_init();
}

/// The flag (or input) a field of the core's request comes from, so an error names what to fix.
fn flag_for(field: &str) -> String {
    match field {
        "expiry_date" | "expires_at" => "--expiry (or --expires-at)".into(),
        "ttl_seconds" => "--ttl".into(),
        "is_test" => "--test".into(),
        "token" => "the token (--new-token, from stdin)".into(),
        "secret" | "api_key" => "the secret (stdin)".into(),
        "credentials" => "the credentials JSON (stdin)".into(),
        "path" => "--output".into(),
        "scopes" => "--scope".into(),
        "group_name" => "--group".into(),
        "grace_period_secs" => "--grace".into(),
        "value" => "the value (stdin)".into(),
        "object_id" => "--project (or --project-id, --function)".into(),
        "secret_type" => "--type".into(),
        other => format!("--{}", other.replace('_', "-")),
    }
}
