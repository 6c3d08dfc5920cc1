//! `keyward-sandbox`: the stand-in services on a loopback port, for `make demo` and journeys.

use clap::Parser;
use keyward_sandbox::{app, SandboxConfig, DEFAULT_TOKEN};
use std::io::Write;

#[derive(Parser)]
#[command(name = "keyward-sandbox", about = "Stand-in Braintrust, Respan and Barndoor APIs on one loopback port")]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Loopback address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// A bearer token the services accept (repeatable).
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// How many Braintrust API keys to start with.
    #[arg(long, default_value_t = 0)]
    seed_keys: usize,
    /// How many Respan temporary keys to start with.
    #[arg(long, default_value_t = 0)]
    seed_respan_keys: usize,
    /// Let Braintrust API keys create API keys (the live service refuses with 403).
    #[arg(long)]
    allow_api_key_create: bool,
    /// Delay every service response by this much.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.host.is_loopback(), "the sandbox only listens on loopback addresses");
    let tokens = if args.tokens.is_empty() { vec![DEFAULT_TOKEN.to_string()] } else { args.tokens };
    let config = SandboxConfig {
        tokens,
        seed_keys: args.seed_keys,
        seed_respan_keys: args.seed_respan_keys,
        latency_ms: args.latency_ms,
        port: args.port,
        allow_api_key_create: args.allow_api_key_create,
    };
    let listener = tokio::net::TcpListener::bind((args.host, args.port)).await?;
    let addr = listener.local_addr()?;
    let (router, _) = app(config);
    // Scripts read this one line to learn the port.
    println!("keyward-sandbox listening on http://{addr}");
    std::io::stdout().flush()?;
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
        })
        .await?;
    Ok(())
}
