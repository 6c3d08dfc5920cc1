//! Copying a secret, KeePassXC-style: the copy is marked for clipboard managers to skip, and it is
//! cleared after a while (and on quit) only if the clipboard still holds what Keyward put there.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyward_core::{Error, ErrorCode};
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Where text goes; the system clipboard in the app, a fake in tests.
pub trait ClipboardBackend: Send + Sync {
    fn set_secret(&self, text: &str) -> Result<(), String>;
    fn get_text(&self) -> Option<String>;
    fn clear(&self) -> Result<(), String>;
}

/// The system clipboard through arboard. One instance lives as long as the app: on X11 the
/// process that owns the clipboard serves its contents.
pub struct SystemClipboard(Mutex<Option<arboard::Clipboard>>);

impl SystemClipboard {
    pub fn new() -> Self {
        SystemClipboard(Mutex::new(arboard::Clipboard::new().ok()))
    }

    fn with<T>(&self, f: impl FnOnce(&mut arboard::Clipboard) -> Result<T, arboard::Error>) -> Result<T, String> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let clipboard = guard.as_mut().ok_or("no clipboard")?;
        f(clipboard).map_err(|e| e.to_string())
    }
}

impl Default for SystemClipboard {
    fn default() -> Self {
        SystemClipboard::new()
    }
}

impl ClipboardBackend for SystemClipboard {
    fn set_secret(&self, text: &str) -> Result<(), String> {
        self.with(|c| {
            let set = c.set();
            #[cfg(target_os = "linux")]
            let set = {
                use arboard::SetExtLinux;
                set.exclude_from_history()
            };
            #[cfg(target_os = "windows")]
            let set = {
                use arboard::SetExtWindows;
                set.exclude_from_history()
            };
            set.text(text.to_string())
        })
    }

    fn get_text(&self) -> Option<String> {
        self.with(|c| c.get_text()).ok()
    }

    fn clear(&self) -> Result<(), String> {
        self.with(|c| c.clear())
    }
}

pub struct SecretClipboard {
    backend: Arc<dyn ClipboardBackend>,
    /// What Keyward last put there, and which copy it was: the clear only ever removes that.
    held: Arc<Mutex<Option<(u64, SecretString)>>>,
    generation: Arc<AtomicU64>,
    /// Milliseconds; the settings can change it while the app runs.
    clear_after_ms: AtomicU64,
}

impl SecretClipboard {
    pub fn new(backend: Arc<dyn ClipboardBackend>, clear_after: Duration) -> Self {
        SecretClipboard { backend, held: Default::default(), generation: Default::default(), clear_after_ms: AtomicU64::new(clear_after.as_millis() as u64) }
    }

    pub fn clear_after(&self) -> Duration {
        Duration::from_millis(self.clear_after_ms.load(Ordering::Relaxed))
    }

    /// The next copy is cleared after `after`; one already made keeps its own timer.
    pub fn set_clear_after(&self, after: Duration) {
        self.clear_after_ms.store(after.as_millis() as u64, Ordering::Relaxed);
    }

    /// Copies `text` and schedules its removal. Returns how long until it is cleared.
    pub fn copy(&self, text: &str) -> Result<Duration, Error> {
        self.backend
            .set_secret(text)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("The clipboard could not be written ({e}).")))?;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *self.held.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, SecretString::from(text.to_string())));
        let (backend, held, after) = (self.backend.clone(), self.held.clone(), self.clear_after());
        std::thread::spawn(move || {
            std::thread::sleep(after);
            clear_if_ours(&*backend, &held, Some(generation));
        });
        Ok(after)
    }

    /// On quit: whatever Keyward copied does not outlive it.
    pub fn clear_now(&self) {
        clear_if_ours(&*self.backend, &self.held, None);
    }
}

fn clear_if_ours(backend: &dyn ClipboardBackend, held: &Mutex<Option<(u64, SecretString)>>, generation: Option<u64>) {
    let mut held = held.lock().unwrap_or_else(|p| p.into_inner());
    let Some((current, secret)) = held.as_ref() else {
        return;
    };
    if generation.is_some_and(|g| g != *current) {
        return; // a newer copy has its own timer
    }
    if backend.get_text().as_deref() == Some(secret.expose_secret()) {
        let _ = backend.clear();
    }
    *held = None;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Default)]
    pub struct FakeClipboard(pub Mutex<Option<String>>);

    impl ClipboardBackend for FakeClipboard {
        fn set_secret(&self, text: &str) -> Result<(), String> {
            *self.0.lock().unwrap() = Some(text.into());
            Ok(())
        }
        fn get_text(&self) -> Option<String> {
            self.0.lock().unwrap().clone()
        }
        fn clear(&self) -> Result<(), String> {
            *self.0.lock().unwrap() = None;
            Ok(())
        }
    }

    fn rig(ms: u64) -> (Arc<FakeClipboard>, SecretClipboard) {
        let fake = Arc::new(FakeClipboard::default());
        (fake.clone(), SecretClipboard::new(fake, Duration::from_millis(ms)))
    }

    #[test]
    fn cleared_after_the_timeout_when_still_ours() {
        let (fake, clip) = rig(50);
        clip.copy("sk-1").unwrap();
        assert_eq!(fake.get_text().as_deref(), Some("sk-1"));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(fake.get_text(), None);
    }

    #[test]
    fn something_else_copied_since_is_left_alone() {
        let (fake, clip) = rig(50);
        clip.copy("sk-1").unwrap();
        fake.set_secret("the user's own text").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(fake.get_text().as_deref(), Some("the user's own text"));
        clip.clear_now();
        assert_eq!(fake.get_text().as_deref(), Some("the user's own text"));
    }

    #[test]
    fn a_second_copy_restarts_the_clock_and_quit_clears_at_once() {
        let (fake, clip) = rig(150);
        clip.copy("sk-1").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        clip.copy("sk-2").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(fake.get_text().as_deref(), Some("sk-2"), "the first timer does not clear the second copy");
        clip.clear_now();
        assert_eq!(fake.get_text(), None);
    }
}
