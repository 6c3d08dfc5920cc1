// The only place the UI talks to the shell. Every command's call is generated from Rust
// (bindings/commands.ts), typed with the types generated beside it; every rejection becomes an
// `IpcError` with a message a person can read (call.ts).
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { SyncProgress } from './bindings/SyncProgress';
import type { ExpiryNotice } from './bindings/ExpiryNotice';
import type { ReplaceReport } from './bindings/ReplaceReport';

export { toIpcError, type IpcError } from './call';
import { EXPIRY_NOTICE, REPLACE_PROGRESS, SYNC_PROGRESS } from './bindings/commands';

export * from './bindings/commands';

export function onSyncProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>(SYNC_PROGRESS, (event) => handler(event.payload));
}

export function onExpiryNotice(handler: (n: ExpiryNotice) => void): Promise<UnlistenFn> {
  return listen<ExpiryNotice>(EXPIRY_NOTICE, (event) => handler(event.payload));
}

export function onReplaceProgress(handler: (r: ReplaceReport) => void): Promise<UnlistenFn> {
  return listen<ReplaceReport>(REPLACE_PROGRESS, (event) => handler(event.payload));
}
