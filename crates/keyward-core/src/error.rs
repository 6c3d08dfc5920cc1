//! The one error type of Keyward. It crosses the IPC boundary as `{code, message, field}`:
//! the UI switches on `code`, shows `message`, and puts it under `field` when there is one.
//! Messages are written for a person and never carry a token or a minted secret.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    RateLimited,
    NotFound,
    Conflict,
    InvalidInput,
    Network,
    Provider,
    KeychainUnavailable,
    KeychainLocked,
    TokenMissing,
    Storage,
    /// The db file is damaged: it can be moved aside and rebuilt (`recover`).
    StoreDamaged,
    /// Another program holds the db: close it and retry.
    StoreLocked,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Network => "network",
            ErrorCode::Provider => "provider",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::KeychainLocked => "keychain_locked",
            ErrorCode::TokenMissing => "token_missing",
            ErrorCode::Storage => "storage",
            ErrorCode::StoreDamaged => "store_damaged",
            ErrorCode::StoreLocked => "store_locked",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn parse(s: &str) -> Option<ErrorCode> {
        use ErrorCode::*;
        [
            Unauthorized,
            Forbidden,
            RateLimited,
            NotFound,
            Conflict,
            InvalidInput,
            Network,
            Provider,
            KeychainUnavailable,
            KeychainLocked,
            TokenMissing,
            Storage,
            StoreDamaged,
            StoreLocked,
            Internal,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The form field this error belongs to, when it is about one.
    pub field: Option<String>,
    /// A live key this failure left behind (its row id in the inventory), which the person is
    /// offered to revoke: a key created whose secret never arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key_id: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field: None, key_id: None }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::InvalidInput, message: message.into(), field: Some(field.into()), key_id: None }
    }

    pub fn on_field(mut self, field: &str) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn leaving(mut self, key_id: &str) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    pub fn storage(what: &str, err: impl std::fmt::Display) -> Self {
        Error::new(ErrorCode::Storage, format!("The local store could not {what}: {err}"))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::NotFound, message)
    }
}
