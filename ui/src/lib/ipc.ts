// The only place the UI talks to the shell. Every command is typed with the types generated
// from Rust, and every rejection becomes an `IpcError` with a message a person can read.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { Account } from './bindings/Account';
import type { Error as IpcError } from './bindings/Error';
import type { FieldError } from './bindings/FieldError';
import type { HostPreset } from './bindings/HostPreset';
import type { KeyQuery } from './bindings/KeyQuery';
import type { KeyRow } from './bindings/KeyRow';
import type { NewAccount } from './bindings/NewAccount';
import type { SyncProgress } from './bindings/SyncProgress';
import type { SyncReport } from './bindings/SyncReport';

export type { IpcError };

export function toIpcError(raw: unknown): IpcError {
  if (raw && typeof raw === 'object' && 'code' in raw && 'message' in raw) {
    const e = raw as Partial<IpcError>;
    return { code: e.code ?? 'internal', message: String(e.message), field: e.field ?? null };
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
export const removeAccount = (accountId: string) => call<null>('remove_account', { accountId });
export const syncAccount = (accountId: string) => call<SyncReport>('sync_account', { accountId });
export const listKeys = (query: KeyQuery) => call<KeyRow[]>('list_keys', { query });

export const SYNC_PROGRESS = 'sync-progress';
export function onSyncProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>(SYNC_PROGRESS, (event) => handler(event.payload));
}
