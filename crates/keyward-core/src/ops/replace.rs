//! The replace assistant: mint a key's replacement with the same settings, install it where it
//! is used, check each install, and only then revoke the old key. Any failure stops the run before
//! the revocation, and the report says what state each service is in.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::catalog::AuditAction;
use crate::model::new_key::NewKey;
use crate::model::secret::MintedSecret;
use crate::model::{KeyKind, KeyQuery, KeyRow, KeyStatus};
use crate::ops::install::InstallTarget;
use crate::Keyward;

/// A replacement whose old key had no known lifetime and an expiry already past gets this long.
const FALLBACK_LIFETIME_DAYS: i64 = 30;

/// A kind whose service reissues in place with a grace period (Barndoor gateway keys) is replaced
/// that way: the same key gets a new secret and the previous one keeps working this long, so
/// every client keeps working while the new secret is installed. Nothing is revoked.
pub const REPLACE_GRACE_SECS: u32 = 3600;

fn in_words(secs: u32) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{} day{}", s / 86_400, if s == 86_400 { "" } else { "s" }),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{} min", s.div_ceil(60)),
    }
}

/// The grace period the assistant replaces `kind` with, where it replaces in place.
fn in_place_grace(kind: KeyKind) -> Option<u32> {
    kind.reissue_grace_max_secs().map(|max| REPLACE_GRACE_SECS.min(max))
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Setting {
    pub label: String,
    pub value: String,
}

/// A place the replacement can be installed, and whether it looks like where the old key is used.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TargetChoice {
    pub key: KeyRow,
    /// Its service shows the same last characters as the old key's preview.
    pub suggested: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReplacePlan {
    pub key: KeyRow,
    /// The replacement's settings, as a person reads them.
    pub replacement: Vec<Setting>,
    /// Every live credential, AI secret and custom provider across the accounts.
    pub targets: Vec<TargetChoice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepState {
    Pending,
    Running,
    Done,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReplaceStep {
    pub label: String,
    pub state: StepState,
    pub message: Option<String>,
}

/// Emitted as the assistant runs (event `replace-progress`), and its final answer.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReplaceReport {
    pub key_id: String,
    pub steps: Vec<ReplaceStep>,
    /// The old key as it stands now (still active unless every step worked).
    pub old_key: Option<KeyRow>,
    pub new_key: Option<KeyRow>,
    pub completed: bool,
    /// It stopped with the replacement minted and installed nowhere: revoking the replacement
    /// puts everything back as it was (once it is installed somewhere, that place needs it).
    pub replacement_unused: bool,
    /// What state each service is in, in a sentence or two.
    pub summary: String,
}

/// The report, and the replacement's secret (not `Serialize`: the shell holds it for a reveal).
pub struct Replacement {
    pub report: ReplaceReport,
    pub secret: Option<MintedSecret>,
}

/// The new expiry: the old key's lifetime again, from now.
fn same_lifetime(key: &KeyRow, now: DateTime<Utc>) -> Option<String> {
    let expires = key.expires_at?;
    let at = match key.created_at {
        Some(created) if expires > created => now + (expires - created),
        _ if expires > now => expires,
        _ => now + Duration::days(FALLBACK_LIFETIME_DAYS),
    };
    Some(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The create request that mints a key like `key`: same name, limits and lifetime.
pub fn replacement_for(key: &KeyRow, details: &serde_json::Value, now: DateTime<Utc>) -> Result<NewKey> {
    let name = key.name.clone();
    match key.kind {
        KeyKind::BraintrustApiKey => Ok(NewKey::BraintrustApiKey { name }),
        KeyKind::BraintrustServiceToken => {
            let account = details.get("service_account_id").and_then(|v| v.as_str()).filter(|s| !s.is_empty()).ok_or_else(|| {
                Error::invalid("key", "Braintrust did not say which service account this token acts as; create its replacement by hand.")
            })?;
            Ok(NewKey::BraintrustServiceToken { name, service_account_id: account.to_string(), replace_existing: Some(false) })
        }
        KeyKind::RespanTempKey => {
            let l = &key.limits;
            Ok(NewKey::RespanTempKey {
                name: Some(name),
                expiry_date: same_lifetime(key, now),
                max_usage: l.usage_limit.filter(|n| *n > 0),
                rate_limit: l.rate_limit.filter(|n| *n > 0),
                spending_limit: l.spend_limit.filter(|n| *n > 0.0),
                is_test: l.is_test,
            })
        }
        KeyKind::BarndoorGatewayKey => {
            // The same scopes and the same user or group: a replacement may do what the old key did.
            let text = |field: &str| details.get(field).and_then(|v| v.as_str()).filter(|s| !s.is_empty()).map(str::to_string);
            let scopes: Vec<String> =
                details.get("scopes").and_then(|v| v.as_array()).into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect();
            let access = crate::model::new_key::GatewayAccess {
                scopes: (!scopes.is_empty()).then_some(scopes),
                user_id: text("user_id"),
                user_email: None,
                group_name: text("group_name"),
            };
            Ok(NewKey::BarndoorGatewayKey { name, expires_at: same_lifetime(key, now), access })
        }
        KeyKind::BraintrustProxyCredential => {
            Err(Error::invalid("key", "A proxy credential expires by itself and cannot be revoked: mint a new one instead."))
        }
        kind if KeyKind::INSTALL_TARGETS.contains(&kind) => {
            Err(Error::invalid("key", format!("A {}'s secret is one you give: reissue it with a new secret from its detail panel.", kind.label())))
        }
        kind => Err(Error::invalid("key", format!("A {} has no secret to replace.", kind.label()))),
    }
}

fn describe(request: &NewKey) -> Vec<Setting> {
    let s = |label: &str, value: String| Setting { label: label.into(), value };
    let mut out = vec![s("Kind", request.kind().label().into()), s("Name", request.display_name())];
    match request {
        NewKey::RespanTempKey { expiry_date, max_usage, rate_limit, spending_limit, is_test, .. } => {
            out.push(s("Expires", expiry_date.clone().unwrap_or_else(|| "never".into())));
            out.push(s("Uses", max_usage.map(|n| format!("at most {n}")).unwrap_or_else(|| "unlimited".into())));
            out.push(s("Rate", rate_limit.map(|n| format!("{n} a minute")).unwrap_or_else(|| "no limit".into())));
            out.push(s("Spend", spending_limit.map(|n| format!("at most ${n:.2}")).unwrap_or_else(|| "no limit".into())));
            out.push(s("Test key", if is_test.unwrap_or(false) { "yes" } else { "no" }.into()));
        }
        NewKey::BarndoorGatewayKey { expires_at, .. } => out.push(s("Expires", expires_at.clone().unwrap_or_else(|| "never".into()))),
        NewKey::BraintrustServiceToken { service_account_id, .. } => out.push(s("Service account", service_account_id.clone())),
        _ => {}
    }
    out
}

/// The last characters a preview shows of a secret ("sk-****00fa", "…9xQz", "********2222").
fn shown_tail(preview: Option<&str>) -> Option<String> {
    let p = preview?;
    let tail: String = p.chars().rev().take_while(|c| c.is_ascii_alphanumeric()).collect::<Vec<_>>().into_iter().rev().collect();
    // A preview of a prefix ("rs0001…") shows no tail; four characters after a mask do.
    let masked = p.contains('*') || p.contains('…');
    (masked && tail.len() >= 4 && !p.ends_with('…')).then(|| tail[tail.len() - 4..].to_string())
}

fn target_name(keyward: &Keyward, target: &InstallTarget) -> String {
    match target {
        InstallTarget::Create { request, .. } => format!("a new {} “{}”", request.kind().label(), request.display_name()),
        InstallTarget::Existing { key_id } => {
            keyward.store.get_key(key_id).map(|k| format!("“{}”", k.name)).unwrap_or_else(|_| "a removed key".into())
        }
    }
}

/// Where the installs stopped: why (a sentence), the place, and where the secret went before it.
struct Stopped {
    why: String,
    place: String,
    installed: Vec<String>,
}

/// The report before anything runs: the first step, one install step per target, the last step.
fn planned(old: &KeyRow, first: String, targets: &[InstallTarget], last: String, keyward: &Keyward) -> ReplaceReport {
    let step = |label: String| ReplaceStep { label, state: StepState::Pending, message: None };
    let mut steps = vec![step(first)];
    steps.extend(targets.iter().map(|t| step(format!("Install into {} and check it", target_name(keyward, t)))));
    steps.push(step(last));
    ReplaceReport {
        key_id: old.id.clone(),
        steps,
        old_key: Some(old.clone()),
        new_key: None,
        completed: false,
        replacement_unused: false,
        summary: String::new(),
    }
}

fn set_step(report: &mut ReplaceReport, i: usize, state: StepState, message: Option<String>, progress: &(dyn Fn(&ReplaceReport) + Send + Sync)) {
    report.steps[i].state = state;
    report.steps[i].message = message;
    progress(report);
}

fn placed(installed: &[String]) -> String {
    if installed.is_empty() {
        "installed nowhere yet".to_string()
    } else {
        format!("installed in {}", installed.join(", "))
    }
}

impl Keyward {
    /// What the assistant would do for a key: its replacement, and where it could be installed.
    pub fn replace_plan(&self, key_id: &str) -> Result<ReplacePlan> {
        let key = self.store.get_key(key_id)?;
        check_live(&key)?;
        let request = replacement_for(&key, &self.store.key_details(key_id)?, Utc::now())?;
        let tail = shown_tail(key.preview.as_deref());
        let query = KeyQuery { kinds: Some(KeyKind::INSTALL_TARGETS.to_vec()), ..Default::default() };
        let targets = self
            .store
            .list_keys(&query)?
            .into_iter()
            .filter(|k| matches!(k.status, KeyStatus::Active | KeyStatus::Expiring))
            .map(|k| {
                let suggested = tail.is_some() && shown_tail(k.preview.as_deref()) == tail;
                TargetChoice { key: k, suggested }
            })
            .collect();
        let mut replacement = describe(&request);
        if let Some(grace) = in_place_grace(key.kind) {
            replacement.push(Setting {
                label: "How".into(),
                value: format!("A new secret for the same key; the previous one keeps working {} more", in_words(grace)),
            });
        }
        Ok(ReplacePlan { key, replacement, targets })
    }

    /// Runs the assistant. `progress` sees every step as it changes. Errors only for what stops it
    /// before anything is sent (a bad target, a key that cannot be replaced); what fails later is
    /// in the report, with the old key left active.
    pub async fn replace_key(
        &self,
        key_id: &str,
        targets: Vec<InstallTarget>,
        progress: &(dyn Fn(&ReplaceReport) + Send + Sync),
    ) -> Result<Replacement> {
        let old = self.store.get_key(key_id)?;
        check_live(&old)?;
        let request = replacement_for(&old, &self.store.key_details(key_id)?, Utc::now())?;
        for (i, t) in targets.iter().enumerate() {
            if let Some(p) = self.validate_install(t)?.into_iter().next() {
                return Err(Error::invalid(&p.field, format!("Target {}: {}", i + 1, p.message)));
            }
        }
        if let Some(grace) = in_place_grace(old.kind) {
            return self.replace_in_place(old, targets, grace, progress).await;
        }
        let mut report =
            planned(&old, format!("Mint a new {} “{}”", old.kind.label(), old.name), &targets, format!("Revoke the old key “{}”", old.name), self);
        let set = |report: &mut ReplaceReport, i: usize, state: StepState, message: Option<String>| set_step(report, i, state, message, progress);

        set(&mut report, 0, StepState::Running, None);
        let minted = match self.create_key(&old.account_id, request).await {
            Ok(m) => m,
            Err(e) => {
                set(&mut report, 0, StepState::Failed, Some(e.message.clone()));
                return Ok(self.finish(
                    report,
                    None,
                    format!("Nothing changed: no replacement was minted ({}). “{}” is still active.", e.message, old.name),
                ));
            }
        };
        set(&mut report, 0, StepState::Done, minted.key.preview.clone().map(|p| format!("Minted ({p}).")));
        report.new_key = Some(minted.key.clone());
        let secret = minted.secret;
        let Some(plain) = secret.as_ref().map(MintedSecret::for_install) else {
            return Err(Error::new(crate::ErrorCode::Provider, "The service minted the replacement without returning its secret."));
        };

        let installed = match self.install_each(&mut report, &plain, targets, &minted.key.name, progress).await {
            Ok(installed) => installed,
            Err(stop) => {
                report.replacement_unused = stop.installed.is_empty();
                let summary = format!(
                    "Stopped before revoking anything. The new key “{}” exists and is {}; installing into {} failed: {} The old key “{}” is still active and still works.",
                    minted.key.name,
                    placed(&stop.installed),
                    stop.place,
                    stop.why,
                    old.name
                );
                return Ok(self.finish(report, secret, summary));
            }
        };

        let last = report.steps.len() - 1;
        set(&mut report, last, StepState::Running, None);
        match self.revoke_key(&old.id).await {
            Ok(row) => {
                report.old_key = Some(row);
                set(&mut report, last, StepState::Done, None);
                report.completed = true;
                let placed = if installed.is_empty() { String::new() } else { format!(", installed in {}", installed.join(", ")) };
                let summary = format!("“{}” was replaced{placed}, and the old key is revoked.", old.name);
                Ok(self.finish(report, secret, summary))
            }
            Err(e) => {
                set(&mut report, last, StepState::Failed, Some(e.message.clone()));
                let summary = format!(
                    "The replacement is minted and installed everywhere chosen, but revoking the old key failed ({}). The old key is still active: revoke it from its detail panel.",
                    e.message
                );
                Ok(self.finish(report, secret, summary))
            }
        }
    }

    /// A gateway key replaced in place: reissued with a grace period, installed everywhere chosen,
    /// and left to let the previous secret lapse by itself. A failure after the reissue cannot be
    /// undone, so the report says until when the previous secret still works.
    async fn replace_in_place(
        &self,
        old: KeyRow,
        targets: Vec<InstallTarget>,
        grace: u32,
        progress: &(dyn Fn(&ReplaceReport) + Send + Sync),
    ) -> Result<Replacement> {
        let first = format!("Issue “{}” a new secret; the previous one keeps working {} more", old.name, in_words(grace));
        let mut report = planned(&old, first, &targets, "Let the previous secret stop working".into(), self);
        let set = |report: &mut ReplaceReport, i: usize, state: StepState, message: Option<String>| set_step(report, i, state, message, progress);
        set(&mut report, 0, StepState::Running, None);
        let minted = match self.reissue_key_with_grace(&old.id, grace).await {
            Ok(m) => m,
            Err(e) => {
                set(&mut report, 0, StepState::Failed, Some(e.message.clone()));
                let summary = format!("Nothing changed: “{}” was not given a new secret ({}). Its secret works as before.", old.name, e.message);
                return Ok(self.finish(report, None, summary));
            }
        };
        let until =
            minted.key.gateway.as_ref().and_then(|g| g.previous_key_expires_at).unwrap_or_else(|| Utc::now() + Duration::seconds(grace.into()));
        let until_words = until.format("%Y-%m-%d %H:%M UTC").to_string();
        set(&mut report, 0, StepState::Done, Some(format!("The previous secret works until {until_words}.")));
        report.new_key = Some(minted.key.clone());
        report.old_key = Some(minted.key.clone());
        let secret = minted.secret;
        let Some(plain) = secret.as_ref().map(MintedSecret::for_install) else {
            return Err(Error::new(crate::ErrorCode::Provider, "The service reissued the key without returning its new secret."));
        };
        let installed = match self.install_each(&mut report, &plain, targets, &old.name, progress).await {
            Ok(installed) => installed,
            Err(stop) => {
                let summary = format!(
                    "Stopped. “{}” has a new secret, {}; installing into {} failed: {} The previous secret keeps working until {until_words}: install the new one there by then (its secret is shown once now).",
                    old.name,
                    placed(&stop.installed),
                    stop.place,
                    stop.why
                );
                return Ok(self.finish(report, secret, summary));
            }
        };
        let last = report.steps.len() - 1;
        set(&mut report, last, StepState::Done, Some(format!("It stops by itself at {until_words}; nothing is revoked.")));
        report.completed = true;
        let placed = if installed.is_empty() { String::new() } else { format!(", installed in {}", installed.join(", ")) };
        let summary = format!("“{}” has a new secret{placed}; the previous one stops working at {until_words}.", old.name);
        Ok(self.finish(report, secret, summary))
    }

    /// Installs `secret` into each target in turn (steps 1 to n of `report`), checking each. The
    /// first failure marks its step failed and the later ones skipped. Returns where it went.
    async fn install_each(
        &self,
        report: &mut ReplaceReport,
        secret: &secrecy::SecretString,
        targets: Vec<InstallTarget>,
        source: &str,
        progress: &(dyn Fn(&ReplaceReport) + Send + Sync),
    ) -> std::result::Result<Vec<String>, Stopped> {
        let mut installed: Vec<String> = Vec::new();
        for (n, target) in targets.into_iter().enumerate() {
            let i = n + 1;
            set_step(report, i, StepState::Running, None, progress);
            let place = target_name(self, &target);
            let why = match self.install_secret(secret, target, source).await {
                Ok(done) if done.verified != Some(false) => {
                    set_step(report, i, StepState::Done, Some(done.check), progress);
                    installed.push(format!("“{}”", done.key.name));
                    continue;
                }
                Ok(done) => done.check,
                Err(e) => e.message,
            };
            report.steps[i].state = StepState::Failed;
            report.steps[i].message = Some(why.clone());
            for s in report.steps.iter_mut().skip(i + 1) {
                s.state = StepState::Skipped;
            }
            let why = if why.ends_with(['.', '!', '?']) { why } else { format!("{why}.") };
            return Err(Stopped { why, place, installed });
        }
        Ok(installed)
    }

    fn finish(&self, mut report: ReplaceReport, secret: Option<MintedSecret>, summary: String) -> Replacement {
        report.summary = summary;
        let outcome = (!report.completed).then(|| Error::new(crate::ErrorCode::Conflict, report.summary.clone()));
        if let Some(old) = &report.old_key {
            self.record(Some(&old.account_id), AuditAction::KeyReplace, &old.name, outcome.as_ref(), Some(old.kind.label()));
        }
        Replacement { report, secret }
    }
}

fn check_live(key: &KeyRow) -> Result<()> {
    match key.status {
        KeyStatus::Revoked | KeyStatus::Gone => {
            Err(Error::invalid("key", format!("“{}” is {}: there is nothing to replace.", key.name, key.status.as_str())))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyLimits, Service};

    fn key(kind: KeyKind, created: Option<&str>, expires: Option<&str>) -> KeyRow {
        KeyRow {
            id: "k".into(),
            account_id: "a".into(),
            account_label: "A".into(),
            service: kind.service(),
            kind,
            provider_id: "p".into(),
            name: "ci-bot".into(),
            preview: None,
            owner: None,
            created_at: created.map(|c| c.parse().unwrap()),
            expires_at: expires.map(|e| e.parse().unwrap()),
            status: KeyStatus::Active,
            last_seen_at: Utc::now(),
            limits: KeyLimits::default(),
            rotate_due: false,
            run: None,
            gateway: None,
        }
    }

    #[test]
    fn a_replacement_keeps_name_limits_and_lifetime() {
        let now: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let mut old = key(KeyKind::RespanTempKey, Some("2026-11-01T00:00:00Z"), Some("2026-12-11T00:00:00Z"));
        old.limits = KeyLimits { usage_limit: Some(-1), spend_limit: Some(20.0), rate_limit: Some(30), is_test: Some(true), ..Default::default() };
        match replacement_for(&old, &serde_json::json!({}), now).unwrap() {
            NewKey::RespanTempKey { name, expiry_date, max_usage, rate_limit, spending_limit, is_test } => {
                assert_eq!(name.as_deref(), Some("ci-bot"));
                assert_eq!(expiry_date.as_deref(), Some("2027-01-10T00:00:00Z"), "40 days again, from now");
                assert_eq!((max_usage, rate_limit, spending_limit, is_test), (None, Some(30), Some(20.0), Some(true)));
            }
            other => panic!("{other:?}"),
        }
        let gateway = key(KeyKind::BarndoorGatewayKey, None, None);
        assert!(matches!(replacement_for(&gateway, &serde_json::json!({}), now).unwrap(), NewKey::BarndoorGatewayKey { expires_at: None, .. }));
    }

    #[test]
    fn kinds_that_cannot_be_replaced_say_why() {
        let now = Utc::now();
        let no = |kind| replacement_for(&key(kind, None, None), &serde_json::json!({}), now).unwrap_err().message;
        assert!(no(KeyKind::BraintrustProxyCredential).contains("expires by itself"));
        assert!(no(KeyKind::BarndoorCredential).contains("secret is one you give"));
        assert!(no(KeyKind::BraintrustServiceToken).contains("service account"));
        let token = replacement_for(&key(KeyKind::BraintrustServiceToken, None, None), &serde_json::json!({"service_account_id": "sa-1"}), now);
        assert!(matches!(token.unwrap(), NewKey::BraintrustServiceToken { service_account_id, .. } if service_account_id == "sa-1"));
        assert_eq!(Service::Respan, KeyKind::RespanTempKey.service());
    }

    #[test]
    fn previews_show_a_tail_only_after_a_mask() {
        assert_eq!(shown_tail(Some("sk-****00fa")).as_deref(), Some("00fa"));
        assert_eq!(shown_tail(Some("…9xQz")).as_deref(), Some("9xQz"));
        assert_eq!(shown_tail(Some("********2222")).as_deref(), Some("2222"));
        assert_eq!(shown_tail(Some("rs000001…")), None);
        assert_eq!(shown_tail(Some("my-openai")), None);
        assert_eq!(shown_tail(None), None);
    }

    /// The catalog tells the window which kinds the assistant replaces; the assistant's own rule,
    /// asked with a row of each kind, agrees.
    #[test]
    fn the_catalog_says_what_the_assistant_replaces() {
        let now = chrono::Utc::now();
        for k in &crate::model::catalog::catalog().kinds {
            let row = KeyRow {
                id: "k".into(),
                account_id: "a".into(),
                account_label: "A".into(),
                service: k.service,
                kind: k.kind,
                provider_id: "p".into(),
                name: "n".into(),
                preview: None,
                owner: None,
                created_at: None,
                expires_at: None,
                status: KeyStatus::Active,
                last_seen_at: now,
                limits: Default::default(),
                rotate_due: false,
                run: None,
                gateway: None,
            };
            let details = serde_json::json!({ "service_account_id": "sa" });
            assert_eq!(replacement_for(&row, &details, now).is_ok(), k.replaceable, "{:?}", k.kind);
        }
    }
}
