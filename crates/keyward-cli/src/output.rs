//! How lists look on stdout: aligned columns for people, `--json` for scripts.

use keyward_core::model::{Account, KeyRow};
use keyward_core::store::AuditEntry;
use keyward_core::{Error, ErrorCode, Result};
use serde::Serialize;
use std::fmt::Display;
use std::io::{ErrorKind, Write};

fn write_out(text: &dyn Display, newline: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match newline {
        true => writeln!(out, "{text}"),
        false => write!(out, "{text}"),
    }?;
    out.flush()
}

/// Data on stdout (`text` as it is, `line` ended by a newline). A reader that stops reading
/// (`keyward keys list | head`) ends the command there, quietly and successfully, as it ends
/// other tools: data is the last thing a command writes, so nothing is left half-done.
pub fn text(text: impl Display) -> Result<()> {
    data(&text, false)
}

pub fn line(text: impl Display) -> Result<()> {
    data(&text, true)
}

fn data(text: &dyn Display, newline: bool) -> Result<()> {
    match write_out(text, newline) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        other => other.map_err(|e| Error::new(ErrorCode::Internal, format!("Could not write to stdout: {e}"))),
    }
}

/// A secret's only showing. Unwritten (stdout closed, a full disk), nobody holds it: unlike
/// data, that is an error, whatever the reason, and the caller says what to do about it.
pub fn secret(secret: &str) -> Result<()> {
    write_out(&secret, true)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("The secret could not be written to stdout ({e}), so nobody holds it.")))
}

fn json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::new(ErrorCode::Internal, format!("Could not write JSON: {e}")))?;
    line(text)
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let row_line = |cells: Vec<String>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        line(padded.join("  ").trim_end())
    };
    row_line(header.iter().map(|h| h.to_string()).collect())?;
    for row in rows {
        row_line(row)?;
    }
    Ok(())
}

pub fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn date(d: Option<chrono::DateTime<chrono::Utc>>) -> String {
    d.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "-".into())
}

pub fn accounts(accounts: &[Account], as_json: bool) -> Result<()> {
    if as_json {
        return json(&accounts);
    }
    let rows = accounts
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.service.as_str().into(),
                a.label.clone(),
                a.host.clone(),
                a.key_count.to_string(),
                date(a.last_synced_at),
                a.last_sync_error.as_ref().map(|e| e.message.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    table(&["ID", "SERVICE", "LABEL", "HOST", "KEYS", "LAST SYNC", "PROBLEM"], rows)
}

pub fn keys(keys: &[KeyRow], as_json: bool) -> Result<()> {
    if as_json {
        return json(&keys);
    }
    let rows = keys
        .iter()
        .map(|k| {
            vec![
                k.name.clone(),
                k.preview.clone().unwrap_or_default(),
                k.owner.clone().unwrap_or_default(),
                date(k.created_at),
                k.account_label.clone(),
                k.kind.label().into(),
                k.expires_at.map(|e| e.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                k.status.as_str().into(),
            ]
        })
        .collect();
    table(&["NAME", "PREVIEW", "OWNER", "CREATED", "ACCOUNT", "KIND", "EXPIRES", "STATUS"], rows)
}

/// The replace assistant's steps as they finish, one line each on stderr; `shown` counts the
/// lines already written.
pub fn replace_steps(report: &keyward_core::ops::replace::ReplaceReport, shown: &mut usize) {
    use keyward_core::ops::replace::StepState;
    let finished: Vec<_> = report.steps.iter().take_while(|s| matches!(s.state, StepState::Done | StepState::Failed | StepState::Skipped)).collect();
    for step in finished.iter().skip(*shown) {
        let mark = match step.state {
            StepState::Done => "done",
            StepState::Failed => "FAILED",
            _ => "skipped",
        };
        let note = step.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
        eprintln!("  [{mark}] {}{note}", step.label);
    }
    *shown = (*shown).max(finished.len());
}

pub fn audit(entries: &[AuditEntry], as_json: bool) -> Result<()> {
    if as_json {
        return json(&entries);
    }
    let rows = entries
        .iter()
        .map(|e| {
            let account = match (&e.account_label, &e.account_id) {
                (Some(label), _) => label.clone(),
                (None, Some(_)) => "(removed account)".into(),
                (None, None) => "-".into(),
            };
            vec![
                e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                account,
                e.action.clone(),
                e.target.clone(),
                e.outcome.clone(),
                e.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(&["WHEN (UTC)", "ACCOUNT", "ACTION", "TARGET", "OUTCOME", "DETAIL"], rows)
}

/// One key with every field its service returned, as JSON (the details never hold a secret).
pub fn key_detail(key: &KeyRow, details: &serde_json::Value) -> Result<()> {
    let mut value = serde_json::to_value(key).map_err(|e| Error::new(ErrorCode::Internal, format!("Could not write JSON: {e}")))?;
    value["details"] = details.clone();
    json(&value)
}
