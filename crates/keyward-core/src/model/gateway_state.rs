//! What Barndoor says of a gateway key beyond its name and dates: what kind of credential it
//! is, its scopes, who it acts for, and where its secret stands (disabled, rotated, a previous
//! secret still working). Read from the key's cached details, so a row shows it without a sync.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::model::time::parse_timestamp;

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GatewayState {
    /// Barndoor's category of credential: user, machine or agent_session.
    pub class: Option<String>,
    pub scopes: Vec<String>,
    /// The user it acts for, by Barndoor id.
    pub user_id: Option<String>,
    /// Or the IdP group it is bound to.
    pub group_name: Option<String>,
    /// Set while the key is disabled (reversible, unlike a revocation).
    pub disabled_at: Option<DateTime<Utc>>,
    /// When its secret was last replaced in place; `None`: it has the secret it was created with.
    pub rotated_at: Option<DateTime<Utc>>,
    /// Until when the previous secret still works, when that is still ahead.
    pub previous_key_expires_at: Option<DateTime<Utc>>,
}

impl GatewayState {
    /// From a gateway key's cached details; a grace period already over is no longer news.
    pub fn from_details(details: &Value, now: DateTime<Utc>) -> GatewayState {
        let text = |f: &str| details.get(f).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let time = |f: &str| details.get(f).and_then(Value::as_str).and_then(parse_timestamp);
        GatewayState {
            class: text("kind"),
            scopes: details.get("scopes").and_then(Value::as_array).into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect(),
            user_id: text("user_id"),
            group_name: text("group_name"),
            disabled_at: time("disabled_at"),
            rotated_at: time("rotated_at"),
            previous_key_expires_at: time("previous_key_expires_at").filter(|t| *t > now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_from_details_as_barndoor_lists_them() {
        let now: DateTime<Utc> = "2026-12-02T00:00:00Z".parse().unwrap();
        let d = serde_json::json!({"kind": "machine", "scopes": ["llm:invoke", 5, "mcp:read"], "group_name": "engineering",
            "user_id": null, "disabled_at": "2026-12-01T00:00:00Z", "rotated_at": "2026-11-30T00:00:00Z",
            "previous_key_expires_at": "2026-12-02T01:00:00Z"});
        let s = GatewayState::from_details(&d, now);
        assert_eq!((s.class.as_deref(), s.group_name.as_deref(), s.user_id), (Some("machine"), Some("engineering"), None));
        assert_eq!(s.scopes, ["llm:invoke", "mcp:read"]);
        assert!(s.disabled_at.is_some() && s.rotated_at.is_some() && s.previous_key_expires_at.is_some());
        let later = GatewayState::from_details(&d, "2026-12-03T00:00:00Z".parse().unwrap());
        assert_eq!(later.previous_key_expires_at, None, "a grace period that is over is not shown");
        assert_eq!(GatewayState::from_details(&serde_json::json!({}), now), GatewayState::default());
    }
}
