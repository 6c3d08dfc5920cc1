//! Keeping keys up, through IPC under the mock runtime, against the sandbox: settings, the expiry
//! centre and its notices, installing a secret into other keys and the replace
//! assistant.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tauri::Listener;

use crate::tests::{invoke, shell, Shell};

struct World {
    sandbox: keyward_sandbox::SandboxHandle,
    _rt: tokio::runtime::Runtime,
}

fn sandbox() -> World {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    World { sandbox, _rt: rt }
}

fn add(s: &Shell, w: &World, service: &str) -> Value {
    let input = json!({"service": service, "label": service, "host": w.sandbox.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    invoke(s, "add_account", json!({ "input": input })).unwrap()
}

fn respan_key(s: &Shell, account: &Value) -> Value {
    let request = json!({"kind": "respan_temp_key", "name": "upstream", "expiry_date": "2099-01-01"});
    invoke(s, "create_key", json!({"accountId": account["id"], "request": request})).unwrap()
}

fn credential(name: &str) -> Value {
    json!({"kind": "barndoor_credential", "name": name, "model_provider": "custom", "base_url": "https://api.respan.ai/api/"})
}

#[test]
fn install_into_sends_the_slots_secret_and_the_page_never_gets_it() {
    let w = sandbox();
    let s = shell();
    let respan = add(&s, &w, "respan");
    let barndoor = add(&s, &w, "barndoor");
    let created = respan_key(&s, &respan);
    let reveal_id = created["reveal"]["id"].clone();
    let target = json!({"to": "create", "account_id": barndoor["id"], "request": credential("Respan gateway")});
    let problems = invoke(&s, "validate_install", json!({ "target": target })).unwrap();
    assert_eq!(problems, json!([]), "the missing api_key is the minted secret's place, not a problem");

    let installed = invoke(&s, "install_secret", json!({"revealId": reveal_id, "target": target})).unwrap();
    assert_eq!(installed["verified"], true, "{installed}");
    let held = w.sandbox.world().barndoor.held_keys.values().next().cloned().unwrap();
    assert!(held.starts_with(created["key"]["preview"].as_str().unwrap().trim_end_matches('…')));
    assert!(!installed.to_string().contains(&held), "the answer carries no secret");
    let log = invoke(&s, "audit_query", json!({"query": {}})).unwrap();
    assert!(log.to_string().contains("from upstream"));
    assert!(!log.to_string().contains(&held));

    // Closed: nothing can be installed from that slot any more.
    invoke(&s, "close_reveal", json!({"revealId": reveal_id})).unwrap();
    let again = invoke(&s, "install_secret", json!({"revealId": reveal_id, "target": target})).unwrap_err();
    assert_eq!(again["code"], "not_found");
}

#[test]
fn the_assistant_reports_each_step_and_holds_the_new_secret_for_one_reveal() {
    let w = sandbox();
    let s = shell();
    let respan = add(&s, &w, "respan");
    let barndoor = add(&s, &w, "barndoor");
    let created = respan_key(&s, &respan);
    let target = json!({"to": "create", "account_id": barndoor["id"], "request": credential("Upstream")});
    let cred = invoke(&s, "install_secret", json!({"revealId": created["reveal"]["id"], "target": target})).unwrap();

    let seen = Arc::new(Mutex::new(0));
    let counter = seen.clone();
    s.app.listen_any(crate::events::REPLACE_PROGRESS_EVENT, move |_| *counter.lock().unwrap() += 1);
    let plan = invoke(&s, "replace_plan", json!({"keyId": created["key"]["id"]})).unwrap();
    assert!(plan["targets"].as_array().unwrap().iter().any(|t| t["key"]["id"] == cred["key"]["id"]));
    let targets = json!([{"to": "existing", "key_id": cred["key"]["id"]}]);
    let outcome = invoke(&s, "replace_key", json!({"keyId": created["key"]["id"], "targets": targets})).unwrap();
    assert_eq!(outcome["report"]["completed"], true, "{outcome}");
    assert_eq!(*seen.lock().unwrap(), 6, "running and done for each of three steps");
    let new_secret = invoke(&s, "reveal_secret", json!({"revealId": outcome["reveal"]["id"]})).unwrap();
    let held = w.sandbox.world().barndoor.held_keys.values().next().cloned().unwrap();
    assert_eq!(new_secret.as_str().unwrap(), held, "the credential holds the replacement");
    assert!(!outcome.to_string().contains(&held));

    let refused = invoke(&s, "replace_key", json!({"keyId": cred["key"]["id"], "targets": []})).unwrap_err();
    assert_eq!(refused["code"], "invalid_input");
}

#[test]
fn saved_settings_take_effect_at_once_and_bad_ones_are_named() {
    let w = sandbox();
    let s = shell();
    let bad = json!({"expiry_window_days": 7, "rotate_after_days": 90, "notify_expiry": true, "clipboard_clear_secs": 2});
    let problems = invoke(&s, "validate_settings", json!({ "settings": bad })).unwrap();
    assert_eq!(problems[0]["field"], "clipboard_clear_secs");
    assert_eq!(invoke(&s, "save_settings", json!({ "settings": bad })).unwrap_err()["field"], "clipboard_clear_secs");

    let good = json!({"expiry_window_days": 14, "rotate_after_days": 60, "notify_expiry": false, "clipboard_clear_secs": 45, "theme": "dark"});
    assert_eq!(invoke(&s, "save_settings", json!({ "settings": good })).unwrap(), good);
    assert_eq!(invoke(&s, "settings", json!({})).unwrap(), good);
    // A page from before the theme setting: the theme is the default, the rest as sent.
    let older = json!({"expiry_window_days": 14, "rotate_after_days": 60, "notify_expiry": false, "clipboard_clear_secs": 45});
    assert_eq!(invoke(&s, "save_settings", json!({ "settings": older })).unwrap()["theme"], "system");
    let unknown = json!({"expiry_window_days": 14, "rotate_after_days": 60, "notify_expiry": false, "clipboard_clear_secs": 45, "theme": "sepia"});
    assert!(invoke(&s, "save_settings", json!({ "settings": unknown })).is_err(), "an unknown theme is refused, not saved");
    invoke(&s, "save_settings", json!({ "settings": good })).unwrap();
    let respan = add(&s, &w, "respan");
    let created = respan_key(&s, &respan);
    assert_eq!(created["reveal"]["clear_after_secs"], 45, "the clipboard follows the setting");
    assert_eq!(invoke(&s, "copy_secret", json!({"revealId": created["reveal"]["id"], "asEnvLine": false})).unwrap(), 45);
}

/// A Respan key made 60 days ago that expires in `days`, and a shell whose expiry notices the
/// test hears (what the window would).
fn listening_with_a_key_expiring_in(name: &str, days: i64) -> (World, Shell, Arc<Mutex<Vec<String>>>) {
    let w = sandbox();
    let now = chrono::Utc::now();
    w.sandbox.world().respan.place(name, now - chrono::Duration::days(60), now + chrono::Duration::days(days));
    let s = shell();
    let heard = Arc::new(Mutex::new(Vec::<String>::new()));
    let h = heard.clone();
    s.app.listen_any(crate::events::EXPIRY_NOTICE_EVENT, move |e| h.lock().unwrap().push(e.payload().to_string()));
    (w, s, heard)
}

#[test]
fn a_sync_raises_the_notices_it_makes_due_and_the_window_hears_of_them() {
    let (w, s, heard) = listening_with_a_key_expiring_in("soon", 2);
    let respan = add(&s, &w, "respan");
    invoke(&s, "sync_account", json!({"accountId": respan["id"]})).unwrap();
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].contains("Temporary key “soon” expires in 2 days"), "{heard:?}");

    let centre = invoke(&s, "expiry_centre", json!({})).unwrap();
    assert_eq!(centre["attention"], 1);
    assert_eq!(centre["keys"][0]["name"], "soon");
    let refused = invoke(&s, "dismiss_expired", json!({"keyId": centre["keys"][0]["id"]})).unwrap_err();
    assert_eq!(refused["code"], "invalid_input", "an expiring key is not set aside");
    assert!(crate::notices::raise_due(s.app.handle()).is_empty(), "raised once");
}

#[test]
fn an_offline_sync_still_raises_what_the_cached_keys_are_owed() {
    let (w, s, heard) = listening_with_a_key_expiring_in("ten-days", 10);
    let respan = add(&s, &w, "respan");
    invoke(&s, "sync_account", json!({"accountId": respan["id"]})).unwrap();
    assert!(heard.lock().unwrap().is_empty(), "ten days out is outside the 7-day window");

    // A wider window, changed behind the shell's back, and the service gone: the failed sync still looks.
    let core = tauri::Manager::state::<crate::AppState>(&s.app).core().unwrap();
    core.save_settings(keyward_core::model::settings::Settings { expiry_window_days: 14, ..Default::default() }).unwrap();
    drop(w);
    let err = invoke(&s, "sync_account", json!({"accountId": respan["id"]})).unwrap_err();
    assert_eq!(err["code"], "network");
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].contains("“ten-days” expires in 10 days"), "{heard:?}");
}

/// The notices setting switches the systemd timer that raises notices while the window is
/// closed: here a stand-in systemctl that keeps the timer's state in a file and logs each call.
#[test]
fn the_notices_setting_switches_the_notices_timer() {
    let dir = tempfile::tempdir().unwrap();
    let (state, calls, script) = (dir.path().join("state"), dir.path().join("calls"), dir.path().join("systemctl"));
    std::fs::write(&state, "disabled").unwrap();
    let text = dir.path().join("systemctl.sh");
    std::fs::write(
        &text,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{calls}'\ncase \"$2\" in\n  show) echo LoadState=loaded; echo UnitFileState=$(cat '{state}');;\n  enable) echo enabled > '{state}';;\n  disable) echo disabled > '{state}';;\nesac\n",
            calls = calls.display(),
            state = state.display()
        ),
    )
    .unwrap();
    // Copied into place by another process, as in notice_timer's tests: a program this process
    // wrote can fail to start ("text file busy") while another test thread is mid-fork.
    assert!(std::process::Command::new("install").args(["-m", "755"]).arg(&text).arg(&script).status().unwrap().success());
    let timer = Arc::new(keyward_core::ops::notice_timer::NoticeTimer::with_program(&script));
    let s = crate::tests::shell_with(|mut st| {
        st.notice_timer = Some(timer);
        st
    });
    let settings =
        |on: bool| json!({"expiry_window_days": 7, "rotate_after_days": 90, "notify_expiry": on, "clipboard_clear_secs": 30, "theme": "system"});
    let timer_is = |want: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read_to_string(&state).unwrap().trim() != want {
            assert!(std::time::Instant::now() < deadline, "the timer stayed {}", std::fs::read_to_string(&state).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    // At launch the timer is set once the window has painted, not before.
    invoke(&s, "settings", json!({})).unwrap();
    assert!(!calls.exists(), "nothing ran systemctl before the first paint");
    invoke(&s, "window_ready", json!({ "keys": 0 })).unwrap();
    timer_is("enabled");
    invoke(&s, "save_settings", json!({ "settings": settings(false) })).unwrap();
    timer_is("disabled");
    invoke(&s, "save_settings", json!({ "settings": settings(true) })).unwrap();
    timer_is("enabled");
    invoke(&s, "save_settings", json!({ "settings": settings(false) })).unwrap();
    timer_is("disabled");
    let log = std::fs::read_to_string(&calls).unwrap();
    assert!(log.contains("--user enable --now keyward-notices.timer") && log.contains("--user disable --now keyward-notices.timer"), "{log}");
}
