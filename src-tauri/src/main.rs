// Keeps a release build on Windows from opening a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any token or secret is in memory, so none can reach a core file.
    if let Err(e) = keyward_core::process::harden() {
        eprintln!("Keyward could not keep its memory out of core dumps: {e}");
    }
    keyward_app::run();
}
