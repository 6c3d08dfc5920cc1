//! Timestamps as services write them: RFC 3339 with or without a zone, or a bare date.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(naive.and_utc());
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(dt.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_services_use() {
        for t in ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.5+02:00", "2024-01-02T03:04:05.123456", "2024-01-02 03:04:05+00", "2024-01-02"] {
            assert!(parse_timestamp(t).is_some(), "{t}");
        }
        for t in ["", "yesterday", "2024-13-01", "9999999999999"] {
            assert!(parse_timestamp(t).is_none(), "{t}");
        }
    }
}
