// The only place the UI talks to the shell. Every command is typed with the types generated
// from Rust, and every rejection becomes an `IpcError` with a message a person can read.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { Account } from './bindings/Account';
import type { AccountUpdate } from './bindings/AccountUpdate';
import type { Error as IpcError } from './bindings/Error';
import type { FieldError } from './bindings/FieldError';
import type { HostPreset } from './bindings/HostPreset';
import type { KeyQuery } from './bindings/KeyQuery';
import type { KeyRow } from './bindings/KeyRow';
import type { NewAccount } from './bindings/NewAccount';
import type { SyncProgress } from './bindings/SyncProgress';
import type { SyncReport } from './bindings/SyncReport';
import type { AuditEntry } from './bindings/AuditEntry';
import type { AuditQuery } from './bindings/AuditQuery';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportReport } from './bindings/ExportReport';
import type { CreatedKey } from './bindings/CreatedKey';
import type { KeyUpdate } from './bindings/KeyUpdate';
import type { RecoveryReport } from './bindings/RecoveryReport';
import type { RevokeOutcome } from './bindings/RevokeOutcome';
import type { NewKey } from './bindings/NewKey';
import type { Validation } from './bindings/Validation';
import type { ValidationOutcome } from './bindings/ValidationOutcome';
import type { Settings } from './bindings/Settings';
import type { ExpiryCentre } from './bindings/ExpiryCentre';
import type { ExpiryNotice } from './bindings/ExpiryNotice';
import type { InstallTarget } from './bindings/InstallTarget';
import type { Installed } from './bindings/Installed';
import type { RotationPlan } from './bindings/RotationPlan';
import type { RotationOutcome } from './bindings/RotationOutcome';
import type { RotationReport } from './bindings/RotationReport';

export type { IpcError };

export function toIpcError(raw: unknown): IpcError {
  if (raw && typeof raw === 'object' && 'code' in raw && 'message' in raw) {
    const e = raw as Partial<IpcError>;
    const error: IpcError = { code: e.code ?? 'internal', message: String(e.message), field: e.field ?? null };
    if (e.key_id) error.key_id = e.key_id;
    return error;
  }
  const message = typeof raw === 'string' ? raw : raw instanceof Error ? raw.message : 'Something went wrong.';
  return { code: 'internal', message, field: null };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw toIpcError(raw);
  }
}

export const hostPresets = () => call<HostPreset[]>('host_presets');
export const listAccounts = () => call<Account[]>('list_accounts');
export const validateAccount = (input: NewAccount) => call<FieldError[]>('validate_account', { input });
export const addAccount = (input: NewAccount) => call<Account>('add_account', { input });
export const updateAccount = (accountId: string, update: AccountUpdate) => call<Account>('update_account', { accountId, update });
export const removeAccount = (accountId: string) => call<null>('remove_account', { accountId });
export const syncAccount = (accountId: string) => call<SyncReport>('sync_account', { accountId });
export const listKeys = (query: KeyQuery) => call<KeyRow[]>('list_keys', { query });

export const validateKey = (accountId: string, request: NewKey) => call<FieldError[]>('validate_key', { accountId, request });
/** Barndoor tries a credential's AWS role or Vertex setup; nothing is saved. */
export const checkCredential = (accountId: string, request: NewKey) => call<ValidationOutcome>('check_credential', { accountId, request });
export const createKey = (accountId: string, request: NewKey) => call<CreatedKey>('create_key', { accountId, request });
export const rotateKey = (keyId: string) => call<CreatedKey>('rotate_key', { keyId });
/** The plaintext, once, for the reveal dialog to display. */
export const revealSecret = (revealId: string) => call<string>('reveal_secret', { revealId });
/** Copies in Rust; resolves to the seconds until the clipboard is cleared. */
export const copySecret = (revealId: string, asEnvLine: boolean) => call<number>('copy_secret', { revealId, asEnvLine });
export const closeReveal = (revealId: string) => call<null>('close_reveal', { revealId });
export const revokeKey = (keyId: string) => call<KeyRow>('revoke_key', { keyId });
/** Each key's outcome, in the order given; one refusal does not stop the rest. */
export const revokeKeys = (keyIds: string[]) => call<RevokeOutcome[]>('revoke_keys', { keyIds });
export const validateUpdate = (keyId: string, update: KeyUpdate) => call<FieldError[]>('validate_update', { keyId, update });
export const updateKey = (keyId: string, update: KeyUpdate) => call<KeyRow>('update_key', { keyId, update });
export const refreshKey = (keyId: string) => call<KeyRow>('refresh_key', { keyId });
export const keyDetails = (keyId: string) => call<Record<string, unknown>>('key_details', { keyId });
export const validateSetup = (accountId: string, check: Validation) => call<ValidationOutcome>('validate_setup', { accountId, check });
/** Newest first; a bad date or limit is refused with its field named. */
export const auditQuery = (query: AuditQuery) => call<AuditEntry[]>('audit_query', { query });
/** Every action the log holds, for the filter. */
export const auditActions = () => call<string[]>('audit_actions');
/** The entries `query` lists, as CSV, to the file the person chooses in the save dialog the shell
 *  opens (the page names no path); null when they cancelled. */
export const exportAudit = (query: AuditQuery) => call<ExportReport | null>('export_audit', { query });
/** The keys `query` lists (their metadata, never a secret), as `exportAudit` does. */
export const exportKeys = (query: KeyQuery, format: ExportFormat) => call<ExportReport | null>('export_keys', { query, format });

export const settings = () => call<Settings>('settings');
export const validateSettings = (settings: Settings) => call<FieldError[]>('validate_settings', { settings });
export const saveSettings = (settings: Settings) => call<Settings>('save_settings', { settings });

export const expiryCentre = () => call<ExpiryCentre>('expiry_centre');
/** An expired key leaves the expiry centre (it stays in the inventory). */
export const dismissExpired = (keyId: string) => call<KeyRow>('dismiss_expired', { keyId });

export const validateInstall = (target: InstallTarget) => call<FieldError[]>('validate_install', { target });
/** Sends the reveal slot's secret to the target from Rust; the page never holds it. */
export const installSecret = (revealId: string, target: InstallTarget) => call<Installed>('install_secret', { revealId, target });
export const rotationPlan = (keyId: string) => call<RotationPlan>('rotation_plan', { keyId });
export const rotateAssisted = (keyId: string, targets: InstallTarget[]) => call<RotationOutcome>('rotate_assisted', { keyId, targets });

/** A damaged store: moved aside and rebuilt with the exported accounts. */
export const recoverStore = () => call<RecoveryReport>('recover_store');
/** Opens the store again (another program let go of it). */
export const reopenStore = () => call<null>('reopen_store');

/** The first inventory (or welcome screen) is on screen. */
export const windowReady = (keys: number) => call<null>('window_ready', { keys });

export const SYNC_PROGRESS = 'sync-progress';
export function onSyncProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>(SYNC_PROGRESS, (event) => handler(event.payload));
}

export const EXPIRY_NOTICE = 'expiry-notice';
export function onExpiryNotice(handler: (n: ExpiryNotice) => void): Promise<UnlistenFn> {
  return listen<ExpiryNotice>(EXPIRY_NOTICE, (event) => handler(event.payload));
}

export const ROTATION_PROGRESS = 'rotation-progress';
export function onRotationProgress(handler: (r: RotationReport) => void): Promise<UnlistenFn> {
  return listen<RotationReport>(ROTATION_PROGRESS, (event) => handler(event.payload));
}
