// @vitest-environment happy-dom
// Setting an expired key aside is asked of the expiry state: it sends the command, says so, and
// reads the centre again; a refusal goes back to the caller.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { ExpiryCentre } from '../../src/lib/bindings/ExpiryCentre';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';
import { Expiry } from '../../src/lib/state/expiry.svelte';
import { toasts } from '../../src/lib/state/toasts.svelte';

const key = { id: 'k1', name: 'ci-runner', status: 'expired' } as KeyRow;
const centre = (attention: number): ExpiryCentre => ({ keys: [], attention, window_days: 7, horizon_days: 30 });

let calls: { cmd: string; args: unknown }[];
beforeEach(() => {
  calls = [];
  toasts.items = [];
});
afterEach(() => clearMocks());

test('dismiss sets that key aside, says it stays in the inventory, and reads the centre again', async () => {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'dismiss_expired') return { ...key, dismissed: true };
    if (cmd === 'expiry_centre') return centre(0);
    return null;
  });
  const expiry = new Expiry();
  expiry.centre = centre(1);
  await expiry.dismiss(key);
  expect(calls).toEqual([{ cmd: 'dismiss_expired', args: { keyId: 'k1' } }, { cmd: 'expiry_centre', args: {} }]);
  expect(expiry.centre?.attention).toBe(0);
  expect(toasts.items.map((t) => t.message)).toEqual(['ci-runner set aside. It stays in the inventory.']);
});

test('a refused dismiss reaches the caller, with no toast and the centre as it was', async () => {
  const refusal = { code: 'not_found', message: 'No such key.', field: null };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'dismiss_expired') throw refusal;
    return centre(0);
  });
  const expiry = new Expiry();
  expiry.centre = centre(1);
  await expect(expiry.dismiss(key)).rejects.toEqual(refusal);
  expect(calls.map((c) => c.cmd)).toEqual(['dismiss_expired']);
  expect(expiry.centre?.attention).toBe(1);
  expect(toasts.items).toEqual([]);
});
