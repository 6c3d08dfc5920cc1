// Every command goes through `call`: a rejection from the shell, whatever its shape, becomes an
// `IpcError` the UI can show.
import { invoke } from '@tauri-apps/api/core';
import type { Error as IpcError } from './bindings/Error';

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

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw toIpcError(raw);
  }
}
