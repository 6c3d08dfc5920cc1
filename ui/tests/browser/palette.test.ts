// The command palette and the shortcuts sheet in headless Chromium with mocked IPC, by keyboard
// alone: Ctrl K opens the palette over any focus; a fuzzy query finds an action and Enter runs it
// (a new Respan temporary key opens the create dialog on that account and kind); every option is
// reachable by the arrows and named; "Go to" a key opens its panel; Esc closes and the focus goes
// back. The sheet opens with ? and Ctrl /, lists exactly the table's shortcuts. Light and dark at
// 1280×800 and 800×600 land in ui/test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, shot } from './harness';
import { shortcutLabel, staticActions, type ActionContext } from '../../src/lib/palette/actions';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;
const accounts = [
  { label: 'Production', keys: 3, names: ['ci-deploy', 'nightly-evals', 'billing-worker'] },
  { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 2, kinds: ['respan_provider'], names: ['openai-upstream', 'anthropic-upstream'] },
];

async function ready(page: Page) {
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
}
/** The test id of whatever has the focus (or its tag when it has none). */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  return el?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? null;
});
const input = tid('palette-input');
const activeOption = (page: Page) => page.evaluate((sel) => {
  const id = document.querySelector(sel)?.getAttribute('aria-activedescendant');
  const el = id ? document.getElementById(id) : null;
  return el ? { id, action: el.getAttribute('data-action'), selected: el.getAttribute('aria-selected') } : null;
}, input);

describe('the command palette', () => {
  test('Ctrl K, a fuzzy query and Enter: the create dialog opens on the Respan account with the temporary key kind', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await ready(page);
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'));
    expect(await focused(page)).toBe('palette-input');
    const combo = page.getByRole('combobox', { name: 'Search actions' });
    expect(await combo.getAttribute('aria-expanded')).toBe('true');
    const listId = await combo.getAttribute('aria-controls');
    expect(await page.getAttribute(`#${listId}`, 'role')).toBe('listbox');
    expect(await page.getByRole('dialog', { name: 'Command palette' }).count()).toBe(1);

    await page.keyboard.type('nrtmp');
    await expect.poll(() => activeOption(page).then((o) => o?.action)).toBe('new:respan_temp_key');
    // The matched characters are marked.
    const first = page.locator(`${tid('palette-option')}[data-action="new:respan_temp_key"]`);
    expect(await first.locator('mark').allTextContents()).toEqual(['N', 'R', 't', 'mp']);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('create-form'));
    expect(await page.locator(tid('command-palette')).count()).toBe(0);
    expect(await page.inputValue(tid('field-kind'))).toBe('respan_temp_key');
    const chosen = await page.$eval(tid('field-account'), (s: HTMLSelectElement) => s.selectedOptions[0].textContent);
    expect(chosen).toContain('Gateway');
    // While that dialog is open, the palette's shortcut does nothing.
    await page.keyboard.press('Control+k');
    expect(await page.locator(tid('command-palette')).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('every option is reachable by the arrows, each with an accessible name; Home, End and Page keys move too', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await ready(page);
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'));
    const options = await page.locator(tid('palette-option')).evaluateAll((els) => els.map((e) => ({ id: e.id, action: e.getAttribute('data-action') })));
    // New key, 2 Braintrust and 2 Respan kinds (at least), search, 2 exports, sync, add account, 3 views, settings,
    // the sheet, 2 accounts, 5 keys; never the palette itself.
    expect(options.length).toBeGreaterThanOrEqual(20);
    expect(options.map((o) => o.action)).not.toContain('palette');
    for (const name of ['ci-deploy', 'anthropic-upstream', 'Production', 'Gateway', 'Expiry centre', 'Audit log', 'All keys', 'Settings…', 'Add account…', 'Sync all accounts', 'Export listed keys as CSV']) {
      expect(await page.getByRole('option', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).count(), name).toBeGreaterThan(0);
    }
    const seen: string[] = [];
    for (let i = 0; i < options.length; i++) {
      const o = await activeOption(page);
      expect(o?.selected).toBe('true');
      seen.push(String(o?.id));
      await page.keyboard.press('ArrowDown');
    }
    expect(seen).toEqual(options.map((o) => o.id));
    // Past the last, it wraps to the first; up from the first, to the last.
    expect((await activeOption(page))?.id).toBe(options[0].id);
    await page.keyboard.press('ArrowUp');
    expect((await activeOption(page))?.id).toBe(options[options.length - 1].id);
    await page.keyboard.press('Home');
    expect((await activeOption(page))?.id).toBe(options[0].id);
    await page.keyboard.press('PageDown');
    expect((await activeOption(page))?.id).toBe(options[8].id);
    await page.keyboard.press('PageUp');
    expect((await activeOption(page))?.id).toBe(options[0].id);
    await page.keyboard.press('End');
    expect((await activeOption(page))?.id).toBe(options[options.length - 1].id);
    // Every option has a name a screen reader reads.
    const names = await page.locator(tid('palette-option')).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(names.every((n) => n.trim().length > 0)).toBe(true);
    // Grouped by section, each group named.
    expect(await page.getByRole('listbox').getByRole('group').evaluateAll((els) => els.map((e) => document.getElementById(e.getAttribute('aria-labelledby')!)?.textContent)))
      .toEqual(['Keys', 'Accounts', 'Go to', 'App']);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('"Go to" a key by name opens its detail panel; an account by name selects it', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await ready(page);
    await page.keyboard.press('Control+k');
    await page.keyboard.type('nightly');
    await expect.poll(() => activeOption(page).then((o) => o?.action)).toMatch(/^key:/);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('key-detail'));
    expect(await page.getAttribute(tid('key-detail'), 'aria-label')).toBe('Details of nightly-evals');

    await page.keyboard.press('Control+k');
    await page.keyboard.type('gateway');
    await expect.poll(() => activeOption(page).then((o) => o?.action)).toMatch(/^account:/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('2');
    expect(await page.textContent('.toolbar h1')).toBe('Gateway');

    // A query that matches nothing says so, and the list is collapsed.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('qqzzxx');
    expect(await page.textContent(tid('palette-empty'))).toBe('No matching action');
    expect(await page.getAttribute(input, 'aria-expanded')).toBe('false');
    expect(await page.getAttribute(input, 'aria-activedescendant')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Esc closes it and the focus returns where it was: a button, or the search box (Ctrl K opens from a text field)', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await ready(page);
    await page.focus(tid('new-key-button'));
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'));
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('command-palette'), { state: 'detached' });
    expect(await focused(page)).toBe('new-key-button');

    await page.keyboard.press('Control+f');
    expect(await focused(page)).toBe('search-input');
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'));
    await page.keyboard.type('audit');
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('command-palette'), { state: 'detached' });
    expect(await focused(page)).toBe('search-input');
    // Ctrl K again closes it too.
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'));
    await page.keyboard.press('Control+k');
    await page.waitForSelector(tid('command-palette'), { state: 'detached' });
    expect(await focused(page)).toBe('search-input');
    // A Go-to that leaves the focused element in place gives it back.
    await page.focus(tid('nav-audit'));
    await page.keyboard.press('Control+k');
    await page.keyboard.type('expiry centre');
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('command-palette'), { state: 'detached' });
    expect(await focused(page)).toBe('nav-audit');
    expect(await page.getAttribute(tid('nav-expiry'), 'aria-current')).toBe('page');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the shortcuts sheet', () => {
  // The table's fixed actions need nothing of a window to list their shortcuts.
  const ctx = new Proxy({}, { get: () => () => [] }) as unknown as ActionContext;
  const table = staticActions(ctx).filter((a) => a.shortcuts?.length);
  const expected = table.map((a) => ({ action: a.id, keys: a.shortcuts!.map((s) => shortcutLabel(s, false)) }));
  const rows = (page: Page) => page.locator(tid('shortcut-row')).evaluateAll((els) =>
    els.map((e) => ({ action: e.getAttribute('data-action'), keys: [...e.querySelectorAll('[data-testid="shortcut-key"]')].map((k) => k.textContent) })));

  test('? and Ctrl / open it with exactly the table’s shortcuts; Esc closes and the focus returns; ? typed in a field is just text', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await ready(page);
    await page.focus(tid('sync-all-button'));
    await page.keyboard.press('?');
    await page.waitForSelector(tid('shortcuts-sheet'));
    const listed = await rows(page);
    const byId = (xs: { action: string | null }[]) => [...xs].sort((a, b) => String(a.action).localeCompare(String(b.action)));
    expect(byId(listed)).toEqual(byId(expected));
    expect(listed.flatMap((r) => r.keys).sort()).toEqual(['?', 'Ctrl /', 'Ctrl F', 'Ctrl K', 'Ctrl N', 'Ctrl R']);
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('shortcuts-sheet'), { state: 'detached' });
    expect(await focused(page)).toBe('sync-all-button');

    await page.keyboard.press('Control+/');
    await page.waitForSelector(tid('shortcuts-sheet'));
    expect(byId(await rows(page))).toEqual(byId(expected));
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('shortcuts-sheet'), { state: 'detached' });

    await page.keyboard.press('Control+f');
    await page.keyboard.type('?');
    expect(await page.inputValue(tid('search-input'))).toBe('?');
    expect(await page.locator(tid('shortcuts-sheet')).count()).toBe(0);
    // From the palette, too.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('shortcuts');
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('shortcuts-sheet'));
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('light and dark, 1280×800 and 800×600', () => {
  test('the palette (a query, marks, a shortcut) and the sheet fit and read', async () => {
    const views = [
      { dark: false, width: 1280, height: 800, name: '' },
      { dark: true, width: 1280, height: 800, name: '-dark' },
      { dark: false, width: 800, height: 600, name: '-800x600' },
      { dark: true, width: 800, height: 600, name: '-dark-800x600' },
    ];
    for (const v of views) {
      const { page, context, errors } = await h.open({ accounts }, v);
      await ready(page);
      await page.keyboard.press('Control+k');
      await page.waitForSelector(tid('command-palette'));
      await shot(page, `palette${v.name}`);
      await page.keyboard.type('new');
      await page.keyboard.press('ArrowDown');
      await shot(page, `palette-query${v.name}`);
      // Nothing spills out of the dialog sideways.
      const fits = await page.$eval(tid('command-palette'), (d) => d.scrollWidth <= d.clientWidth && d.getBoundingClientRect().right <= innerWidth);
      expect(fits).toBe(true);
      await page.keyboard.press('Escape');
      await page.keyboard.press('?');
      await page.waitForSelector(tid('shortcuts-sheet'));
      await shot(page, `shortcuts-sheet${v.name}`);
      const sheetFits = await page.$eval(tid('shortcuts-sheet'), (d) => d.getBoundingClientRect().bottom <= innerHeight);
      expect(sheetFits).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
