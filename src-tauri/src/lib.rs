//! The desktop shell: a window, Keyward's commands and nothing else. Behaviour lives in keyward-core.

// First: its macro is used by the modules below it.
#[macro_use]
mod command_list;
mod clipboard;
#[cfg(test)]
mod command_bindings;
mod commands;
mod compositing;
mod events;
mod export_dialog;
mod notices;
mod reveal;
#[cfg(test)]
mod security_tests;
mod single_instance;
mod state;
#[cfg(test)]
mod tests;
mod tickets;
#[cfg(test)]
mod upkeep_tests;
mod window_memory;

pub use state::AppState;

macro_rules! handlers {
    ($($command:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$command),*]
    };
}

/// Registers Keyward's commands on any runtime, so `tauri::test` can drive the same set.
pub fn builder<R: tauri::Runtime>(base: tauri::Builder<R>) -> tauri::Builder<R> {
    // The save dialog for exports, opened from Rust only: the capability grants the page none of
    // the plugin's commands, so a page cannot choose where a file is written.
    let base = base.plugin(tauri_plugin_dialog::init());
    #[cfg(not(target_os = "linux"))]
    let base = base.plugin(tauri_plugin_notification::init());
    base.invoke_handler(keyward_commands!(handlers))
}

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When this process began (as near as Rust sees it), for the ready-time log.
pub(crate) fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}

pub fn run() {
    started();
    let compositing_off = compositing::choose();
    init_logging();
    if compositing_off {
        tracing::info!("no GPU found: the window paints without WebKit's compositor ({}=0 keeps it)", compositing::VARIABLE);
    }
    // First, before any other plugin's setup: a second launch hands over and exits right here.
    let data_dir = keyward_core::paths::default_data_dir().ok();
    let app = builder(tauri::Builder::default().plugin(one_window_per_store()))
        .plugin(window_memory::plugin(data_dir.as_deref()))
        .on_window_event(window_memory::on_window_event)
        .manage(AppState::open_default())
        .setup(|app| {
            notices::watch(app.handle().clone());
            reveal::prune_on_timer(app.handle().clone(), reveal::PRUNE_EVERY);
            #[cfg(unix)]
            {
                use tauri::Manager;
                let (clearing, exiting) = (app.handle().clone(), app.handle().clone());
                let clear = move || clearing.state::<AppState>().clipboard.clear_now();
                if let Err(e) = clipboard::clear_on_signals(&clipboard::STOP_SIGNALS, clear, move || exiting.exit(0)) {
                    tracing::warn!("the clipboard will not be cleared on a signal to stop: {e}");
                }
            }
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

/// Two windows on one store would each sync, edit and reveal over the other: a second launch
/// focuses the window already open instead. One instance per data dir, not per user: a Keyward on
/// another `KEYWARD_DATA_DIR` shares no file with this one (and the journeys run each on its own).
fn one_window_per_store() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    single_instance::plugin(instance_id(keyward_core::paths::default_data_dir().ok().as_deref()))
}

/// The D-Bus name stem (Linux) the single-instance plugin registers for `data_dir`: the same for
/// every spelling of one folder, made of the letters and digits a bus name may hold.
pub(crate) fn instance_id(data_dir: Option<&std::path::Path>) -> String {
    let Some(dir) = data_dir else { return "dev.keyward.app".to_string() };
    // A first launch runs before the dir exists: its parent, canonical, and the same name then.
    let dir = std::fs::canonicalize(dir)
        .or_else(|_| match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => std::fs::canonicalize(parent).map(|p| p.join(name)),
            _ => Err(std::io::Error::other("no parent")),
        })
        .unwrap_or_else(|_| dir.to_path_buf());
    // A name-based UUID: the same in every build, so an upgraded Keyward still finds the old one.
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, dir.as_os_str().as_encoded_bytes());
    format!("dev.keyward.app.store_{}", id.simple())
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
