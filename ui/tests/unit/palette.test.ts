// The command palette's pieces without a window: the fuzzy scorer, and the one table of actions the
// palette and the shortcuts sheet are both generated from.
import { describe, expect, test, vi } from 'vitest';
import type { Account } from '../../src/lib/bindings/Account';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';
import { matchesShortcut, shortcutLabel, staticActions, withShortcuts, type ActionContext } from '../../src/lib/palette/actions';
import { allActions } from '../../src/lib/palette/paletteActions';
import { fuzzy, highlight } from '../../src/lib/palette/fuzzy';
import { rank } from '../../src/lib/palette/rank';

describe('the fuzzy scorer', () => {
  const order = (q: string, titles: string[]) =>
    titles.map((t) => ({ t, m: fuzzy(q, t) })).filter((x) => x.m).sort((a, b) => b.m!.score - a.m!.score).map((x) => x.t);

  test('a subsequence matches, case-insensitively; anything else does not', () => {
    expect(fuzzy('SYNC', 'Sync all accounts')?.indices).toEqual([0, 1, 2, 3]);
    expect(fuzzy('xyz', 'Sync all accounts')).toBeNull();
    expect(fuzzy('lla', 'all')).toBeNull();
    expect(fuzzy('toolongforit', 'short')).toBeNull();
    expect(fuzzy('', 'anything')).toEqual({ score: 0, indices: [] });
  });

  test('word starts win: "nrt" finds New Respan temporary key at the starts of its words', () => {
    expect(fuzzy('nrt', 'New Respan temporary key')?.indices).toEqual([0, 4, 11]);
    // The same letters at word starts outrank them scattered mid-word.
    expect(order('ak', ['Make a backup', 'All keys'])).toEqual(['All keys', 'Make a backup']);
    expect(fuzzy('al', 'All keys')!.score).toBeGreaterThan(fuzzy('al', 'Signal')!.score);
  });

  test('contiguous runs win, and a later word start is preferred to an earlier stray letter', () => {
    expect(order('set', ['Sync every token', 'Settings…'])).toEqual(['Settings…', 'Sync every token']);
    expect(fuzzy('nwrsp', 'New Respan temporary key')?.indices).toEqual([0, 2, 4, 6, 7]);
    expect(fuzzy('key', 'Monkey key')?.indices).toEqual([7, 8, 9]);
  });

  test('ranking: the query names what a person means first', () => {
    const titles = ['New key…', 'New Respan temporary key', 'New Respan custom provider', 'Sync all accounts', 'Settings…'];
    expect(order('nrtmp', titles)[0]).toBe('New Respan temporary key');
    expect(order('nrcp', titles)[0]).toBe('New Respan custom provider');
    expect(order('sync', titles)).toEqual(['Sync all accounts']);
    expect(order('nk', titles)[0]).toBe('New key…');
  });

  test('highlight splits the text into matched and unmatched runs', () => {
    expect(highlight('Audit log', [0, 1, 6])).toEqual([
      { text: 'Au', hit: true }, { text: 'dit ', hit: false }, { text: 'l', hit: true }, { text: 'og', hit: false },
    ]);
  });
});

const account = (id: string, service: Account['service'], label: string): Account => ({
  id, service, label, host: 'https://example.com', org_name: null, identity: null, created_at: '2026-01-01T00:00:00Z',
  last_synced_at: null, last_sync_error: null, key_count: 0,
});
const key = (id: string, name: string, accountId: string, label: string) => ({ id, name, account_id: accountId, account_label: label }) as KeyRow;

function context(over: Partial<ActionContext> = {}): ActionContext {
  const accounts = [account('a1', 'respan', 'Gateway'), account('a2', 'braintrust', 'Production'), account('a3', 'respan', 'Staging')];
  const keys = [key('k1', 'ci-deploy', 'a1', 'Gateway'), key('k2', 'nightly-evals', 'a2', 'Production')];
  return {
    accounts: () => accounts, keys: () => keys, accountFilter: () => null, syncing: () => false,
    openPalette: vi.fn(), openShortcuts: vi.fn(), newKey: vi.fn(), syncAll: vi.fn(), addAccount: vi.fn(), focusSearch: vi.fn(),
    showView: vi.fn(), showAccount: vi.fn(), showKey: vi.fn(), settings: vi.fn(), exportKeys: vi.fn(), ...over,
  };
}

describe('the action table', () => {
  test('every action has an id, a title and a section; ids are unique', () => {
    const actions = allActions(context());
    for (const a of actions) {
      expect(a.id).toBeTruthy();
      expect(a.title.trim()).toBeTruthy();
      expect(['Keys', 'Accounts', 'Go to', 'App']).toContain(a.section);
    }
    expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length);
  });

  test('shortcuts are unique, and the sheet lists exactly the actions that have one', () => {
    const actions = allActions(context());
    const labels = actions.flatMap((a) => (a.shortcuts ?? []).map((s) => shortcutLabel(s, false)));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.sort()).toEqual(['?', 'Ctrl /', 'Ctrl F', 'Ctrl K', 'Ctrl N', 'Ctrl R']);
    const sheet = withShortcuts(staticActions(context())).flatMap((g) => g.actions.map((a) => a.id));
    expect(sheet.sort()).toEqual(actions.filter((a) => a.shortcuts?.length).map((a) => a.id).sort());
    // On macOS the same shortcuts read with ⌘.
    expect(shortcutLabel({ key: 'k', mod: true }, true)).toBe('⌘K');
  });

  test('one "New …" per kind the accounts allow, on the filtered account when it is of that service', () => {
    const newKey = vi.fn();
    const actions = allActions(context({ newKey, accountFilter: () => 'a3' }));
    const titles = actions.filter((a) => a.id.startsWith('new:')).map((a) => a.title);
    expect(titles).toContain('New Respan temporary key');
    expect(titles).toContain('New Braintrust API key');
    expect(new Set(titles).size).toBe(titles.length);
    actions.find((a) => a.title === 'New Respan temporary key')!.run();
    expect(newKey).toHaveBeenCalledWith({ accountId: 'a3', kind: 'respan_temp_key' });
  });

  test('"Go to" every account and every listed key by name', () => {
    const ctx = context();
    const actions = allActions(ctx);
    const goto = actions.filter((a) => a.section === 'Go to').map((a) => a.title);
    expect(goto).toEqual(expect.arrayContaining(['All keys', 'Expiry centre', 'Audit log', 'Gateway', 'Production', 'Staging', 'ci-deploy', 'nightly-evals']));
    actions.find((a) => a.title === 'nightly-evals')!.run();
    expect(ctx.showKey).toHaveBeenCalledWith(expect.objectContaining({ id: 'k2' }));
    actions.find((a) => a.title === 'Staging')!.run();
    expect(ctx.showAccount).toHaveBeenCalledWith('a3');
  });

  test('shortcuts match Ctrl or Cmd, never with Alt; ? matches with Shift', () => {
    const k = { key: 'k', mod: true };
    expect(matchesShortcut(k, { key: 'k', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(matchesShortcut(k, { key: 'K', ctrlKey: false, metaKey: true, altKey: false })).toBe(true);
    expect(matchesShortcut(k, { key: 'k', ctrlKey: true, metaKey: false, altKey: true })).toBe(false);
    expect(matchesShortcut(k, { key: 'k', ctrlKey: false, metaKey: false, altKey: false })).toBe(false);
    expect(matchesShortcut({ key: '?' }, { key: '?', ctrlKey: false, metaKey: false, altKey: false })).toBe(true);
  });

  test('the palette lists available actions only, not itself; a query ranks and groups them', () => {
    const all = allActions(context({ syncing: () => true, keys: () => [] }));
    const listed = rank(all, '').groups.flatMap((g) => g.items.map((i) => i.action.id));
    expect(listed).not.toContain('palette');
    expect(listed).not.toContain('sync-all');
    expect(listed).not.toContain('export-csv');
    const { groups } = rank(allActions(context()), 'nrtmp');
    expect(groups[0].items[0].action.title).toBe('New Respan temporary key');
    expect(rank(allActions(context()), 'qqqqzz').groups).toEqual([]);
    // A keyword finds an action its title does not spell.
    expect(rank(allActions(context()), 'preferences').groups[0].items[0].action.id).toBe('settings');
  });
});
