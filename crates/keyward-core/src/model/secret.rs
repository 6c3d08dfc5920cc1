//! A secret a service minted (a new API key, token or credential). It can be read once by the
//! code that shows or copies it, and is neither `Serialize` nor printable by `Debug`.
//!
//! That is what keeps secrets out of IPC payloads and store rows: every type that crosses IPC to
//! the window or is written to SQLite is `Serialize` (asserted in `api_guard.rs`), and a type
//! holding a secret cannot be. So this compiles, with a plain string:
//! ```
//! #[derive(serde::Serialize)]
//! struct Row { preview: String }
//! ```
//! and neither of these does, with a minted secret or a token:
//! ```compile_fail
//! #[derive(serde::Serialize)]
//! struct Row { secret: keyward_core::model::secret::MintedSecret }
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

    /// A copy to install elsewhere: installing takes a `SecretString` because a secret the person
    /// typed goes the same way. The copy zeroizes itself when dropped.
    pub fn for_install(&self) -> SecretString {
        SecretString::from(self.expose().to_string())
    }
}

impl std::fmt::Debug for MintedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MintedSecret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let s = MintedSecret::new("sk-live-123".into());
        assert!(!format!("{s:?}").contains("sk-live"));
        assert_eq!(s.expose(), "sk-live-123");
        assert_eq!(s.for_install().expose_secret(), "sk-live-123");
    }
}
