//! Account tokens live in the OS keychain and nowhere else (service `keyward`, user = account id).

use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, ErrorCode, Result};

pub const KEYRING_SERVICE: &str = "keyward";

pub trait Vault: Send + Sync {
    fn store(&self, account_id: &str, token: &SecretString) -> Result<()>;
    fn read(&self, account_id: &str) -> Result<SecretString>;
    /// Deleting an entry that is already gone is not an error: the goal is reached.
    fn delete(&self, account_id: &str) -> Result<()>;
}

/// The system keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct KeyringVault {
    service: String,
}

impl KeyringVault {
    pub fn new(service: impl Into<String>) -> Self {
        KeyringVault { service: service.into() }
    }

    fn entry(&self, account_id: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account_id).map_err(map_keyring_error)
    }
}

impl Default for KeyringVault {
    fn default() -> Self {
        KeyringVault::new(KEYRING_SERVICE)
    }
}

impl Vault for KeyringVault {
    fn store(&self, account_id: &str, token: &SecretString) -> Result<()> {
        self.entry(account_id)?.set_password(token.expose_secret()).map_err(map_keyring_error)
    }

    fn read(&self, account_id: &str) -> Result<SecretString> {
        self.entry(account_id)?
            .get_password()
            .map(SecretString::from)
            .map_err(map_keyring_error)
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        match self.entry(account_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Turns the keychain's failures into errors a person can act on. The platform's own text is
/// kept for diagnosis; it never contains the secret (keyring errors carry no passwords).
pub fn map_keyring_error(err: keyring::Error) -> Error {
    match err {
        keyring::Error::NoEntry => Error::new(
            ErrorCode::TokenMissing,
            "This account's token is not in the system keychain any more. Re-enter the token to use the account again.",
        ),
        keyring::Error::NoStorageAccess(e) => Error::new(
            ErrorCode::KeychainLocked,
            format!("The system keychain is locked or refused access ({e}). Unlock it and try again."),
        ),
        keyring::Error::PlatformFailure(e) => Error::new(
            ErrorCode::KeychainUnavailable,
            format!("No system keychain is available ({e}). On Linux, Keyward needs a Secret Service such as GNOME Keyring or KWallet running in your session."),
        ),
        other => Error::new(ErrorCode::KeychainUnavailable, format!("The system keychain failed: {other}")),
    }
}

/// A vault in memory, for tests of everything above the keychain and for `--ephemeral` runs.
#[derive(Default)]
pub struct MemoryVault {
    entries: Mutex<HashMap<String, SecretString>>,
}

impl MemoryVault {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Vault for MemoryVault {
    fn store(&self, account_id: &str, token: &SecretString) -> Result<()> {
        self.entries().insert(account_id.into(), token.clone());
        Ok(())
    }

    fn read(&self, account_id: &str) -> Result<SecretString> {
        self.entries().get(account_id).cloned().ok_or_else(|| map_keyring_error(keyring::Error::NoEntry))
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        self.entries().remove(account_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_vault_round_trip() {
        let v = MemoryVault::default();
        v.store("a", &SecretString::from("t0k")).unwrap();
        assert_eq!(v.read("a").unwrap().expose_secret(), "t0k");
        v.delete("a").unwrap();
        v.delete("a").unwrap();
        assert_eq!(v.read("a").unwrap_err().code, ErrorCode::TokenMissing);
    }

    #[test]
    fn keychain_errors_are_named() {
        let locked = map_keyring_error(keyring::Error::NoStorageAccess("locked".into()));
        assert_eq!(locked.code, ErrorCode::KeychainLocked);
        let absent = map_keyring_error(keyring::Error::PlatformFailure("autolaunch".into()));
        assert_eq!(absent.code, ErrorCode::KeychainUnavailable);
        assert!(absent.message.contains("Secret Service"));
    }
}
