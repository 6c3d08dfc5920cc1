//! Reveal slots: a minted secret waits here, in Rust, for the dialog that shows it once. The page
//! gets an id; it can ask for the plaintext once; copying never needs the page at all; closing
//! the dialog drops the slot, and `SecretString` zeroizes the memory on drop. A page that reloads
//! or crashes never closes its dialog: its slots go when the next page starts, and a timer drops
//! any slot whose life ended, so no secret outlives its lifetime waiting for someone to look.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use keyward_core::model::secret::MintedSecret;
use keyward_core::{Error, ErrorCode};
use secrecy::{ExposeSecret, SecretString};
use tauri::{AppHandle, Manager, Runtime};

use crate::AppState;

/// A slot nobody closed (the window crashed, the dialog was never shown) is dropped after this.
pub const SLOT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How often the timer looks for slots past their life: a secret outlives it by at most this.
pub const PRUNE_EVERY: Duration = Duration::from_secs(30);

struct Slot {
    secret: MintedSecret,
    env_var: &'static str,
    /// The key the secret belongs to, by name, for the audit line of an install.
    source: String,
    revealed: bool,
    born: Instant,
}

pub struct RevealSlots {
    slots: Mutex<HashMap<String, Slot>>,
    lifetime: Duration,
}

impl Default for RevealSlots {
    fn default() -> Self {
        RevealSlots::with_lifetime(SLOT_LIFETIME)
    }
}

fn gone() -> Error {
    Error::new(ErrorCode::NotFound, "This secret is no longer held: it was shown, closed or expired. Nothing can show it again.")
}

/// The plaintext on its way to the page, for the one time the dialog shows it. This copy is
/// zeroized when tauri drops the answer. What Rust cannot zeroize: tauri serializes the answer
/// into a JSON string of its own and hands it to the webview, and the page's JavaScript string
/// lives until the webview's garbage collector frees it (the dialog lets go of it on close).
pub struct Revealed(SecretString);

impl serde::Serialize for Revealed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Revealed(..)")
    }
}

impl Revealed {
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl RevealSlots {
    pub fn with_lifetime(lifetime: Duration) -> Self {
        RevealSlots { slots: Mutex::default(), lifetime }
    }

    /// The slots still alive. An expired slot never answers, even in the moments before the
    /// timer drops it.
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let lifetime = self.lifetime;
        slots.retain(|_, s| s.born.elapsed() < lifetime);
        slots
    }

    /// Keeps a secret and returns the id the page may use for it.
    pub fn hold(&self, secret: MintedSecret, env_var: &'static str, source: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.slots().insert(id.clone(), Slot { secret, env_var, source: source.into(), revealed: false, born: Instant::now() });
        id
    }

    /// A copy of the secret for an install, which sends it on without it leaving Rust, and the
    /// name of its key. The copy zeroizes itself when dropped.
    pub fn for_install(&self, id: &str) -> Result<(SecretString, String), Error> {
        let slots = self.slots();
        let slot = slots.get(id).ok_or_else(gone)?;
        Ok((slot.secret.for_install(), slot.source.clone()))
    }

    /// The plaintext, for the dialog to display: once per slot.
    pub fn reveal_once(&self, id: &str) -> Result<Revealed, Error> {
        let mut slots = self.slots();
        let slot = slots.get_mut(id).ok_or_else(gone)?;
        if slot.revealed {
            return Err(Error::new(ErrorCode::Conflict, "This secret was already shown once; copy it, or close the dialog."));
        }
        slot.revealed = true;
        Ok(Revealed(SecretString::from(slot.secret.expose())))
    }

    /// Runs `f` with the plaintext (or its `.env` line) without it leaving Rust.
    pub fn with_secret<T>(&self, id: &str, as_env_line: bool, f: impl FnOnce(&str) -> T) -> Result<T, Error> {
        let slots = self.slots();
        let slot = slots.get(id).ok_or_else(gone)?;
        if as_env_line {
            // Sized up front: a growing String would leave freed, unzeroized copies behind.
            let secret = slot.secret.expose();
            let mut line = String::with_capacity(slot.env_var.len() + 1 + secret.len());
            line.push_str(slot.env_var);
            line.push('=');
            line.push_str(secret);
            let line = SecretString::from(line);
            Ok(f(line.expose_secret()))
        } else {
            Ok(f(slot.secret.expose()))
        }
    }

    /// Drops the slot; the secret's memory is zeroized with it.
    pub fn close(&self, id: &str) {
        self.slots().remove(id);
    }

    /// A new page starts with no dialog open, so every slot belonged to a page that is gone.
    /// Returns how many were dropped.
    pub fn drop_all(&self) -> usize {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let n = slots.len();
        slots.clear();
        n
    }

    /// Drops the slots past their life; returns how many.
    pub fn prune(&self) -> usize {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let before = slots.len();
        let lifetime = self.lifetime;
        slots.retain(|_, s| s.born.elapsed() < lifetime);
        before - slots.len()
    }

    pub fn len(&self) -> usize {
        self.slots().len()
    }

    /// Slots in memory, expired or not: what the timer is for.
    #[cfg(test)]
    fn in_memory(&self) -> usize {
        self.slots.lock().unwrap().len()
    }
}

/// Prunes the app's reveal slots every `every` for as long as the app runs.
pub fn prune_on_timer<R: Runtime>(app: AppHandle<R>, every: Duration) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let dropped = app.state::<AppState>().reveal.prune();
            if dropped > 0 {
                tracing::info!(dropped, "reveal slots past their life dropped");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_shown_once_and_gone_after_close() {
        let slots = RevealSlots::default();
        let id = slots.hold(MintedSecret::new("sk-live-1".into()), "BRAINTRUST_API_KEY", "ci-bot");
        let (copy, source) = slots.for_install(&id).unwrap();
        assert_eq!((secrecy::ExposeSecret::expose_secret(&copy), source.as_str()), ("sk-live-1", "ci-bot"));
        assert_eq!(slots.reveal_once(&id).unwrap().expose(), "sk-live-1");
        assert_eq!(slots.reveal_once(&id).unwrap_err().code, ErrorCode::Conflict);
        assert_eq!(slots.with_secret(&id, true, |s| s.to_string()).unwrap(), "BRAINTRUST_API_KEY=sk-live-1");
        slots.close(&id);
        assert_eq!(slots.with_secret(&id, false, |_| ()).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(slots.for_install(&id).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(slots.len(), 0);
        assert!(slots.reveal_once("made-up").is_err());
    }

    #[test]
    fn a_new_page_drops_every_slot_of_the_old_one() {
        use crate::clipboard::ClipboardBackend;
        let s = crate::tests::shell();
        let state = s.app.state::<AppState>();
        let shown = state.reveal.hold(MintedSecret::new("sk-shown".into()), "RESPAN_API_KEY", "ci");
        let waiting = state.reveal.hold(MintedSecret::new("sk-waiting".into()), "RESPAN_API_KEY", "nightly");
        assert_eq!(crate::tests::invoke(&s, "reveal_secret", serde_json::json!({"revealId": shown})).unwrap(), "sk-shown");
        // The page reloads (or crashed and came back) with both dialogs' slots still held.
        crate::tests::invoke(&s, "window_ready", serde_json::json!({"keys": 0})).unwrap();
        assert_eq!(state.reveal.in_memory(), 0);
        for id in [&shown, &waiting] {
            let err = crate::tests::invoke(&s, "copy_secret", serde_json::json!({"revealId": id, "asEnvLine": false})).unwrap_err();
            assert_eq!(err["code"], "not_found");
        }
        assert_eq!(crate::tests::invoke(&s, "reveal_secret", serde_json::json!({"revealId": waiting})).unwrap_err()["code"], "not_found");
        assert_eq!(s.clipboard.get_text(), None, "nothing was copied");
    }

    #[test]
    fn the_timer_drops_expired_slots_without_anyone_asking() {
        let clipboard = std::sync::Arc::new(crate::clipboard::tests::FakeClipboard::default());
        let mut state = AppState::with(Err(Error::new(ErrorCode::Internal, "no store in this test")), clipboard, Duration::from_secs(30));
        state.reveal = RevealSlots::with_lifetime(Duration::from_millis(100));
        let app = crate::builder(tauri::test::mock_builder()).manage(state).build(tauri::generate_context!()).unwrap();
        prune_on_timer(app.handle().clone(), Duration::from_millis(20));
        let slots = &app.state::<AppState>().reveal;
        let id = slots.hold(MintedSecret::new("sk-forgotten".into()), "RESPAN_API_KEY", "ci");
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(slots.in_memory(), 1, "alive within its life");
        let deadline = Instant::now() + Duration::from_secs(5);
        while slots.in_memory() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(slots.in_memory(), 0, "dropped by the timer, not on the next look");
        assert_eq!(slots.reveal_once(&id).unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn an_expired_slot_never_answers_even_before_the_timer() {
        let slots = RevealSlots::with_lifetime(Duration::from_millis(10));
        let id = slots.hold(MintedSecret::new("sk-1".into()), "RESPAN_API_KEY", "ci");
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(slots.reveal_once(&id).unwrap_err().code, ErrorCode::NotFound);
        let id = slots.hold(MintedSecret::new("sk-2".into()), "RESPAN_API_KEY", "ci");
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(slots.prune(), 1);
        assert!(slots.for_install(&id).is_err());
    }
}
