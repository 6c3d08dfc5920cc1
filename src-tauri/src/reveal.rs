//! Reveal slots: a minted secret waits here, in Rust, for the dialog that shows it once. The page
//! gets an id; it can ask for the plaintext once; copying never needs the page at all; closing
//! the dialog drops the slot, and `SecretString` zeroizes the memory on drop.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use keyward_core::secret::MintedSecret;
use keyward_core::{Error, ErrorCode};

/// A slot nobody closed (the window crashed, the dialog was never shown) is dropped after this.
pub const SLOT_LIFETIME: Duration = Duration::from_secs(15 * 60);

struct Slot {
    secret: MintedSecret,
    env_var: &'static str,
    /// The key the secret belongs to, by name, for the audit line of a hand-off.
    source: String,
    revealed: bool,
    born: Instant,
}

#[derive(Default)]
pub struct RevealSlots {
    slots: Mutex<HashMap<String, Slot>>,
}

fn gone() -> Error {
    Error::new(ErrorCode::NotFound, "This secret is no longer held: it was shown, closed or expired. Nothing can show it again.")
}

impl RevealSlots {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.retain(|_, s| s.born.elapsed() < SLOT_LIFETIME);
        slots
    }

    /// Keeps a secret and returns the id the page may use for it.
    pub fn hold(&self, secret: MintedSecret, env_var: &'static str, source: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.slots().insert(id.clone(), Slot { secret, env_var, source: source.into(), revealed: false, born: Instant::now() });
        id
    }

    /// A copy of the secret for a hand-off, which sends it on without it leaving Rust, and the
    /// name of its key. The copy zeroizes itself when dropped.
    pub fn for_hand_off(&self, id: &str) -> Result<(secrecy::SecretString, String), Error> {
        let slots = self.slots();
        let slot = slots.get(id).ok_or_else(gone)?;
        Ok((secrecy::SecretString::from(slot.secret.expose().to_string()), slot.source.clone()))
    }

    /// The plaintext, for the dialog to display: once per slot.
    pub fn reveal_once(&self, id: &str) -> Result<String, Error> {
        let mut slots = self.slots();
        let slot = slots.get_mut(id).ok_or_else(gone)?;
        if slot.revealed {
            return Err(Error::new(ErrorCode::Conflict, "This secret was already shown once; copy it, or close the dialog."));
        }
        slot.revealed = true;
        Ok(slot.secret.expose().to_string())
    }

    /// Runs `f` with the plaintext (or its `.env` line) without it leaving Rust.
    pub fn with_secret<T>(&self, id: &str, as_env_line: bool, f: impl FnOnce(&str) -> T) -> Result<T, Error> {
        let slots = self.slots();
        let slot = slots.get(id).ok_or_else(gone)?;
        if as_env_line {
            let line = secrecy::SecretString::from(format!("{}={}", slot.env_var, slot.secret.expose()));
            Ok(f(secrecy::ExposeSecret::expose_secret(&line)))
        } else {
            Ok(f(slot.secret.expose()))
        }
    }

    /// Drops the slot; the secret's memory is zeroized with it.
    pub fn close(&self, id: &str) {
        self.slots().remove(id);
    }

    pub fn len(&self) -> usize {
        self.slots().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_shown_once_and_gone_after_close() {
        let slots = RevealSlots::default();
        let id = slots.hold(MintedSecret::new("sk-live-1".into()), "BRAINTRUST_API_KEY", "ci-bot");
        let (copy, source) = slots.for_hand_off(&id).unwrap();
        assert_eq!((secrecy::ExposeSecret::expose_secret(&copy), source.as_str()), ("sk-live-1", "ci-bot"));
        assert_eq!(slots.reveal_once(&id).unwrap(), "sk-live-1");
        assert_eq!(slots.reveal_once(&id).unwrap_err().code, ErrorCode::Conflict);
        assert_eq!(slots.with_secret(&id, true, |s| s.to_string()).unwrap(), "BRAINTRUST_API_KEY=sk-live-1");
        slots.close(&id);
        assert_eq!(slots.with_secret(&id, false, |_| ()).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(slots.for_hand_off(&id).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(slots.len(), 0);
        assert!(slots.reveal_once("made-up").is_err());
    }
}
