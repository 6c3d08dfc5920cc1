//! What the commands share: the core (or why it could not be opened: a corrupt or locked store is
//! reported to the window instead of crashing before it can say anything), the reveal slots and
//! the secret clipboard.

use std::sync::Arc;
use std::time::Duration;

use keyward_core::{Error, Keyward};

use crate::clipboard::{ClipboardBackend, SecretClipboard, SystemClipboard, DEFAULT_CLEAR_AFTER};
use crate::reveal::RevealSlots;

pub struct AppState {
    core: Result<Arc<Keyward>, Error>,
    pub reveal: RevealSlots,
    pub clipboard: SecretClipboard,
}

/// `KEYWARD_CLIPBOARD_CLEAR_SECS` shortens the clear for journeys; 30 s otherwise.
fn clear_after() -> Duration {
    std::env::var("KEYWARD_CLIPBOARD_CLEAR_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| (1..=3600).contains(s))
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_CLEAR_AFTER)
}

impl AppState {
    pub fn open_default() -> AppState {
        AppState::with(Keyward::open_default(), Arc::new(SystemClipboard::new()), clear_after())
    }

    pub fn with(core: Result<Keyward, Error>, clipboard: Arc<dyn ClipboardBackend>, clear_after: Duration) -> AppState {
        AppState { core: core.map(Arc::new), reveal: RevealSlots::default(), clipboard: SecretClipboard::new(clipboard, clear_after) }
    }

    pub fn core(&self) -> Result<Arc<Keyward>, Error> {
        self.core.clone()
    }

    /// Puts a minted secret in a reveal slot and describes the ticket for the window.
    pub fn ticket(&self, minted: keyward_core::Minted) -> keyward_core::model::CreatedKey {
        let env_var = minted.key.kind.env_var();
        let reveal = minted.secret.map(|secret| keyward_core::model::RevealTicket {
            id: self.reveal.hold(secret, env_var),
            env_var: env_var.to_string(),
            clear_after_secs: self.clipboard.clear_after().as_secs() as u32,
        });
        keyward_core::model::CreatedKey { key: minted.key, reveal }
    }
}
