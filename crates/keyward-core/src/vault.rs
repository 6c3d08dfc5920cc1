//! Account tokens live in the OS keychain and nowhere else (service `keyward`, user = account id).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use backon::{BlockingRetryable, ConstantBuilder};

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, ErrorCode, Result};

pub const KEYRING_SERVICE: &str = "keyward";

/// How a keychain entry names the host its token was verified with: this line, the host, a
/// newline, then the token. Neither a host nor a token can hold a newline (both are checked).
const BOUND: &str = "keyward-token-v1 ";

/// A token as its keychain entry holds it: with the host it was verified with, so that a host
/// changed anywhere else (the form, the db, accounts.json) cannot draw the token to itself.
pub struct BoundToken {
    /// `None` for an entry written before tokens were bound; see `Keyward::token_for`.
    pub host: Option<String>,
    pub token: SecretString,
}

impl BoundToken {
    pub fn seal(host: &str, token: &SecretString) -> SecretString {
        SecretString::from(format!("{BOUND}{host}\n{}", token.expose_secret()))
    }

    pub fn open(stored: &SecretString) -> BoundToken {
        let text = stored.expose_secret();
        match text.strip_prefix(BOUND).and_then(|rest| rest.split_once('\n')) {
            Some((host, token)) => BoundToken { host: Some(host.to_string()), token: SecretString::from(token.to_string()) },
            None => BoundToken { host: None, token: stored.clone() },
        }
    }
}

pub trait Vault: Send + Sync {
    fn store(&self, account_id: &str, token: &SecretString) -> Result<()>;
    fn read(&self, account_id: &str) -> Result<SecretString>;
    /// Several tokens, in the order asked, each read or refused as `read` would.
    fn read_many(&self, account_ids: &[&str]) -> Vec<Result<SecretString>> {
        account_ids.iter().map(|id| self.read(id)).collect()
    }
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

    /// Runs one keychain call on a fresh entry, again if the keychain daemon vanished mid-call.
    fn call<T>(&self, account_id: &str, op: impl Fn(&keyring::Entry) -> keyring::Result<T>) -> keyring::Result<T> {
        retry_when_the_daemon_restarts(|| {
            let entry = keyring::Entry::new(&self.service, account_id)?;
            if is_mock(&entry) {
                return Err(keyring::Error::PlatformFailure(NO_BACKEND.into()));
            }
            op(&entry)
        })
    }
}

const NO_BACKEND: &str = "this build of Keyward has no keychain backend for this system, and tokens kept in memory would vanish when it quits";

/// keyring falls back to an in-memory mock on a platform it was built without a backend for:
/// every token would be gone at the next start, while the person believes it is in the keychain.
fn is_mock(entry: &keyring::Entry) -> bool {
    entry.get_credential().downcast_ref::<keyring::mock::MockCredential>().is_some()
}

impl KeyringVault {}

/// gnome-keyring-daemon 42 to 50 can abort when several short-lived clients open sessions at once
/// (upstream work items 190, 196 and 199); D-Bus then starts it again. A call in flight at that
/// moment fails although the next one would work, so it is tried again, twice at most, after a
/// pause long enough for the restart. Every keychain call Keyward makes is idempotent: store
/// replaces, read reads, delete of a missing entry is success.
fn retry_when_the_daemon_restarts<T>(op: impl FnMut() -> keyring::Result<T>) -> keyring::Result<T> {
    op.retry(ConstantBuilder::default().with_delay(Duration::from_millis(300)).with_max_times(2)).when(daemon_went_away).call()
}

/// The failures a keychain daemon that died mid-call leaves: the reply never came, or the
/// session the call was using belonged to the daemon that died.
fn daemon_went_away(err: &keyring::Error) -> bool {
    let keyring::Error::PlatformFailure(e) = err else { return false };
    let text = e.to_string();
    // Not a timeout: a daemon that hangs would cost 25 s a try.
    text.contains("disconnected from message bus") || text.contains("session wrapping the secret does not exist")
}

impl Default for KeyringVault {
    fn default() -> Self {
        KeyringVault::new(KEYRING_SERVICE)
    }
}

impl Vault for KeyringVault {
    fn store(&self, account_id: &str, token: &SecretString) -> Result<()> {
        self.call(account_id, |e| e.set_password(token.expose_secret())).map_err(map_keyring_error)
    }

    fn read(&self, account_id: &str) -> Result<SecretString> {
        self.call(account_id, |e| e.get_password()).map(SecretString::from).map_err(map_keyring_error)
    }

    /// One Secret Service session for all of them (a session costs tens of milliseconds, and
    /// gnome-keyring can abort when several open at once). A token the session does not hand
    /// over (locked, missing, ambiguous, or any failure of the session) is read on its own, so
    /// its error is the one `read` gives.
    fn read_many(&self, account_ids: &[&str]) -> Vec<Result<SecretString>> {
        #[cfg(target_os = "linux")]
        let found = if account_ids.len() > 1 { unlocked_tokens(&self.service, account_ids).unwrap_or_default() } else { HashMap::new() };
        #[cfg(not(target_os = "linux"))]
        let found: HashMap<String, SecretString> = HashMap::new();
        account_ids.iter().map(|id| found.get(*id).cloned().map(Ok).unwrap_or_else(|| self.read(id))).collect()
    }

    fn delete(&self, account_id: &str) -> Result<()> {
        match self.call(account_id, |e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// The unlocked tokens of `account_ids`, found as keyring stores them (service, username,
/// target "default") in one encrypted session.
#[cfg(target_os = "linux")]
fn unlocked_tokens(service: &str, account_ids: &[&str]) -> std::result::Result<HashMap<String, SecretString>, dbus_secret_service::Error> {
    use dbus_secret_service::{EncryptionType, SecretService};
    let ss = SecretService::connect(EncryptionType::Dh)?;
    let search = ss.search_items(HashMap::from([("service", service), ("target", "default")]))?;
    let mut found: HashMap<String, SecretString> = HashMap::new();
    let mut twice: Vec<String> = Vec::new();
    for item in &search.unlocked {
        let Some(user) = item.get_attributes()?.remove("username") else { continue };
        if !account_ids.contains(&user.as_str()) {
            continue;
        }
        let Ok(token) = String::from_utf8(item.get_secret()?) else { continue };
        if found.insert(user.clone(), SecretString::from(token)).is_some() {
            twice.push(user);
        }
    }
    // Two entries for one account: `read` names the ambiguity.
    for user in twice {
        found.remove(&user);
    }
    Ok(found)
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
        keyring::Error::PlatformFailure(e) if e.to_string() == NO_BACKEND => Error::new(
            ErrorCode::KeychainUnavailable,
            "This build of Keyward has no keychain for this system, so it cannot keep a token: tokens held in memory would vanish when it quits. Use a build made for this system.",
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
    fn a_sealed_token_opens_with_its_host() {
        let sealed = BoundToken::seal("https://api.braintrust.dev", &SecretString::from("sk-abc"));
        let open = BoundToken::open(&sealed);
        assert_eq!(open.host.as_deref(), Some("https://api.braintrust.dev"));
        assert_eq!(open.token.expose_secret(), "sk-abc");
        let legacy = BoundToken::open(&SecretString::from("sk-legacy"));
        assert_eq!((legacy.host, legacy.token.expose_secret()), (None, "sk-legacy"));
    }

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

    const DIED: &str = "DBus error: Message recipient disconnected from message bus without replying";

    fn counted(fail_first: usize, err: fn() -> keyring::Error) -> (keyring::Result<&'static str>, usize) {
        let mut calls = 0;
        let out = retry_when_the_daemon_restarts(|| {
            calls += 1;
            if calls <= fail_first {
                Err(err())
            } else {
                Ok("t0k")
            }
        });
        (out, calls)
    }

    #[test]
    fn a_call_cut_off_by_a_dying_daemon_is_tried_again() {
        let (out, calls) = counted(1, || keyring::Error::PlatformFailure(DIED.into()));
        assert_eq!((out.unwrap(), calls), ("t0k", 2));
        let gone = || keyring::Error::PlatformFailure("DBus error: The session wrapping the secret does not exist".into());
        assert_eq!(counted(2, gone).0.unwrap(), "t0k");
    }

    #[test]
    fn a_daemon_that_keeps_dying_is_reported_after_three_tries() {
        let (out, calls) = counted(usize::MAX, || keyring::Error::PlatformFailure(DIED.into()));
        assert_eq!(calls, 3);
        let err = map_keyring_error(out.unwrap_err());
        assert_eq!(err.code, ErrorCode::KeychainUnavailable);
        assert!(err.message.contains("disconnected"), "{}", err.message);
    }

    #[test]
    fn other_keychain_failures_are_not_retried() {
        for err in [
            || keyring::Error::NoStorageAccess("unlock prompt was dismissed".into()),
            || keyring::Error::PlatformFailure("autolaunch".into()),
            || keyring::Error::NoEntry,
        ] {
            assert_eq!(counted(usize::MAX, err).1, 1);
        }
    }
}
