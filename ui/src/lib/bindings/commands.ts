// Generated from src-tauri/src/commands.rs by `make bindings` (command_bindings.rs). Do not edit.

import { call } from '../call';
import type { Account } from './Account';
import type { AccountUpdate } from './AccountUpdate';
import type { AuditEntry } from './AuditEntry';
import type { AuditQuery } from './AuditQuery';
import type { CheckOutcome } from './CheckOutcome';
import type { ExpiryCentre } from './ExpiryCentre';
import type { ExportFormat } from './ExportFormat';
import type { ExportReport } from './ExportReport';
import type { FieldError } from './FieldError';
import type { HostPreset } from './HostPreset';
import type { InstallTarget } from './InstallTarget';
import type { Installed } from './Installed';
import type { KeyQuery } from './KeyQuery';
import type { KeyRow } from './KeyRow';
import type { KeyUpdate } from './KeyUpdate';
import type { MintedKey } from './MintedKey';
import type { NewAccount } from './NewAccount';
import type { NewKey } from './NewKey';
import type { Project } from './Project';
import type { ReapedRun } from './ReapedRun';
import type { RecoveryReport } from './RecoveryReport';
import type { ReplaceOutcome } from './ReplaceOutcome';
import type { ReplacePlan } from './ReplacePlan';
import type { RevokeOutcome } from './RevokeOutcome';
import type { Settings } from './Settings';
import type { SetupCheck } from './SetupCheck';
import type { SyncReport } from './SyncReport';

export const hostPresets = () => call<HostPreset[]>('host_presets');
export const listAccounts = () => call<Account[]>('list_accounts');
export const validateAccount = (input: NewAccount) => call<FieldError[]>('validate_account', { input });
export const addAccount = (input: NewAccount) => call<Account>('add_account', { input });
export const updateAccount = (accountId: string, update: AccountUpdate) => call<Account>('update_account', { accountId, update });
export const removeAccount = (accountId: string) => call<null>('remove_account', { accountId });
export const syncAccount = (accountId: string) => call<SyncReport>('sync_account', { accountId });
export const listKeys = (query: KeyQuery) => call<KeyRow[]>('list_keys', { query });
export const validateKey = (accountId: string, request: NewKey) => call<FieldError[]>('validate_key', { accountId, request });
export const validateUpdate = (keyId: string, update: KeyUpdate) => call<FieldError[]>('validate_update', { keyId, update });
/** Barndoor tries a credential's AWS role or Vertex setup before it is created. */
export const checkCredential = (accountId: string, request: NewKey) => call<CheckOutcome>('check_credential', { accountId, request });
/** The secret goes to a reveal slot; the window gets the row and a ticket. */
export const createKey = (accountId: string, request: NewKey) => call<MintedKey>('create_key', { accountId, request });
export const reissueKey = (keyId: string, gracePeriodSecs: number | null) => call<MintedKey>('reissue_key', { keyId, gracePeriodSecs });
/** The plaintext, once, for the dialog to display (zeroized here once sent; see `Revealed`). */
export const revealSecret = (revealId: string) => call<string>('reveal_secret', { revealId });
/** Copies from Rust: the page never needs the plaintext for this. Returns seconds until cleared. */
export const copySecret = (revealId: string, asEnvLine: boolean) => call<number>('copy_secret', { revealId, asEnvLine });
export const closeReveal = (revealId: string) => call<null>('close_reveal', { revealId });
export const revokeKey = (keyId: string) => call<KeyRow>('revoke_key', { keyId });
/** A bulk revoke: each key's outcome, in the order asked. */
export const revokeKeys = (keyIds: string[]) => call<RevokeOutcome[]>('revoke_keys', { keyIds });
export const updateKey = (keyId: string, update: KeyUpdate) => call<KeyRow>('update_key', { keyId, update });
export const refreshKey = (keyId: string) => call<KeyRow>('refresh_key', { keyId });
export const keyDetails = (keyId: string) => call<Record<string, unknown>>('key_details', { keyId });
/** The projects a Braintrust account's token can see, to scope an env var to one. */
export const listProjects = (accountId: string) => call<Project[]>('list_projects', { accountId });
export const checkSetup = (accountId: string, check: SetupCheck) => call<CheckOutcome>('check_setup', { accountId, check });
/** Newest first; a bad date or limit is refused with its field named. */
export const auditQuery = (query: AuditQuery) => call<AuditEntry[]>('audit_query', { query });
/** Every action the log holds, for the filter. */
export const auditActions = () => call<string[]>('audit_actions');
/** To the file the person chooses in a save dialog opened from here (the page names no path); `None` when they cancelled. The core adds `.csv` when the name lacks it. */
export const exportAudit = (query: AuditQuery) => call<ExportReport | null>('export_audit', { query });
/** As [`export_audit`], for the keys `query` lists. */
export const exportKeys = (query: KeyQuery, format: ExportFormat) => call<ExportReport | null>('export_keys', { query, format });
/** A damaged store: move it aside, rebuild it with the exported accounts, and use the new one. Refused while the store opens fine (nothing to recover). */
export const recoverStore = () => call<RecoveryReport>('recover_store');
/** Tries the store again (after another program let go of it). */
export const reopenStore = () => call<null>('reopen_store');
/** The window has painted its first inventory (or its welcome screen). Logged with the time since launch; then the notices timer is set to follow the setting. `KEYWARD_REPORT_READY` prints a line for the benchmark, `KEYWARD_EXIT_WHEN_READY` then quits. A page sends this once, as it starts: any reveal slot still held belonged to a page that reloaded or crashed with its dialog open, and nobody can close it any more. */
export const windowReady = (keys: number) => call<null>('window_ready', { keys });
export const settings = () => call<Settings>('settings');
export const validateSettings = (settings: Settings) => call<FieldError[]>('validate_settings', { settings });
/** Saved settings take effect at once: the clipboard's clear, the notices the new window owes, and the notices timer on or off. */
export const saveSettings = (settings: Settings) => call<Settings>('save_settings', { settings });
export const expiryCentre = () => call<ExpiryCentre>('expiry_centre');
/** An expired key leaves the expiry centre (it stays in the inventory). */
export const dismissExpired = (keyId: string) => call<KeyRow>('dismiss_expired', { keyId });
export const validateInstall = (target: InstallTarget) => call<FieldError[]>('validate_install', { target });
/** "Install into…": the secret goes from its reveal slot to the target; the page never has it. */
export const installSecret = (revealId: string, target: InstallTarget) => call<Installed>('install_secret', { revealId, target });
export const replacePlan = (keyId: string) => call<ReplacePlan>('replace_plan', { keyId });
/** The replace assistant; each step is emitted as it changes. The replacement's secret waits in a reveal slot, should the person want to see it once. */
export const replaceKey = (keyId: string, targets: InstallTarget[]) => call<ReplaceOutcome>('replace_key', { keyId, targets });
/** Ends the runs of `keyward run` whose processes are gone (Keyward was killed mid-run): their keys are revoked, and the window says so. Asked once the window has painted. */
export const reapRuns = () => call<ReapedRun[]>('reap_runs');

/** Each page of a sync as it is written (`SyncProgress`). */
export const SYNC_PROGRESS = 'sync-progress';
/** The replace assistant's report each time a step changes (`ReplaceReport`). */
export const REPLACE_PROGRESS = 'replace-progress';
/** An expiry notice raised while the window is open (`ExpiryNotice`). */
export const EXPIRY_NOTICE = 'expiry-notice';
