//! Everything the shell returns over IPC, and every row the store reads back, is `Serialize`;
//! with the compile-fail doctests in `secret.rs` (a `MintedSecret` or a `SecretString` cannot
//! be serialized), none of them can hold a secret. A new payload type goes in the list below.
//!
//! The list lives in its own module, which nothing imports, because it must name a type from
//! almost every module: kept in `secret.rs` it made the lowest layer import the highest.

#[allow(dead_code)]
fn payloads_are_serialize() {
    fn serialize<T: serde::Serialize>() {}
    serialize::<crate::model::Account>();
    serialize::<crate::model::KeyRow>();
    serialize::<crate::model::SyncProgress>();
    serialize::<crate::model::SyncReport>();
    serialize::<crate::model::FieldError>();
    serialize::<crate::model::HostPreset>();
    serialize::<crate::store::AuditEntry>();
    serialize::<crate::ops::export::ExportReport>();
    serialize::<crate::model::RemoteKey>();
    serialize::<crate::ops::keys::RevokeOutcome>();
    serialize::<crate::model::setup_check::CheckOutcome>();
    serialize::<crate::error::Error>();
    serialize::<crate::model::settings::Settings>();
    serialize::<crate::ops::expiry::ExpiryCentre>();
    serialize::<crate::ops::expiry::ExpiryNotice>();
    serialize::<crate::ops::install::Installed>();
    serialize::<crate::ops::replace::ReplacePlan>();
    serialize::<crate::ops::replace::ReplaceReport>();
}
