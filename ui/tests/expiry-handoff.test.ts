// Issue 7's screens in headless Chromium with mocked IPC: the expiry centre (at launch, its
// timeline, setting keys aside), settings checked as you type, "Install into…" from the reveal
// dialog without the secret ever in the page, and the replace assistant, failing and completing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, shot } from './browser/harness';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;
type Fake = { calls: { cmd: string; args: Record<string, unknown> }[]; installs: { revealId: string; target: unknown }[]; secrets: Record<string, string>; clipboard: string | null; keys: { name: string; status: string; preview: string | null }[] };
const fake = (page: Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake);

// Respan's even keys are temporary keys expiring every 36 hours: key-0002 (made expired here),
// key-0004 in 6 days, key-0006 in 9, key-0008 in 12, key-0010 in 15.
const gateway = { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 10, expired: ['key-0002'], rotateDue: [4] };

describe('expiry centre', () => {
  test('opens at launch when something needs attention, with its timeline; an expired key can be set aside', async () => {
    const { page, context, errors } = await h.open({ accounts: [gateway] });
    await page.waitForSelector(tid('expiry-view'));
    await expect.poll(() => page.textContent(tid('expiry-summary'))).toContain('2 keys need attention');
    expect(await page.textContent(tid('expiry-badge'))).toBe('2');
    expect(await page.locator(`${tid('expiry-group-expired')} ${tid('expiry-item')}`).count()).toBe(1);
    expect(await page.locator(`${tid('expiry-group-expiring')} ${tid('expiry-item')}`).count()).toBe(1);
    expect(await page.locator(`${tid('expiry-group-later')} ${tid('expiry-item')}`).count()).toBe(3);
    expect(await page.locator(tid('timeline-dot')).count()).toBe(5);
    expect(await page.locator(`${tid('expiry-group-expiring')} [role=meter]`).count()).toBe(2);
    expect(await page.locator(`${tid('expiry-group-expired')} ${tid('expiry-replace')}`).count(), 'an expired key can be replaced').toBe(1);
    await shot(page, 'expiry-centre');

    await page.click(`${tid('expiry-group-expired')} ${tid('expiry-dismiss')}`);
    await expect.poll(async () => (await page.locator(tid('toast')).allTextContents()).join(' | ')).toContain('key-0002 set aside');
    await expect.poll(() => page.textContent(tid('expiry-badge'))).toBe('1');
    expect(await page.locator(tid('expiry-group-expired')).count()).toBe(0);

    await page.click(tid('nav-keys'));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('10');
    // The count is state; the rows come a frame later, once the table has measured its viewport.
    await expect.poll(() => page.locator(tid('rotate-due')).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('in dark, and at 800×600', async () => {
    const dark = await h.open({ accounts: [gateway] }, { dark: true });
    await dark.page.waitForSelector(tid('expiry-timeline'));
    await shot(dark.page, 'expiry-centre-dark');
    await dark.context.close();
    const small = await h.open({ accounts: [gateway] }, { width: 800, height: 600 });
    await small.page.waitForSelector(tid('expiry-timeline'));
    const overflow = await small.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await shot(small.page, 'expiry-centre-800x600');
    await small.context.close();
  });

  test('stays closed at launch when nothing needs attention', async () => {
    const { page, context } = await h.open({ accounts: [{ label: 'Production', keys: 5 }] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    expect(await page.locator(tid('expiry-badge')).count()).toBe(0);
    await page.click(tid('nav-expiry'));
    await expect.poll(() => page.textContent(tid('expiry-view'))).toContain('Nothing expires in the next 30 days');
    await context.close();
  });
});

test('settings: the core checks as you type; a wider window fills the centre', async () => {
  const { page, context, errors } = await h.open({ accounts: [gateway] });
  await page.waitForSelector(tid('expiry-view'));
  await page.click(tid('settings-button'));
  await page.waitForSelector(tid('settings-dialog'));
  await page.fill(tid('field-expiry_window_days'), '0');
  await expect.poll(() => page.textContent(tid('field-error-expiry_window_days'))).toBe('From 1 to 90 days.');
  await shot(page, 'settings');
  await page.fill(tid('field-expiry_window_days'), '14');
  await page.click(tid('save-settings'));
  await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
  await expect.poll(() => page.textContent(tid('expiry-summary'))).toContain('4 keys need attention · window 14 days');
  const saved = (await fake(page)).calls.filter((c) => c.cmd === 'save_settings').map((c) => c.args.settings);
  expect(saved).toEqual([{ expiry_window_days: 14, rotate_after_days: 90, notify_expiry: true, clipboard_clear_secs: 30, theme: 'system' }]);
  expect(errors).toEqual([]);
  await context.close();
});

describe('install into', () => {
  const accounts = [
    { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 0 },
    { label: 'Barndoor', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 3, kinds: ['barndoor_credential'], names: ['OpenAI Production', 'Anthropic', 'Spare'] },
  ];

  async function mint(page: Page) {
    await page.click(tid('new-key-button'));
    await page.waitForSelector(tid('create-form'));
    await page.selectOption(tid('field-account'), { label: 'Gateway — Respan' });
    await page.selectOption(tid('field-kind'), 'respan_temp_key');
    await page.fill(tid('field-name'), 'gateway-upstream');
    await page.click(tid('submit-key'));
    await page.waitForSelector(tid('reveal-dialog'));
  }

  test('a new Barndoor credential gets the minted secret from Rust; the page never holds it', async () => {
    const { page, context, errors } = await h.open({ accounts, keysPerAccount: 0 });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await mint(page);
    await page.click(tid('install-button'));
    await page.waitForSelector(tid('install-dialog'));
    await page.check(tid('install-new'));
    await page.selectOption(tid('install-account'), { label: 'Barndoor — Barndoor' });
    // Shaped for a Respan key: a custom credential whose upstream is Respan's gateway.
    await expect.poll(() => page.inputValue(tid('field-base_url'))).toBe('https://api.respan.ai/api/');
    expect(await page.inputValue(tid('field-model_provider'))).toBe('custom');
    expect(await page.locator(tid('field-api_key')).count()).toBe(0);
    await page.fill(tid('field-name'), '');
    await expect.poll(() => page.textContent(tid('field-error-name'))).toBe('This cannot be empty.');
    await page.fill(tid('field-name'), 'Respan gateway');
    await expect.poll(() => page.locator(tid('field-error-name')).count()).toBe(0);
    await shot(page, 'install-into');
    await page.click(tid('submit-install'));
    await page.waitForSelector(tid('install-dialog'), { state: 'detached' });
    await expect.poll(() => page.textContent(tid('installs'))).toContain("Respan gateway · Barndoor shows the new secret's last 4 characters.");
    await shot(page, 'install-done');

    const f = await fake(page);
    const secret = Object.values(f.secrets)[0];
    expect(f.installs).toHaveLength(1);
    expect(JSON.stringify(f.installs[0])).not.toContain(secret);
    expect(JSON.stringify(f.calls.map((c) => c.args))).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);
    expect(f.clipboard).toBeNull();
    // Installed counts as stored: Done closes without asking to discard.
    await page.click(tid('close-reveal'));
    await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('an existing credential is given it', async () => {
    const { page, context } = await h.open({ accounts, keysPerAccount: 0 });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await mint(page);
    await page.click(tid('install-button'));
    await page.waitForSelector(tid('install-dialog'));
    expect(await page.isChecked(tid('install-existing'))).toBe(true);
    await page.selectOption(tid('install-target'), { index: 1 });
    const chosen = await page.locator(`${tid('install-target')} option:checked`).textContent();
    await page.click(tid('submit-install'));
    await expect.poll(() => page.textContent(tid('installs'))).toContain(chosen!.split(' — ')[0]);
    const f = await fake(page);
    expect(f.installs[0].target).toMatchObject({ to: 'existing' });
    await context.close();
  });
});

describe('replace assistant', () => {
  const accounts = [
    { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 4, kinds: ['respan_temp_key'] },
    { label: 'Barndoor', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 2, kinds: ['barndoor_credential'], names: ['OpenAI Production', 'Broken route'] },
  ];

  async function openAssistant(page: Page) {
    await page.waitForSelector(tid('expiry-view'));
    await page.click(tid('nav-keys'));
    await page.fill(tid('search-input'), 'key-0004');
    await page.locator(tid('key-row')).first().click();
    await page.click(tid('replace-key'));
    await page.waitForSelector(tid('replace-targets'));
  }

  test('a failing step stops it before the old key is revoked, and says where things stand', async () => {
    const { page, context, errors } = await h.open({ accounts, failInstall: 'Broken route' });
    await openAssistant(page);
    await shot(page, 'replace-plan');
    for (const name of ['OpenAI Production', 'Broken route']) await page.check(`${tid('replace-target')}[data-name="${name}"]`);
    await page.click(tid('replace-start'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toContain('Stopped before revoking anything');
    // Steps follow the plan's order of places: whatever came before the broken one was done, the rest skipped.
    const states = await page.locator(tid('replace-step')).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    const labels = await page.locator(tid('replace-step')).allTextContents();
    const broken = labels.findIndex((l) => l.includes('Broken route'));
    expect(broken).toBeGreaterThan(0);
    expect(states).toEqual(labels.map((_, i) => (i < broken ? 'done' : i === broken ? 'failed' : 'skipped')));
    expect(await page.textContent(tid('replace-summary'))).toContain('“key-0004” is still active');
    await shot(page, 'replace-failed');
    const old = (await fake(page)).keys.find((k) => k.name === 'key-0004' && k.preview !== 'rp0999…');
    expect(old?.status).toBe('expiring'); // still live, as it was: not revoked
    // The replacement is offered for revoking only if no place took it before the broken one.
    expect(await page.locator(tid('replace-undo')).count()).toBe(broken === 1 ? 1 : 0);
    await page.click(tid('replace-close'));
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a replacement some place already took is not offered for revoking', async () => {
    const { page, context, errors } = await h.open({ accounts, failInstall: 'OpenAI Production' });
    await openAssistant(page);
    for (const name of ['OpenAI Production', 'Broken route']) await page.check(`${tid('replace-target')}[data-name="${name}"]`);
    await page.click(tid('replace-start'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toContain('Stopped before revoking anything');
    expect(await page.locator(`${tid('replace-step')}[data-state="done"]`).count()).toBe(2); // the mint and "Broken route"
    expect(await page.locator(tid('replace-undo')).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a replacement installed nowhere can be revoked from the summary, and all is as before', async () => {
    const { page, context, errors } = await h.open({ accounts, failInstall: 'Broken route' });
    await openAssistant(page);
    await page.check(`${tid('replace-target')}[data-name="Broken route"]`);
    await page.click(tid('replace-start'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toContain('Stopped before revoking anything');
    await page.waitForSelector(tid('replace-undo'));
    await page.click(tid('replace-undo'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toContain('The replacement (rp0999…) is revoked; the old key “key-0004” is still active');
    await shot(page, 'replace-undone');
    expect(await page.locator(tid('replace-undo')).count()).toBe(0);
    expect(await page.locator(tid('replace-reveal')).count()).toBe(0);
    const f = await fake(page);
    const named = f.keys.filter((k) => k.name === 'key-0004');
    expect(named.find((k) => k.preview === 'rp0999…')?.status).toBe('revoked');
    expect(named.find((k) => k.preview !== 'rp0999…')?.status).toBe('expiring');
    await page.click(tid('replace-close'));
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a complete run revokes the old key and offers the new secret once', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await openAssistant(page);
    await page.check(`${tid('replace-target')}[data-name="OpenAI Production"]`);
    await page.click(tid('replace-start'));
    await expect.poll(() => page.textContent(tid('replace-summary'))).toContain('was replaced, and the old key is revoked');
    await shot(page, 'replace-done');
    await page.click(tid('replace-reveal'));
    await page.waitForSelector(tid('reveal-dialog'));
    await page.click(tid('reveal-button'));
    await expect.poll(() => page.textContent(tid('reveal-secret'))).toContain('fake-rotated-secret');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('closing without revealing drops the new secret in Rust', async () => {
    const { page, context } = await h.open({ accounts });
    await openAssistant(page);
    await page.click(tid('replace-start'));
    await page.waitForSelector(tid('replace-summary'));
    await page.click(tid('replace-close'));
    await expect.poll(async () => (await fake(page)).calls.some((c) => c.cmd === 'close_reveal')).toBe(true);
    await context.close();
  });
});
