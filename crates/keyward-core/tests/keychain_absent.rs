//! With no Secret Service on the bus, the vault says so by name instead of failing obscurely.
//! Its own test binary, because it points this process's D-Bus address at nothing.

use keyward_core::vault::{KeyringVault, Vault};
use keyward_core::ErrorCode;
use secrecy::SecretString;

#[test]
#[allow(unsafe_code)]
fn no_secret_service_is_a_named_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("no-bus-here");
    // SAFETY: this binary has one test, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", socket.display())) };
    let vault = KeyringVault::new("keyward-test-absent");
    for err in [vault.store("a", &SecretString::from("tok")).unwrap_err(), vault.read("a").unwrap_err(), vault.delete("a").unwrap_err()] {
        assert_eq!(err.code, ErrorCode::KeychainUnavailable, "{err:?}");
        assert!(err.message.contains("Secret Service"));
        assert!(!err.message.contains("tok"));
    }
}
