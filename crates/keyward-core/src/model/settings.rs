//! The person's preferences: how near an expiry must be to need attention, when a key is old
//! enough to rotate (the rotation age: reissue or replace it), whether expiries raise OS
//! notifications, how long a copied secret stays on the clipboard, and the window's theme.
//! Checked field by field like every form.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{FieldError, KeyStatus};

pub const EXPIRY_WINDOW_DAYS: std::ops::RangeInclusive<u32> = 1..=90;
pub const ROTATE_AFTER_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
pub const CLIPBOARD_CLEAR_SECS: std::ops::RangeInclusive<u32> = 5..=600;

/// Each number's field, range and unit: checked here, and shown by the settings form (through
/// the catalog), so the form's hints are the rule itself.
pub const LIMITS: [(&str, std::ops::RangeInclusive<u32>, &str); 3] = [
    ("expiry_window_days", EXPIRY_WINDOW_DAYS, "days"),
    ("rotate_after_days", ROTATE_AFTER_DAYS, "days"),
    ("clipboard_clear_secs", CLIPBOARD_CLEAR_SECS, "seconds"),
];

/// The window's colours: the desktop's light or dark, followed as it changes, or one of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// A key expiring within this many days reads as expiring and is in the expiry centre.
    pub expiry_window_days: u32,
    /// A key older than this many days is flagged for rotation.
    pub rotate_after_days: u32,
    /// OS notifications this many days and one hour before an expiry, while Keyward runs.
    pub notify_expiry: bool,
    /// A copied secret is cleared from the clipboard after this many seconds (if still there).
    pub clipboard_clear_secs: u32,
    /// The window's colours.
    pub theme: Theme,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            expiry_window_days: KeyStatus::EXPIRING_DAYS as u32,
            rotate_after_days: 90,
            notify_expiry: true,
            clipboard_clear_secs: 30,
            theme: Theme::System,
        }
    }
}

impl Settings {
    pub fn problems(&self) -> Vec<FieldError> {
        let values = [self.expiry_window_days, self.rotate_after_days, self.clipboard_clear_secs];
        LIMITS
            .iter()
            .zip(values)
            .filter(|((_, range, _), value)| !range.contains(value))
            .map(|((field, range, unit), _)| FieldError {
                field: (*field).into(),
                message: format!("From {} to {} {unit}.", range.start(), range.end()),
            })
            .collect()
    }

    /// What a stored document says, with anything unreadable or out of range back at its default:
    /// a bad preference must never stop Keyward from opening.
    pub fn from_stored(text: &str) -> Settings {
        let mut s: Settings = serde_json::from_str(text).unwrap_or_else(|_| Settings::salvaged(text));
        let d = Settings::default();
        for p in s.problems() {
            match p.field.as_str() {
                "expiry_window_days" => s.expiry_window_days = d.expiry_window_days,
                "rotate_after_days" => s.rotate_after_days = d.rotate_after_days,
                _ => s.clipboard_clear_secs = d.clipboard_clear_secs,
            }
        }
        s
    }

    /// A document one field of which no longer parses (a theme a later Keyward added, say): that
    /// field is dropped and every other one kept, rather than all of them lost.
    fn salvaged(text: &str) -> Settings {
        let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str::<serde_json::Value>(text) else {
            return Settings::default();
        };
        fields.retain(|name, value| serde_json::from_value::<Settings>(serde_json::json!({ name: value })).is_ok());
        serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bounds_are_named() {
        assert!(Settings::default().problems().is_empty());
        let bad = Settings { expiry_window_days: 0, rotate_after_days: 4000, notify_expiry: false, clipboard_clear_secs: 1, theme: Theme::Dark };
        let fields: Vec<String> = bad.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["expiry_window_days", "rotate_after_days", "clipboard_clear_secs"]);
        assert_eq!(bad.problems()[0].message, "From 1 to 90 days.");
    }

    #[test]
    fn a_damaged_or_partial_document_falls_back_field_by_field() {
        assert_eq!(Settings::from_stored("not json"), Settings::default());
        let s = Settings::from_stored(r#"{"expiry_window_days": 14, "rotate_after_days": 0, "future_field": 1}"#);
        assert_eq!((s.expiry_window_days, s.rotate_after_days, s.clipboard_clear_secs), (14, 90, 30));
    }

    #[test]
    fn the_theme_is_kept_and_one_unreadable_field_loses_only_itself() {
        let saved = serde_json::to_string(&Settings { theme: Theme::Dark, ..Settings::default() }).unwrap();
        assert!(saved.contains(r#""theme":"dark""#), "{saved}");
        assert_eq!(Settings::from_stored(&saved).theme, Theme::Dark);
        // Written before there was a theme: the default.
        assert_eq!(Settings::from_stored(r#"{"expiry_window_days": 14}"#).theme, Theme::System);
        // A theme this Keyward does not know: that field falls back, the others stay.
        let s = Settings::from_stored(r#"{"expiry_window_days": 14, "notify_expiry": false, "theme": "sepia"}"#);
        assert_eq!((s.expiry_window_days, s.notify_expiry, s.theme), (14, false, Theme::System));
    }
}
