//! The services and the kinds of key each mints or holds, with what Keyward knows of each kind.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Service {
    Braintrust,
    Respan,
    Barndoor,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Braintrust, Service::Respan, Service::Barndoor];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::Braintrust => "braintrust",
            Service::Respan => "respan",
            Service::Barndoor => "barndoor",
        }
    }

    /// The name a person reads in messages ("refused by Braintrust").
    pub fn display_name(self) -> &'static str {
        match self {
            Service::Braintrust => "Braintrust",
            Service::Respan => "Respan",
            Service::Barndoor => "Barndoor",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|svc| svc.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyKind {
    BraintrustApiKey,
    BraintrustProxyCredential,
    BraintrustServiceToken,
    /// An upstream provider key stored in Braintrust; its secret was given by the user.
    BraintrustAiSecret,
    /// A Braintrust environment variable or provider secret, scoped to the organization, a
    /// project or a function; its value was given by the user.
    BraintrustEnvVar,
    RespanTempKey,
    /// An upstream provider key stored in Respan; its secret was given by the user.
    RespanProvider,
    BarndoorGatewayKey,
    /// An upstream provider credential stored in Barndoor; its secret was given by the user.
    BarndoorCredential,
    /// A Barndoor route that uses a credential; listed with its health, never created here.
    BarndoorProvider,
}

impl KeyKind {
    pub const ALL: [KeyKind; 10] = [
        KeyKind::BraintrustApiKey,
        KeyKind::BraintrustProxyCredential,
        KeyKind::BraintrustServiceToken,
        KeyKind::BraintrustAiSecret,
        KeyKind::BraintrustEnvVar,
        KeyKind::RespanTempKey,
        KeyKind::RespanProvider,
        KeyKind::BarndoorGatewayKey,
        KeyKind::BarndoorCredential,
        KeyKind::BarndoorProvider,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey => "braintrust_api_key",
            KeyKind::BraintrustProxyCredential => "braintrust_proxy_credential",
            KeyKind::BraintrustServiceToken => "braintrust_service_token",
            KeyKind::BraintrustAiSecret => "braintrust_ai_secret",
            KeyKind::BraintrustEnvVar => "braintrust_env_var",
            KeyKind::RespanTempKey => "respan_temp_key",
            KeyKind::RespanProvider => "respan_provider",
            KeyKind::BarndoorGatewayKey => "barndoor_gateway_key",
            KeyKind::BarndoorCredential => "barndoor_credential",
            KeyKind::BarndoorProvider => "barndoor_provider",
        }
    }

    pub fn parse(s: &str) -> Option<KeyKind> {
        KeyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kinds services list (a proxy credential is never listed: Braintrust keeps no record).
    pub const LISTED: [KeyKind; 9] = [
        KeyKind::BraintrustApiKey,
        KeyKind::BraintrustServiceToken,
        KeyKind::BraintrustAiSecret,
        KeyKind::BraintrustEnvVar,
        KeyKind::RespanTempKey,
        KeyKind::RespanProvider,
        KeyKind::BarndoorGatewayKey,
        KeyKind::BarndoorCredential,
        KeyKind::BarndoorProvider,
    ];

    /// The kinds a secret can be installed into: the ones whose secret a person gives.
    pub const INSTALL_TARGETS: [KeyKind; 4] =
        [KeyKind::BarndoorCredential, KeyKind::BraintrustAiSecret, KeyKind::BraintrustEnvVar, KeyKind::RespanProvider];

    /// Whether its service lets Keyward revoke or delete it: a proxy credential only expires,
    /// and a Barndoor provider is removed in Barndoor. (What each provider's `delete_key` accepts.)
    pub fn revocable(self) -> bool {
        !matches!(self, KeyKind::BraintrustProxyCredential | KeyKind::BarndoorProvider)
    }

    /// Only Barndoor reissues a key's secret (what its `reissue_key` accepts).
    pub fn reissuable(self) -> bool {
        self == KeyKind::BarndoorGatewayKey
    }

    /// How long, at most, a reissue can keep the previous secret working (Barndoor gateway keys:
    /// 7 days); `None` where the previous secret always stops at once.
    pub fn reissue_grace_max_secs(self) -> Option<u32> {
        (self == KeyKind::BarndoorGatewayKey).then_some(7 * 24 * 3600)
    }

    /// Whether its service says when it was last used (so no date means never used, not unknown).
    pub fn reports_last_use(self) -> bool {
        matches!(self, KeyKind::RespanTempKey | KeyKind::BarndoorGatewayKey | KeyKind::BraintrustEnvVar)
    }

    /// Whether the service mints this kind's secret (shown once); the others' secret is given
    /// by the person.
    pub fn mints_secret(self) -> bool {
        matches!(
            self,
            KeyKind::BraintrustApiKey
                | KeyKind::BraintrustProxyCredential
                | KeyKind::BraintrustServiceToken
                | KeyKind::RespanTempKey
                | KeyKind::BarndoorGatewayKey
        )
    }

    /// The kind's word on the command line: `keyward create <word>`, and `<word>@ACCOUNT` in
    /// `keyward run`'s values.
    pub fn command_word(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey => "braintrust-api-key",
            KeyKind::BraintrustProxyCredential => "braintrust-proxy",
            KeyKind::BraintrustServiceToken => "braintrust-service-token",
            KeyKind::BraintrustAiSecret => "braintrust-ai-secret",
            KeyKind::BraintrustEnvVar => "braintrust-env-var",
            KeyKind::RespanTempKey => "respan-temp",
            KeyKind::RespanProvider => "respan-provider",
            KeyKind::BarndoorGatewayKey => "barndoor-gateway-key",
            KeyKind::BarndoorCredential => "barndoor-credential",
            KeyKind::BarndoorProvider => "barndoor-provider",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey => "API key",
            KeyKind::BraintrustProxyCredential => "Proxy credential",
            KeyKind::BraintrustServiceToken => "Service token",
            KeyKind::BraintrustAiSecret => "AI secret",
            KeyKind::BraintrustEnvVar => "Env var",
            KeyKind::RespanTempKey => "Temporary key",
            KeyKind::RespanProvider => "Custom provider",
            KeyKind::BarndoorGatewayKey => "Gateway key",
            KeyKind::BarndoorCredential => "Credential",
            KeyKind::BarndoorProvider => "Provider",
        }
    }

    /// The environment variable a minted secret of this kind is usually given to programs as
    /// ("Copy as .env line").
    pub fn env_var(self) -> &'static str {
        match self {
            KeyKind::BraintrustApiKey | KeyKind::BraintrustServiceToken => "BRAINTRUST_API_KEY",
            KeyKind::BraintrustProxyCredential => "BRAINTRUST_PROXY_CREDENTIAL",
            KeyKind::BraintrustAiSecret => "OPENAI_API_KEY",
            // Its own name is the variable; this is only the form's first suggestion.
            KeyKind::BraintrustEnvVar => "RESPAN_API_KEY",
            KeyKind::RespanTempKey | KeyKind::RespanProvider => "RESPAN_API_KEY",
            KeyKind::BarndoorGatewayKey | KeyKind::BarndoorCredential | KeyKind::BarndoorProvider => "BARNDOOR_API_KEY",
        }
    }

    pub fn service(self) -> Service {
        match self {
            KeyKind::BraintrustApiKey
            | KeyKind::BraintrustProxyCredential
            | KeyKind::BraintrustServiceToken
            | KeyKind::BraintrustAiSecret
            | KeyKind::BraintrustEnvVar => Service::Braintrust,
            KeyKind::RespanTempKey | KeyKind::RespanProvider => Service::Respan,
            KeyKind::BarndoorGatewayKey | KeyKind::BarndoorCredential | KeyKind::BarndoorProvider => Service::Barndoor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyStatus {
    Active,
    /// Active, and expiring within the settings' expiry window (computed when read).
    Expiring,
    /// Past its expiry date (computed when read, so it needs no sync to become true).
    Expired,
    /// Revoked or deleted through Keyward.
    Revoked,
    /// No longer listed by the service: deleted elsewhere.
    Gone,
}

impl KeyStatus {
    pub const ALL: [KeyStatus; 5] = [KeyStatus::Active, KeyStatus::Expiring, KeyStatus::Expired, KeyStatus::Revoked, KeyStatus::Gone];
    /// How near an expiry must be for an active key to read as expiring, unless the settings say otherwise.
    pub const EXPIRING_DAYS: i64 = 7;

    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "active",
            KeyStatus::Expiring => "expiring",
            KeyStatus::Expired => "expired",
            KeyStatus::Revoked => "revoked",
            KeyStatus::Gone => "gone",
        }
    }

    pub fn parse(s: &str) -> Option<KeyStatus> {
        KeyStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}
