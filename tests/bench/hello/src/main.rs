//! Hello world in Tauri 2: one window, one command the page calls once it has painted, so its
//! start can be timed the same way as Keyward's.

#[tauri::command]
fn ready(app: tauri::AppHandle) {
    if std::env::var_os("KEYWARD_REPORT_READY").is_some() {
        println!("hello-ready");
    }
    if std::env::var_os("KEYWARD_EXIT_WHEN_READY").is_some() {
        app.exit(0);
    }
}

fn main() {
    tauri::Builder::default().invoke_handler(tauri::generate_handler![ready]).run(tauri::generate_context!()).expect("the hello window");
}
