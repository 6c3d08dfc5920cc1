// @vitest-environment happy-dom
// What the window does to keys, asked of the key actions: each sends its command with what it was
// given, says its outcome, and has the inventory read again; a refusal goes back to the caller.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { InstallTarget } from '../../src/lib/bindings/InstallTarget';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';
import type { NewKey } from '../../src/lib/bindings/NewKey';
import { Dialogs } from '../../src/lib/state/dialogs.svelte';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { KeyActions } from '../../src/lib/state/keyActions.svelte';
import { toasts } from '../../src/lib/state/toasts.svelte';

function row(extra: Partial<KeyRow> = {}): KeyRow {
  return {
    id: 'k1', account_id: 'a1', account_label: 'Platform', service: 'barndoor', kind: 'barndoor_credential', provider_id: 'p1',
    name: 'OpenAI Production', preview: '…0042', owner: null, created_at: '2026-11-01T10:00:00Z', expires_at: null, status: 'active',
    last_seen_at: null, is_test: false, usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null,
    last_used_at: null, ...extra,
  } as KeyRow;
}
const REFUSAL = { code: 'invalid_input', message: 'Barndoor says: name is taken.', field: 'name' };

let calls: { cmd: string; args: Record<string, unknown> }[];
/** What the store lists after the change: the inventory shows it once it has read it again. */
const AFTER = [row({ id: 'after' })];
function backend(answers: Record<string, (args: Record<string, unknown>) => unknown>) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd in answers) return answers[cmd](args as Record<string, unknown>);
    if (cmd === 'list_accounts') return [];
    if (cmd === 'list_keys') return AFTER;
    return null;
  });
}
const sent = () => calls.filter((c) => c.cmd !== 'list_accounts' && c.cmd !== 'list_keys');
const refusing = (error: object) => () => Promise.reject(error);

let inventory: Inventory;
let dialogs: Dialogs;
let actions: KeyActions;
beforeEach(() => {
  calls = [];
  toasts.items = [];
  inventory = new Inventory();
  dialogs = new Dialogs();
  actions = new KeyActions(inventory, dialogs);
});
afterEach(() => clearMocks());

/** The inventory was read again after the command: its rows are the store's new ones. */
async function reread() {
  await vi.waitFor(() => expect(inventory.keys.map((k) => k.id)).toEqual(['after']));
  const mutation = calls.findIndex((c) => c.cmd !== 'list_accounts' && c.cmd !== 'list_keys');
  expect(calls.slice(mutation + 1).map((c) => c.cmd).sort()).toEqual(['list_accounts', 'list_keys']);
}
/** Nothing was read again: a refusal changed nothing. */
async function notReread() {
  await new Promise((r) => setTimeout(r, 20));
  expect(calls.map((c) => c.cmd).filter((c) => c.startsWith('list_'))).toEqual([]);
  expect(inventory.keys).toEqual([]);
}

test('create sends the request to its account and reads the inventory again', async () => {
  const request = { kind: 'respan_temp_key', name: 'ci' } as NewKey;
  const minted = { key: row({ name: 'ci' }), reveal: { id: 'r1', env_var: 'RESPAN_API_KEY', clear_after_secs: 30 } };
  backend({ create_key: () => minted });
  expect(await actions.create('a1', request)).toEqual(minted);
  expect(sent()).toEqual([{ cmd: 'create_key', args: { accountId: 'a1', request } }]);
  await reread();
});

test('a create refused outright reaches the caller and changes nothing', async () => {
  backend({ create_key: refusing(REFUSAL) });
  await expect(actions.create('a1', { kind: 'respan_temp_key' } as NewKey)).rejects.toEqual(REFUSAL);
  await notReread();
});

test('a key created without its secret reaches the caller, naming the key, and the inventory is read again', async () => {
  const orphan = { code: 'conflict', message: 'Respan created the key but sent no secret back.', field: null, key_id: 'row-7' };
  backend({ create_key: refusing(orphan) });
  await expect(actions.create('a1', { kind: 'respan_temp_key' } as NewKey)).rejects.toEqual(orphan);
  await reread();
});

test('created: a revealed secret opens the reveal dialog; a given one is said to be sent and not kept', () => {
  dialogs.open({ kind: 'create' });
  const reveal = { id: 'r1', env_var: 'RESPAN_API_KEY', clear_after_secs: 30 };
  actions.created({ key: row({ name: 'ci' }), reveal, run_hint: null });
  expect(dialogs.current).toEqual({ kind: 'reveal', created: { key: row({ name: 'ci' }), reveal, run_hint: null } });
  dialogs.open({ kind: 'create' });
  actions.created({ key: row({ name: 'given' }), reveal: null, run_hint: null });
  expect(dialogs.current).toBeNull();
  expect(toasts.items.map((t) => t.message)).toEqual(['given created. The secret you gave was sent and not kept.']);
});

test('revoke by id revokes that key, says so (unless quiet), and reads the inventory again', async () => {
  backend({ revoke_key: () => row({ id: 'row-7', name: 'ci', status: 'revoked' }) });
  expect((await actions.revokeById('row-7')).name).toBe('ci');
  expect(sent()).toEqual([{ cmd: 'revoke_key', args: { keyId: 'row-7' } }]);
  expect(toasts.items.map((t) => t.message)).toEqual(['ci revoked.']);
  await reread();
  await actions.revokeById('row-8', { quiet: true });
  expect(sent()[1]).toEqual({ cmd: 'revoke_key', args: { keyId: 'row-8' } });
  expect(toasts.items).toHaveLength(1);
});

test('a refused revoke by id reaches the caller, with no toast and nothing read again', async () => {
  const refusal = { code: 'network', message: 'Could not reach Respan.', field: null };
  backend({ revoke_key: refusing(refusal) });
  await expect(actions.revokeById('row-7')).rejects.toEqual(refusal);
  expect(toasts.items).toEqual([]);
  await notReread();
});

test('update sends only the change to that key, says it was saved, and reads the inventory again', async () => {
  backend({ update_key: () => row({ name: 'Renamed' }) });
  const update = { kind: 'barndoor_credential', name: 'Renamed' } as const;
  expect((await actions.updateKey(row(), update)).name).toBe('Renamed');
  expect(sent()).toEqual([{ cmd: 'update_key', args: { keyId: 'k1', update } }]);
  expect(toasts.items.map((t) => t.message)).toEqual(['Renamed saved.']);
  await reread();
});

test('an update with a new secret says the service has it and Keyward does not', async () => {
  backend({ update_key: () => row() });
  await actions.updateKey(row(), { kind: 'barndoor_credential', api_key: 'sk-new-0043', change_note: 'rotation' });
  expect(toasts.items.map((t) => t.message)).toEqual(['OpenAI Production now uses the new secret; Barndoor has it and Keyward does not.']);
});

test('a refused update reaches the caller with the field it names', async () => {
  backend({ update_key: refusing(REFUSAL) });
  await expect(actions.updateKey(row(), { kind: 'barndoor_credential', name: 'Taken' })).rejects.toEqual(REFUSAL);
  expect(toasts.items).toEqual([]);
  await notReread();
});

test('refresh reads the key from its service, says so, and reads the inventory again', async () => {
  backend({ refresh_key: () => row() });
  await actions.refreshKey(row());
  expect(sent()).toEqual([{ cmd: 'refresh_key', args: { keyId: 'k1' } }]);
  expect(toasts.items.map((t) => t.message)).toEqual(['OpenAI Production refreshed from barndoor.']);
  await reread();
});

test('a refused refresh reaches the caller', async () => {
  const refusal = { code: 'not_found', message: 'Barndoor no longer has this key.', field: null };
  backend({ refresh_key: refusing(refusal) });
  await expect(actions.refreshKey(row())).rejects.toEqual(refusal);
  expect(toasts.items).toEqual([]);
  await notReread();
});

test('install sends the reveal id and the target, says how it was checked, and reads the inventory again', async () => {
  const target: InstallTarget = { to: 'existing', key_id: 'k9' };
  const installed = { key: row({ id: 'k9', name: 'Gateway' }), verified: true, check: 'Barndoor answered with it.' };
  backend({ install_secret: () => installed });
  expect(await actions.install('r1', target)).toEqual(installed);
  expect(sent()).toEqual([{ cmd: 'install_secret', args: { revealId: 'r1', target } }]);
  expect(toasts.items.map((t) => t.message)).toEqual(['Installed into Gateway. Barndoor answered with it.']);
  await reread();
});

test('a refused install reaches the caller', async () => {
  const refusal = { code: 'invalid_input', message: 'Give it a name.', field: 'name' };
  backend({ install_secret: refusing(refusal) });
  await expect(actions.install('r1', { to: 'existing', key_id: 'k9' })).rejects.toEqual(refusal);
  expect(toasts.items).toEqual([]);
  await notReread();
});

test('replace sends the key and the picked targets, returns the outcome, and reads the inventory again', async () => {
  const targets: InstallTarget[] = [{ to: 'existing', key_id: 'k2' }, { to: 'existing', key_id: 'k3' }];
  const outcome = { report: { key_id: 'k1', completed: true, summary: 'Replaced.' }, reveal: null };
  backend({ replace_key: () => outcome });
  expect(await actions.replace('k1', targets)).toEqual(outcome);
  expect(sent()).toEqual([{ cmd: 'replace_key', args: { keyId: 'k1', targets } }]);
  await reread();
});

test('a refused replace reaches the caller', async () => {
  const refusal = { code: 'conflict', message: 'A replacement is already under way.', field: null };
  backend({ replace_key: refusing(refusal) });
  await expect(actions.replace('k1', [])).rejects.toEqual(refusal);
  await notReread();
});

test('reissue sends the grace period, says until when the previous secret works, opens the reveal and reads the inventory again', async () => {
  const reveal = { id: 'r1', env_var: 'BARNDOOR_API_KEY', clear_after_secs: 30 };
  backend({ reissue_key: () => ({ key: row({ kind: 'barndoor_gateway_key' }), reveal, run_hint: null }) });
  await actions.reissue(row({ name: 'gw-ci', kind: 'barndoor_gateway_key' }), 3600);
  expect(sent()).toEqual([{ cmd: 'reissue_key', args: { keyId: 'k1', gracePeriodSecs: 3600 } }]);
  expect(toasts.items.map((t) => t.message)).toEqual([expect.stringMatching(/^gw-ci reissued\. The previous secret keeps working until .+\.$/)]);
  expect(dialogs.current).toMatchObject({ kind: 'reveal', created: { reveal } });
  await reread();
});

test('reissue with no grace period sends null and says nothing beyond the reveal', async () => {
  backend({ reissue_key: () => ({ key: row(), reveal: null, run_hint: null }) });
  await actions.reissue(row(), 0);
  expect(sent()).toEqual([{ cmd: 'reissue_key', args: { keyId: 'k1', gracePeriodSecs: null } }]);
  expect(toasts.items).toEqual([]);
});

test('a refused reissue reaches the caller, with no toast and nothing read again', async () => {
  const refusal = { code: 'invalid_input', message: 'A grace period is at most 7 days.', field: 'grace_period_secs' };
  backend({ reissue_key: refusing(refusal) });
  await expect(actions.reissue(row(), 700000)).rejects.toEqual(refusal);
  expect(toasts.items).toEqual([]);
  await notReread();
});
