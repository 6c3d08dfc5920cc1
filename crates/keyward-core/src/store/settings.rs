//! Preferences kept beside the inventory. The store keeps a copy in memory because every key
//! query reads two of them (the expiring window and the rotation age).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::Result;
use crate::model::settings::Settings;

const NAME: &str = "app";

impl Store {
    pub(super) fn read_settings(conn: &rusqlite::Connection) -> Settings {
        let text: Option<String> = conn.query_row("SELECT value FROM settings WHERE name = ?1", [NAME], |r| r.get(0)).optional().unwrap_or(None);
        text.map(|t| Settings::from_stored(&t)).unwrap_or_default()
    }

    pub fn settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Saves settings already checked by the caller.
    pub fn save_settings(&self, settings: &Settings) -> Result<()> {
        let text = serde_json::to_string(settings).map_err(|e| crate::error::Error::storage("save the settings", e))?;
        self.conn().execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![NAME, text],
        )?;
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings.clone();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let changed = Settings { expiry_window_days: 21, ..Settings::default() };
        Store::open(dir.path()).unwrap().save_settings(&changed).unwrap();
        assert_eq!(Store::open(dir.path()).unwrap().settings(), changed);
        assert_eq!(Store::in_memory().unwrap().settings(), Settings::default());
    }
}
