// The parts of the window that load on first use (src/lib/parts.ts), in headless Chromium with
// mocked IPC: the first screen's script and styles hold none of them and the page fetches them only
// after its first paint; one opened before it has arrived opens when it does, with the keyboard
// focus where it belongs; one whose chunk cannot be fetched says so, and can be tried again.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, shot } from './harness';
import { parts } from '../../src/lib/parts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;
const accounts = [{ label: 'Production', keys: 3, names: ['ci-deploy', 'nightly-evals', 'billing-worker'] }];
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName.toLowerCase());
const toastText = async (page: Page) => (await page.locator(tid('toast')).allTextContents()).map((t) => t.trim()).join(' | ');
/** A test id each part's own code names, and nothing on the first screen does. */
const OWN_TEST_ID: Record<keyof typeof parts, string> = {
  CommandPalette: 'command-palette', KeyDetail: 'key-detail', CreateKeyDialog: 'create-form', AddAccountDialog: 'account-form',
  ShortcutsSheet: 'shortcuts-sheet', ExpiryCentre: 'expiry-view', RevealDialog: 'reveal-dialog', ConfirmRevokeDialog: 'revoke-dialog',
  EditKeyDialog: 'edit-key-form', ReissueDialog: 'reissue-dialog', BulkRevokeDialog: 'bulk-revoke-dialog', EditAccountDialog: 'edit-account-form',
  ConfirmRemoveDialog: 'remove-dialog', SettingsDialog: 'settings-dialog', ReplaceAssistant: 'replace-dialog', InstallSecretDialog: 'install-dialog',
  AuditView: 'audit-view',
};
/** A part's chunk, as Vite names it: the component's name and a hash. */
const chunkOf = (file: string) => Object.keys(parts).find((name) => new RegExp(`^${name}-[\\w-]+\\.js$`).test(file));

describe('the first screen', () => {
  test('its script and styles hold no dialog, view or panel; each is fetched after its first paint', async () => {
    const { page, context, errors } = await h.open({ accounts });
    const seen = await page.evaluate(async () => {
      const file = (url: string) => new URL(url).pathname.split('/').pop()!;
      // What the page itself fetched, before this reads any file again.
      const fetched = performance.getEntriesByType('resource').map((r) => ({ file: file(r.name), at: r.startTime }));
      // What index.html names (the parts add their own links to the document as they load).
      const html = new DOMParser().parseFromString(await fetch(location.href).then((r) => r.text()), 'text/html');
      const urls = (selector: string) => [...html.querySelectorAll(selector)].map((e) => new URL(e.getAttribute('src') ?? e.getAttribute('href')!, location.href).href);
      const scripts = urls('script[type="module"], link[rel="modulepreload"]');
      const text = (list: string[]) => Promise.all(list.map((u) => fetch(u).then((r) => r.text()))).then((t) => t.join('\n'));
      return {
        ready: (window as unknown as { __fake: { ready: { at: number } } }).__fake.ready.at,
        fetched,
        first: scripts.map(file),
        script: await text(scripts),
        style: await text(urls('link[rel="stylesheet"]')),
      };
    });
    const chunks = seen.fetched.filter((r) => chunkOf(r.file));
    // Every part was fetched (the window preloads them), each after the first rows were painted.
    expect(new Set(chunks.map((c) => chunkOf(c.file)))).toEqual(new Set(Object.keys(parts)));
    for (const c of chunks) expect(c.at, `${c.file} was fetched before the first paint`).toBeGreaterThan(seen.ready);
    // The first screen's own files came before it, and name none of the parts.
    for (const f of seen.first) expect(seen.fetched.find((r) => r.file === f)!.at).toBeLessThan(seen.ready);
    for (const [name, id] of Object.entries(OWN_TEST_ID)) expect(seen.script, `${name} is in the first screen's script`).not.toContain(id);
    // The check would see them: each part's own chunk does name its test id.
    const partCode = await page.evaluate((files) => Promise.all(files.map((f) => fetch(`./assets/${f}`).then((r) => r.text()))), chunks.map((c) => c.file));
    chunks.forEach((c, i) => expect(partCode[i]).toContain(OWN_TEST_ID[chunkOf(c.file) as keyof typeof parts]));
    // Nor do its styles carry what only dialogs use.
    for (const rule of ['.dialog-form', '.dialog-footer', '.segmented', '.form-error']) expect(seen.style).not.toContain(rule);
    expect(seen.style).toContain('.btn');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a part opened before it has arrived', () => {
  test('the palette opens once its chunk does, its input focused, and Esc gives the focus back', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const requests: string[] = [];
    const { page, context, errors } = await h.open({ accounts }, {
      preloaded: false,
      beforeLoad: (c) => c.route(/\/CommandPalette-[\w-]+\.js$/, async (route) => {
        requests.push(route.request().url());
        await held;
        await route.continue();
      }),
    });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.focus(tid('search-input'));
    await page.keyboard.press('Control+k');
    await page.waitForTimeout(300);
    expect(await page.locator(tid('command-palette')).count(), 'nothing shows until the part is there').toBe(0);
    release();
    await page.waitForSelector(tid('command-palette'));
    await expect.poll(() => focused(page)).toBe('palette-input');
    await page.keyboard.type('nightly');
    await expect.poll(() => page.locator(`${tid('palette-option')}[data-action^="key:"]`).count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('command-palette'), { state: 'detached' });
    expect(await focused(page)).toBe('search-input');
    expect(requests, 'the preload and the opening shared one fetch').toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('a part whose chunk cannot be fetched', () => {
  test('a dialog says why in a toast and leaves no blank; a view says why in its place, and Try again brings it', async () => {
    let failing = true;
    const { page, context, errors } = await h.open({ accounts }, {
      beforeLoad: (c) => c.route(/\/(SettingsDialog|AuditView)-[\w-]+\.js$/, (route) => (failing ? route.abort() : route.continue())),
    });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.click(tid('settings-button'));
    await expect.poll(() => toastText(page)).toMatch(/^The settings could not be loaded \(Failed to fetch dynamically imported module: .*\/SettingsDialog-[\w-]+\.js\)\. Try again\.$/);
    expect(await page.getAttribute(tid('toast'), 'data-kind')).toBe('error');
    expect(await page.locator('dialog[open]').count(), 'no empty dialog over the window').toBe(0);
    // The window goes on working: another dialog opens.
    await page.click(tid('new-key-button'));
    await page.waitForSelector(tid('create-form'));
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('create-form'), { state: 'detached' });

    await page.click(tid('nav-audit'));
    const failed = page.locator(tid('part-failed'));
    await expect.poll(() => failed.textContent()).toMatch(/The audit log could not be loaded \(Failed to fetch dynamically imported module: .*\/AuditView-[\w-]+\.js\)\./);
    expect(await failed.getAttribute('role')).toBe('alert');
    await shot(page, 'part-failed');
    failing = false;
    await page.click(`${tid('part-failed')} button:text-is("Try again")`);
    await page.waitForSelector(tid('audit-view'));
    expect(await failed.count()).toBe(0);
    await page.click(tid('settings-button'));
    await page.waitForSelector(tid('settings-dialog'));
    expect(errors).toEqual([]);
    await context.close();
  });
});
