//! What the commands share: the core, or why it could not be opened (a corrupt or locked store
//! is reported to the window instead of crashing before it can say anything).

use std::sync::Arc;

use keyward_core::{Error, Keyward};

pub struct AppState(Result<Arc<Keyward>, Error>);

impl AppState {
    pub fn open_default() -> AppState {
        AppState(Keyward::open_default().map(Arc::new))
    }

    pub fn new(core: Keyward) -> AppState {
        AppState(Ok(Arc::new(core)))
    }

    pub fn core(&self) -> Result<Arc<Keyward>, Error> {
        self.0.clone()
    }
}
