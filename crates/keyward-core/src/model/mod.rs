//! Pure: the types that cross IPC and the CLI's `--json`, and every rule about them. No I/O, and
//! nothing here imports the store, the providers, the keychain or `Keyward`. None of the types
//! holds a secret: account tokens and minted keys live in `secrecy` types that are never
//! `Serialize` (`secret.rs`).

mod account;
pub mod account_rules;
pub mod catalog;
pub mod env_var;
pub mod gateway_state;
pub mod host;
mod key;
pub mod key_change;
mod kind;
pub mod new_key;
pub(crate) mod rules;
pub mod run_spec;
pub mod secret;
pub mod settings;
pub mod setup_check;
pub(crate) mod time;

pub use account::*;
pub use key::*;
pub use kind::*;

use serde::Serialize;
use ts_rs::TS;

/// One validation problem, named by the form field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}
