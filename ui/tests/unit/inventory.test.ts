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

const searches = () => calls.filter((c) => c.cmd === 'list_keys').map((c) => c.args.query as { search?: string; limit?: number });
/** Answers list_keys with `rows(search)` rows, at most the limit asked for. */
function answering(rows: (search: string) => number) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd !== 'list_keys') return [];
    const q = (args as { query: { search?: string; limit?: number } }).query;
    const n = Math.min(rows(q.search ?? ''), q.limit ?? Infinity);
    return Array.from({ length: n }, (_, i) => ({ id: `${q.search}-${i}` }));
  });
}

test('each keystroke asks at once for a first screenful; every match follows once typing pauses', async () => {
  vi.useFakeTimers();
  answering(() => 1000);
  const inv = new Inventory();
  for (const text of ['k', 'ke', 'key', 'key-0']) {
    inv.setSearch(text);
    await vi.advanceTimersByTimeAsync(100);
  }
  expect(searches()).toEqual(['k', 'ke', 'key', 'key-0'].map((search) => expect.objectContaining({ search, limit: 60 })));
  expect(inv.keys).toHaveLength(60);
  expect(inv.partial, 'the count waits for the rest').toBe(true);
  await vi.advanceTimersByTimeAsync(300);
  expect(searches().slice(4)).toEqual([expect.objectContaining({ search: 'key-0', limit: undefined })]);
  expect(inv.keys).toHaveLength(1000);
  expect(inv.partial).toBe(false);
});

test('a first screenful that holds every match is the answer: nothing more is read', async () => {
  vi.useFakeTimers();
  answering((search) => (search === 'key-0042' ? 3 : 1000));
  const inv = new Inventory();
  inv.setSearch('key-004');
  await vi.advanceTimersByTimeAsync(100);
  inv.setSearch('key-0042');
  await vi.advanceTimersByTimeAsync(1000);
  expect(searches().map((q) => [q.search, q.limit])).toEqual([['key-004', 60], ['key-0042', 60]]);
  expect(inv.keys.map((k) => k.id)).toEqual(['key-0042-0', 'key-0042-1', 'key-0042-2']);
  expect(inv.partial).toBe(false);
});

test('an older keystroke answered after a newer one is not shown, and reads no more', async () => {
  vi.useFakeTimers();
  const answers = new Map<string, (rows: unknown[]) => void>();
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    const q = (args as { query: { search?: string; limit?: number } }).query;
    return cmd === 'list_keys' ? new Promise((resolve) => answers.set(`${q.search}/${q.limit}`, resolve)) : [];
  });
  const inv = new Inventory();
  const rows = (search: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${search}-${i}` }));
  inv.setSearch('ke');
  inv.setSearch('key');
  answers.get('key/60')!(rows('key', 2));
  await vi.advanceTimersByTimeAsync(0);
  answers.get('ke/60')!(rows('ke', 60));
  await vi.advanceTimersByTimeAsync(1000);
  expect(inv.keys.map((k) => k.id)).toEqual(['key-0', 'key-1']);
  expect(inv.partial).toBe(false);
  expect(searches()).toHaveLength(2);

  // The whole list read after a pause does not land over a keystroke typed while it was on its way.
  inv.setSearch('k');
  answers.get('k/60')!(rows('k', 60));
  await vi.advanceTimersByTimeAsync(300);
  expect(searches().slice(-1)).toEqual([expect.objectContaining({ search: 'k', limit: undefined })]);
  inv.setSearch('kx');
  answers.get('kx/60')!(rows('kx', 1));
  await vi.advanceTimersByTimeAsync(0);
  answers.get('k/undefined')!(rows('k', 500));
  await vi.advanceTimersByTimeAsync(1000);
  expect(inv.keys.map((k) => k.id)).toEqual(['kx-0']);
});

test('only the newest answer is shown when answers arrive out of order', async () => {
  const answers: ((rows: unknown[]) => void)[] = [];
  mockIPC((cmd) => (cmd === 'list_keys' ? new Promise((resolve) => answers.push(resolve)) : []));
  const inv = new Inventory();
  const first = inv.reloadKeys();
  const second = inv.reloadKeys();
  answers[1]([{ id: 'new' }]);
  // Let the newer answer land first, so the older one truly comes after it.
  await second;
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

test('a failed sync reads the accounts again, not the rows it left as they were; a sync that ran reads both', async () => {
  const account = { id: 'a1', label: 'Production' } as Account;
  let online = false;
  mockIPC((cmd) => {
    calls.push({ cmd, args: {} });
    if (cmd === 'sync_account') {
      if (!online) throw { code: 'network', message: 'Could not reach Braintrust', field: null };
      return { account_id: 'a1', fetched: 1, added: 1, updated: 0, gone: 0, skipped: 0, pages: 1, finished_at: '2026-12-01T00:00:00Z' };
    }
    if (cmd === 'list_accounts') return [account];
    if (cmd === 'list_keys') return online ? [{ id: 'k1' }] : [];
    return null;
  });
  const inv = new Inventory();
  await inv.syncAccount('a1', { quiet: true });
  expect(calls.map((c) => c.cmd)).toEqual(['sync_account', 'list_accounts']);
  expect(inv.accounts).toEqual([account]);

  calls = [];
  online = true;
  await inv.syncAccount('a1', { quiet: true });
  expect(calls.map((c) => c.cmd).sort()).toEqual(['list_accounts', 'list_keys', 'sync_account']);
  expect(inv.keys.map((k) => k.id)).toEqual(['k1']);
});

test('a failed sync of the account the table is filtered to, removed meanwhile, shows every account again', async () => {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'sync_account') throw { code: 'not_found', message: 'No such account', field: null };
    return [];
  });
  const inv = new Inventory();
  inv.accountFilter = 'removed';
  await inv.syncAccount('removed', { quiet: true });
  expect(inv.accountFilter).toBeNull();
  expect(calls.filter((c) => c.cmd === 'list_keys').map((c) => (c.args.query as { account_id?: string }).account_id)).toEqual([undefined]);
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
