//! The window's security settings as built: a widened permission, a remote origin in the CSP, or
//! devtools in a release build fails here before it ships.

use std::collections::BTreeSet;

use serde_json::Value;

/// The one list (command_list.rs) that build.rs permits and lib.rs registers.
fn commands() -> Vec<String> {
    macro_rules! names {
        ($($command:ident),* $(,)?) => {
            vec![$(stringify!($command).to_string()),*]
        };
    }
    keyward_commands!(names)
}

/// Each `#[tauri::command]` written in commands.rs, so none is left out of the list (it would be
/// neither served nor granted) and the list names none that is gone.
fn written() -> BTreeSet<String> {
    let source = include_str!("commands.rs");
    let mut lines = source.lines();
    let mut out = BTreeSet::new();
    while let Some(line) = lines.next() {
        if line.trim() == "#[tauri::command]" {
            let sig = lines.next().unwrap_or_default();
            let name = sig.trim().trim_start_matches("pub ").trim_start_matches("async ").trim_start_matches("fn ");
            out.insert(name.split(['<', '(']).next().unwrap_or_default().to_string());
        }
    }
    out
}

/// All the window may use beyond Keyward's own commands: its events. No dialog: Rust opens the
/// save dialog of an export itself, so the page cannot choose which file is written.
const PLUGIN_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

#[test]
fn capabilities_grant_only_keywards_commands_to_the_main_window() {
    let allowed: BTreeSet<String> =
        commands().iter().map(|c| format!("allow-{}", c.replace('_', "-"))).chain(PLUGIN_PERMISSIONS.map(String::from)).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let cap: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        files += 1;
        assert_eq!(cap["windows"], serde_json::json!(["main"]), "{}: only the main window", path.display());
        assert!(cap.get("remote").is_none(), "{}: no remote origin may call Keyward", path.display());
        assert!(cap.get("webviews").is_none() && cap.get("platforms").is_none(), "{}", path.display());
        let granted: BTreeSet<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap_or_else(|| panic!("{}: a scoped permission object widens access: {p}", path.display())).to_string())
            .collect();
        for name in &granted {
            assert!(allowed.contains(name), "{}: '{name}' is not one of Keyward's commands nor its events", path.display());
        }
        assert_eq!(granted, allowed, "{}: each of Keyward's commands is granted, and its events", path.display());
    }
    assert_eq!(files, 1, "one capability file");
    let listed: BTreeSet<String> = commands().into_iter().collect();
    assert_eq!(written(), listed, "every command written is in command_list.rs, and the list names no missing command");
}

#[test]
fn the_csp_allows_no_remote_origin() {
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let security = &conf["app"]["security"];
    assert_eq!(security["freezePrototype"], true);
    assert_eq!(conf["app"]["withGlobalTauri"], false, "no global __TAURI__ for injected scripts");
    assert!(security.get("dangerousDisableAssetCspModification").is_none());
    let csp = security["csp"].as_str().expect("a CSP is set");
    let local = ["'self'", "'none'", "ipc:", "http://ipc.localhost"];
    for directive in csp.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut parts = directive.split_whitespace();
        let name = parts.next().unwrap();
        for source in parts {
            let fine = local.contains(&source) || (name == "img-src" && source == "data:") || (name == "style-src" && source == "'unsafe-inline'");
            assert!(fine, "CSP {name} allows {source}: only Keyward's own origin and IPC");
        }
    }
    for needed in ["default-src", "script-src", "connect-src", "object-src", "frame-ancestors"] {
        assert!(csp.contains(needed), "the CSP names {needed}");
    }
}

#[test]
fn devtools_are_not_compiled_into_release_builds() {
    let manifest = include_str!("../Cargo.toml");
    for line in manifest.lines().filter(|l| l.trim_start().starts_with("tauri =")) {
        assert!(!line.contains("devtools"), "tauri's devtools feature turns the inspector on in release builds: {line}");
    }
    let conf: Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    for w in conf["app"]["windows"].as_array().unwrap() {
        assert!(w.get("devtools").is_none_or(|d| d == false), "a window asks for devtools");
    }
}

#[test]
fn the_built_context_carries_the_same_csp() {
    let context: tauri::Context<tauri::test::MockRuntime> = tauri::generate_context!();
    let csp = context.config().app.security.csp.as_ref().expect("CSP in the built config").to_string();
    assert!(csp.contains("default-src 'self'") && !csp.contains("https:") && !csp.contains('*'), "{csp}");
}

/// A second launch must hand over before any other plugin (or the store's watchers) starts:
/// the single-instance plugin (ours on Linux, the official one elsewhere) is the builder's first,
/// in the app a person runs. The second launch itself is a journey (test_second_launch.py).
#[test]
fn a_second_launch_focuses_the_first_instead_of_opening_the_store_again() {
    let lib = include_str!("lib.rs");
    let run = &lib[lib.find("pub fn run()").expect("lib.rs has run()")..];
    let first_plugin = run.find(".plugin(").expect("run() registers plugins");
    assert!(run[first_plugin..].starts_with(".plugin(one_window_per_store())"), "the first plugin of run() is the single-instance one");
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.lines().any(|l| l.starts_with("tauri-plugin-single-instance")), "the official plugin is a dependency elsewhere");
    let ours = include_str!("single_instance.rs");
    assert!(ours.contains("\"org.SingleInstance.DBus\"") && ours.contains("\"ExecuteCallback\""), "the plugin's own protocol on Linux");
    let focus = &ours[ours.find("fn focus<").expect("single_instance.rs has focus()")..];
    let focus = &focus[..focus.find("\n}\n").unwrap()];
    for call in ["unminimize()", "show()", "set_focus()"] {
        assert!(focus.contains(call), "the first window is brought back: {call}");
    }
}

#[test]
fn one_instance_per_data_dir_under_a_name_the_bus_accepts() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let id = crate::instance_id(Some(a.path()));
    assert_eq!(id, crate::instance_id(Some(&a.path().join("."))), "one folder, one instance, however it is spelt");
    assert_ne!(id, crate::instance_id(Some(b.path())), "another data dir shares no file, so it may run beside");
    // A first launch, before the dir exists, registers the name every later launch looks for.
    let fresh = a.path().join("not-yet");
    let before = crate::instance_id(Some(&a.path().join(".").join("not-yet")));
    std::fs::create_dir(&fresh).unwrap();
    assert_eq!(before, crate::instance_id(Some(&fresh)), "the same name before and after the dir is made");
    for element in id.split('.') {
        assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()), "{id}");
        assert!(element.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{id}");
    }
    assert!(id.len() + ".SingleInstance".len() <= 255, "{id}");
}

/// A person's build has no web inspector (from it a page script, or anyone at the keyboard, can
/// call every command): `make run` builds and opens the release binary, not the debug one.
#[test]
fn make_run_opens_a_release_build() {
    let makefile = include_str!("../../Makefile");
    let recipe: Vec<&str> = makefile.lines().skip_while(|l| !l.starts_with("run:")).skip(1).take_while(|l| l.starts_with('\t')).collect();
    assert!(recipe.iter().any(|l| l.contains("cargo build --release") && l.contains("keyward-app")), "{recipe:?}");
    assert!(recipe.last().is_some_and(|l| l.trim() == "target/release/keyward-app"), "{recipe:?}");
}

/// Without a backend for its platform, keyring keeps tokens in memory (they would vanish at the
/// next start): every target Keyward ships for names its own keychain.
#[test]
fn every_platform_has_its_keychain_backend() {
    let manifest = include_str!("../../Cargo.toml");
    let keyring = manifest.lines().find(|l| l.starts_with("keyring =")).expect("keyring in the workspace");
    for backend in ["sync-secret-service", "apple-native", "windows-native"] {
        assert!(keyring.contains(&format!("\"{backend}\"")), "{backend}: {keyring}");
    }
}
