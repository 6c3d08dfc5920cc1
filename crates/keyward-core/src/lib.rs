//! Keyward's core: everything that is not a window. The desktop shell and the `keyward` CLI are
//! thin layers over [`Keyward`]. Imports flow one way (`make check-layers`):
//! `error` → `model` → `paths`, `vault`, `store`, `providers` → `app` (`Keyward`) → `ops`.

mod api_guard;
mod app;
pub mod desktop_notices;
pub mod error;
pub mod model;
pub mod ops;
pub mod paths;
// The one module with unsafe code: libc calls that keep secrets out of core dumps, and that
// ask whether a run's process is alive and pass it a signal.
#[allow(unsafe_code)]
pub mod process;
pub mod providers;
pub mod store;
pub mod vault;

pub use app::{Keyward, Recovery};
pub use error::{Error, ErrorCode, Result};
pub use model::Minted;
pub use ops::keys::RevokeOutcome;
pub use providers::HttpConfig;
