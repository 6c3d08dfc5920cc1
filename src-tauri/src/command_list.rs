// The one list of Keyward's commands. build.rs includes this file to generate an `allow-<command>`
// permission for each and to check that the capability grants exactly those; lib.rs registers the
// same list with the invoke handler. A command is served, permitted and granted from this line or
// not at all. (No `//!`: build.rs `include!`s it.)
macro_rules! keyward_commands {
    ($then:ident) => {
        $then!(
            host_presets,
            list_accounts,
            validate_account,
            add_account,
            update_account,
            remove_account,
            sync_account,
            list_keys,
            validate_key,
            validate_update,
            check_credential,
            create_key,
            reissue_key,
            reveal_secret,
            copy_secret,
            close_reveal,
            revoke_key,
            revoke_keys,
            update_key,
            refresh_key,
            key_details,
            list_projects,
            check_setup,
            audit_query,
            audit_actions,
            export_audit,
            export_keys,
            recover_store,
            reopen_store,
            window_ready,
            settings,
            validate_settings,
            save_settings,
            expiry_centre,
            dismiss_expired,
            validate_install,
            install_secret,
            replace_plan,
            replace_key,
            reap_runs
        )
    };
}
