//! Expiry notices as OS notifications while Keyward runs: looked for after every sync (the
//! launch sync too, online or not), after a settings change, and every minute. The core decides
//! what is owed and remembers what was raised; this only shows it, and tells the window so its
//! expiry badge follows. While the window is closed the notices timer raises them instead
//! (`keyward notices raise`); the window switches that timer to follow the notices setting.

use std::time::Duration;

use keyward_core::ops::expiry::ExpiryNotice;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::events::EXPIRY_NOTICE_EVENT;
use crate::AppState;

const EVERY: Duration = Duration::from_secs(60);

/// Raises every notice owed now; returns them (the shell tests read them).
pub fn raise_due<R: Runtime>(app: &AppHandle<R>) -> Vec<ExpiryNotice> {
    let Ok(core) = app.state::<AppState>().core() else {
        return Vec::new();
    };
    let notices = match core.due_notices(chrono::Utc::now()) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(code = e.code.as_str(), "could not read the expiry notices owed");
            return Vec::new();
        }
    };
    for notice in &notices {
        // A desktop with no notification service still gets the window's badge and toast.
        if let Err(e) = show(app, notice) {
            tracing::warn!(error = %e, "the OS did not show an expiry notice");
        }
        tracing::info!(key = %notice.key_id, stage = notice.stage.as_str(), "expiry notice raised");
        let _ = app.emit(EXPIRY_NOTICE_EVENT, notice);
    }
    notices
}

#[cfg(target_os = "linux")]
fn show<R: Runtime>(_app: &AppHandle<R>, notice: &ExpiryNotice) -> Result<(), String> {
    use keyward_core::desktop_notices::Notifier;
    Notifier::connect().and_then(|n| n.show(&notice.title, &notice.body)).map(|_| ()).map_err(|e| e.message)
}

#[cfg(not(target_os = "linux"))]
fn show<R: Runtime>(app: &AppHandle<R>, notice: &ExpiryNotice) -> Result<(), String> {
    use tauri_plugin_notification::NotificationExt;
    app.notification().builder().title(&notice.title).body(&notice.body).show().map_err(|e| e.to_string())
}

/// Looks for owed notices every minute for as long as the app runs. The first look waits a
/// minute: at launch the window's first sync of each account looks already, off the first paint.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            raise_due(&app);
        }
    });
}

/// Switches the notices timer on or off to match the setting, off the calling thread: systemctl
/// can take a moment, and neither the first paint nor a settings save waits for it.
pub fn follow_timer<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let (Some(timer), Ok(core)) = (state.notice_timer.clone(), state.core()) else { return };
    tauri::async_runtime::spawn_blocking(move || {
        let state = timer.follow(&core.settings());
        tracing::info!(?state, "notices timer");
    });
}
