//! The expiry centre and expiry notices: what has expired or expires soon across every account,
//! and the OS notifications raised the expiry window and one hour before an expiry.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::catalog::AuditAction;
use crate::model::{KeyKind, KeyRow, KeyStatus};
use crate::store::NoticeCandidate;
use crate::Keyward;

/// The expiry centre looks at least this far ahead, so its timeline shows what comes next.
pub const MIN_HORIZON_DAYS: u32 = 30;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExpiryCentre {
    pub window_days: u32,
    /// How far ahead `keys` reaches.
    pub horizon_days: u32,
    /// Expired or expiring within the window: what needs attention (and opens the centre at launch).
    pub attention: u32,
    /// Live keys that expired or expire within the horizon, not set aside, soonest first.
    pub keys: Vec<KeyRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoticeStage {
    /// The expiry window before (7 days by default).
    Window,
    /// One hour before.
    Hour,
}

impl NoticeStage {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStage::Window => "window",
            NoticeStage::Hour => "hour",
        }
    }
}

/// One OS notification to raise. Names and dates only: never a secret.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExpiryNotice {
    pub key_id: String,
    pub stage: NoticeStage,
    pub expires_at: DateTime<Utc>,
    pub title: String,
    pub body: String,
}

/// Which notice a key is owed now, if any, and every stage that raising it settles. A stage is
/// owed once its lead time has begun, if it was not raised for this expiry, and only when the key
/// lived longer than the lead (a ten-minute proxy credential gets no "in an hour" notice at birth).
/// When both are owed, only the nearer one is raised: one notice, and the earlier one is moot.
pub fn owed(
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    born: DateTime<Utc>,
    window_days: u32,
    sent: &[String],
) -> Option<(NoticeStage, Vec<NoticeStage>)> {
    if expires_at <= now {
        return None;
    }
    let lifetime = expires_at - born;
    let lead = |stage: NoticeStage| match stage {
        NoticeStage::Window => Duration::days(window_days as i64),
        NoticeStage::Hour => Duration::hours(1),
    };
    let due = |stage: NoticeStage| now >= expires_at - lead(stage) && lifetime > lead(stage) && !sent.iter().any(|s| s == stage.as_str());
    if due(NoticeStage::Hour) {
        return Some((NoticeStage::Hour, vec![NoticeStage::Hour, NoticeStage::Window]));
    }
    if due(NoticeStage::Window) && expires_at - now > lead(NoticeStage::Hour) {
        return Some((NoticeStage::Window, vec![NoticeStage::Window]));
    }
    None
}

/// "in 3 days", "in 5 hours", "in 12 minutes", to the nearest unit (2 days 23 hours is 3 days).
fn time_left(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let nearest = |unit: i64| (secs + unit / 2) / unit;
    let (n, unit) = if secs >= 2 * 86_400 - 43_200 {
        (nearest(86_400), "day")
    } else if secs >= 2 * 3_600 - 1_800 {
        (nearest(3_600), "hour")
    } else {
        (nearest(60).max(1), "minute")
    };
    format!("in {n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn notice_for(c: &NoticeCandidate, stage: NoticeStage, now: DateTime<Utc>) -> ExpiryNotice {
    let service = c.kind.service().display_name();
    ExpiryNotice {
        key_id: c.key_id.clone(),
        stage,
        expires_at: c.expires_at,
        title: format!("{} “{}” expires {}", c.kind.label(), c.name, time_left(c.expires_at - now)),
        body: format!(
            "{service} · {}. It expires {}. Open Keyward to reissue or replace it.",
            c.account_label,
            c.expires_at.format("%-d %b %Y, %H:%M UTC")
        ),
    }
}

impl Keyward {
    pub fn expiry_centre(&self) -> Result<ExpiryCentre> {
        let now = Utc::now();
        let window_days = self.store.settings().expiry_window_days;
        let horizon_days = window_days.max(MIN_HORIZON_DAYS);
        let keys = self.store.expiring_keys(now, now + Duration::days(horizon_days as i64))?;
        let attention = keys.iter().filter(|k| matches!(k.status, KeyStatus::Expired | KeyStatus::Expiring)).count() as u32;
        Ok(ExpiryCentre { window_days, horizon_days, attention, keys })
    }

    /// Sets an expired key aside: it leaves the expiry centre (and stays in the inventory).
    pub fn dismiss_expired(&self, key_id: &str) -> Result<KeyRow> {
        let key = self.store.get_key(key_id)?;
        if key.status != KeyStatus::Expired {
            return Err(Error::invalid("key", format!("Only an expired key can be set aside; “{}” is {}.", key.name, key.status.as_str())));
        }
        self.store.dismiss(key_id, Utc::now())?;
        self.record(Some(&key.account_id), AuditAction::KeyDismiss, &key.name, None, Some(key.kind.label()));
        self.store.get_key(key_id)
    }

    /// The notices owed at `now`, each remembered as raised so no restart raises it again. Empty
    /// when the settings turn notices off.
    pub fn due_notices(&self, now: DateTime<Utc>) -> Result<Vec<ExpiryNotice>> {
        let settings = self.store.settings();
        if !settings.notify_expiry {
            return Ok(Vec::new());
        }
        let window = settings.expiry_window_days;
        let candidates = self.store.notice_candidates(now, now + Duration::days(window as i64))?;
        let mut notices = Vec::new();
        let mut settled = Vec::new();
        for c in candidates.iter().filter(|c| c.kind != KeyKind::BarndoorProvider) {
            if let Some((stage, settles)) = owed(now, c.expires_at, c.born, window, &c.sent) {
                // The raised stage's own row decides whether this call raises it.
                notices.push((settled.len(), notice_for(c, stage, now)));
                settled.push((c.key_id.clone(), stage.as_str(), c.expires_at));
                settled.extend(settles.into_iter().filter(|s| *s != stage).map(|s| (c.key_id.clone(), s.as_str(), c.expires_at)));
            }
        }
        let recorded = self.store.record_notices(&settled, now)?;
        // Another Keyward (the window, the timer) raised the ones it recorded first.
        Ok(notices.into_iter().filter(|(at, _)| recorded[*at]).map(|(_, n)| n).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc) + Duration::hours(h)
    }

    #[test]
    fn the_window_notice_then_the_hour_notice_each_once() {
        let (born, expires) = (at(-24 * 60), at(24 * 3));
        // Outside the 7-day window: nothing yet.
        assert_eq!(owed(at(-24 * 5), expires, born, 7, &[]), None);
        // Inside it: the window notice.
        assert_eq!(owed(at(0), expires, born, 7, &[]), Some((NoticeStage::Window, vec![NoticeStage::Window])));
        // Raised already: nothing until the last hour.
        let sent = vec!["window".to_string()];
        assert_eq!(owed(at(24 * 3 - 2), expires, born, 7, &sent), None);
        assert_eq!(owed(at(24 * 3 - 1), expires, born, 7, &sent), Some((NoticeStage::Hour, vec![NoticeStage::Hour, NoticeStage::Window])));
        let both = vec!["window".to_string(), "hour".to_string()];
        assert_eq!(owed(at(24 * 3 - 1), expires, born, 7, &both), None);
        // Expired: no notice (the expiry centre shows it).
        assert_eq!(owed(at(24 * 3), expires, born, 7, &[]), None);
    }

    #[test]
    fn a_late_start_raises_only_the_nearer_notice() {
        let (born, expires) = (at(-24 * 60), at(1));
        assert_eq!(
            owed(at(0) + Duration::minutes(30), expires, born, 7, &[]),
            Some((NoticeStage::Hour, vec![NoticeStage::Hour, NoticeStage::Window]))
        );
    }

    #[test]
    fn a_key_shorter_lived_than_the_lead_gets_no_notice_for_it() {
        // A ten-minute proxy credential: no "within the hour" notice at birth, none at all.
        assert_eq!(owed(at(0), at(0) + Duration::minutes(10), at(0), 7, &[]), None);
        // A three-day key: no seven-day notice, but the hour notice in its last hour.
        assert_eq!(owed(at(1), at(72), at(0), 7, &[]), None);
        assert_eq!(owed(at(71), at(72), at(0), 7, &[]).map(|o| o.0), Some(NoticeStage::Hour));
    }

    #[test]
    fn time_left_reads_as_words() {
        assert_eq!(time_left(Duration::days(3) + Duration::hours(2)), "in 3 days");
        assert_eq!(time_left(Duration::days(3) - Duration::seconds(1)), "in 3 days");
        assert_eq!(time_left(Duration::hours(5)), "in 5 hours");
        assert_eq!(time_left(Duration::minutes(59)), "in 59 minutes");
        assert_eq!(time_left(Duration::minutes(30) - Duration::seconds(1)), "in 30 minutes");
        assert_eq!(time_left(Duration::seconds(20)), "in 1 minute");
        assert_eq!(time_left(Duration::hours(30)), "in 30 hours");
    }
}
