//! The window opens where it was closed and at the size it had (tauri-plugin-window-state), kept
//! beside the store so each data dir remembers its own window. The plugin writes only on a clean
//! exit; a Keyward that is killed or crashes would forget, so each move or resize is written
//! too, once it has settled.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// Visibility, decorations and full screen stay the app's own: a window must never reopen hidden.
const REMEMBERED: StateFlags = StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);
pub const FILE: &str = "window-state.json";
/// A drag sends a move per frame: one write after the last.
const SETTLE: Duration = Duration::from_millis(400);

static LAST_CHANGE: AtomicU64 = AtomicU64::new(0);

pub fn plugin<R: Runtime>(data_dir: Option<&Path>) -> TauriPlugin<R> {
    let builder = tauri_plugin_window_state::Builder::default().with_state_flags(REMEMBERED);
    // An absolute name: the plugin joins it onto its config dir, which leaves it as it is.
    match data_dir {
        Some(dir) => builder.with_filename(dir.join(FILE).to_string_lossy()).build(),
        None => builder.build(),
    }
}

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
        return;
    }
    let change = LAST_CHANGE.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if LAST_CHANGE.load(Ordering::SeqCst) != change {
            return;
        }
        if let Err(e) = app.save_window_state(REMEMBERED) {
            tracing::warn!(error = %e, "the window's size and position were not saved");
        }
    });
}
