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

#[tokio::main]
async fn main() -> ExitCode {
    // Before any token or secret is in memory, so none can reach a core file.
    if let Err(e) = keyward_core::process::harden() {
        eprintln!("warning: keyward could not keep its memory out of core dumps ({e})");
    }
    let args = cli::Args::parse();
    let filter = if args.verbose { "keyward_core=debug" } else { "keyward_core=warn" };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("KEYWARD_LOG").unwrap_or_else(|_| filter.into()))
        .with_writer(std::io::stderr)
        .try_init();
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
