//! The events the shell emits to the window. Their names reach the UI through the generated
//! `commands.ts` (command_bindings.rs), so a renamed event is renamed on both sides.

/// Each page of a sync as it is written (`SyncProgress`).
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";
/// The replace assistant's report each time a step changes (`ReplaceReport`).
pub const REPLACE_PROGRESS_EVENT: &str = "replace-progress";
/// An expiry notice raised while the window is open (`ExpiryNotice`).
pub const EXPIRY_NOTICE_EVENT: &str = "expiry-notice";
