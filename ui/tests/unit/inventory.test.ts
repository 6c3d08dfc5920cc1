// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Account } from '../../src/lib/bindings/Account';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { toasts } from '../../src/lib/state/toasts.svelte';

let calls: { cmd: string; args: Record<string, unknown> }[];
beforeEach(() => {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'list_accounts') return [];
    if (cmd === 'list_keys') return [];
    return null;
  });
});
afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

test('typing searches once, after the pause, with the text', async () => {
  vi.useFakeTimers();
  const inv = new Inventory();
  for (const text of ['k', 'ke', 'key', 'key-0']) inv.setSearch(text);
  expect(calls.filter((c) => c.cmd === 'list_keys')).toHaveLength(0);
  await vi.advanceTimersByTimeAsync(150);
  const searches = calls.filter((c) => c.cmd === 'list_keys');
  expect(searches).toHaveLength(1);
  expect(searches[0].args.query).toMatchObject({ search: 'key-0', include_gone: false });
});

test('only the newest answer is shown when answers arrive out of order', async () => {
  const answers: ((rows: unknown[]) => void)[] = [];
  mockIPC((cmd) => (cmd === 'list_keys' ? new Promise((resolve) => answers.push(resolve)) : []));
  const inv = new Inventory();
  const first = inv.reloadKeys();
  const second = inv.reloadKeys();
  answers[1]([{ id: 'new' }]);
  answers[0]([{ id: 'old' }]);
  await Promise.all([first, second]);
  expect(inv.keys.map((k) => k.id)).toEqual(['new']);
});

test('a failed quiet sync that is offline leaves no toast; other failures do', async () => {
  mockIPC((cmd, args) => {
    if (cmd === 'sync_account') {
      const id = (args as { accountId: string }).accountId;
      throw id === 'offline'
        ? { code: 'network', message: 'Could not reach Braintrust', field: null }
        : { code: 'token_missing', message: 'Re-enter the token', field: null };
    }
    return [];
  });
  toasts.items = [];
  const inv = new Inventory();
  await inv.syncAccount('offline', { quiet: true });
  expect(toasts.items).toHaveLength(0);
  await inv.syncAccount('locked', { quiet: true });
  expect(toasts.items.map((t) => t.message)).toEqual(['Account: Re-enter the token']);
});

test('a sync that skipped unreadable objects says so, even when quiet', async () => {
  mockIPC((cmd) =>
    cmd === 'sync_account'
      ? { account_id: 'a', fetched: 4, added: 0, updated: 4, gone: 0, skipped: 1, pages: 1, finished_at: '2026-12-01T00:00:00Z' }
      : []);
  toasts.items = [];
  await new Inventory().syncAccount('a', { quiet: true });
  expect(toasts.items.map((t) => t.message)).toEqual([
    'Account: 4 keys synced; 1 object the service listed could not be read and was skipped, so nothing was marked gone.',
  ]);
});

test('an export asks for what the table shows, every row of it', async () => {
  const inv = new Inventory();
  inv.search = ' prod ';
  inv.filters = { service: 'respan', kind: '', status: 'expiring', env: 'test', run: 'minted', unused: '30' };
  await inv.reloadKeys(60);
  const shown = calls.filter((c) => c.cmd === 'list_keys').pop()!.args.query;
  expect(shown).toMatchObject({ search: 'prod', service: 'respan', statuses: ['expiring'], is_test: true, from_run: true, unused_days: 30, limit: 60 });
  expect(inv.query()).toEqual({ ...(shown as object), limit: undefined });
});

const ACCOUNT = { id: 'a1', service: 'braintrust', label: 'Production', host: 'https://api.braintrust.dev' } as Account;

test('an account edit sends only the change, says it was saved, then reads the inventory again and syncs the account quietly', async () => {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'update_account') return { ...ACCOUNT, label: 'Prod' };
    if (cmd === 'list_accounts') return [{ ...ACCOUNT, label: 'Prod' }];
    if (cmd === 'sync_account') return { account_id: 'a1', fetched: 3, added: 0, updated: 3, gone: 0, skipped: 0, pages: 1, finished_at: '2026-12-01T00:00:00Z' };
    return [];
  });
  toasts.items = [];
  const inv = new Inventory();
  expect((await inv.updateAccount(ACCOUNT, { label: 'Prod' })).label).toBe('Prod');
  expect(calls[0]).toEqual({ cmd: 'update_account', args: { accountId: 'a1', update: { label: 'Prod' } } });
  expect(toasts.items.map((t) => t.message)).toEqual(['“Prod” saved.']);
  await vi.waitFor(() => expect(calls.map((c) => c.cmd)).toContain('sync_account'));
  expect(calls.find((c) => c.cmd === 'sync_account')?.args).toEqual({ accountId: 'a1' });
  // Read again first (the new name shows), then synced; a quiet sync says nothing more.
  const order = calls.map((c) => c.cmd);
  expect(order.indexOf('list_accounts')).toBeLessThan(order.indexOf('sync_account'));
  await vi.waitFor(() => expect(inv.progress.a1?.done).toBe(true));
  expect(inv.accounts.map((a) => a.label)).toEqual(['Prod']);
  expect(toasts.items).toHaveLength(1);
});

test('a new token is said to be verified and kept in the keychain', async () => {
  mockIPC((cmd) => (cmd === 'update_account' ? ACCOUNT : cmd === 'sync_account' ? { fetched: 0, skipped: 0 } : []));
  toasts.items = [];
  const inv = new Inventory();
  await inv.updateAccount(ACCOUNT, { token: 'sk-new' });
  expect(toasts.items[0].message).toBe('New token for “Production” verified and stored in the keychain.');
  await vi.waitFor(() => expect(inv.progress.a1?.done).toBe(true));
});

test('a refused account edit reaches the caller with the field it names; nothing is read or synced', async () => {
  const refusal = { code: 'unauthorized', message: 'This key was refused by Braintrust (401).', field: 'token' };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'update_account') throw refusal;
    return [];
  });
  toasts.items = [];
  await expect(new Inventory().updateAccount(ACCOUNT, { token: 'sk-wrong' })).rejects.toEqual(refusal);
  await new Promise((r) => setTimeout(r, 20));
  expect(calls.map((c) => c.cmd)).toEqual(['update_account']);
  expect(toasts.items).toEqual([]);
});
