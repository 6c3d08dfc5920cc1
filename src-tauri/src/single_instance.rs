//! One window per store: a second launch on the same data dir focuses the window already open
//! and exits. On Linux this is the single-instance plugin's own protocol (the same bus name, path,
//! interface and method, so either build finds the other), spoken through the `dbus` crate the
//! keychain already links: the plugin would add a second D-Bus stack (zbus) to the binary.
//! Elsewhere the plugin does it.

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The plugin's interface and method: a running instance is asked to take the new launch's args.
#[cfg(target_os = "linux")]
const INTERFACE: &str = "org.SingleInstance.DBus";
#[cfg(target_os = "linux")]
const METHOD: &str = "ExecuteCallback";

/// Brings the running window to the front (the second launch's arguments mean nothing to it).
fn focus<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(not(target_os = "linux"))]
pub fn plugin<R: Runtime>(id: String) -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new().dbus_id(id).callback(|app, _args, _cwd| focus(app)).build()
}

/// Claims `{id}.SingleInstance` on the session bus before the window opens. Taken already: the
/// running instance is asked to come forward and this process exits. With no session bus there
/// is no other instance to find, and Keyward starts as usual.
#[cfg(target_os = "linux")]
pub fn plugin<R: Runtime>(id: String) -> TauriPlugin<R> {
    tauri::plugin::Builder::new("single-instance")
        .setup(move |app, _api| {
            let name = format!("{id}.SingleInstance");
            let path = format!("/{}", name.replace('.', "/").replace('-', "_"));
            let conn = match dbus::blocking::Connection::new_session() {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!("no D-Bus session bus ({}): another Keyward on this store cannot be found", e.message().unwrap_or("?"));
                    return Ok(());
                }
            };
            use dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply;
            match conn.request_name(name.as_str(), false, false, true) {
                Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => serve(conn, path, app.clone()),
                Ok(RequestNameReply::Exists | RequestNameReply::InQueue) => {
                    hand_over(&conn, &name, &path)?;
                    // Only once the running instance has answered.
                    app.cleanup_before_exit();
                    std::process::exit(0);
                }
                Err(e) => tracing::warn!("the bus refused Keyward's instance name ({}); starting anyway", e.message().unwrap_or("?")),
            }
            Ok(())
        })
        .build()
}

#[cfg(target_os = "linux")]
fn hand_over(conn: &dbus::blocking::Connection, name: &str, path: &str) -> Result<(), String> {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cwd = std::env::current_dir().unwrap_or_default().to_string_lossy().into_owned();
    conn.with_proxy(name, path, std::time::Duration::from_secs(5))
        .method_call::<(), _, _, _>(INTERFACE, METHOD, (args, cwd))
        .map_err(|e| format!("Keyward is already open on this store, but did not answer: {}", e.message().unwrap_or("no reply")))
}

/// Answers the next launches for as long as this one runs; the name goes with the process.
#[cfg(target_os = "linux")]
fn serve<R: Runtime>(conn: dbus::blocking::Connection, path: String, app: AppHandle<R>) {
    use dbus::channel::{MatchingReceiver, Sender};
    use dbus::message::MatchRule;
    let rule = MatchRule::new_method_call().with_interface(INTERFACE).with_member(METHOD);
    let spawned = std::thread::Builder::new().name("single-instance".into()).spawn(move || {
        conn.start_receive(
            rule,
            Box::new(move |call, conn| {
                if call.path().is_some_and(|p| *p == *path) {
                    focus(&app);
                }
                let _ = conn.send(call.method_return());
                true
            }),
        );
        while conn.process(std::time::Duration::from_secs(3600)).is_ok() {}
        tracing::warn!("the session bus went away: a second launch will open a second window");
    });
    if let Err(e) = spawned {
        tracing::warn!("could not answer second launches: {e}");
    }
}
