//! One line per command: deserialize, call the core, let `Error` cross as `{code, message, field}`.

use keyward_core::model::{Account, FieldError, HostPreset, KeyQuery, KeyRow, NewAccount, SyncProgress, SyncReport};
use keyward_core::Error;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::AppState;

pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

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
pub fn remove_account(state: State<'_, AppState>, account_id: String) -> Result<(), Error> {
    state.core()?.remove_account(&account_id)
}

#[tauri::command]
pub async fn sync_account<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    account_id: String,
) -> Result<SyncReport, Error> {
    let emit = move |p: SyncProgress| {
        let _ = app.emit(SYNC_PROGRESS_EVENT, p);
    };
    state.core()?.sync_account(&account_id, &emit).await
}

#[tauri::command]
pub fn list_keys(state: State<'_, AppState>, query: KeyQuery) -> Result<Vec<KeyRow>, Error> {
    state.core()?.list_keys(&query)
}
