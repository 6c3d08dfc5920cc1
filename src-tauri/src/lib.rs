//! The desktop shell: a window, Keyward's commands and nothing else. Behaviour lives in keyward-core.

mod clipboard;
mod commands;
mod reveal;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod security_tests;

pub use state::AppState;

/// Registers Keyward's commands on any runtime, so `tauri::test` can drive the same set.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>) -> tauri::Builder<R> {
    base.invoke_handler(tauri::generate_handler![
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
        commands::audit_log,
        commands::recover_store,
        commands::reopen_store,
        commands::window_ready,
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

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KEYWARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("keyward_core=info,keyward_app=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
