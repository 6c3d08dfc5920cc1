//! `keyward create …`: one subcommand per kind of key, with every limit the service takes.

use clap::Subcommand;
use keyward_core::create::NewKey;

#[derive(Subcommand)]
pub enum CreateCommand {
    /// A Braintrust API key (the live service allows this only with a service token).
    BraintrustApiKey {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// A name for the key (it need not be unique).
        #[arg(long)]
        name: String,
    },
    /// A Braintrust proxy credential: a short-lived token for the AI proxy.
    BraintrustProxy {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// The one model it may call; every model when left out.
        #[arg(long)]
        model: Option<String>,
        /// Lifetime in seconds, 1 to 86400.
        #[arg(long, default_value_t = 600)]
        ttl: u32,
        /// A Braintrust project to log its calls to.
        #[arg(long)]
        logging_project: Option<String>,
    },
    /// A Respan temporary key with optional expiry, usage, rate and spend limits.
    RespanTemp {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// A name for the key.
        #[arg(long)]
        name: Option<String>,
        /// ISO 8601 date or time, e.g. 2026-12-31 or 2026-12-31T18:00:00Z.
        #[arg(long)]
        expiry: Option<String>,
        /// Number of uses; -1 for unlimited.
        #[arg(long, allow_hyphen_values = true)]
        max_usage: Option<i64>,
        /// Calls per minute.
        #[arg(long)]
        rate_limit: Option<i64>,
        /// US dollars.
        #[arg(long, allow_hyphen_values = true)]
        spending_limit: Option<f64>,
        /// Mark it as a test key.
        #[arg(long)]
        test: bool,
    },
}

impl CreateCommand {
    /// The account it is for, and what to ask the core for.
    pub fn into_request(self) -> (String, NewKey) {
        match self {
            CreateCommand::BraintrustApiKey { account, name } => (account, NewKey::BraintrustApiKey { name }),
            CreateCommand::BraintrustProxy { account, model, ttl, logging_project } => (
                account,
                NewKey::BraintrustProxyCredential { model, ttl_seconds: Some(ttl), logging_project },
            ),
            CreateCommand::RespanTemp { account, name, expiry, max_usage, rate_limit, spending_limit, test } => (
                account,
                NewKey::RespanTempKey {
                    name,
                    expiry_date: expiry,
                    max_usage,
                    rate_limit,
                    spending_limit,
                    is_test: Some(test),
                },
            ),
        }
    }
}
