// Barndoor gateway keys' state in headless Chromium with mocked IPC: the table's badges (disabled,
// a class other than user, a previous secret still working) with their accessible names, tone
// contrast and fit at 1280×800 and 800×600 in light and dark; the detail panel's gateway facts read
// from `KeyRow.gateway`; and the replace assistant's in-place replacement of a gateway key beside
// the mint-and-revoke replacement of a Respan temporary key, which stays as it was.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, shot } from './harness';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;
type Gateway = { class: string | null; disabled_at: string | null; previous_key_expires_at: string | null; rotated_at: string | null };
type Row = { id: string; name: string; kind: string; status: string; preview: string | null; gateway: Gateway | null };
type Fake = { calls: { cmd: string; args: Record<string, unknown> }[]; keys: Row[]; reissues?: unknown[] };
const fake = (page: Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake);
const row = (name: string) => `${tid('key-row')}:has(.name[title="${name}"])`;
/** The date and time as the window shows it (the browser's time zone). */
const local = (page: Page, iso: string) =>
  page.evaluate((t) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(t)), iso);

// Five gateway keys: plain; disabled 3 days ago; a machine key of a group; reissued a minute ago
// with its previous secret working an hour more; and an agent session that is all three at once.
// Beside them, two Barndoor credentials the assistant can install into.
const HOUR_AHEAD = () => new Date(Date.now() + 3600_000).toISOString();
const gatewayAccount = () => ({
  label: 'Platform', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 5, kinds: ['barndoor_gateway_key'],
  names: ['gw-plain', 'gw-disabled', 'gw-machine', 'gw-rolling', 'gw-nightly-agent'],
  gateways: [
    {},
    { scopes: ['llm:invoke'], user_id: '5f0c9a4e-2b7d-4c1a-9e3f-8d6b2a1c0e47', disabled_at: new Date(Date.now() - 3 * 86_400_000).toISOString() },
    { kind: 'machine', scopes: ['llm:invoke', 'mcp:read'], group_name: 'engineering' },
    { scopes: ['llm:invoke', 'mcp:read', 'models:read'], user_id: '5f0c9a4e-2b7d-4c1a-9e3f-8d6b2a1c0e47',
      rotated_at: new Date(Date.now() - 60_000).toISOString(), previous_key_expires_at: HOUR_AHEAD() },
    { kind: 'agent_session', scopes: ['llm:invoke'], disabled_at: new Date(Date.now() - 3600_000).toISOString(),
      rotated_at: new Date(Date.now() - 60_000).toISOString(), previous_key_expires_at: HOUR_AHEAD() },
  ],
});
const credentials = { label: 'Routes', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 2, kinds: ['barndoor_credential'],
  names: ['OpenAI Production', 'Broken route'] };
const respan = { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 4, kinds: ['respan_temp_key'] };

async function keysShown(page: Page, n: string) {
  await expect.poll(() => page.textContent(tid('key-count'))).toBe(n);
}

/** A badge's text and background colours, the background being the first opaque one behind it. */
function contrastOf(page: Page, selector: string) {
  return page.$eval(selector, (el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg: number[] = [];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
    }
    if (!bg.length) bg = rgb(getComputedStyle(document.body).backgroundColor).slice(0, 3);
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

describe('the table: a gateway key’s badges', () => {
  test('Disabled, the class when not "user", and Rolling over with until when the previous secret works; each named for a screen reader', async () => {
    const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials] });
    await keysShown(page, '7');
    const rows = (await fake(page)).keys;
    const gw = (name: string) => rows.find((k) => k.name === name)!.gateway!;
    const badges = (name: string) => page.locator(`${row(name)} [data-testid^="gateway-"]`).evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-testid'), text: e.textContent, label: e.getAttribute('aria-label'), title: e.getAttribute('title'), role: e.getAttribute('role') })));

    // Every other kind's row has no gateway state, and so no badge; a plain user key has none either.
    expect(rows.filter((k) => k.kind !== 'barndoor_gateway_key').every((k) => k.gateway === null)).toBe(true);
    expect(await badges('gw-plain')).toEqual([]);
    expect(await badges('OpenAI Production')).toEqual([]);

    const disabled = `Disabled since ${await local(page, gw('gw-disabled').disabled_at!)}`;
    expect(await badges('gw-disabled')).toEqual([{ id: 'gateway-disabled', text: 'Disabled', label: disabled, title: disabled, role: 'img' }]);
    expect(await badges('gw-machine')).toEqual([{ id: 'gateway-class', text: 'Machine', label: 'Class: Machine', title: 'Class: Machine', role: 'img' }]);
    const until = `Previous secret works until ${await local(page, gw('gw-rolling').previous_key_expires_at!)}`;
    expect(await badges('gw-rolling')).toEqual([{ id: 'gateway-rolling-over', text: 'Rolling over', label: until, title: until, role: 'img' }]);
    // All at once, most urgent first: the class gives way first where the cell is narrow.
    expect((await badges('gw-nightly-agent')).map((b) => b.text)).toEqual(['Disabled', 'Rolling over', 'Agent session']);

    // The accessible names, as the browser computes them.
    expect(await page.locator(row('gw-rolling')).getByRole('img', { name: until }).count()).toBe(1);
    expect(await page.locator(row('gw-disabled')).getByRole('img', { name: disabled }).count()).toBe(1);
    expect(await page.locator(row('gw-machine')).getByRole('img', { name: 'Class: Machine' }).count()).toBe(1);

    // Revoked, no secret of it works: the badge about its previous secret goes.
    await page.click(row('gw-rolling'));
    await page.click(tid('revoke-key'));
    await page.fill(tid('revoke-confirm-input'), 'gw-rolling');
    await page.click(tid('confirm-revoke'));
    await expect.poll(() => page.getAttribute(row('gw-rolling'), 'data-status')).toBe('revoked');
    expect(await badges('gw-rolling')).toEqual([]);
    expect(await page.locator(tid('previous-secret-until')).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('light and dark, 1280×800 and 800×600: rows one line high, badges whole and readable, nothing overflows', async () => {
    const views = [
      { dark: false, width: 1280, height: 800, name: 'gateway-badges' },
      { dark: true, width: 1280, height: 800, name: 'gateway-badges-dark' },
      { dark: false, width: 800, height: 600, name: 'gateway-badges-800x600' },
      { dark: true, width: 800, height: 600, name: 'gateway-badges-dark-800x600' },
    ];
    for (const v of views) {
      const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials] }, v);
      await keysShown(page, '7');
      // A hovered row behind the badges too: the outline keeps the class readable on it.
      await page.hover(row('gw-machine'));
      await shot(page, v.name);

      const heights = await page.locator(tid('key-row')).evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
      expect(new Set(heights), v.name).toEqual(new Set([40]));
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), v.name).toBe(true);
      // Each badge shows whole or not at all (one that does not fit wraps out of sight), the first
      // (most urgent) always, beside at least a few letters of the name.
      for (const name of ['gw-disabled', 'gw-machine', 'gw-rolling', 'gw-nightly-agent']) {
        const fit = await page.$eval(row(name), (r) => {
          const cell = r.querySelector('.name')!.getBoundingClientRect();
          const label = r.querySelector('.name .label')!.getBoundingClientRect();
          const more = r.querySelector('.name .more')?.getBoundingClientRect();
          const boxes = [...r.querySelectorAll('[data-testid^="gateway-"]')].map((b) => ({ box: b.getBoundingClientRect(), rest: !!b.closest('.more') }));
          const whole = ({ box, rest }: { box: DOMRect; rest: boolean }) => box.right <= cell.right + 0.5 && box.top >= cell.top &&
            (!rest || (box.top >= more!.top - 0.5 && box.bottom <= more!.bottom + 0.5 && box.right <= more!.right + 0.5));
          const hidden = ({ box, rest }: { box: DOMRect; rest: boolean }) => rest && box.top >= more!.bottom - 0.5;
          return { label: Math.round(label.width), first: whole(boxes[0]), shown: boxes.filter(whole).length, hidden: boxes.filter(hidden).length, all: boxes.length };
        });
        expect(fit.label, `${v.name}: ${name}'s name`).toBeGreaterThanOrEqual(48);
        expect(fit.first, `${v.name}: ${name}'s first badge`).toBe(true);
        expect(fit.shown + fit.hidden, `${v.name}: ${name}'s badges whole or hidden`).toBe(fit.all);
        if (v.width === 1280 && name === 'gw-nightly-agent') expect(fit.shown, v.name).toBeGreaterThanOrEqual(1);
      }
      // Text against its background: at least 4.5:1 for these small labels, in either scheme.
      for (const id of ['gateway-disabled', 'gateway-class', 'gateway-rolling-over']) {
        for (const name of ['gw-disabled', 'gw-machine', 'gw-rolling']) {
          const sel = `${row(name)} ${tid(id)}`;
          if ((await page.locator(sel).count()) === 0) continue;
          expect(await contrastOf(page, sel), `${v.name}: ${id}`).toBeGreaterThanOrEqual(4.5);
        }
      }
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});

describe('the detail panel: a gateway key’s facts', () => {
  test('class, scopes as chips, who it acts for, disabled since, rotated, and until when the previous secret works; light and dark', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials] }, { dark });
      await keysShown(page, '7');
      const text = (id: string) => page.textContent(tid(id));
      const chips = () => page.locator(`${tid('detail-scopes')} li`).allTextContents();

      await page.click(row('gw-disabled'));
      await page.waitForSelector(tid('key-detail'));
      await expect.poll(() => text('detail-class')).toBe('User');
      expect(await chips()).toEqual(['llm:invoke']);
      expect(await page.getAttribute(`${tid('detail-scopes')} ul`, 'aria-label')).toBe('Scopes');
      expect(await text('detail-acts-for')).toBe('The user 5f0c9a4e-2b7d-4c1a-9e3f-8d6b2a1c0e47');
      expect(await text('detail-disabled')).toMatch(/^3 days ago · /);
      expect(await text('detail-rotated')).toBe('Never');
      expect(await page.locator(tid('previous-secret-until')).count()).toBe(0);
      const pairs = await page.locator(`${tid('key-detail')} > dl > dt`).allTextContents();
      expect(pairs).toEqual(expect.arrayContaining(['Class', 'Scopes', 'Acts for', 'Disabled since', 'Rotated']));
      await page.waitForSelector(tid('detail-fields'));
      await shot(page, dark ? 'gateway-detail-disabled-dark' : 'gateway-detail-disabled');

      await page.click(row('gw-machine'));
      await expect.poll(() => text('detail-class')).toBe('Machine');
      expect(await chips()).toEqual(['llm:invoke', 'mcp:read']);
      expect(await text('detail-acts-for')).toBe('The IdP group engineering');
      expect(await page.locator(tid('detail-disabled')).count(), 'an enabled key has no "Disabled since"').toBe(0);

      await page.click(row('gw-rolling'));
      await expect.poll(() => text('detail-rotated')).toMatch(/^1 minute ago · /);
      expect(await chips()).toEqual(['llm:invoke', 'mcp:read', 'models:read']);
      expect(await text('previous-secret-until')).toMatch(/Previous secret works until .+ \(in (1 hour|60 minutes)\)/);
      // In place, the Replace button's hint says nothing is revoked.
      expect(await page.getAttribute(tid('replace-key'), 'title')).toContain('nothing is revoked');
      await shot(page, dark ? 'gateway-detail-dark' : 'gateway-detail');
      expect(await page.$eval(tid('key-detail'), (p) => p.scrollWidth <= p.clientWidth)).toBe(true);

      // Another kind has no gateway group.
      await page.click(row('OpenAI Production'));
      await expect.poll(() => page.locator(tid('detail-class')).count()).toBe(0);
      expect(await page.locator(tid('detail-scopes')).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('disabling from the edit dialog: the badge and the panel follow', async () => {
    const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials] });
    await keysShown(page, '7');
    await page.click(row('gw-plain'));
    await page.waitForSelector(tid('edit-key'));
    await page.click(tid('edit-key'));
    await page.waitForSelector(tid('edit-key-form'));
    await page.check(tid('field-disabled'));
    await page.click(tid('save-key'));
    await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
    await expect.poll(() => page.locator(`${row('gw-plain')} ${tid('gateway-disabled')}`).count()).toBe(1);
    await expect.poll(() => page.textContent(tid('detail-disabled'))).toMatch(/^just now · /);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the replace assistant', () => {
  const REVOKE_WORDS = ['old key is revoked', 'Revoke the replacement', 'revoke the replacement', 'before revoking', 'revoked last', 'Revoke the old key', 'unused replacement'];
  async function openAssistant(page: Page, name: string) {
    await page.click(row(name));
    await page.click(tid('replace-key'));
    await page.waitForSelector(tid('replace-targets'));
  }
  /** Ticks exactly these places (the plan pre-ticks those whose preview ends like the key's). */
  async function pick(page: Page, ...names: string[]) {
    for (const box of await page.locator(tid('replace-target')).all())
      await box.setChecked(names.includes((await box.getAttribute('data-name')) ?? ''));
  }
  const steps = (page: Page) => page.locator(tid('replace-step')).evaluateAll((els) =>
    els.map((e) => ({ label: e.querySelector('p')?.textContent, state: e.getAttribute('data-state') })));

  test('a gateway key is given a new secret in place: the How, the steps, the core’s summary, and no revoke anywhere', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials] }, { dark });
      await keysShown(page, '7');
      await openAssistant(page, 'gw-machine');
      const dialog = page.locator(tid('replace-dialog'));
      expect(await page.textContent(`${tid('replace-setting')}[data-label="How"]`)).toBe('A new secret for the same key; the previous one keeps working 1 h more');
      expect(await dialog.locator('h3').first().textContent()).toBe('The new secret');
      expect(await dialog.textContent()).toContain('the previous secret keeps working a while, and nothing is revoked');
      expect(await page.textContent(tid('replace-note'))).toContain('says until when the previous secret of “gw-machine” works');
      for (const w of REVOKE_WORDS) expect(await dialog.textContent(), w).not.toContain(w);
      if (!dark) await shot(page, 'replace-in-place-plan');

      await pick(page, 'OpenAI Production');
      await page.click(tid('replace-start'));
      await page.waitForSelector(tid('replace-summary'));
      expect(await steps(page)).toEqual([
        { label: 'Issue “gw-machine” a new secret; the previous one keeps working 1 h more', state: 'done' },
        { label: 'Install into “OpenAI Production” and check it', state: 'done' },
        { label: 'Let the previous secret stop working', state: 'done' },
      ]);
      // The summary is the core's, word for word; it reads as done.
      const summary = await page.textContent(tid('replace-summary'));
      expect(summary).toMatch(/^“gw-machine” has a new secret, installed in “OpenAI Production”; the previous one stops working at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
      expect(await page.getAttribute(tid('replace-summary'), 'class')).toContain('ok');
      expect(await page.textContent(tid('replace-steps'))).toContain('nothing is revoked');
      expect(await page.locator(tid('replace-undo')).count(), 'no successor to revoke').toBe(0);
      for (const w of REVOKE_WORDS) expect(await dialog.textContent(), w).not.toContain(w);
      await shot(page, dark ? 'replace-in-place-done-dark' : 'replace-in-place-done');

      // Nothing was revoked and no key was added: the same key, now rolling over.
      const f = await fake(page);
      expect(f.calls.some((c) => c.cmd === 'revoke_key' || c.cmd === 'revoke_keys')).toBe(false);
      expect(f.keys.filter((k) => k.name === 'gw-machine').map((k) => k.status)).toEqual(['active']);
      await page.click(tid('replace-reveal'));
      await page.waitForSelector(tid('reveal-dialog'));
      await page.click(tid('reveal-button'));
      await expect.poll(() => page.textContent(tid('reveal-secret'))).toContain('bd-fake-replaced');
      await page.click(tid('close-reveal'));
      await page.click(tid('discard-button'));
      await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });
      await keysShown(page, '7');
      await expect.poll(() => page.locator(`${row('gw-machine')} ${tid('gateway-rolling-over')}`).count()).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('a failed install in place: later steps skipped, the core’s summary says until when the previous secret works, nothing offered for revoking', async () => {
    const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials], failInstall: 'Broken route' });
    await keysShown(page, '7');
    await openAssistant(page, 'gw-plain');
    await pick(page, 'Broken route');
    await page.click(tid('replace-start'));
    await page.waitForSelector(tid('replace-summary'));
    expect(await steps(page)).toEqual([
      { label: 'Issue “gw-plain” a new secret; the previous one keeps working 1 h more', state: 'done' },
      { label: 'Install into “Broken route” and check it', state: 'failed' },
      { label: 'Let the previous secret stop working', state: 'skipped' },
    ]);
    const summary = (await page.textContent(tid('replace-summary')))!;
    expect(summary).toMatch(/^Stopped\. “gw-plain” has a new secret, installed nowhere yet; installing into “Broken route” failed: /);
    expect(summary).toMatch(/The previous secret keeps working until \d{4}-\d\d-\d\d \d\d:\d\d UTC: install the new one there by then/);
    expect(await page.getAttribute(tid('replace-summary'), 'class')).not.toContain('ok');
    // Installed nowhere, yet there is no successor to revoke: the key itself got the new secret.
    expect(await page.locator(tid('replace-undo')).count()).toBe(0);
    expect(await page.locator(tid('replace-reveal')).count(), 'its new secret is shown once now').toBe(1);
    for (const w of REVOKE_WORDS) expect(await page.textContent(tid('replace-dialog')), w).not.toContain(w);
    await shot(page, 'replace-in-place-failed');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a refused reissue changes nothing, and says so', async () => {
    const { page, context, errors } = await h.open({ accounts: [gatewayAccount(), credentials], failReissue: true });
    await keysShown(page, '7');
    await openAssistant(page, 'gw-plain');
    await page.click(tid('replace-start'));
    await page.waitForSelector(tid('replace-summary'));
    expect((await steps(page))[0]).toEqual({ label: 'Issue “gw-plain” a new secret; the previous one keeps working 1 h more', state: 'failed' });
    expect(await page.textContent(tid('replace-summary'))).toBe(
      'Nothing changed: “gw-plain” was not given a new secret (Barndoor answered 503: Service Unavailable). Its secret works as before.');
    expect(await page.locator(tid('replace-undo')).count()).toBe(0);
    expect(await page.locator(tid('replace-reveal')).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a Respan temporary key is still minted anew, installed, and the old key revoked', async () => {
    const { page, context, errors } = await h.open({ accounts: [respan, credentials], failInstall: 'Broken route' });
    await page.waitForSelector(tid('expiry-view'));
    await page.click(tid('nav-keys'));
    await keysShown(page, '6');
    await openAssistant(page, 'key-0004');
    const dialog = page.locator(tid('replace-dialog'));
    expect(await dialog.textContent()).toContain('A replacement with the same settings, installed and checked where you pick; the old key is revoked last.');
    expect(await dialog.locator('h3').first().textContent()).toBe('The replacement');
    expect(await page.locator(`${tid('replace-setting')}[data-label="How"]`).count()).toBe(0);
    expect(await page.textContent(tid('replace-note'))).toBe('If a step fails, Keyward stops before revoking “key-0004”, and says where each service stands.');
    expect(await page.getAttribute(tid('replace-key'), 'title')).toBe('Mint a replacement, install it where it is used, then revoke this one');

    // Installed nowhere before the broken place: the unused replacement can be revoked.
    await pick(page, 'Broken route');
    await page.click(tid('replace-start'));
    await page.waitForSelector(tid('replace-summary'));
    expect(await steps(page)).toEqual([
      { label: 'Mint a new Temporary key “key-0004”', state: 'done' },
      { label: 'Install into “Broken route” and check it', state: 'failed' },
      { label: 'Revoke the old key “key-0004”', state: 'skipped' },
    ]);
    expect(await page.textContent(tid('replace-summary'))).toContain('Stopped before revoking anything');
    expect(await page.textContent(tid('replace-undo'))).toContain('Revoke the replacement');
    await page.click(tid('replace-close'));

    // And a complete run revokes the old key.
    await openAssistant(page, 'key-0002');
    await pick(page, 'OpenAI Production');
    await page.click(tid('replace-start'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toBe('“key-0002” was replaced, and the old key is revoked.');
    expect((await steps(page)).map((s) => s.label)).toEqual(['Mint a new Temporary key “key-0002”', 'Install into “OpenAI Production” and check it', 'Revoke the old key “key-0002”']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
