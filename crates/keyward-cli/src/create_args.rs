//! `keyward create …`: one subcommand per kind of key, with every limit the service takes.

use clap::Subcommand;
use keyward_core::model::env_var::EnvVarScope;
use keyward_core::model::new_key::{default_auth_type, GatewayAccess, NewKey};
use keyward_core::Result;

use crate::token_input;

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
        #[arg(long, default_value_t = keyward_core::model::new_key::PROXY_TTL_DEFAULT, allow_hyphen_values = true)]
        ttl: u32,
        /// A Braintrust project to log its calls to.
        #[arg(long)]
        logging_project: Option<String>,
    },
    /// A Braintrust service token (needs an organization owner's service token).
    BraintrustServiceToken {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// A name for the token.
        #[arg(long)]
        name: String,
        /// The service account it acts as.
        #[arg(long)]
        service_account_id: String,
        /// Replace the token of the same name instead of adding another.
        #[arg(long)]
        replace: bool,
    },
    /// A Braintrust AI secret (an upstream provider key). The secret is read from stdin or a prompt.
    BraintrustAiSecret {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// The name Braintrust knows it by, e.g. OPENAI_API_KEY.
        #[arg(long)]
        name: String,
        /// The provider it is for, e.g. openai.
        #[arg(long = "type")]
        secret_type: Option<String>,
        /// Non-secret metadata as a JSON object.
        #[arg(long)]
        metadata: Option<String>,
        /// Replace the AI secret of the same name.
        #[arg(long)]
        replace: bool,
    },
    /// A Braintrust environment variable for the organization, a project or a function. The value
    /// is read from stdin or a prompt, sent once and never kept.
    #[command(group(clap::ArgGroup::new("scope").required(true).args(["project", "project_id", "function", "org"])))]
    BraintrustEnvVar {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// The variable's name, e.g. RESPAN_API_KEY.
        #[arg(long)]
        name: String,
        /// A project the account's token can see, by name.
        #[arg(long)]
        project: Option<String>,
        /// A project, by id.
        #[arg(long)]
        project_id: Option<String>,
        /// A function, by id.
        #[arg(long)]
        function: Option<String>,
        /// The whole organization.
        #[arg(long)]
        org: bool,
        /// What the value is, e.g. the AI provider it is a key for (openai).
        #[arg(long = "type")]
        secret_type: Option<String>,
        /// Replace the value of the variable of the same name and scope.
        #[arg(long)]
        replace: bool,
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
        #[arg(long, allow_hyphen_values = true)]
        rate_limit: Option<i64>,
        /// US dollars.
        #[arg(long, allow_hyphen_values = true)]
        spending_limit: Option<f64>,
        /// Mark it as a test key.
        #[arg(long)]
        test: bool,
    },
    /// A Respan custom provider: an upstream key Respan calls with. The key is read from stdin or a prompt.
    RespanProvider {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// Unique in the organization: letters, digits, '-' or '_'.
        #[arg(long)]
        provider_id: String,
        #[arg(long)]
        provider_name: String,
        /// Configuration as a JSON object, e.g. '{"base_url": "https://api.openai.com/v1"}'.
        #[arg(long)]
        extra_kwargs: Option<String>,
    },
    /// A Barndoor gateway key.
    BarndoorGatewayKey {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// A name for the key.
        #[arg(long)]
        name: String,
        /// ISO 8601 date or time; never expires when left out.
        #[arg(long)]
        expires_at: Option<String>,
        /// A scope the key is limited to. Repeat for several.
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
        /// The user the key acts for, by Barndoor user id (a UUID).
        #[arg(long, conflicts_with = "user_email")]
        user_id: Option<String>,
        /// Or by email.
        #[arg(long)]
        user_email: Option<String>,
        /// An IdP group whose budgets, rate limits and model policies the key shares (not with a user).
        #[arg(long = "group", value_name = "GROUP")]
        group_name: Option<String>,
    },
    /// A Barndoor credential for an upstream provider. Its secret is read from stdin or a hidden
    /// prompt: the API key, or with --credentials-json a JSON object of the provider's fields.
    BarndoorCredential {
        /// Account id or label.
        #[arg(long)]
        account: String,
        /// A name, unique in the organization, e.g. "OpenAI Production".
        #[arg(long)]
        name: String,
        /// openai, anthropic, azure_openai, google_ai, bedrock, vertex, groq, together, mistral, cohere, xai,
        /// fireworks, perplexity, openrouter, deepseek or custom.
        #[arg(long)]
        model_provider: String,
        /// The upstream base URL, e.g. https://api.openai.com/v1.
        #[arg(long)]
        base_url: String,
        /// Left out: the provider's default (api_key; aws_role for bedrock; google_adc for vertex).
        #[arg(long)]
        auth_type: Option<String>,
        /// Read a JSON object of credentials from stdin instead of an API key.
        #[arg(long)]
        credentials_json: bool,
        /// Non-secret settings as a JSON object, e.g. '{"region": "us-east-1"}'.
        #[arg(long)]
        settings: Option<String>,
        /// Why this credential exists (never a secret).
        #[arg(long)]
        change_note: Option<String>,
    },
}

impl CreateCommand {
    pub fn account(&self) -> &str {
        match self {
            CreateCommand::BraintrustApiKey { account, .. }
            | CreateCommand::BraintrustProxy { account, .. }
            | CreateCommand::BraintrustServiceToken { account, .. }
            | CreateCommand::BraintrustAiSecret { account, .. }
            | CreateCommand::BraintrustEnvVar { account, .. }
            | CreateCommand::RespanTemp { account, .. }
            | CreateCommand::RespanProvider { account, .. }
            | CreateCommand::BarndoorGatewayKey { account, .. }
            | CreateCommand::BarndoorCredential { account, .. } => account,
        }
    }

    /// The project named by `--project`, which the core looks up before anything is read or sent.
    pub fn project_name(&self) -> Option<&str> {
        match self {
            CreateCommand::BraintrustEnvVar { project, .. } => project.as_deref(),
            _ => None,
        }
    }

    /// The account it is for, and what to ask the core for (reading a given secret, if any).
    /// `project_id` is the id of the project `project_name` named.
    pub fn into_request(self, project_id: Option<String>) -> Result<(String, NewKey)> {
        Ok(match self {
            CreateCommand::BraintrustEnvVar { account, name, project: _, project_id: given_id, function, org, secret_type, replace } => {
                let (object_type, object_id) = match (function, org) {
                    (Some(f), _) => (EnvVarScope::Function, Some(f)),
                    (None, true) => (EnvVarScope::Organization, None),
                    (None, false) => (EnvVarScope::Project, project_id.or(given_id)),
                };
                let value = token_input::read_secret("Value", "value")?;
                (account, NewKey::BraintrustEnvVar { name, object_type, object_id, value, secret_type, replace_existing: Some(replace) })
            }
            CreateCommand::BraintrustApiKey { account, name } => (account, NewKey::BraintrustApiKey { name }),
            CreateCommand::BraintrustProxy { account, model, ttl, logging_project } => {
                (account, NewKey::BraintrustProxyCredential { model, ttl_seconds: Some(ttl), logging_project })
            }
            CreateCommand::RespanTemp { account, name, expiry, max_usage, rate_limit, spending_limit, test } => {
                (account, NewKey::RespanTempKey { name, expiry_date: expiry, max_usage, rate_limit, spending_limit, is_test: Some(test) })
            }
            CreateCommand::BraintrustServiceToken { account, name, service_account_id, replace } => {
                (account, NewKey::BraintrustServiceToken { name, service_account_id, replace_existing: Some(replace) })
            }
            CreateCommand::BraintrustAiSecret { account, name, secret_type, metadata, replace } => {
                let secret = token_input::read_secret("Secret", "secret")?;
                (account, NewKey::BraintrustAiSecret { name, secret_type, secret, metadata, replace_existing: Some(replace) })
            }
            CreateCommand::RespanProvider { account, provider_id, provider_name, extra_kwargs } => {
                let api_key = token_input::read_secret("Upstream API key", "api_key")?;
                (account, NewKey::RespanProvider { provider_id, provider_name, api_key, extra_kwargs })
            }
            CreateCommand::BarndoorGatewayKey { account, name, expires_at, scopes, user_id, user_email, group_name } => {
                let access = GatewayAccess { scopes: (!scopes.is_empty()).then_some(scopes), user_id, user_email, group_name };
                (account, NewKey::BarndoorGatewayKey { name, expires_at, access })
            }
            CreateCommand::BarndoorCredential { account, name, model_provider, base_url, auth_type, credentials_json, settings, change_note } => {
                let auth = auth_type.clone().unwrap_or_else(|| default_auth_type(&model_provider).to_string());
                let needs_key = !credentials_json && matches!(auth.as_str(), "api_key" | "bedrock_api_key");
                let (api_key, credentials) = if credentials_json {
                    (None, Some(token_input::read_secret("Credentials (JSON)", "credentials")?))
                } else if needs_key {
                    (Some(token_input::read_secret("Upstream API key", "api_key")?), None)
                } else {
                    (None, None)
                };
                (account, NewKey::BarndoorCredential { name, model_provider, base_url, auth_type, api_key, credentials, settings, change_note })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Subcommand;
    use keyward_core::model::KeyKind;

    use super::CreateCommand;

    /// `keyward create <word>` and `keyward run`'s `<word>@ACCOUNT` name a kind alike: the
    /// subcommands are the core's command words of every kind a person can create.
    #[test]
    fn each_subcommand_is_its_kinds_command_word() {
        let mut subcommands: Vec<String> =
            CreateCommand::augment_subcommands(clap::Command::new("create")).get_subcommands().map(|c| c.get_name().to_string()).collect();
        // Barndoor's providers are routes Barndoor makes from credentials; Keyward creates none.
        let mut words: Vec<String> =
            KeyKind::ALL.into_iter().filter(|k| *k != KeyKind::BarndoorProvider).map(|k| k.command_word().to_string()).collect();
        subcommands.sort();
        words.sort();
        assert_eq!(subcommands, words);
    }
}
