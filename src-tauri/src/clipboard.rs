//! Copying a secret, KeePassXC-style: the copy is marked for clipboard managers to skip, and it is
//! cleared after a while (and on quit, or when the session tells Keyward to stop) only if the
//! clipboard still holds what Keyward put there. A clipboard that cannot be read says nothing
//! about whose text it holds: the copy stays ours, and the clear tries again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyward_core::{Error, ErrorCode};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);

/// A clear that could not read (or clear) the clipboard tries again this often, this many times;
/// after that the copy is still ours and the clear at quit tries once more.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);
pub const RETRIES: u32 = 10;

/// Quitting waits this long at most for a clipboard that is busy for a moment.
const QUIT_TRIES: u32 = 3;
const QUIT_RETRY_EVERY: Duration = Duration::from_millis(100);

/// Where text goes; the system clipboard in the app, a fake in tests.
pub trait ClipboardBackend: Send + Sync {
    fn set_secret(&self, text: &str) -> Result<(), String>;
    /// The clipboard's text: `Ok(None)` when it holds no text (so nothing of Keyward's), `Err`
    /// when it could not be read.
    fn read_text(&self) -> Result<Option<String>, String>;
    fn get_text(&self) -> Option<String> {
        self.read_text().ok().flatten()
    }
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

    fn read_text(&self) -> Result<Option<String>, String> {
        self.with(|c| match c.get_text() {
            Ok(text) => Ok(Some(text)),
            // Empty, or an image or files: certainly not the text Keyward put there.
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(e) => Err(e),
        })
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
    retry_every: Duration,
}

impl SecretClipboard {
    pub fn new(backend: Arc<dyn ClipboardBackend>, clear_after: Duration) -> Self {
        SecretClipboard {
            backend,
            held: Default::default(),
            generation: Default::default(),
            clear_after_ms: AtomicU64::new(clear_after.as_millis() as u64),
            retry_every: RETRY_EVERY,
        }
    }

    #[cfg(test)]
    pub(crate) fn retrying_every(mut self, every: Duration) -> Self {
        self.retry_every = every;
        self
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
        self.backend.set_secret(text).map_err(|e| Error::new(ErrorCode::Internal, format!("The clipboard could not be written ({e}).")))?;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *self.held.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, SecretString::from(text.to_string())));
        let (backend, held, after, every) = (self.backend.clone(), self.held.clone(), self.clear_after(), self.retry_every);
        std::thread::spawn(move || {
            std::thread::sleep(after);
            for _ in 0..=RETRIES {
                if clear_if_ours(&*backend, &held, Some(generation)) == Clear::Settled {
                    return;
                }
                std::thread::sleep(every);
            }
            tracing::warn!("the clipboard could not be read to clear Keyward's copy; quitting Keyward clears it");
        });
        Ok(after)
    }

    /// On quit (or a signal to stop): whatever Keyward copied does not outlive it.
    pub fn clear_now(&self) {
        for attempt in 1..=QUIT_TRIES {
            if clear_if_ours(&*self.backend, &self.held, None) == Clear::Settled {
                return;
            }
            if attempt < QUIT_TRIES {
                std::thread::sleep(QUIT_RETRY_EVERY);
            }
        }
        tracing::warn!("the clipboard could not be read at quit; it may still hold Keyward's copy");
    }

    /// Whether a copy of Keyward's may still be on the clipboard.
    #[cfg(test)]
    pub(crate) fn holds_a_copy(&self) -> bool {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }
}

#[derive(Debug, PartialEq)]
enum Clear {
    /// Cleared, or the clipboard holds something else: nothing of ours is left to clear.
    Settled,
    /// The clipboard could not be read or cleared: ours still, for all Keyward knows.
    TryAgain,
}

fn clear_if_ours(backend: &dyn ClipboardBackend, held: &Mutex<Option<(u64, SecretString)>>, generation: Option<u64>) -> Clear {
    let mut held = held.lock().unwrap_or_else(|p| p.into_inner());
    let Some((current, secret)) = held.as_ref() else {
        return Clear::Settled;
    };
    if generation.is_some_and(|g| g != *current) {
        return Clear::Settled; // a newer copy has its own timer
    }
    let Ok(text) = backend.read_text() else {
        return Clear::TryAgain;
    };
    // What was read is the secret itself when it is still ours.
    let text = text.map(Zeroizing::new);
    if text.as_deref().map(String::as_str) == Some(secret.expose_secret()) && backend.clear().is_err() {
        return Clear::TryAgain;
    }
    *held = None;
    Clear::Settled
}

/// What a session sends a program to stop it: `kill`, Ctrl+C, a closed terminal or a logout.
#[cfg(unix)]
pub const STOP_SIGNALS: [tokio::signal::unix::SignalKind; 3] =
    [tokio::signal::unix::SignalKind::terminate(), tokio::signal::unix::SignalKind::interrupt(), tokio::signal::unix::SignalKind::hangup()];

/// On the first of `kinds`: `clear`, then `exit` (the app's clean exit, which clears again on
/// its way out). Handling a signal replaces its default of ending the process at once, so should
/// the clean exit hang, a second signal clears and ends the process. Returns once the handlers
/// are in place, so nothing sent after it can end the process before the clear.
#[cfg(unix)]
pub fn clear_on_signals(
    kinds: &[tokio::signal::unix::SignalKind],
    clear: impl Fn() + Send + 'static,
    exit: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let runtime = tauri::async_runtime::handle();
    let _context = runtime.inner().enter();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for kind in kinds {
        let mut signal = tokio::signal::unix::signal(*kind)?;
        let tx = tx.clone();
        let kind = kind.as_raw_value();
        tauri::async_runtime::spawn(async move {
            while signal.recv().await.is_some() {
                if tx.send(kind).is_err() {
                    break;
                }
            }
        });
    }
    tauri::async_runtime::spawn(async move {
        let Some(signal) = rx.recv().await else { return };
        tracing::info!(signal, "asked to stop: clearing the clipboard and quitting");
        clear();
        exit();
        if let Some(signal) = rx.recv().await {
            tracing::warn!(signal, "asked again to stop: quitting at once");
            clear();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
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
        fn read_text(&self) -> Result<Option<String>, String> {
            Ok(self.0.lock().unwrap().clone())
        }
        fn clear(&self) -> Result<(), String> {
            *self.0.lock().unwrap() = None;
            Ok(())
        }
    }

    /// A clipboard whose next `failures` reads fail, as a busy X11 or Wayland clipboard's do.
    #[derive(Default)]
    struct FlakyClipboard {
        inner: FakeClipboard,
        failures: Mutex<u32>,
    }

    impl FlakyClipboard {
        fn failing(failures: u32) -> Arc<Self> {
            Arc::new(FlakyClipboard { failures: Mutex::new(failures), ..Default::default() })
        }
    }

    impl ClipboardBackend for FlakyClipboard {
        fn set_secret(&self, text: &str) -> Result<(), String> {
            self.inner.set_secret(text)
        }
        fn read_text(&self) -> Result<Option<String>, String> {
            let mut failures = self.failures.lock().unwrap();
            if *failures > 0 {
                *failures -= 1;
                return Err("the clipboard is busy".into());
            }
            self.inner.read_text()
        }
        fn clear(&self) -> Result<(), String> {
            self.inner.clear()
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

    #[test]
    fn a_failed_read_keeps_the_copy_ours_and_the_clear_tries_again() {
        let flaky = FlakyClipboard::failing(2);
        let clip = SecretClipboard::new(flaky.clone(), Duration::from_millis(50)).retrying_every(Duration::from_millis(50));
        clip.copy("sk-1").unwrap();
        std::thread::sleep(Duration::from_millis(80));
        assert_eq!(flaky.inner.get_text().as_deref(), Some("sk-1"), "the first read failed");
        assert!(clip.holds_a_copy(), "a failed read is not proof the clipboard holds something else");
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(flaky.inner.get_text(), None, "a later tick cleared it");
        assert!(!clip.holds_a_copy());
    }

    #[test]
    fn retries_are_bounded_and_quit_still_clears() {
        let flaky = FlakyClipboard::failing(RETRIES + 1);
        let clip = SecretClipboard::new(flaky.clone(), Duration::from_millis(10)).retrying_every(Duration::from_millis(5));
        clip.copy("sk-1").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(*flaky.failures.lock().unwrap(), 0, "every retry was spent");
        assert_eq!(flaky.inner.get_text().as_deref(), Some("sk-1"));
        assert!(clip.holds_a_copy(), "giving up the timer does not give up the copy");
        clip.clear_now();
        assert_eq!(flaky.inner.get_text(), None);
    }

    #[test]
    fn quit_tries_again_when_the_clipboard_is_busy() {
        let flaky = FlakyClipboard::failing(1);
        let clip = SecretClipboard::new(flaky.clone(), Duration::from_secs(60));
        clip.copy("sk-1").unwrap();
        clip.clear_now();
        assert_eq!(flaky.inner.get_text(), None);
    }

    #[test]
    fn text_the_clipboard_cannot_hold_as_text_is_not_ours() {
        let (fake, clip) = rig(60_000);
        clip.copy("sk-1").unwrap();
        fake.clear().unwrap(); // the person copied an image: arboard reads no text
        clip.clear_now();
        assert!(!clip.holds_a_copy());
    }

    /// SIGHUP stands for the three (they share the handler); SIGINT and SIGTERM are left to end
    /// this test process as usual.
    #[cfg(unix)]
    #[test]
    fn a_stop_signal_clears_the_clipboard_then_exits() {
        let (fake, clip) = rig(60_000);
        let clip = Arc::new(clip);
        clip.copy("sk-1").unwrap();
        let (exited, exit) = std::sync::mpsc::channel();
        let clearing = clip.clone();
        clear_on_signals(&[tokio::signal::unix::SignalKind::hangup()], move || clearing.clear_now(), move || exited.send(()).unwrap()).unwrap();
        let kill = std::process::Command::new("sh").args(["-c", &format!("kill -HUP {}", std::process::id())]).status().unwrap();
        assert!(kill.success());
        exit.recv_timeout(Duration::from_secs(10)).expect("the signal leads to the clean exit");
        assert_eq!(fake.get_text(), None, "cleared before the exit");
        assert!(STOP_SIGNALS.iter().map(|k| k.as_raw_value()).eq([15, 2, 1]), "SIGTERM, SIGINT, SIGHUP");
    }
}
