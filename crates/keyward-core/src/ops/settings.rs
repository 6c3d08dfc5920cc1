//! Reading and saving the person's preferences. Not in `settings.rs`: the store reads that
//! module, so it must stay plain data and rules that know nothing of `Keyward`.

use crate::error::{Error, Result};
use crate::model::catalog::AuditAction;
use crate::model::settings::Settings;
use crate::model::FieldError;
use crate::Keyward;

impl Keyward {
    pub fn settings(&self) -> Settings {
        self.store.settings()
    }

    pub fn validate_settings(&self, settings: &Settings) -> Vec<FieldError> {
        settings.problems()
    }

    /// Saves the settings when every field is in range; nothing changes otherwise.
    pub fn save_settings(&self, settings: Settings) -> Result<Settings> {
        if let Some(p) = settings.problems().into_iter().next() {
            return Err(Error::invalid(&p.field, p.message));
        }
        self.store.save_settings(&settings)?;
        self.record(None, AuditAction::SettingsUpdate, "Settings", None, None);
        Ok(settings)
    }
}
