//! The desktop shell: a window, Keyward's commands and nothing else. Behaviour lives in keyward-core.

mod clipboard;
mod commands;
mod notices;
mod reveal;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod issue7_tests;
#[cfg(test)]
mod security_tests;

pub use state::AppState;

/// Registers Keyward's commands on any runtime, so `tauri::test` can drive the same set.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>) -> tauri::Builder<R> {
    // The save dialog for exports (the capability grants its save command and nothing else).
    base.plugin(tauri_plugin_dialog::init()).plugin(tauri_plugin_notification::init()).invoke_handler(tauri::generate_handler![
        commands::host_presets,
        commands::list_accounts,
        commands::validate_account,
        commands::add_account,
        commands::update_account,
        commands::remove_account,
        commands::sync_account,
        commands::list_keys,
        commands::validate_key,
        commands::validate_update,
        commands::check_credential,
        commands::create_key,
        commands::rotate_key,
        commands::reveal_secret,
        commands::copy_secret,
        commands::close_reveal,
        commands::revoke_key,
        commands::revoke_keys,
        commands::update_key,
        commands::refresh_key,
        commands::key_details,
        commands::validate_setup,
        commands::audit_query,
        commands::audit_actions,
        commands::export_audit,
        commands::export_keys,
        commands::recover_store,
        commands::reopen_store,
        commands::window_ready,
        commands::settings,
        commands::validate_settings,
        commands::save_settings,
        commands::expiry_centre,
        commands::dismiss_expired,
        commands::validate_hand_off,
        commands::install_secret,
        commands::rotation_plan,
        commands::rotate_assisted,
    ])
}

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When this process began (as near as Rust sees it), for the ready-time log.
pub(crate) fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}

pub fn run() {
    started();
    init_logging();
    let app = builder(tauri::Builder::default())
        .manage(AppState::open_default())
        .setup(|app| {
            notices::watch(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Keyward could not start its window: {e}");
            std::process::exit(1);
        });
    app.run(|handle, event| {
        // Whatever Keyward copied does not outlive it.
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            handle.state::<AppState>().clipboard.clear_now();
        }
    });
}

/// `KEYWARD_LOG` takes `level` or `target=level,...` (e.g. `trace`, `keyward_core=debug`).
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter: tracing_subscriber::filter::Targets = std::env::var("KEYWARD_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| "keyward_core=info,keyward_app=info".parse().expect("a valid default filter"));
    let _ = tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)).with(filter).try_init();
}
