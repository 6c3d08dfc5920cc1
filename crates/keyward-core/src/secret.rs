//! A secret a service minted (a new API key, token or credential). It can be read once by the
//! code that shows or copies it, and is neither `Serialize` nor printable by `Debug`.
//!
//! That is what keeps secrets out of IPC payloads and store rows: every type that crosses IPC to
//! the window or is written to SQLite is `Serialize` (asserted below), and a type holding a
//! secret cannot be. So this compiles, with a plain string:
//! ```
//! #[derive(serde::Serialize)]
//! struct Row { preview: String }
//! ```
//! and neither of these does, with a minted secret or a token:
//! ```compile_fail
//! #[derive(serde::Serialize)]
//! struct Row { secret: keyward_core::secret::MintedSecret }
//! ```
//! ```compile_fail
//! #[derive(serde::Serialize)]
//! struct Row { token: secrecy::SecretString }
//! ```

use secrecy::{ExposeSecret, SecretString};

pub struct MintedSecret(SecretString);

impl MintedSecret {
    pub fn new(value: String) -> Self {
        MintedSecret(SecretString::from(value))
    }

    /// The plaintext, for the one place that shows or copies it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for MintedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MintedSecret([redacted])")
    }
}

/// Everything the shell returns over IPC, and every row the store reads back, is `Serialize`;
/// with the doctests above, none of them can hold a secret. A new payload type goes here.
#[allow(dead_code)]
fn payloads_are_serialize() {
    fn serialize<T: serde::Serialize>() {}
    serialize::<crate::model::Account>();
    serialize::<crate::model::KeyRow>();
    serialize::<crate::model::CreatedKey>();
    serialize::<crate::model::RevealTicket>();
    serialize::<crate::model::SyncProgress>();
    serialize::<crate::model::SyncReport>();
    serialize::<crate::model::FieldError>();
    serialize::<crate::model::HostPreset>();
    serialize::<crate::store::AuditEntry>();
    serialize::<crate::export::ExportReport>();
    serialize::<crate::store::RemoteKey>();
    serialize::<crate::keys_ops::RevokeOutcome>();
    serialize::<crate::validation::ValidationOutcome>();
    serialize::<crate::error::Error>();
    serialize::<crate::settings::Settings>();
    serialize::<crate::expiry::ExpiryCentre>();
    serialize::<crate::expiry::ExpiryNotice>();
    serialize::<crate::handoff::Installed>();
    serialize::<crate::rotation::RotationPlan>();
    serialize::<crate::rotation::RotationReport>();
    serialize::<crate::rotation::RotationOutcome>();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let s = MintedSecret::new("sk-live-123".into());
        assert!(!format!("{s:?}").contains("sk-live"));
        assert_eq!(s.expose(), "sk-live-123");
    }
}
