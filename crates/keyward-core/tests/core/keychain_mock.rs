//! A build with no keychain backend for its platform falls back to keyring's in-memory mock;
//! the vault must refuse it by name rather than keep tokens that vanish at restart. Its own test
//! binary, because it swaps this process's keyring backend for the mock.

use keyward_core::vault::{KeyringVault, Vault};
use keyward_core::ErrorCode;
use secrecy::SecretString;

#[test]
fn a_mock_keychain_is_refused_by_name() {
    keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
    let vault = KeyringVault::new("keyward-test-mock");
    for err in [vault.store("a", &SecretString::from("tok-in-memory")).unwrap_err(), vault.read("a").unwrap_err(), vault.delete("a").unwrap_err()] {
        assert_eq!(err.code, ErrorCode::KeychainUnavailable, "{err:?}");
        assert!(err.message.contains("no keychain for this system"), "{}", err.message);
        assert!(!err.message.contains("tok-in-memory"));
    }
}
