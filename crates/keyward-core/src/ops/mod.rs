//! What a person does with Keyward, one area a file, each an `impl Keyward` over the model, the
//! store, the providers and the keychain.

pub mod expiry;
pub mod export;
pub mod install;
pub(crate) mod keys;
pub mod notice_timer;
pub(crate) mod projects;
pub mod replace;
pub mod run;
pub(crate) mod settings;
