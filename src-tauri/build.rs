// Generates one `allow-<command>` permission per command, so the capability can name exactly
// Keyward's commands and nothing else.
const COMMANDS: &[&str] = &[
    "host_presets",
    "list_accounts",
    "validate_account",
    "add_account",
    "remove_account",
    "sync_account",
    "list_keys",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
