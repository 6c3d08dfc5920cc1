//! What the core knows about kinds, services, Barndoor's auth types and providers, limits and the
//! audit log's actions, gathered as data for the window. It exists because the UI used to retype
//! these tables in TypeScript and they drifted (its auth types lacked `oauth_passthrough`, the
//! audit screen had no words for four actions, the proxy TTL default was written three times).
//! Each fact is read from the function that acts on it, so nothing here is a second copy, and
//! `export_bindings_catalog` writes it to `ui/src/lib/bindings/catalog.ts`, where `make
//! test-bindings` catches a stale copy.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ErrorCode;
use crate::model::new_key::{
    auth_needs_credentials, auth_takes_key, default_auth_type, AUTH_TYPES, MODEL_PROVIDERS, PROXY_TTL_DEFAULT, PROXY_TTL_MAX,
};
use crate::model::settings::{self, Settings};
use crate::model::{KeyKind, KeyStatus, Service};

/// What a kind is and what can be done with it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct KindInfo {
    pub kind: KeyKind,
    pub service: Service,
    pub label: &'static str,
    /// For "Copy as .env line".
    pub env_var: &'static str,
    /// The service mints its secret, shown once.
    pub mints_secret: bool,
    /// Its secret is given by the person, and a minted secret can be installed into it.
    pub takes_secret: bool,
    /// It can be revoked (deleted) at its service through Keyward.
    pub revocable: bool,
    /// The assistant can replace it: mint a successor, install it, revoke this one.
    pub replaceable: bool,
    /// Its service issues a new secret for the same key.
    pub reissuable: bool,
    /// Its service can be asked for it again (a proxy credential is never listed).
    pub refreshable: bool,
    /// How long a reissue can keep the previous secret working; `None`: it stops at once.
    pub reissue_grace_max_secs: Option<u32>,
    /// Its service says when it was last used: no date means never used.
    pub reports_last_use: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ServiceInfo {
    pub service: Service,
    pub name: &'static str,
    pub kinds: Vec<KeyKind>,
}

/// A Barndoor credential's way of authenticating upstream.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuthTypeInfo {
    pub id: &'static str,
    pub label: &'static str,
    /// Its secret is one API key (the `api_key` field), so a minted key can be installed with it.
    pub takes_key: bool,
    /// It needs its fields as a JSON object in `credentials`.
    pub needs_credentials: bool,
    /// Barndoor can try it before the credential is saved.
    pub checkable: bool,
}

/// An upstream provider a Barndoor credential can forward to.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ModelProviderInfo {
    pub id: &'static str,
    pub label: &'static str,
    /// The conventional upstream address, prefilled when the provider is picked.
    pub base_url: Option<&'static str>,
    /// What Barndoor uses when no auth type is sent.
    pub default_auth_type: &'static str,
}

/// A Braintrust proxy credential's lifetime, in seconds.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProxyTtl {
    pub default: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StatusInfo {
    pub status: KeyStatus,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditActionInfo {
    pub action: AuditAction,
    pub words: &'static str,
}

/// An audit entry's outcome: `ok`, or the code of the error that stopped it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OutcomeInfo {
    pub outcome: &'static str,
    pub words: &'static str,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
/// Named apart from `catalog.ts` (the data), which a case-insensitive disk would confuse with `Catalog.ts`.
pub struct CoreCatalog {
    pub kinds: Vec<KindInfo>,
    pub services: Vec<ServiceInfo>,
    pub statuses: Vec<StatusInfo>,
    pub auth_types: Vec<AuthTypeInfo>,
    pub model_providers: Vec<ModelProviderInfo>,
    pub proxy_ttl: ProxyTtl,
    pub audit_actions: Vec<AuditActionInfo>,
    pub outcomes: Vec<OutcomeInfo>,
    /// The settings' numbers: what the settings form may accept, and the defaults.
    pub setting_limits: Vec<SettingLimit>,
    pub default_settings: Settings,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SettingLimit {
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
    pub unit: &'static str,
}

/// One line per action: the enum, its string in the log, and its words are written once.
macro_rules! audit_actions {
    ($($variant:ident = $action:literal, $words:literal;)+) => {
        /// Every action the audit log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum AuditAction {
            $(#[serde(rename = $action)] $variant,)+
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $action,)+
                }
            }

            /// How the window names it.
            pub fn words(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $words,)+
                }
            }

            pub fn parse(s: &str) -> Option<AuditAction> {
                AuditAction::ALL.iter().copied().find(|a| a.as_str() == s)
            }
        }
    };
}

audit_actions! {
    AccountAdd = "account.add", "Account added";
    AccountUpdate = "account.update", "Account edited";
    AccountToken = "account.token", "Token replaced";
    AccountRemove = "account.remove", "Account removed";
    KeyCreate = "key.create", "Key created";
    KeyUpdate = "key.update", "Key edited";
    KeyReissue = "key.reissue", "Key reissued";
    KeyRevoke = "key.revoke", "Key revoked";
    KeyInstall = "key.install", "Secret installed";
    KeyDismiss = "key.dismiss", "Expired key set aside";
    KeyReplace = "key.replace", "Key replaced";
    SetupCheck = "setup.check", "Setup checked";
    SettingsUpdate = "settings.update", "Settings changed";
    StoreRecover = "store.recover", "Inventory rebuilt";
    InventoryExport = "inventory.export", "Inventory exported";
    AuditExport = "audit.export", "Audit log exported";
    RunStart = "run.start", "Run started";
    RunEnd = "run.end", "Run ended";
}

fn kind_info(kind: KeyKind) -> KindInfo {
    let mints_secret = kind.mints_secret();
    KindInfo {
        kind,
        service: kind.service(),
        label: kind.label(),
        env_var: kind.env_var(),
        mints_secret,
        takes_secret: KeyKind::INSTALL_TARGETS.contains(&kind),
        revocable: kind.revocable(),
        // A successor can be minted only where the service mints, and the old key retired only
        // where it can be revoked: `replace::replacement_for` refuses the rest.
        replaceable: mints_secret && kind.revocable(),
        reissuable: kind.reissuable(),
        reissue_grace_max_secs: kind.reissue_grace_max_secs(),
        reports_last_use: kind.reports_last_use(),
        refreshable: KeyKind::LISTED.contains(&kind),
    }
}

fn status_label(status: KeyStatus) -> &'static str {
    match status {
        KeyStatus::Active => "Active",
        KeyStatus::Expiring => "Expiring",
        KeyStatus::Expired => "Expired",
        KeyStatus::Revoked => "Revoked",
        KeyStatus::Gone => "Gone",
    }
}

fn auth_type_label(auth: &str) -> &'static str {
    match auth {
        "api_key" => "API key",
        "aws_role" => "AWS role (assumed by Barndoor)",
        "aws_keys" => "AWS access keys",
        "bedrock_api_key" => "Bedrock API key",
        "google_adc" => "Google application default credentials",
        "google_service_account" => "Google service account",
        "google_impersonation" => "Google service account impersonation",
        "oauth_passthrough" => "OAuth pass-through",
        _ => "",
    }
}

/// Whether Barndoor can try a credential with this auth type before it is saved: asked of the
/// function that builds the check.
fn auth_checkable(auth: &str) -> bool {
    let probe = crate::model::new_key::NewKey::BarndoorCredential {
        name: String::new(),
        model_provider: "custom".into(),
        base_url: String::new(),
        auth_type: Some(auth.into()),
        api_key: None,
        credentials: None,
        settings: None,
        change_note: None,
    };
    matches!(crate::model::setup_check::SetupCheck::for_credential(&probe), Ok(Some(_)))
}

/// `(label, conventional base URL)`.
fn model_provider_words(provider: &str) -> (&'static str, Option<&'static str>) {
    match provider {
        "openai" => ("OpenAI", Some("https://api.openai.com/v1")),
        "anthropic" => ("Anthropic", Some("https://api.anthropic.com")),
        "azure_openai" => ("Azure OpenAI", None),
        "google_ai" => ("Google AI Studio", Some("https://generativelanguage.googleapis.com")),
        "bedrock" => ("AWS Bedrock", Some("https://bedrock-runtime.us-east-1.amazonaws.com")),
        "vertex" => ("Google Vertex AI", None),
        "groq" => ("Groq", Some("https://api.groq.com/openai/v1")),
        "together" => ("Together AI", Some("https://api.together.xyz/v1")),
        "mistral" => ("Mistral", Some("https://api.mistral.ai/v1")),
        "cohere" => ("Cohere", Some("https://api.cohere.com")),
        "xai" => ("xAI", Some("https://api.x.ai/v1")),
        "fireworks" => ("Fireworks", Some("https://api.fireworks.ai/inference/v1")),
        "perplexity" => ("Perplexity", Some("https://api.perplexity.ai")),
        "openrouter" => ("OpenRouter", Some("https://openrouter.ai/api/v1")),
        "deepseek" => ("DeepSeek", Some("https://api.deepseek.com")),
        "custom" => ("Custom (OpenAI-compatible)", None),
        _ => ("", None),
    }
}

/// How an audit outcome reads: every error code has words, so no code reads as its id.
fn outcome_words(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Unauthorized => "Token refused",
        ErrorCode::Forbidden => "Not permitted",
        ErrorCode::RateLimited => "Rate limited",
        ErrorCode::NotFound => "Not found",
        ErrorCode::Conflict => "Conflict",
        ErrorCode::InvalidInput => "Refused input",
        ErrorCode::Network => "Unreachable",
        ErrorCode::Provider => "Service error",
        ErrorCode::KeychainUnavailable => "No keychain",
        ErrorCode::KeychainLocked => "Keychain locked",
        ErrorCode::TokenMissing => "Token missing",
        ErrorCode::Storage => "Storage error",
        ErrorCode::StoreDamaged => "Store damaged",
        ErrorCode::StoreLocked => "Store locked",
        ErrorCode::Internal => "Internal error",
    }
}

/// Every error code, read from the type's own TypeScript union so a new code cannot be missed
/// (`ErrorCode` has no list of its own).
fn error_codes() -> Vec<ErrorCode> {
    <ErrorCode as TS>::inline(&ts_rs::Config::default()).split('|').filter_map(|c| ErrorCode::parse(c.trim().trim_matches('"'))).collect()
}

pub fn catalog() -> CoreCatalog {
    CoreCatalog {
        kinds: KeyKind::ALL.into_iter().map(kind_info).collect(),
        services: Service::ALL
            .into_iter()
            .map(|service| ServiceInfo {
                service,
                name: service.display_name(),
                kinds: KeyKind::ALL.into_iter().filter(|k| k.service() == service).collect(),
            })
            .collect(),
        statuses: KeyStatus::ALL.into_iter().map(|status| StatusInfo { status, label: status_label(status) }).collect(),
        auth_types: AUTH_TYPES
            .into_iter()
            .map(|id| AuthTypeInfo {
                id,
                label: auth_type_label(id),
                takes_key: auth_takes_key(id),
                needs_credentials: auth_needs_credentials(id),
                checkable: auth_checkable(id),
            })
            .collect(),
        model_providers: MODEL_PROVIDERS
            .into_iter()
            .map(|id| {
                let (label, base_url) = model_provider_words(id);
                ModelProviderInfo { id, label, base_url, default_auth_type: default_auth_type(id) }
            })
            .collect(),
        proxy_ttl: ProxyTtl { default: PROXY_TTL_DEFAULT, max: PROXY_TTL_MAX },
        audit_actions: AuditAction::ALL.iter().map(|&action| AuditActionInfo { action, words: action.words() }).collect(),
        outcomes: std::iter::once(OutcomeInfo { outcome: "ok", words: "OK" })
            .chain(error_codes().into_iter().map(|c| OutcomeInfo { outcome: c.as_str(), words: outcome_words(c) }))
            .collect(),
        setting_limits: settings::LIMITS
            .iter()
            .map(|(field, range, unit)| SettingLimit { field, min: *range.start(), max: *range.end(), unit })
            .collect(),
        default_settings: Settings::default(),
    }
}

/// The catalog as a TypeScript module: a constant typed with the generated types.
pub fn typescript() -> String {
    let json = serde_json::to_string_pretty(&catalog()).expect("the catalog is plain data");
    format!(
        "// Generated from crates/keyward-core/src/model/catalog.rs by `make bindings`. Do not edit this file manually.\n\n\
         import type {{ CoreCatalog }} from \"./CoreCatalog\";\n\n\
         export const CATALOG: CoreCatalog = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// Beside ts-rs's own `export_bindings_*` tests, so `make bindings` and `make test-bindings`
    /// write and compare it with the types.
    #[test]
    fn export_bindings_catalog() {
        let dir = ts_rs::Config::from_env().out_dir().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("catalog.ts"), typescript()).unwrap();
    }

    #[test]
    fn catalog_covers_every_kind_service_status_and_code() {
        let c = catalog();
        let kinds: Vec<KeyKind> = c.kinds.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, KeyKind::ALL, "every kind once, in order");
        // `KeyKind::ALL` itself against the type: a new variant left out of ALL fails here.
        assert_eq!(<KeyKind as TS>::inline(&ts_rs::Config::default()).split('|').count(), KeyKind::ALL.len());
        assert_eq!(<Service as TS>::inline(&ts_rs::Config::default()).split('|').count(), c.services.len());
        assert_eq!(<KeyStatus as TS>::inline(&ts_rs::Config::default()).split('|').count(), c.statuses.len());
        assert_eq!(<ErrorCode as TS>::inline(&ts_rs::Config::default()).split('|').count() + 1, c.outcomes.len(), "every code, and ok");
        for k in &c.kinds {
            assert!(!k.label.is_empty() && !k.env_var.is_empty(), "{:?}", k.kind);
            assert!(!(k.mints_secret && k.takes_secret), "{:?} either mints or takes its secret", k.kind);
        }
        let covered: Vec<KeyKind> = c.services.iter().flat_map(|s| s.kinds.clone()).collect();
        assert_eq!(covered.len(), KeyKind::ALL.len());
        assert!(c.auth_types.iter().all(|a| !a.label.is_empty()), "every auth type has words");
        assert!(c.auth_types.iter().any(|a| a.id == "oauth_passthrough"));
        assert!(c.model_providers.iter().all(|p| !p.label.is_empty()), "every model provider has words");
        assert!(c.model_providers.iter().all(|p| AUTH_TYPES.contains(&p.default_auth_type)));
    }

    #[test]
    fn kind_rules_agree_with_what_the_core_does() {
        let c = catalog();
        let info = |kind| c.kinds.iter().find(|k| k.kind == kind).unwrap();
        let takes: Vec<KeyKind> = c.kinds.iter().filter(|k| k.takes_secret).map(|k| k.kind).collect();
        assert_eq!(takes.len(), KeyKind::INSTALL_TARGETS.len());
        assert!(!info(KeyKind::BraintrustProxyCredential).revocable && !info(KeyKind::BraintrustProxyCredential).refreshable);
        assert!(!info(KeyKind::BarndoorProvider).revocable);
        let replaceable: Vec<KeyKind> = c.kinds.iter().filter(|k| k.replaceable).map(|k| k.kind).collect();
        assert_eq!(replaceable, [KeyKind::BraintrustApiKey, KeyKind::BraintrustServiceToken, KeyKind::RespanTempKey, KeyKind::BarndoorGatewayKey]);
        let auth = |id| c.auth_types.iter().find(|a| a.id == id).unwrap();
        assert!(auth("aws_role").checkable && auth("google_adc").checkable && !auth("api_key").checkable);
        assert!(auth("api_key").takes_key && auth("bedrock_api_key").takes_key && !auth("oauth_passthrough").takes_key);
    }

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every `AuditAction::Variant` the core's code (not its tests) records with.
    fn recorded_actions() -> Vec<AuditAction> {
        let mut files = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let code: String = files
            .iter()
            .filter(|f| !f.ends_with("catalog.rs"))
            .map(|f| std::fs::read_to_string(f).unwrap().split("#[cfg(test)]").next().unwrap().to_string())
            .collect();
        AuditAction::ALL.iter().copied().filter(|a| code.contains(&format!("AuditAction::{a:?}"))).collect()
    }

    #[test]
    fn catalog_covers_every_recorded_audit_action() {
        // `record` takes an `AuditAction`, so nothing is recorded without words; and nothing in
        // the catalog is there for an action nobody records.
        let recorded = recorded_actions();
        for action in AuditAction::ALL {
            assert!(recorded.contains(action), "{} is in the catalog but nothing records it", action.as_str());
        }
        assert_eq!(AuditAction::parse("key.replace"), Some(AuditAction::KeyReplace));
        let json = serde_json::to_value(AuditAction::KeyReplace).unwrap();
        assert_eq!(json, "key.replace", "the log's string is the serialized form");
    }
}
