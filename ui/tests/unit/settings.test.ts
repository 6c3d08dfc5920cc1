// @vitest-environment happy-dom
// Saving the settings is asked of the settings state: it sends them, says so, and reads the
// inventory again (a new window changes what reads expiring); a refusal goes back to the caller.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Settings } from '../../src/lib/bindings/Settings';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { SettingsActions } from '../../src/lib/state/settings';
import { toasts } from '../../src/lib/state/toasts.svelte';

const SETTINGS: Settings = { expiry_window_days: 14, rotate_after_days: 90, notify_expiry: true, clipboard_clear_secs: 30, theme: 'system' };

let calls: { cmd: string; args: unknown }[];
beforeEach(() => {
  calls = [];
  toasts.items = [];
});
afterEach(() => clearMocks());

test('save sends the settings, returns what was kept, and reads the inventory again', async () => {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'save_settings') return { ...SETTINGS, clipboard_clear_secs: 45 };
    if (cmd === 'list_accounts') return [];
    if (cmd === 'list_keys') return [{ id: 'now-expiring', status: 'expiring' }];
    return null;
  });
  const inventory = new Inventory();
  expect(await new SettingsActions(inventory).save(SETTINGS)).toEqual({ ...SETTINGS, clipboard_clear_secs: 45 });
  expect(calls[0]).toEqual({ cmd: 'save_settings', args: { settings: SETTINGS } });
  expect(toasts.items.map((t) => t.message)).toEqual(['Settings saved.']);
  await vi.waitFor(() => expect(inventory.keys.map((k) => k.id)).toEqual(['now-expiring']));
  expect(calls.slice(1).map((c) => c.cmd).sort()).toEqual(['list_accounts', 'list_keys']);
});

test('a refused save reaches the caller with the field it names, and nothing is read again', async () => {
  const refusal = { code: 'invalid_input', message: 'expiry_window_days must be 1 to 90.', field: 'expiry_window_days' };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === 'save_settings') throw refusal;
    return [];
  });
  await expect(new SettingsActions(new Inventory()).save(SETTINGS)).rejects.toEqual(refusal);
  await new Promise((r) => setTimeout(r, 20));
  expect(calls.map((c) => c.cmd)).toEqual(['save_settings']);
  expect(toasts.items).toEqual([]);
});

test('the appearance the core kept is shown at once and remembered for the next start', async () => {
  localStorage.clear();
  mockIPC((cmd) => (cmd === 'save_settings' ? { ...SETTINGS, theme: 'dark' } : []));
  await new SettingsActions(new Inventory()).save({ ...SETTINGS, theme: 'dark' });
  expect(document.documentElement.dataset.theme).toBe('dark');
  expect(localStorage.getItem('keyward.theme')).toBe('dark');
});
