//! One line per command: deserialize, call the core, let `Error` cross as `{code, message, field}`.

use keyward_core::model::env_var::Project;
use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::new_key::NewKey;
use keyward_core::model::settings::Settings;
use keyward_core::model::setup_check::{CheckOutcome, SetupCheck};
use keyward_core::model::{Account, FieldError, HostPreset, KeyQuery, KeyRow, NewAccount, SyncProgress, SyncReport};
use keyward_core::ops::expiry::ExpiryCentre;
use keyward_core::ops::export::{ExportFormat, ExportReport};
use keyward_core::ops::install::{InstallTarget, Installed};
use keyward_core::ops::replace::{ReplacePlan, ReplaceReport};
use keyward_core::ops::run::ReapedRun;
use keyward_core::store::{AuditEntry, AuditQuery};
use std::sync::Arc;

use keyward_core::store::recovery::RecoveryReport;
use keyward_core::vault::KeyringVault;
use keyward_core::{Error, ErrorCode, HttpConfig, Keyward, Recovery, RevokeOutcome};
use tauri::{AppHandle, Emitter, Runtime, State, Window};

use crate::events::{REPLACE_PROGRESS_EVENT, SYNC_PROGRESS_EVENT};
use crate::export_dialog::{self, SaveAsk};
use crate::tickets::{MintedKey, ReplaceOutcome};
use crate::AppState;

#[tauri::command]
pub fn host_presets(state: State<'_, AppState>) -> Result<Vec<HostPreset>, Error> {
    Ok(state.core()?.host_presets())
}

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<Account>, Error> {
    state.core()?.list_accounts()
}

#[tauri::command]
pub fn validate_account(state: State<'_, AppState>, input: NewAccount) -> Result<Vec<FieldError>, Error> {
    Ok(state.core()?.validate_account(&input))
}

#[tauri::command]
pub async fn add_account(state: State<'_, AppState>, input: NewAccount) -> Result<Account, Error> {
    state.core()?.add_account(input).await
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, account_id: String, update: keyward_core::model::AccountUpdate) -> Result<Account, Error> {
    state.core()?.update_account(&account_id, update).await
}

#[tauri::command]
pub fn remove_account(state: State<'_, AppState>, account_id: String) -> Result<(), Error> {
    state.core()?.remove_account(&account_id)
}

#[tauri::command]
pub async fn sync_account<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, account_id: String) -> Result<SyncReport, Error> {
    let emitter = app.clone();
    let emit = move |p: SyncProgress| {
        let _ = emitter.emit(SYNC_PROGRESS_EVENT, p);
    };
    let handle = app.clone();
    let report = state.core()?.sync_account(&account_id, &emit).await;
    // What the sync brought, or (offline) what is cached, may be owed a notice now.
    crate::notices::raise_due(&handle);
    report
}

#[tauri::command]
pub fn list_keys(state: State<'_, AppState>, query: KeyQuery) -> Result<Vec<KeyRow>, Error> {
    state.core()?.list_keys(&query)
}

#[tauri::command]
pub fn validate_key(state: State<'_, AppState>, account_id: String, request: NewKey) -> Result<Vec<FieldError>, Error> {
    state.core()?.validate_key(&account_id, &request)
}

#[tauri::command]
pub fn validate_update(state: State<'_, AppState>, key_id: String, update: KeyUpdate) -> Result<Vec<FieldError>, Error> {
    state.core()?.validate_update(&key_id, &update)
}

/// Barndoor tries a credential's AWS role or Vertex setup before it is created.
#[tauri::command]
pub async fn check_credential(state: State<'_, AppState>, account_id: String, request: NewKey) -> Result<CheckOutcome, Error> {
    state.core()?.check_credential(&account_id, &request).await
}

/// The secret goes to a reveal slot; the window gets the row and a ticket.
#[tauri::command]
pub async fn create_key(state: State<'_, AppState>, account_id: String, request: NewKey) -> Result<MintedKey, Error> {
    let core = state.core()?;
    let run_hint = core.run_hint(&account_id, &request)?;
    let minted = core.create_key(&account_id, request).await?;
    Ok(state.ticket(minted, run_hint))
}

#[tauri::command]
pub async fn reissue_key(state: State<'_, AppState>, key_id: String, grace_period_secs: Option<u32>) -> Result<MintedKey, Error> {
    let minted = state.core()?.reissue_key_with_grace(&key_id, grace_period_secs.unwrap_or(0)).await?;
    Ok(state.ticket(minted, None))
}

/// The plaintext, once, for the dialog to display (zeroized here once sent; see `Revealed`).
#[tauri::command]
pub fn reveal_secret(state: State<'_, AppState>, reveal_id: String) -> Result<crate::reveal::Revealed, Error> {
    state.reveal.reveal_once(&reveal_id)
}

/// Copies from Rust: the page never needs the plaintext for this. Returns seconds until cleared.
#[tauri::command]
pub fn copy_secret(state: State<'_, AppState>, reveal_id: String, as_env_line: bool) -> Result<u32, Error> {
    let after = state.reveal.with_secret(&reveal_id, as_env_line, |text| state.clipboard.copy(text))??;
    Ok(after.as_secs() as u32)
}

#[tauri::command]
pub fn close_reveal(state: State<'_, AppState>, reveal_id: String) {
    state.reveal.close(&reveal_id);
}

#[tauri::command]
pub async fn revoke_key(state: State<'_, AppState>, key_id: String) -> Result<KeyRow, Error> {
    state.core()?.revoke_key(&key_id).await
}

/// A bulk revoke: each key's outcome, in the order asked.
#[tauri::command]
pub async fn revoke_keys(state: State<'_, AppState>, key_ids: Vec<String>) -> Result<Vec<RevokeOutcome>, Error> {
    Ok(state.core()?.revoke_keys(&key_ids).await)
}

#[tauri::command]
pub async fn update_key(state: State<'_, AppState>, key_id: String, update: KeyUpdate) -> Result<KeyRow, Error> {
    state.core()?.update_key(&key_id, update).await
}

#[tauri::command]
pub async fn refresh_key(state: State<'_, AppState>, key_id: String) -> Result<KeyRow, Error> {
    state.core()?.refresh_key(&key_id).await
}

/// The projects a Braintrust account's token can see, to scope an env var to one.
#[tauri::command]
pub async fn list_projects(state: State<'_, AppState>, account_id: String) -> Result<Vec<Project>, Error> {
    state.core()?.list_projects(&account_id).await
}

#[tauri::command]
pub fn key_details(state: State<'_, AppState>, key_id: String) -> Result<serde_json::Value, Error> {
    state.core()?.key_details(&key_id)
}

#[tauri::command]
pub async fn check_setup(state: State<'_, AppState>, account_id: String, check: SetupCheck) -> Result<CheckOutcome, Error> {
    state.core()?.check_setup(&account_id, check).await
}

/// Newest first; a bad date or limit is refused with its field named.
#[tauri::command]
pub fn audit_query(state: State<'_, AppState>, query: AuditQuery) -> Result<Vec<AuditEntry>, Error> {
    state.core()?.audit(&query)
}

/// Every action the log holds, for the filter.
#[tauri::command]
pub fn audit_actions(state: State<'_, AppState>) -> Result<Vec<String>, Error> {
    state.core()?.audit_actions()
}

/// To the file the person chooses in a save dialog opened from here (the page names no path);
/// `None` when they cancelled. The core adds `.csv` when the name lacks it.
#[tauri::command]
pub async fn export_audit<R: Runtime>(window: Window<R>, state: State<'_, AppState>, query: AuditQuery) -> Result<Option<ExportReport>, Error> {
    let core = state.core()?;
    let Some(path) = export_dialog::choose(&window, SaveAsk::audit_log()).await else { return Ok(None) };
    core.export_audit_to(&query, &path).map(Some)
}

/// As [`export_audit`], for the keys `query` lists.
#[tauri::command]
pub async fn export_keys<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    query: KeyQuery,
    format: ExportFormat,
) -> Result<Option<ExportReport>, Error> {
    let core = state.core()?;
    let Some(path) = export_dialog::choose(&window, SaveAsk::inventory(format)).await else { return Ok(None) };
    core.export_keys_to(&query, format, &path).map(Some)
}

/// A damaged store: move it aside, rebuild it with the exported accounts, and use the new one.
/// Refused while the store opens fine (nothing to recover).
#[tauri::command]
pub fn recover_store(state: State<'_, AppState>) -> Result<RecoveryReport, Error> {
    let fine = || Error::new(ErrorCode::Conflict, "The local inventory is fine; there is nothing to recover.");
    // The core in hand already says the store opens: no need to open it a second time to know.
    if state.core().is_ok() {
        return Err(fine());
    }
    let dir = state.data_dir().ok_or_else(|| Error::storage("find its folder", "no data dir is known"))?.to_path_buf();
    match Keyward::recover_if_damaged(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())? {
        Recovery::Rebuilt(core, report) => {
            state.replace_core(Ok(core))?;
            Ok(report)
        }
        Recovery::NotNeeded(core) => {
            state.replace_core(Ok(core))?;
            Err(fine())
        }
    }
}

/// Tries the store again (after another program let go of it).
#[tauri::command]
pub fn reopen_store(state: State<'_, AppState>) -> Result<(), Error> {
    if state.core().is_ok() {
        return Ok(());
    }
    let dir = state.data_dir().ok_or_else(|| Error::storage("find its folder", "no data dir is known"))?.to_path_buf();
    state.replace_core(Keyward::open(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())).map(|_| ())
}

/// The window has painted its first inventory (or its welcome screen). Logged with the time since
/// launch; then the notices timer is set to follow the setting. `KEYWARD_REPORT_READY` prints a
/// line for the benchmark, `KEYWARD_EXIT_WHEN_READY` then quits.
/// A page sends this once, as it starts: any reveal slot still held belonged to a page that
/// reloaded or crashed with its dialog open, and nobody can close it any more.
#[tauri::command]
pub fn window_ready<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, keys: u32) {
    let dropped = state.reveal.drop_all();
    if dropped > 0 {
        tracing::info!(dropped, "reveal slots of the previous page dropped");
    }
    let ms = crate::started().elapsed().as_secs_f64() * 1000.0;
    tracing::info!(keys, ms = format!("{ms:.0}"), "window ready");
    // systemctl is a process of its own: started at launch, it took a core from the first paint.
    crate::notices::follow_timer(&app);
    if std::env::var_os("KEYWARD_REPORT_READY").is_some() {
        // How WebKit was told to draw, so the benchmark can start the hello world the same way.
        let drawing = std::env::var(crate::compositing::VARIABLE).map(|v| format!(", {}={v}", crate::compositing::VARIABLE)).unwrap_or_default();
        println!("keyward-ready {ms:.1} ms, {keys} keys{drawing}");
    }
    if std::env::var_os("KEYWARD_EXIT_WHEN_READY").is_some() {
        app.exit(0);
    }
}

#[tauri::command]
pub fn settings(state: State<'_, AppState>) -> Result<Settings, Error> {
    Ok(state.core()?.settings())
}

#[tauri::command]
pub fn validate_settings(state: State<'_, AppState>, settings: Settings) -> Result<Vec<FieldError>, Error> {
    Ok(state.core()?.validate_settings(&settings))
}

/// Saved settings take effect at once: the clipboard's clear, the notices the new window owes,
/// and the notices timer on or off.
#[tauri::command]
pub fn save_settings<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, settings: Settings) -> Result<Settings, Error> {
    let saved = state.core()?.save_settings(settings)?;
    state.follow_settings();
    crate::notices::raise_due(&app);
    crate::notices::follow_timer(&app);
    Ok(saved)
}

/// Ends the runs of `keyward run` whose processes are gone (Keyward was killed mid-run): their
/// keys are revoked, and the window says so. Asked once the window has painted.
#[tauri::command]
pub async fn reap_runs(state: State<'_, AppState>) -> Result<Vec<ReapedRun>, Error> {
    state.core()?.reap_runs().await
}

#[tauri::command]
pub fn expiry_centre(state: State<'_, AppState>) -> Result<ExpiryCentre, Error> {
    state.core()?.expiry_centre()
}

/// An expired key leaves the expiry centre (it stays in the inventory).
#[tauri::command]
pub fn dismiss_expired(state: State<'_, AppState>, key_id: String) -> Result<KeyRow, Error> {
    state.core()?.dismiss_expired(&key_id)
}

#[tauri::command]
pub fn validate_install(state: State<'_, AppState>, target: InstallTarget) -> Result<Vec<FieldError>, Error> {
    state.core()?.validate_install(&target)
}

/// "Install into…": the secret goes from its reveal slot to the target; the page never has it.
#[tauri::command]
pub async fn install_secret(state: State<'_, AppState>, reveal_id: String, target: InstallTarget) -> Result<Installed, Error> {
    let (secret, source) = state.reveal.for_install(&reveal_id)?;
    state.core()?.install_secret(&secret, target, &source).await
}

#[tauri::command]
pub fn replace_plan(state: State<'_, AppState>, key_id: String) -> Result<ReplacePlan, Error> {
    state.core()?.replace_plan(&key_id)
}

/// The replace assistant; each step is emitted as it changes. The replacement's secret waits in
/// a reveal slot, should the person want to see it once.
#[tauri::command]
pub async fn replace_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    key_id: String,
    targets: Vec<InstallTarget>,
) -> Result<ReplaceOutcome, Error> {
    let emit = move |r: &ReplaceReport| {
        let _ = app.emit(REPLACE_PROGRESS_EVENT, r);
    };
    let replacement = state.core()?.replace_key(&key_id, targets, &emit).await?;
    let reveal = match (replacement.secret, &replacement.report.new_key) {
        (Some(secret), Some(key)) => Some(state.hold(secret, key)),
        _ => None,
    };
    Ok(ReplaceOutcome { report: replacement.report, reveal })
}
