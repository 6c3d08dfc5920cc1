// Generates one `allow-<command>` permission per command of src/command_list.rs, so the capability
// can name exactly Keyward's commands, and fails the build when the capability grants another set.
include!("src/command_list.rs");

macro_rules! names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = keyward_commands!(names);

/// What the capability may grant beyond the commands: the window listens to Keyward's events.
const EVENT_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    println!("cargo:rerun-if-changed=capabilities/default.json");
    check_capability();
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("tauri build script failed");
}

/// A command added to the list but not granted (or granted but gone) is a build error, not a
/// window that fails at run time.
fn check_capability() {
    let text = std::fs::read_to_string("capabilities/default.json").expect("capabilities/default.json");
    let mut granted: Vec<String> = text
        .lines()
        .filter_map(|l| Some(l.trim().trim_end_matches(',').strip_prefix('"')?.strip_suffix('"')?.to_string()))
        .filter(|p| p.starts_with("allow-") || p.starts_with("core:"))
        .collect();
    let mut wanted: Vec<String> =
        COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).chain(EVENT_PERMISSIONS.map(String::from)).collect();
    granted.sort();
    wanted.sort();
    if granted != wanted {
        let missing: Vec<&String> = wanted.iter().filter(|w| !granted.contains(w)).collect();
        let extra: Vec<&String> = granted.iter().filter(|g| !wanted.contains(g)).collect();
        panic!("capabilities/default.json does not grant exactly src/command_list.rs: missing {missing:?}, not commands {extra:?}");
    }
}
