//! The vault against the real Secret Service (GNOME Keyring in a private D-Bus session, set up by
//! `tests/with-keychain.sh`). `make test` sets KEYWARD_REAL_KEYCHAIN=1 so these run there.

use keyward_core::vault::{KeyringVault, Vault};
use keyward_core::ErrorCode;
use secrecy::{ExposeSecret, SecretString};

fn real_keychain() -> bool {
    let on = std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_some();
    if !on {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
    }
    on
}

fn vault() -> (KeyringVault, String) {
    let service = format!("keyward-test-{}", uuid::Uuid::new_v4());
    (KeyringVault::new(service.clone()), service)
}

#[test]
fn store_read_delete_in_the_secret_service() {
    if !real_keychain() {
        return;
    }
    let (vault, service) = vault();
    let token = SecretString::from("sk-real-keychain-0123456789");
    vault.store("account-1", &token).unwrap();
    assert_eq!(vault.read("account-1").unwrap().expose_secret(), "sk-real-keychain-0123456789");

    // Another Secret Service client sees the same item: it is really in the keychain.
    let out =
        std::process::Command::new("secret-tool").args(["lookup", "service", &service, "username", "account-1"]).output().expect("secret-tool runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "sk-real-keychain-0123456789");

    vault.delete("account-1").unwrap();
    assert_eq!(vault.read("account-1").unwrap_err().code, ErrorCode::TokenMissing);
    vault.delete("account-1").expect("deleting twice is not an error");
}

#[test]
fn replacing_a_token_keeps_one_entry() {
    if !real_keychain() {
        return;
    }
    let (vault, _) = vault();
    vault.store("a", &SecretString::from("first")).unwrap();
    vault.store("a", &SecretString::from("second")).unwrap();
    assert_eq!(vault.read("a").unwrap().expose_secret(), "second");
    vault.delete("a").unwrap();
}

#[test]
fn an_entry_deleted_behind_keywards_back_is_named() {
    if !real_keychain() {
        return;
    }
    let (vault, service) = vault();
    vault.store("gone", &SecretString::from("tok")).unwrap();
    let status =
        std::process::Command::new("secret-tool").args(["clear", "service", &service, "username", "gone"]).status().expect("secret-tool runs");
    assert!(status.success());
    let err = vault.read("gone").unwrap_err();
    assert_eq!(err.code, ErrorCode::TokenMissing);
    assert!(err.message.contains("Re-enter"));
}

/// A run reads every token it needs in one session; what that session does not hand over is
/// read on its own, with `read`'s error.
#[test]
fn several_tokens_are_read_in_one_session_and_a_missing_one_is_named() {
    if !real_keychain() {
        return;
    }
    let (vault, service) = vault();
    vault.store("a", &SecretString::from("sk-first-0123456789")).unwrap();
    vault.store("b", &SecretString::from("sk-second-0123456789")).unwrap();
    // An item of another program with the same service: not keyring's shape, not taken.
    let stranger = std::process::Command::new("secret-tool")
        .args(["store", "--label", "x", "service", &service, "username", "c", "target", "elsewhere"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"not-ours")?;
            c.wait()
        })
        .unwrap();
    assert!(stranger.success());

    let read = vault.read_many(&["b", "gone", "a", "c"]);
    assert_eq!(read[0].as_ref().unwrap().expose_secret(), "sk-second-0123456789");
    assert_eq!(read[1].as_ref().unwrap_err().code, ErrorCode::TokenMissing);
    assert_eq!(read[2].as_ref().unwrap().expose_secret(), "sk-first-0123456789");
    let alone = vault.read("c");
    match (&read[3], &alone) {
        (Ok(many), Ok(one)) => assert_eq!(many.expose_secret(), one.expose_secret(), "as read gives it"),
        (Err(many), Err(one)) => assert_eq!(many.code, one.code, "as read refuses it"),
        _ => panic!("read_many and read disagree about another program's item"),
    }
    for id in ["a", "b"] {
        vault.delete(id).unwrap();
    }
}
