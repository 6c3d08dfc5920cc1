//! What the commands share: the core (or why it could not be opened: a corrupt or locked store is
//! reported to the window instead of crashing before it can say anything), the reveal slots and
//! the secret clipboard.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use keyward_core::ops::notice_timer::NoticeTimer;
use keyward_core::vault::KeyringVault;
use keyward_core::{Error, HttpConfig, Keyward};

use crate::clipboard::{ClipboardBackend, SecretClipboard, SystemClipboard, DEFAULT_CLEAR_AFTER};
use crate::reveal::RevealSlots;
use crate::tickets::{MintedKey, RevealTicket};

pub struct AppState {
    /// Replaced when a damaged store is rebuilt or a locked one is opened again.
    core: RwLock<Result<Arc<Keyward>, Error>>,
    /// Where the store lives, so a damaged one can be rebuilt in place.
    data_dir: Option<PathBuf>,
    pub reveal: RevealSlots,
    pub clipboard: SecretClipboard,
    /// `KEYWARD_CLIPBOARD_CLEAR_SECS` was given: it wins over the settings.
    clear_override: Option<Duration>,
    /// The systemd timer that raises notices while the window is closed; none in tests, which
    /// must never switch the timer of the machine they run on.
    pub notice_timer: Option<Arc<NoticeTimer>>,
}

/// `KEYWARD_CLIPBOARD_CLEAR_SECS` shortens the clear for journeys (below the setting's 5 s
/// floor), never lengthens it past the setting's cap: an environment is not a setting.
fn clear_override() -> Option<Duration> {
    parse_clear_override(std::env::var("KEYWARD_CLIPBOARD_CLEAR_SECS").ok().as_deref())
}

fn parse_clear_override(value: Option<&str>) -> Option<Duration> {
    let max = u64::from(*keyward_core::model::settings::CLIPBOARD_CLEAR_SECS.end());
    value.and_then(|v| v.trim().parse::<u64>().ok()).filter(|s| (1..=max).contains(s)).map(Duration::from_secs)
}

impl AppState {
    pub fn open_default() -> AppState {
        let dir = keyward_core::paths::default_data_dir();
        let core = dir.clone().and_then(|d| Keyward::open(&d, Arc::new(KeyringVault::default()), HttpConfig::default()));
        let mut state = AppState::with(core, Arc::new(SystemClipboard::new()), DEFAULT_CLEAR_AFTER);
        state.clear_override = clear_override();
        state.notice_timer = Some(Arc::new(NoticeTimer::default()));
        state.follow_settings();
        match dir {
            Ok(d) => state.in_dir(d),
            Err(_) => state,
        }
    }

    pub fn in_dir(mut self, dir: PathBuf) -> AppState {
        self.data_dir = Some(dir);
        self
    }

    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    pub fn with(core: Result<Keyward, Error>, clipboard: Arc<dyn ClipboardBackend>, clear_after: Duration) -> AppState {
        AppState {
            core: RwLock::new(core.map(Arc::new)),
            data_dir: None,
            reveal: RevealSlots::default(),
            clipboard: SecretClipboard::new(clipboard, clear_after),
            clear_override: None,
            notice_timer: None,
        }
    }

    /// The clipboard clears after the settings' time (unless the environment says otherwise).
    pub fn follow_settings(&self) {
        let after = match (self.clear_override, self.core()) {
            (Some(d), _) => d,
            (None, Ok(core)) => Duration::from_secs(core.settings().clipboard_clear_secs as u64),
            (None, Err(_)) => DEFAULT_CLEAR_AFTER,
        };
        self.clipboard.set_clear_after(after);
    }

    pub fn core(&self) -> Result<Arc<Keyward>, Error> {
        self.core.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn replace_core(&self, core: Result<Keyward, Error>) -> Result<Arc<Keyward>, Error> {
        let core = core.map(Arc::new);
        *self.core.write().unwrap_or_else(|p| p.into_inner()) = core.clone();
        core
    }

    /// Puts a minted secret in a reveal slot and describes the ticket for the window.
    pub fn ticket(&self, minted: keyward_core::Minted, run_hint: Option<keyward_core::model::run_spec::RunHint>) -> MintedKey {
        let reveal = minted.secret.map(|secret| self.hold(secret, &minted.key));
        MintedKey { key: minted.key, reveal, run_hint }
    }

    /// Puts a minted secret of `key` in a reveal slot; the window gets only the ticket.
    pub fn hold(&self, secret: keyward_core::model::secret::MintedSecret, key: &keyward_core::model::KeyRow) -> RevealTicket {
        let env_var = key.kind.env_var();
        RevealTicket {
            id: self.reveal.hold(secret, env_var, &key.name),
            env_var: env_var.to_string(),
            clear_after_secs: self.clipboard.clear_after().as_secs() as u32,
        }
    }
}

#[cfg(test)]
mod clear_override_tests {
    use super::*;

    #[test]
    fn the_environment_can_shorten_the_clear_but_not_lengthen_it_past_the_settings_cap() {
        assert_eq!(parse_clear_override(Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(parse_clear_override(Some("600")), Some(Duration::from_secs(600)));
        for refused in [Some("601"), Some("3600"), Some("0"), Some("-1"), Some("soon"), None] {
            assert_eq!(parse_clear_override(refused), None, "{refused:?}");
        }
    }
}
