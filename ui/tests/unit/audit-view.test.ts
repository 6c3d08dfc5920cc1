// @vitest-environment happy-dom
// The audit screen: each filter changes the query sent to the core; entries read in words; an
// export sends the filters and no path (the shell asks where, in a dialog it opens itself).
import { afterEach, beforeEach, expect, test } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import AuditView from '../../src/lib/components/AuditView.svelte';
import type { Account } from '../../src/lib/bindings/Account';
import type { AuditEntry } from '../../src/lib/bindings/AuditEntry';
import { auditQuery, outcomeLabel, actionLabel } from '../../src/lib/audit';
import { toasts } from '../../src/lib/state/toasts.svelte';

const accounts = [
  { id: 'acc-1', service: 'braintrust', label: 'Production' },
  { id: 'acc-2', service: 'respan', label: 'Gateway' },
] as unknown as Account[];

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: new Date(Date.now() - 5 * 60_000).toISOString(), account_id: 'acc-1', account_label: 'Production', action: 'key.create',
  target: 'ci-bot', outcome: 'ok', detail: 'API key', ...over,
});

let calls: { cmd: string; args: Record<string, any> }[];
let log: AuditEntry[];
let chosen: string | null;
beforeEach(() => {
  calls = [];
  chosen = '/home/ana/keyward-audit.csv';
  log = [
    entry({}),
    entry({ action: 'key.revoke', outcome: 'forbidden', account_id: 'acc-gone', account_label: null, target: 'old' }),
    entry({ action: 'store.recover', account_id: null, account_label: null, target: '/data/keyward.db.damaged', detail: null }),
  ];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, any> });
    if (cmd === 'audit_query') return log;
    if (cmd === 'audit_actions') return ['key.create', 'key.revoke', 'store.recover'];
    // The shell's dialog answers with where the person chose; null when they cancelled.
    if (cmd === 'export_audit') return chosen && { path: chosen, rows: 3 };
    return null;
  });
  toasts.items = [];
});
afterEach(() => {
  cleanup();
  clearMocks();
});

const sent = () => calls.filter((c) => c.cmd === 'audit_query').map((c) => c.args.query);
const lastSent = () => sent()[sent().length - 1];
async function pick(testId: string, value: string) {
  const el = screen.getByTestId(testId) as HTMLSelectElement | HTMLInputElement;
  el.value = value;
  await fireEvent.change(el);
}

test('each filter changes the query sent, and clearing sends none', async () => {
  render(AuditView, { accounts });
  await waitFor(() => expect(sent()).toHaveLength(1));
  expect(sent()[0]).toEqual({ limit: 500 });

  await pick('audit-filter-account', 'acc-2');
  await waitFor(() => expect(lastSent()).toEqual({ account_id: 'acc-2', limit: 500 }));
  await waitFor(() => expect(screen.getAllByRole('option', { name: 'Key revoked' })).toHaveLength(1));
  await pick('audit-filter-action', 'key.revoke');
  await waitFor(() => expect(lastSent()).toMatchObject({ account_id: 'acc-2', action: 'key.revoke' }));
  await pick('audit-filter-from', '2026-11-24');
  await pick('audit-filter-to', '2026-11-25');
  await waitFor(() => expect(lastSent()).toEqual({
    account_id: 'acc-2', action: 'key.revoke', limit: 500,
    since: new Date(2026, 10, 24).toISOString(),
    until: new Date(new Date(2026, 10, 26).getTime() - 1).toISOString(),
  }));
  expect(screen.getByTestId('audit-filter-to').getAttribute('min')).toBe('2026-11-24');

  await fireEvent.click(screen.getByTestId('audit-clear-filters'));
  await waitFor(() => expect(lastSent()).toEqual({ limit: 500 }));
  expect((screen.getByTestId('audit-filter-account') as HTMLSelectElement).value).toBe('');
});

test('entries read in words: the action, the outcome, a removed account', async () => {
  render(AuditView, { accounts });
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
  expect(screen.getAllByTestId('audit-action').map((e) => e.textContent)).toEqual(['Key created', 'Key revoked', 'Inventory rebuilt']);
  expect(screen.getAllByTestId('audit-outcome').map((e) => e.textContent?.trim())).toEqual(['OK', 'Not permitted', 'OK']);
  expect(screen.getAllByTestId('audit-outcome')[1].className).toContain('failed');
  const accountsShown = screen.getAllByTestId('audit-account').map((e) => e.textContent?.trim());
  expect(accountsShown[0]).toContain('Production');
  expect(accountsShown.slice(1)).toEqual(['Removed account', '—']);
  expect(screen.getByTestId('audit-count').textContent).toContain('3 entries');
  expect(screen.getAllByText('5 minutes ago').length).toBeGreaterThan(0);
});

test('export: the dialog names the file, the shell gets the shown filters and that path', async () => {
  render(AuditView, { accounts });
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
  await pick('audit-filter-action', 'key.create');
  await waitFor(() => expect(sent()).toHaveLength(2));
  await fireEvent.click(screen.getByTestId('export-audit'));
  await waitFor(() => expect(calls.some((c) => c.cmd === 'export_audit')).toBe(true));
  expect(calls.find((c) => c.cmd === 'export_audit')!.args, 'the filters and no path').toEqual({ query: { action: 'key.create', limit: 10_000 } });
  expect(calls.some((c) => c.cmd.startsWith('plugin:dialog')), 'the page opens no dialog itself').toBe(false);
  await waitFor(() => expect(toasts.items.map((t) => t.message)).toEqual(['Exported 3 entries to keyward-audit.csv.']));
});

test('a cancelled dialog exports nothing; a refused path is said', async () => {
  render(AuditView, { accounts });
  await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));
  chosen = null;
  await fireEvent.click(screen.getByTestId('export-audit'));
  await waitFor(() => expect(calls.filter((c) => c.cmd === 'export_audit')).toHaveLength(1));
  await waitFor(() => expect((screen.getByTestId('export-audit') as HTMLButtonElement).disabled).toBe(false));
  expect(toasts.items, 'a cancel says nothing').toHaveLength(0);

  mockIPC((cmd) => {
    if (cmd === 'export_audit') throw { code: 'invalid_input', message: "The folder '/nowhere' does not exist; choose one that does.", field: 'path' };
    return cmd === 'audit_query' ? log : [];
  });
  await fireEvent.click(screen.getByTestId('export-audit'));
  await waitFor(() => expect(toasts.items.map((t) => t.message)).toEqual(["The folder '/nowhere' does not exist; choose one that does."]));
});

test('a range the core refuses is shown, not a stale table', async () => {
  mockIPC((cmd) => {
    if (cmd === 'audit_query') throw { code: 'invalid_input', message: 'The end of the range is before its start.', field: 'until' };
    return [];
  });
  render(AuditView, { accounts });
  await waitFor(() => expect(screen.getByTestId('audit-error').textContent).toContain('The end of the range is before its start.'));
});

test('filters become the core query in the local day; words fall back to what the log says', () => {
  expect(auditQuery({ account: '', action: '', from: '', to: '' })).toEqual({ account_id: undefined, action: undefined, since: undefined, until: undefined, limit: undefined });
  const q = auditQuery({ account: 'a', action: 'key.create', from: '2026-01-31', to: '2026-01-31' }, 10);
  expect(Date.parse(q.until!) - Date.parse(q.since!)).toBe(24 * 3600_000 - 1);
  expect(new Date(q.since!).getDate()).toBe(31);
  expect(auditQuery({ account: '', action: '', from: 'garbage', to: '' }).since).toBeUndefined();
  expect(actionLabel('sync.future')).toBe('sync.future');
  expect(outcomeLabel('rate_limited')).toBe('Rate limited');
  expect(outcomeLabel('something_new')).toBe('something new');
});
