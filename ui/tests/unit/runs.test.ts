// @vitest-environment happy-dom
// How `keyward run` reads in the window: a run key's badge, what the window says of runs a killed
// Keyward left (ended at start), and that ending them reads the inventory again; a failure to
// check is a quiet warning, never in the way.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';
import type { ReapedRun } from '../../src/lib/bindings/ReapedRun';
import type { RunEnd } from '../../src/lib/bindings/RunEnd';
import type { RunMark } from '../../src/lib/bindings/RunMark';
import { clockTime } from '../../src/lib/format';
import { reapFailedNotice, reapedRunNotices, runLabel } from '../../src/lib/runs';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { reapLeftRuns } from '../../src/lib/state/runs';
import { toasts } from '../../src/lib/state/toasts.svelte';

// Local times, so the words read the same in any time zone.
const NOW = new Date(2026, 11, 1, 14, 30).getTime();
const at = (h: number, m: number, day = 1) => new Date(2026, 11, day, h, m).toISOString();

const key = (name: string, extra: Partial<KeyRow> = {}) => ({
  id: name, account_id: 'a1', account_label: 'Gateway', service: 'respan', kind: 'respan_temp_key', provider_id: 'p1', name,
  preview: null, owner: null, created_at: at(12, 1), expires_at: null, status: 'revoked', last_seen_at: at(12, 1), rotate_due: false,
  run: null, is_test: null, usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null, last_used_at: null, ...extra,
}) as KeyRow;
const proxy = (name: string, expires_at: string | null) => key(name, { kind: 'braintrust_proxy_credential', service: 'braintrust', status: 'expiring', expires_at });
const run = (end: Partial<RunEnd>, started_at = at(12, 1)): ReapedRun => ({
  command: 'pytest', started_at, end: { revoked: [], expiring: [], failed: [], ...end },
});
const down = (message: string) => ({ code: 'provider', message, field: null }) as const;

test('a run key is labelled with its command, its process while it lasts, and when it ended', () => {
  const mark: RunMark = { run_id: 'r1', command: 'pytest', pid: 48213, env_name: 'RESPAN_API_KEY', started_at: at(12, 1), ended_at: null };
  expect(runLabel(mark, NOW)).toBe('Minted by keyward run for pytest (pid 48213); ends with the process');
  expect(runLabel({ ...mark, ended_at: at(12, 30) }, NOW)).toBe('Minted by keyward run for pytest; the run ended 2 hours ago');
});

test('a run whose keys were all revoked: one toast, with the command and when it started', () => {
  expect(reapedRunNotices(run({ revoked: [key('a'), key('b')] }), NOW)).toEqual([
    { kind: 'success', message: 'Revoked 2 keys left by a run of pytest (started 12:01 PM) that ended while Keyward was not watching.' },
  ]);
  const [one] = reapedRunNotices(run({ revoked: [key('a')] }, new Date(2026, 10, 30, 23, 5).toISOString()), NOW);
  expect(one.message, 'a run from another day names the day').toBe(
    'Revoked 1 key left by a run of pytest (started Nov 30, 2026, 11:05 PM) that ended while Keyward was not watching.');
});

test('keys that cannot be revoked are said to expire by themselves, with when', () => {
  const [both] = reapedRunNotices(run({ revoked: [key('a')], expiring: [proxy('BRAINTRUST_PROXY_CREDENTIAL for pytest (keyward run)', at(13, 1))] }), NOW);
  expect(both).toEqual({
    kind: 'info',
    message: 'Revoked 1 key left by a run of pytest (started 12:01 PM) that ended while Keyward was not watching. '
      + 'Proxy credential “BRAINTRUST_PROXY_CREDENTIAL for pytest (keyward run)” cannot be revoked; it expires by itself at 1:01 PM.',
  });
  const [only] = reapedRunNotices(run({ expiring: [proxy('p1', at(15, 0)), proxy('p2', null)] }), NOW);
  expect(only.message).toBe('A run of pytest (started 12:01 PM) ended while Keyward was not watching. '
    + 'Proxy credential “p1” (at 3:00 PM) and Proxy credential “p2” cannot be revoked; they expire by themselves.');
});

test('each key left live is an error naming it, the service’s reason, and where to revoke it', () => {
  const notices = reapedRunNotices(run({
    revoked: [key('a')],
    failed: [{ key: key('RESPAN_API_KEY for pytest (keyward run)', { status: 'active' }), error: down('Respan answered 503: Service Unavailable') },
      { key: key('b', { status: 'active' }), error: down('Could not reach Respan (connection failed).') }],
  }), NOW);
  expect(notices.map((n) => n.kind)).toEqual(['success', 'error', 'error']);
  expect(notices[1].message).toBe('Not revoked: Temporary key “RESPAN_API_KEY for pytest (keyward run)”, left by a run of pytest (started 12:01 PM): '
    + 'Respan answered 503: Service Unavailable. Revoke it from its detail panel; Keyward also tries again when it next starts.');
  expect(notices[2].message, 'a message that ends its sentence keeps one stop').toContain('(connection failed). Revoke it');
  expect(reapedRunNotices(run({ failed: [{ key: key('c'), error: down('No') }] }), NOW).map((n) => n.kind), 'nothing ended: only the error').toEqual(['error']);
});

test('a failed check reads as a sentence', () => {
  expect(reapFailedNotice({ code: 'storage', message: 'The store could not be read', field: null }))
    .toBe('Keyward could not check for runs that ended while it was not watching: The store could not be read.');
});

let calls: string[];
beforeEach(() => {
  calls = [];
  toasts.items = [];
});
afterEach(() => {
  clearMocks();
  toasts.items = [];
});

test('at start, each reaped run is said and the inventory read again', async () => {
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'reap_runs') return [run({ revoked: [key('a')], failed: [{ key: key('b'), error: down('Respan answered 503') }] })];
    return [];
  });
  await reapLeftRuns(new Inventory());
  expect(toasts.items.map((t) => t.kind)).toEqual(['success', 'error']);
  expect(toasts.items[0].message).toMatch(/^Revoked 1 key left by a run of pytest \(started .+\) that ended while Keyward was not watching\.$/);
  expect(calls[0]).toBe('reap_runs');
  expect(calls.slice(1).sort()).toEqual(['list_accounts', 'list_keys']);
});

test('nothing to reap: nothing said, nothing read again', async () => {
  mockIPC((cmd) => (calls.push(cmd), []));
  await reapLeftRuns(new Inventory());
  expect(toasts.items).toEqual([]);
  expect(calls).toEqual(['reap_runs']);
});

test('a failed check is a quiet warning, and the window carries on', async () => {
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === 'reap_runs') throw { code: 'storage', message: 'disk I/O error', field: null };
    return [];
  });
  await expect(reapLeftRuns(new Inventory())).resolves.toBeUndefined();
  expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([
    ['warning', 'Keyward could not check for runs that ended while it was not watching: disk I/O error.'],
  ]);
  expect(calls).toEqual(['reap_runs']);
});

test('clock time: the time today, the date and time on another day', () => {
  expect(clockTime(at(9, 5), NOW)).toBe('9:05 AM');
  expect(clockTime(at(9, 5, 2), NOW)).toBe('Dec 2, 2026, 9:05 AM');
  expect(clockTime(null, NOW)).toBe('');
});
