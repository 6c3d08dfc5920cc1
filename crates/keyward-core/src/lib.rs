//! Keyward's core: everything that is not a window. The desktop shell and the `keyward` CLI are
//! thin layers over [`Keyward`].

pub mod account_rules;
mod api_guard;
pub mod catalog;
pub mod error;
pub mod expiry;
pub mod export;
pub mod host;
pub mod install;
pub mod key_change;
mod keys_ops;
mod keyward;
pub mod model;
pub mod new_key;
pub mod paths;
pub mod process;
pub mod providers;
pub mod replace;
mod rules;
pub mod secret;
pub mod settings;
mod settings_ops;
pub mod setup_check;
pub mod store;
mod time;
pub mod vault;

pub use error::{Error, ErrorCode, Result};
pub use keys_ops::RevokeOutcome;
pub use keyward::{Keyward, Recovery};
pub use model::Minted;
pub use providers::HttpConfig;
