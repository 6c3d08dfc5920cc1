//! A secret a service minted (a new API key, token or credential). It can be read once by the
//! code that shows or copies it, and is neither `Serialize` nor printable by `Debug`.

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
