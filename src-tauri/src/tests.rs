//! The shell under `tauri::test`'s mock runtime, with the real config and capability: each
//! command is reachable through IPC, arguments arrive under their camelCase names, and errors
//! cross as `{code, message, field}`.

use std::sync::Arc;

use keyward_core::ops::export::ExportFormat;
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::clipboard::tests::FakeClipboard;
use crate::clipboard::ClipboardBackend;
use crate::export_dialog::tests::FakeChooser;
use crate::export_dialog::SavePathChooser;
use crate::AppState;

pub(crate) struct Shell {
    pub app: App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    pub clipboard: Arc<FakeClipboard>,
    _dir: tempfile::TempDir,
}

pub(crate) fn shell() -> Shell {
    shell_with(|state| state)
}

/// A shell whose state the test changes first (a stand-in notices timer, say).
pub(crate) fn shell_with(adjust: impl FnOnce(AppState) -> AppState) -> Shell {
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { min_backoff: std::time::Duration::from_millis(5), ..Default::default() };
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap();
    let clipboard = Arc::new(FakeClipboard::default());
    let state = adjust(AppState::with(Ok(core), clipboard.clone(), std::time::Duration::from_millis(300)));
    let app = crate::builder(mock_builder()).manage(state).build(tauri::generate_context!()).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    Shell { app, webview, clipboard, _dir: dir }
}

/// A shell whose store was found damaged at start, in `dir`.
fn shell_over_damaged_store(dir: tempfile::TempDir) -> Shell {
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), HttpConfig::default());
    let clipboard = Arc::new(FakeClipboard::default());
    let state = AppState::with(core, clipboard.clone(), std::time::Duration::from_millis(300)).in_dir(dir.path().to_path_buf());
    let app = crate::builder(mock_builder()).manage(state).build(tauri::generate_context!()).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    Shell { app, webview, clipboard, _dir: dir }
}

#[test]
fn a_damaged_store_is_reported_then_rebuilt_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let export = json!({"version": 1, "accounts": [{"id": "acc-1", "service": "respan", "label": "Gateway", "host": "https://api.respan.ai",
        "org_name": null, "identity": null, "created_at": "2026-11-01T00:00:00Z"}]});
    std::fs::write(dir.path().join("accounts.json"), export.to_string()).unwrap();
    std::fs::write(dir.path().join("keyward.db"), vec![0x5a; 8192]).unwrap();
    let s = shell_over_damaged_store(dir);
    let err = invoke(&s, "list_accounts", json!({})).unwrap_err();
    assert_eq!(err["code"], "store_damaged");
    let report = invoke(&s, "recover_store", json!({})).unwrap();
    assert_eq!(report["accounts_restored"], 1);
    assert!(report["moved_to"].as_str().unwrap().contains("keyward.db.damaged-"));
    let accounts = invoke(&s, "list_accounts", json!({})).unwrap();
    assert_eq!(accounts[0]["label"], "Gateway");
    let again = invoke(&s, "recover_store", json!({})).unwrap_err();
    assert_eq!(again["code"], "conflict", "a healthy store is not moved aside");
    assert!(invoke(&s, "reopen_store", json!({})).is_ok());
}

pub(crate) fn invoke(shell: &Shell, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_from(shell, "tauri://localhost", cmd, args)
}

fn invoke_from(shell: &Shell, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: origin.parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&shell.webview, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn presets_and_empty_lists() {
    let s = shell();
    let presets = invoke(&s, "host_presets", json!({})).unwrap();
    assert!(presets.as_array().unwrap().iter().any(|p| p["url"] == "https://api-eu.braintrust.dev"));
    assert_eq!(invoke(&s, "list_accounts", json!({})).unwrap(), json!([]));
    assert_eq!(invoke(&s, "list_keys", json!({"query": {}})).unwrap(), json!([]));
}

#[test]
fn validation_names_fields() {
    let s = shell();
    let input = json!({"service": "braintrust", "label": "", "host": "http://example.com", "org_name": null, "token": ""});
    let errors = invoke(&s, "validate_account", json!({ "input": input })).unwrap();
    let fields: Vec<&str> = errors.as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["label", "host", "token"]);
}

#[test]
fn errors_cross_as_code_message_field() {
    let s = shell();
    let input = json!({"service": "braintrust", "label": "Prod", "host": "ftp://x", "org_name": null, "token": "sk-secret-123"});
    let err = invoke(&s, "add_account", json!({ "input": input })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "host");
    assert!(!err.to_string().contains("sk-secret-123"), "a token never comes back in an error");

    let err = invoke(&s, "remove_account", json!({ "accountId": "nope" })).unwrap_err();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn an_edit_is_checked_against_the_stored_key() {
    let s = shell();
    let update = json!({"kind": "respan_temp_key", "name": ""});
    let err = invoke(&s, "validate_update", json!({ "keyId": "nope", "update": update })).unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert!(invoke(&s, "validate_update", json!({ "keyId": "nope", "update": {"kind": "no_such_kind"} })).is_err());
}

#[test]
fn the_window_reports_its_first_paint() {
    let s = shell();
    assert_eq!(invoke(&s, "window_ready", json!({ "keys": 60 })).unwrap(), Value::Null);
    assert!(invoke(&s, "window_ready", json!({})).is_err(), "the key count is required");
}

#[test]
fn malformed_arguments_are_refused_not_panicked_on() {
    let s = shell();
    assert!(invoke(&s, "add_account", json!({ "input": {"service": "nope"} })).is_err());
    assert!(invoke(&s, "remove_account", json!({})).is_err());
    assert!(invoke(&s, "list_keys", json!({ "query": {"search": 5} })).is_err());
}

#[test]
fn commands_outside_keyward_are_not_served() {
    let s = shell();
    assert!(invoke(&s, "plugin:fs|read_file", json!({"path": "/etc/passwd"})).is_err());
    assert!(invoke(&s, "no_such_command", json!({})).is_err());
    // The dialog plugin is Rust's alone: the page can neither open files, show messages, nor
    // choose where an export is written.
    for cmd in ["plugin:dialog|open", "plugin:dialog|message", "plugin:dialog|save"] {
        let err = invoke(&s, cmd, json!({"options": {}, "message": "hi"})).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
}

#[test]
fn a_remote_page_cannot_call_keywards_commands() {
    let s = shell();
    let err = invoke_from(&s, "https://evil.example", "list_accounts", json!({})).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
}

/// The reveal-once path through IPC: the create answer holds no secret, the plaintext comes out
/// once, copy works from Rust (and clears), and after close nothing can show it again.
#[test]
fn a_minted_secret_is_revealed_once_copied_from_rust_and_gone_after_close() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    let s = shell();
    let input = json!({"service": "respan", "label": "R", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    let account = invoke(&s, "add_account", json!({ "input": input })).unwrap();
    let request = json!({"kind": "respan_temp_key", "name": "ci", "max_usage": 10});
    let created = invoke(&s, "create_key", json!({"accountId": account["id"], "request": request})).unwrap();
    let secret_at_service = {
        let world = sb.world();
        world.respan.keys[0].prefix.clone()
    };
    assert!(created["key"]["name"] == "ci" && created["reveal"]["env_var"] == "RESPAN_API_KEY");
    assert_eq!(created["run_hint"]["template_line"], "RESPAN_API_KEY=respan-temp@R?max_usage=10", "Use in a run… has the limits chosen");
    assert_eq!(created["run_hint"]["command_line"], "keyward run -e 'RESPAN_API_KEY=respan-temp@R?max_usage=10' -- COMMAND");
    let reveal_id = created["reveal"]["id"].clone();
    let plaintext = invoke(&s, "reveal_secret", json!({"revealId": reveal_id})).unwrap();
    let plaintext = plaintext.as_str().unwrap().to_string();
    assert!(plaintext.starts_with(&secret_at_service));
    assert!(!created.to_string().contains(&plaintext), "the create answer carries no secret");
    assert_eq!(invoke(&s, "reveal_secret", json!({"revealId": reveal_id})).unwrap_err()["code"], "conflict");

    let secs = invoke(&s, "copy_secret", json!({"revealId": reveal_id, "asEnvLine": true})).unwrap();
    assert_eq!(secs, 0, "300 ms rounds down to 0 whole seconds");
    assert_eq!(s.clipboard.get_text().unwrap(), format!("RESPAN_API_KEY={plaintext}"));
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(s.clipboard.get_text(), None, "cleared after the timeout");

    invoke(&s, "close_reveal", json!({"revealId": reveal_id})).unwrap();
    assert_eq!(invoke(&s, "copy_secret", json!({"revealId": reveal_id, "asEnvLine": false})).unwrap_err()["code"], "not_found");
    let log = invoke(&s, "audit_query", json!({"query": {"limit": 10}})).unwrap();
    assert!(!log.to_string().contains(&plaintext));
    drop(sb);
}

/// A run that a killed `keyward` left: the window's start revokes its keys and says which.
#[test]
fn the_window_ends_runs_whose_processes_are_gone() {
    use tauri::Manager;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    let s = shell();
    let input = json!({"service": "respan", "label": "R", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    invoke(&s, "add_account", json!({ "input": input })).unwrap();
    assert_eq!(invoke(&s, "reap_runs", json!({})).unwrap(), json!([]), "nothing to end");

    let core = s.app.state::<AppState>().core().unwrap();
    let entry = keyward_core::model::run_spec::parse_entry("KEY=respan-temp@R?ttl=10m", "env").unwrap();
    let run = rt.block_on(core.start_run(&[entry], "/usr/bin/pytest")).unwrap();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let db = rusqlite::Connection::open(s._dir.path().join("keyward.db")).unwrap();
    db.execute("UPDATE runs SET keeper_pid = ?2, keeper_started = NULL WHERE id = ?1", rusqlite::params![run.id, gone.id()]).unwrap();
    assert_eq!(sb.world().respan.keys.len(), 1);

    let reaped = invoke(&s, "reap_runs", json!({})).unwrap();
    assert_eq!(reaped[0]["command"], "pytest");
    assert_eq!(reaped[0]["end"]["revoked"][0]["run"]["env_name"], "KEY");
    assert!(reaped[0]["end"]["revoked"][0]["run"]["ended_at"].is_string());
    assert!(sb.world().respan.keys.is_empty(), "its key is revoked");
    let run_keys = invoke(&s, "list_keys", json!({"query": {"from_run": true, "include_gone": true}})).unwrap();
    assert_eq!(run_keys.as_array().unwrap().len(), 1, "the inventory filters keys minted by runs");
    assert_eq!(invoke(&s, "reap_runs", json!({})).unwrap(), json!([]), "ended once");
}

/// A gateway key reissued through IPC: at once without a grace period, and with one the
/// previous secret keeps working; one over 7 days is refused by field.
#[test]
fn a_gateway_key_is_reissued_with_or_without_a_grace_period() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    let s = shell();
    let input = json!({"service": "barndoor", "label": "B", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    let account = invoke(&s, "add_account", json!({ "input": input })).unwrap();
    let request = json!({"kind": "barndoor_gateway_key", "name": "svc", "scopes": ["llm:invoke"], "group_name": "engineering"});
    let created = invoke(&s, "create_key", json!({"accountId": account["id"], "request": request})).unwrap();
    assert_eq!(sb.world().barndoor.api_keys[0]["group_name"], "engineering", "the form's binding reaches the service");
    let id = created["key"]["id"].clone();
    invoke(&s, "reissue_key", json!({"keyId": id})).unwrap();
    assert!(sb.world().barndoor.api_keys[0]["previous_key_expires_at"].is_null(), "no grace period given: at once");
    invoke(&s, "reissue_key", json!({"keyId": id, "gracePeriodSecs": 3600})).unwrap();
    assert!(sb.world().barndoor.api_keys[0]["previous_key_expires_at"].is_string());
    let err = invoke(&s, "reissue_key", json!({"keyId": id, "gracePeriodSecs": 700_000})).unwrap_err();
    assert_eq!(err["field"], "grace_period_secs");
}

#[test]
fn an_env_var_is_created_in_a_project_the_window_lists() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    let s = shell();
    let input = json!({"service": "braintrust", "label": "BT", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    let account = invoke(&s, "add_account", json!({ "input": input })).unwrap();
    let projects = invoke(&s, "list_projects", json!({"accountId": account["id"]})).unwrap();
    let checkout = projects.as_array().unwrap().iter().find(|p| p["name"] == "checkout").expect("the seeded project").clone();
    let request = json!({"kind": "braintrust_env_var", "name": "RESPAN_API_KEY", "object_type": "project",
        "object_id": checkout["id"], "value": "rs-window-value-4d4d"});
    let created = invoke(&s, "create_key", json!({"accountId": account["id"], "request": request})).unwrap();
    assert!(created["reveal"].is_null(), "a given value has nothing to reveal: {created}");
    assert_eq!(created["key"]["owner"], "project checkout");
    assert!(!created.to_string().contains("rs-window-value"));
    let id = sb.world().braintrust.env_vars[0]["id"].as_str().unwrap().to_string();
    assert_eq!(sb.world().env_var_digests.get(&id), Some(&keyward_sandbox::digest("rs-window-value-4d4d")));
    let respan = json!({"service": "respan", "label": "R", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    let respan = invoke(&s, "add_account", json!({ "input": respan })).unwrap();
    let err = invoke(&s, "list_projects", json!({"accountId": respan["id"]})).unwrap_err();
    assert_eq!(err["field"], "account_id");
}

/// An account with three keys created through IPC, against the sandbox.
fn shell_with_keys(sb: &keyward_sandbox::SandboxHandle) -> Shell {
    let s = shell();
    let input = json!({"service": "respan", "label": "Gateway, EU", "host": sb.base_url, "org_name": null, "token": keyward_sandbox::DEFAULT_TOKEN});
    let account = invoke(&s, "add_account", json!({ "input": input })).unwrap();
    for name in ["ci, \"nightly\"", "=cmd", "plain"] {
        let request = json!({"kind": "respan_temp_key", "name": name, "max_usage": 10});
        let created = invoke(&s, "create_key", json!({"accountId": account["id"], "request": request})).unwrap();
        invoke(&s, "close_reveal", json!({"revealId": created["reveal"]["id"]})).unwrap();
    }
    s
}

/// The save dialog Rust would open, answered by the test instead.
fn choosing(s: &Shell) -> Arc<FakeChooser> {
    use tauri::Manager;
    let chooser = Arc::new(FakeChooser::default());
    s.app.manage(SavePathChooser(chooser.clone()));
    chooser
}

#[test]
fn exports_write_files_that_parse_back_as_what_the_window_lists() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sb = rt.block_on(keyward_sandbox::spawn(Default::default())).unwrap();
    let s = shell_with_keys(&sb);
    let chooser = choosing(&s);
    let out = tempfile::tempdir().unwrap();

    let query = json!({"search": "nightly"});
    let path = out.path().join("keys.csv");
    chooser.answer(Some(path.clone()));
    let report = invoke(&s, "export_keys", json!({"query": query, "format": "csv"})).unwrap();
    assert_eq!(report, json!({"path": path.display().to_string(), "rows": 1}));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!((rows.len(), &rows[0][4], &rows[0][1]), (1, "ci, \"nightly\"", "Gateway, EU"));

    let json_path = out.path().join("keys");
    chooser.answer(Some(json_path.clone()));
    let report = invoke(&s, "export_keys", json!({"query": {}, "format": "json"})).unwrap();
    assert_eq!(report["path"], format!("{}.json", json_path.display()), "the extension is added");
    let written: Value = serde_json::from_slice(&std::fs::read(report["path"].as_str().unwrap()).unwrap()).unwrap();
    assert_eq!(written, invoke(&s, "list_keys", json!({"query": {}})).unwrap(), "the rows the table lists");

    let creates = invoke(&s, "audit_query", json!({"query": {"action": "key.create", "since": "2000-01-01"}})).unwrap();
    assert_eq!(creates.as_array().unwrap().len(), 3);
    assert_eq!(creates[0]["account_label"], "Gateway, EU");
    let actions = invoke(&s, "audit_actions", json!({})).unwrap();
    assert_eq!(actions, json!(["account.add", "inventory.export", "key.create"]));
    let audit_path = out.path().join("audit.csv");
    chooser.answer(Some(audit_path.clone()));
    let report = invoke(&s, "export_audit", json!({"query": {"action": "key.create"}})).unwrap();
    assert_eq!(report["rows"], 3);
    let mut reader = csv::Reader::from_path(&audit_path).unwrap();
    let targets: Vec<String> = reader.records().map(|r| r.unwrap()[4].to_string()).collect();
    assert_eq!(targets, ["plain", "'=cmd", "ci, \"nightly\""], "newest first; a formula kept as text");
    let asked: Vec<(&str, ExportFormat)> = chooser.asked().iter().map(|a| (a.title, a.format)).collect();
    assert_eq!(
        asked,
        [("Export the inventory", ExportFormat::Csv), ("Export the inventory", ExportFormat::Json), ("Export the audit log", ExportFormat::Csv)]
    );
    drop(sb);
}

/// A script in the page could name any file the person can write: the page names none. A path
/// it sends is ignored; the file is the one chosen in the dialog Rust opens; a cancelled dialog
/// writes nothing; and the dialog plugin's own commands are not the page's to call.
#[test]
fn the_page_names_no_export_path_the_save_dialog_rust_opens_does() {
    let s = shell();
    let chooser = choosing(&s);
    let out = tempfile::tempdir().unwrap();
    let victim = out.path().join("precious.csv");
    std::fs::write(&victim, "kept\n").unwrap();
    let chosen = out.path().join("chosen.csv");
    chooser.answer(Some(chosen.clone()));
    let report = invoke(&s, "export_keys", json!({"query": {}, "format": "csv", "path": victim})).unwrap();
    assert_eq!(report["path"], chosen.display().to_string());
    assert!(std::fs::read_to_string(&chosen).unwrap().starts_with("id,account,"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept\n", "the page's path is not written");

    chooser.answer(None);
    assert_eq!(invoke(&s, "export_audit", json!({"query": {}, "path": victim})).unwrap(), Value::Null, "cancelled: nothing to report");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept\n");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 2, "nothing else was written");
    let asked = chooser.asked();
    assert_eq!(asked.len(), 2, "each export asked the person once");
    assert!(asked[0].file_name.starts_with("keyward-keys-") && asked[0].file_name.ends_with(".csv"), "{asked:?}");
    assert!(asked[1].file_name.starts_with("keyward-audit-"), "{asked:?}");

    let save = json!({"options": {"defaultPath": victim}});
    let err = invoke(&s, "plugin:dialog|save", save).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "the page cannot open a save dialog itself: {err}");
}

#[test]
fn a_bad_export_is_refused_by_field_and_writes_nothing() {
    let s = shell();
    let chooser = choosing(&s);
    let out = tempfile::tempdir().unwrap();
    let missing = out.path().join("no-such-folder").join("keys.csv");
    for (cmd, args, chosen) in [
        ("export_keys", json!({"query": {}, "format": "csv"}), missing.clone()),
        ("export_audit", json!({"query": {}}), missing.clone()),
        ("export_audit", json!({"query": {}}), out.path().to_path_buf()),
    ] {
        chooser.answer(Some(chosen));
        let err = invoke(&s, cmd, args).unwrap_err();
        assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("path")), "{cmd}: {err}");
    }
    chooser.answer(Some(out.path().join("a.csv")));
    let err = invoke(&s, "export_audit", json!({"query": {"until": "tomorrow"}})).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("until")));
    let err = invoke(&s, "audit_query", json!({"query": {"limit": 0}})).unwrap_err();
    assert_eq!(err["field"], "limit");
    assert!(invoke(&s, "export_keys", json!({"query": {}, "format": "xlsx"})).is_err());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing was written");
    assert!(!std::path::PathBuf::from(format!("{}.csv", out.path().display())).exists(), "nor beside the folder");
}
