// Generates one `allow-<command>` permission per command, so the capability can name exactly
// Keyward's commands and nothing else.
const COMMANDS: &[&str] = &[
    "host_presets",
    "list_accounts",
    "validate_account",
    "add_account",
    "update_account",
    "remove_account",
    "sync_account",
    "list_keys",
    "validate_key",
    "validate_update",
    "check_credential",
    "create_key",
    "rotate_key",
    "reveal_secret",
    "copy_secret",
    "close_reveal",
    "revoke_key",
    "revoke_keys",
    "update_key",
    "refresh_key",
    "key_details",
    "validate_setup",
    "audit_query",
    "audit_actions",
    "export_audit",
    "export_keys",
    "recover_store",
    "reopen_store",
    "window_ready",
    "settings",
    "validate_settings",
    "save_settings",
    "expiry_centre",
    "dismiss_expired",
    "validate_hand_off",
    "install_secret",
    "rotation_plan",
    "rotate_assisted",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
