// Every screen in real headless Chromium with mocked IPC: forms, errors, search, offline,
// removal and a 100,000-row inventory. Screenshots land in ui/test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, shot } from './browser/harness';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;

describe('add account', () => {
  test('validates as you type and names the refused field', async () => {
    const { page, context, errors } = await h.open();
    await page.click(tid('add-account-button'));
    await page.waitForSelector(tid('account-form'));
    await shot(page, 'add-account-light');

    // Submitting empty shows every field's rule at once.
    await page.click(tid('submit-account'));
    await expect.poll(() => page.textContent(tid('field-error-label'))).toContain('Give the account a name');
    expect(await page.textContent(tid('field-error-token'))).toContain('Paste the API key');

    // A plain-http host is refused as it is typed.
    await page.fill(tid('field-label'), 'Production');
    await page.selectOption(tid('field-host'), 'custom');
    await page.fill(tid('field-host-custom'), 'http://example.com');
    await expect.poll(() => page.textContent(tid('field-error-host'))).toContain('https');

    // A wrong key: the service's refusal under the token field.
    await page.selectOption(tid('field-host'), 'https://api.braintrust.dev');
    await page.fill(tid('field-token'), 'sk-wrong');
    await page.click(tid('submit-account'));
    await expect.poll(() => page.textContent(tid('field-error-token'))).toBe('This key was refused by Braintrust (401).');
    expect(await page.getAttribute(tid('field-token'), 'type')).toBe('password');
    await shot(page, 'add-account-refused');

    // An unreachable host: the network message under the host field.
    await page.selectOption(tid('field-host'), 'custom');
    await page.fill(tid('field-host-custom'), 'https://unreachable.example');
    await page.fill(tid('field-token'), 'sk-good-token');
    await page.click(tid('submit-account'));
    await expect.poll(() => page.textContent(tid('field-error-host'))).toContain('Could not reach Braintrust');
    expect(await page.locator(tid('account-item')).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a good key closes the dialog, syncs, and shows the keys', async () => {
    const { page, context } = await h.open({ keysPerAccount: 40 }, { dark: true });
    await page.click(tid('add-account-button'));
    await page.fill(tid('field-label'), 'Production');
    await page.fill(tid('field-token'), 'sk-good-token');
    await shot(page, 'add-account-dark');
    await page.click(tid('submit-account'));
    await page.waitForSelector(tid('account-form'), { state: 'detached' });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('40');
    await expect.poll(async () => (await page.locator(tid('toast')).allTextContents()).join(' | ')).toContain('Account “Production” added.');
    expect(await page.getAttribute(tid('account-item'), 'data-account-label')).toBe('Production');
    await shot(page, 'inventory-dark');
    await context.close();
  });

  test('Esc closes the dialog and the token is not kept', async () => {
    const { page, context } = await h.open();
    await page.keyboard.press('Control+n');
    await page.fill(tid('field-token'), 'sk-typed-then-abandoned');
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('account-form'), { state: 'detached' });
    await page.click(tid('add-account-button'));
    expect(await page.inputValue(tid('field-token'))).toBe('');
    const html = await page.content();
    expect(html).not.toContain('sk-typed-then-abandoned');
    await context.close();
  });
});

describe('inventory', () => {
  const accounts = [{ label: 'Production', keys: 250 }, { label: 'Staging', keys: 30 }];

  test('search narrows the rows as you type, and an account filters them', async () => {
    const { page, context } = await h.open({ accounts });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('280');
    await shot(page, 'inventory-light');
    await page.keyboard.press('Control+f');
    await page.keyboard.type('key-01');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('100');
    await page.keyboard.type('2');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('10');
    const names = await page.locator(`${tid('key-row')} [role=cell].name`).allTextContents();
    expect(names.every((n) => n.includes('key-012'))).toBe(true);
    await shot(page, 'inventory-search');
    await page.fill(tid('search-input'), 'zzz-nothing');
    await expect.poll(() => page.textContent('main')).toContain('No keys match “zzz-nothing”');
    await page.fill(tid('search-input'), '');
    await page.click(`${tid('account-item')}[data-account-label="Staging"] .main`);
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('30');
    await context.close();
  });

  test('Sync all started from the keyboard keeps the focus while it runs, and a second Enter starts nothing', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('280');
    const button = page.locator(tid('sync-all-button'));
    // The quiet sync the window starts by itself has to end first.
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('false');
    const calls = () => page.evaluate(() => (window as any).__fake.calls.filter((c: { cmd: string }) => c.cmd === 'sync_account').length);
    const before = await calls();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.textContent()).toContain('Syncing');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-all-button');
    await expect.poll(() => button.getAttribute('aria-disabled')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-all-button');
    expect(await calls()).toBe(before + accounts.length);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the keyboard focus stays on its key when a sync lists new keys above it', async () => {
    const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 5 }], newKeyOnSync: true });
    // The start-up sync found one.
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('6');
    await expect.poll(() => page.getAttribute(tid('sync-all-button'), 'aria-disabled')).toBe('false');
    const focus = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { key: el.closest<HTMLElement>('[data-testid="key-row"]')?.dataset.keyId, part: el.dataset.testid };
    });
    await page.focus(`${tid('key-row')}[data-key-id="acc-1-k3"]`);
    await page.keyboard.press('Control+r');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('7');
    await expect.poll(() => page.textContent(`${tid('key-row')}[aria-rowindex="2"] .name .label`)).toContain('made-since-2');
    expect(await focus()).toEqual({ key: 'acc-1-k3', part: 'key-row' });
    // From a row's checkbox too.
    await expect.poll(() => page.getAttribute(tid('sync-all-button'), 'aria-disabled')).toBe('false');
    await page.focus(`${tid('key-row')}[data-key-id="acc-1-k4"] ${tid('check-key')}`);
    // (A checkbox keeps its keys to itself: the sync is started as the window's shortcut would.)
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'r', ctrlKey: true })));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('8');
    expect(await focus()).toEqual({ key: 'acc-1-k4', part: 'check-key' });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('offline: a banner, the cached rows, and how old they are', async () => {
    const { page, context } = await h.open({ accounts, offline: true });
    await page.waitForSelector(tid('offline-banner'));
    expect(await page.textContent(tid('offline-banner'))).toContain('Showing the inventory cached');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('280');
    expect(await page.locator(tid('last-synced')).first().textContent()).toContain('ago');
    await shot(page, 'offline');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'offline-dark');
    await context.close();
  });

  test('remove asks first, then the account and its rows go', async () => {
    const { page, context } = await h.open({ accounts });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('280');
    const staging = `${tid('account-item')}[data-account-label="Staging"]`;
    await page.hover(staging);
    await page.click(`${staging} ${tid('account-remove-button')}`);
    expect(await page.textContent(tid('remove-dialog'))).toContain('30 cached keys');
    await shot(page, 'remove-confirm');
    await page.click(tid('cancel-remove'));
    expect(await page.locator(tid('account-item')).count()).toBe(2);
    await page.click(`${staging} ${tid('account-remove-button')}`);
    await page.click(tid('confirm-remove'));
    await expect.poll(() => page.locator(tid('account-item')).count()).toBe(1);
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('250');
    await context.close();
  });

  test('100,000 rows render with fewer than 300 in the DOM', async () => {
    const { page, context } = await h.open({ accounts: [{ label: 'Huge', keys: 100_000 }] });
    await expect.poll(() => page.textContent(tid('key-count')), { timeout: 20_000 }).toBe('100000');
    expect(await page.locator(tid('key-row')).count()).toBeLessThan(300);
    await page.mouse.move(700, 400);
    await page.mouse.wheel(0, 400_000);
    await expect.poll(() => page.locator(tid('key-row')).count()).toBeGreaterThan(0);
    expect(await page.locator(tid('key-row')).count()).toBeLessThan(300);
    await context.close();
  });

  test('readable at 800×600', async () => {
    const { page, context } = await h.open({ accounts }, { width: 800, height: 600 });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('280');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await shot(page, 'inventory-800x600');
    await context.close();
  });
});

test('welcome screen when there are no accounts', async () => {
  const { page, context, errors } = await h.open();
  await page.waitForSelector('text=Bring your keys together');
  await shot(page, 'welcome');
  expect(errors).toEqual([]);
  await context.close();
});

describe('create and reveal', () => {
  test('a proxy credential: core-checked limits, then the secret shown once and copied from Rust', async () => {
    const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 3 }] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.keyboard.press('Control+n');
    await page.waitForSelector(tid('create-form'));
    await page.selectOption(tid('field-kind'), 'braintrust_proxy_credential');
    await page.fill(tid('field-model'), 'gpt-4o');
    await page.fill(tid('field-ttl_seconds'), '90000');
    await expect.poll(() => page.textContent(tid('field-error-ttl_seconds'))).toContain('86400');
    await shot(page, 'create-proxy-error');
    await page.fill(tid('field-ttl_seconds'), '3600');
    await expect.poll(() => page.locator(tid('field-error-ttl_seconds')).count()).toBe(0);
    await shot(page, 'create-proxy');
    await page.click(tid('submit-key'));

    await page.waitForSelector(tid('reveal-dialog'));
    expect(await page.textContent(tid('reveal-secret'))).not.toContain('sk-fake');
    expect(await page.textContent(tid('reveal-expiry'))).toContain('in 1 hour');
    await page.click(tid('copy-button'));
    await expect.poll(() => page.textContent(tid('clipboard-countdown'))).toContain('clears in');
    expect(await page.evaluate(() => (window as any).__fake.clipboard)).toMatch(/^sk-fake-/);
    expect(await page.content(), 'Copy never brought the secret into the page').not.toContain('sk-fake');
    await page.click(tid('reveal-button'));
    await expect.poll(() => page.textContent(tid('reveal-secret'))).toContain('sk-fake-');
    await shot(page, 'reveal-dialog');

    // Done without "I have stored it" asks before discarding.
    await page.click(tid('close-reveal'));
    await page.waitForSelector(tid('discard-button'));
    await page.click(tid('discard-button'));
    await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });
    expect(await page.content()).not.toContain('sk-fake');
    const calls = await page.evaluate(() => (window as any).__fake.calls.map((c: { cmd: string }) => c.cmd));
    expect(calls).toContain('close_reveal');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('4');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a key whose secret never arrived is named and revoked from the form, light and dark', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 3 }], secretLost: 'orphan' }, { dark });
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
      await page.click(tid('new-key-button'));
      await page.fill(tid('field-name'), 'orphan');
      await page.click(tid('submit-key'));
      await expect.poll(() => page.textContent(tid('orphan-key'))).toContain('the key is live');
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('4'); // the live key is in the inventory
      await shot(page, dark ? 'create-secret-lost-dark' : 'create-secret-lost');
      await page.focus(tid('revoke-orphan'));
      await page.keyboard.press('Enter');
      await page.waitForSelector(tid('orphan-key'), { state: 'detached' });
      const revoked = await page.evaluate(() => (window as any).__fake.calls.filter((c: { cmd: string }) => c.cmd === 'revoke_key').length);
      expect(revoked).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('the reveal dialog in dark', async () => {
    const { page, context } = await h.open({ accounts: [{ label: 'Production', keys: 3 }] }, { dark: true });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.click(tid('new-key-button'));
    expect(await page.inputValue(tid('field-kind')), 'the kind select shows the kind the form is for').toBe('braintrust_api_key');
    await page.fill(tid('field-name'), 'ci-deploy');
    await page.click(tid('submit-key'));
    await page.waitForSelector(tid('reveal-dialog'));
    await page.click(tid('copy-env-button'));
    await page.check(tid('stored-checkbox'));
    await shot(page, 'reveal-dialog-dark');
    await page.click(tid('close-reveal'));
    await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });
    await context.close();
  });
});

describe('detail and revoke', () => {
  test('a row opens every field; revoking a production key needs its name typed', async () => {
    const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 5 }] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    await page.click(`${tid('key-row')}:first-child`);
    await page.waitForSelector(tid('key-detail'));
    await expect.poll(() => page.textContent(tid('detail-fields'))).toContain('preview_name');
    await shot(page, 'key-detail');
    await page.click(tid('revoke-key'));
    await page.waitForSelector(tid('revoke-dialog'));
    expect(await page.isDisabled(tid('confirm-revoke'))).toBe(true);
    await page.fill(tid('revoke-confirm-input'), 'key-0005');
    expect(await page.isDisabled(tid('confirm-revoke'))).toBe(false);
    await shot(page, 'revoke-confirm');
    await page.click(tid('confirm-revoke'));
    await page.waitForSelector(tid('revoke-dialog'), { state: 'detached' });
    await expect.poll(() => page.textContent(tid('detail-status'))).toBe('Revoked');
    expect(await page.getAttribute(`${tid('key-row')}[data-status="revoked"]`, 'data-key-id')).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('edit, reissue and bulk revoke', () => {
  const barndoor = { label: 'Platform', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 2, names: ['gw-ci', 'OpenAI Production'] };

  test('a Barndoor credential: edit sends only the change, reissue takes a masked secret, delete in use is kept', async () => {
    const { page, context, errors } = await h.open({ accounts: [barndoor], inUse: ['OpenAI Production'] });
    const toastText = async () => (await page.locator(tid('toast')).allTextContents()).join(' | ');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('2');
    await page.click(`${tid('key-row')}:has-text("OpenAI Production")`);
    await page.waitForSelector(tid('key-detail'));

    await page.click(tid('edit-key'));
    await page.waitForSelector(tid('edit-key-form'));
    await expect.poll(() => page.inputValue(tid('field-base_url'))).toBe('https://api.openai.com/v1');
    expect(await page.isDisabled(tid('save-key'))).toBe(true);
    await page.fill(tid('field-base_url'), 'https://eu.api.openai.com/v1');
    await shot(page, 'edit-credential');
    await page.click(tid('save-key'));
    await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
    await expect.poll(toastText).toContain('OpenAI Production saved.');

    await page.click(tid('reissue-secret'));
    await page.waitForSelector(tid('edit-key-form'));
    expect(await page.getAttribute(tid('field-api_key'), 'type')).toBe('password');
    expect(await page.locator(tid('field-base_url')).count()).toBe(0);
    await page.fill(tid('field-api_key'), 'sk-rotated-upstream-0043');
    await page.fill(tid('field-change_note'), 'quarterly rotation');
    await shot(page, 'reissue-credential');
    await page.click(tid('save-key'));
    await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
    await expect.poll(toastText).toContain('now uses the new secret');
    const updates = await page.evaluate(() => (window as unknown as { __fake: { updates: unknown[] } }).__fake.updates);
    expect(updates.map((u) => (u as { update: unknown }).update)).toEqual([
      { kind: 'barndoor_credential', base_url: 'https://eu.api.openai.com/v1' },
      { kind: 'barndoor_credential', api_key: 'sk-rotated-upstream-0043', change_note: 'quarterly rotation' },
    ]);
    expect(await page.content()).not.toContain('sk-rotated-upstream-0043');

    await page.click(tid('revoke-key'));
    await page.fill(tid('revoke-confirm-input'), 'OpenAI Production');
    await page.click(tid('confirm-revoke'));
    await expect.poll(toastText).toContain('providers still use it');
    expect(await page.textContent(tid('detail-status'))).toBe('Active');
    await shot(page, 'delete-in-use');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('bulk revoke: tick rows, type the count, each outcome reported', async () => {
    const { page, context, errors } = await h.open({ accounts: [{ ...barndoor, keys: 6, names: ['a1', 'a2', 'a3', 'a4', 'in-use', 'a6'] }], inUse: ['in-use'] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('6');
    const tick = (name: string) => page.click(`${tid('key-row')}:has-text("${name}") ${tid('check-key')}`);
    await tick('a1');
    await tick('a2');
    expect(await page.locator(tid('key-detail')).count()).toBe(0);
    await expect.poll(() => page.textContent(tid('selected-count'))).toBe('2');
    await page.click(tid('bulk-revoke'));
    await page.waitForSelector(tid('bulk-revoke-dialog'));
    expect(await page.isDisabled(tid('confirm-bulk-revoke'))).toBe(true);
    await page.fill(tid('bulk-confirm-input'), 'revoke 2');
    await shot(page, 'bulk-revoke');
    await page.click(tid('confirm-bulk-revoke'));
    await page.waitForSelector(tid('bulk-revoke-dialog'), { state: 'detached' });
    await expect.poll(() => page.locator(`${tid('key-row')}[data-status="revoked"]`).count()).toBe(2);
    expect(await page.locator(tid('bulk-bar')).count()).toBe(0);

    // Select all, then one refusal among them: the rest go, the refusal is named.
    await page.click(tid('check-all'));
    await expect.poll(() => page.textContent(tid('selected-count'))).toBe('6');
    await page.click(tid('bulk-revoke'));
    expect(await page.textContent(tid('bulk-revoke-dialog'))).toContain('2 selected keys cannot be revoked');
    await page.fill(tid('bulk-confirm-input'), 'revoke 4');
    await page.click(tid('confirm-bulk-revoke'));
    await expect.poll(() => page.textContent(tid('bulk-failures'))).toContain('in-use');
    expect(await page.textContent(tid('bulk-revoke-dialog'))).toContain('3 keys revoked. This one was not:');
    await shot(page, 'bulk-revoke-partial');
    await page.click(`${tid('bulk-revoke-dialog')} button:has-text("Close")`);
    await expect.poll(() => page.locator(`${tid('key-row')}[data-status="revoked"]`).count()).toBe(5);
    await expect.poll(() => page.textContent(tid('selected-count'))).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Barndoor gateway keys: scopes, who a key acts for, and a reissue with a grace period', () => {
  const gateway = { label: 'Gateway', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 1, kinds: ['barndoor_gateway_key'], names: ['gw-ci'] };
  type Fake = { __fake: { calls: { cmd: string; args: Record<string, unknown> }[]; reissues: unknown[] } };
  const toastText = async (page: import('playwright-core').Page) => (await page.locator(tid('toast')).allTextContents()).join(' | ');
  /** Presses Tab until the control with this test id has focus; false if it never does. */
  async function tabTo(page: import('playwright-core').Page, id: string, max = 25) {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((t) => (document.activeElement as HTMLElement | null)?.dataset.testid === t, id)) return true;
      await page.keyboard.press('Tab');
    }
    return false;
  }

  test('the create form sends the scopes and a group, light and dark; the core names the field it refuses', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [gateway] }, { dark });
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('1');
      await page.click(tid('new-key-button'));
      await page.selectOption(tid('field-kind'), 'barndoor_gateway_key');
      await page.fill(tid('field-name'), 'eval-runner');
      expect(await page.locator(tid('field-group_name')).count(), 'no binding field until one is chosen').toBe(0);

      // A scope twice is the core's to refuse, under the scopes field.
      await page.fill(tid('field-scopes'), 'chat chat');
      await expect.poll(() => page.textContent(tid('field-error-scopes'))).toContain('twice');
      await page.fill(tid('field-scopes'), 'chat, embeddings models:read');
      await expect.poll(() => page.locator(tid('field-error-scopes')).count()).toBe(0);

      // A user first, then a group: only the group goes.
      await page.selectOption(tid('field-acts_for'), 'user');
      await page.fill(tid('field-user_email'), 'ana@example.com');
      await page.selectOption(tid('field-acts_for'), 'group');
      expect(await page.locator(tid('field-user_email')).count()).toBe(0);
      await page.fill(tid('field-group_name'), 'engineering');
      expect(await page.textContent(tid('create-form'))).toContain("A group key shares the group's budgets, rate limits and model policies.");
      await shot(page, dark ? 'create-gateway-key-dark' : 'create-gateway-key');
      await page.click(tid('submit-key'));
      await page.waitForSelector(tid('reveal-dialog'));
      const created = await page.evaluate(() => (window as unknown as Fake).__fake.calls.filter((c) => c.cmd === 'create_key').map((c) => c.args.request));
      expect(created).toEqual([{ kind: 'barndoor_gateway_key', name: 'eval-runner', scopes: ['chat', 'embeddings', 'models:read'], group_name: 'engineering' }]);

      // The form never sends a user and a group together; the core (here the fake, as it) refuses it by the group field.
      const refusal = await page.evaluate(() => (window as unknown as { __TAURI_INTERNALS__: { invoke: (c: string, a: unknown) => Promise<unknown> } })
        .__TAURI_INTERNALS__.invoke('create_key', { accountId: 'acc-1', request: { kind: 'barndoor_gateway_key', name: 'both', user_email: 'ana@example.com', group_name: 'engineering' } })
        .then(() => null, (e) => e));
      expect(refusal).toMatchObject({ code: 'invalid_input', field: 'group_name' });
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('reissue with a 1-hour grace: the toast and the detail panel say until when the previous secret works, light and dark', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [gateway] }, { dark });
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('1');
      await page.click(`${tid('key-row')}:has-text("gw-ci")`);
      await page.waitForSelector(tid('key-detail'));
      await expect.poll(() => page.textContent(tid('detail-scopes'))).toBe('none');
      expect(await page.textContent(tid('detail-acts-for'))).toBe('Nobody in particular');
      expect(await page.textContent(tid('detail-rotated'))).toBe('Never');
      expect(await page.locator(tid('previous-secret-until')).count()).toBe(0);

      await page.click(tid('reissue-key'));
      await page.waitForSelector(tid('reissue-dialog'));
      expect(await page.isChecked(tid('grace-0')), 'the previous secret stops at once unless chosen').toBe(true);
      await page.check(tid('grace-3600'));
      if (!dark) await shot(page, 'reissue-gateway-key');
      await page.click(tid('confirm-reissue'));
      await page.waitForSelector(tid('reveal-dialog'));
      await expect.poll(() => toastText(page)).toContain('gw-ci reissued. The previous secret keeps working until');
      expect(await page.evaluate(() => (window as unknown as Fake).__fake.reissues)).toEqual([{ keyId: 'acc-1-k1', gracePeriodSecs: 3600 }]);
      await page.click(tid('close-reveal'));
      await page.click(tid('discard-button'));
      await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });

      await expect.poll(() => page.textContent(tid('previous-secret-until'))).toMatch(/Previous secret works until .+ \(in 1 hour\)/);
      expect(await page.textContent(tid('detail-rotated'))).toMatch(/^just now · /);
      await shot(page, dark ? 'key-detail-reissued-gateway-dark' : 'key-detail-reissued-gateway');
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('a created key shows its scopes and group; every new control is reachable from the keyboard', async () => {
    const { page, context, errors } = await h.open({ accounts: [gateway] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('1');
    await page.click(tid('new-key-button'));
    await page.selectOption(tid('field-kind'), 'barndoor_gateway_key');
    await page.focus(tid('field-name'));
    await page.keyboard.type('kb-key');
    expect(await tabTo(page, 'field-scopes')).toBe(true);
    await page.keyboard.type('chat,embeddings');
    expect(await tabTo(page, 'field-acts_for')).toBe(true);
    await page.selectOption(tid('field-acts_for'), 'group');
    expect(await tabTo(page, 'field-group_name')).toBe(true);
    await page.keyboard.type('engineering');
    expect(await tabTo(page, 'submit-key')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('reveal-dialog'));
    await page.click(tid('close-reveal'));
    await page.click(tid('discard-button'));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('2');

    await page.click(`${tid('key-row')}:has-text("kb-key")`);
    await expect.poll(() => page.locator(`${tid('detail-scopes')} li`).allTextContents()).toEqual(['chat', 'embeddings']);
    expect(await page.textContent(tid('detail-acts-for'))).toBe('The IdP group engineering');

    // The reissue dialog from the keyboard: Tab to the grace choice, arrows through it, Enter to confirm.
    await page.focus(tid('reissue-key'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('reissue-dialog'));
    expect(await tabTo(page, 'grace-0')).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.isChecked(tid('grace-3600'))).toBe(true);
    expect(await tabTo(page, 'confirm-reissue')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector(tid('reveal-dialog'));
    expect(await page.evaluate(() => (window as unknown as Fake).__fake.reissues)).toMatchObject([{ gracePeriodSecs: 3600 }]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

test('filters narrow by kind and status, headers sort', async () => {
  const { page, context } = await h.open({ accounts: [{ label: 'Production', keys: 12 }] });
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('12');
  await page.click(tid('sort-name'));
  await expect.poll(() => page.locator(`${tid('key-row')} [role=cell].name`).first().textContent()).toContain('key-0001');
  expect(await page.getAttribute('[role=columnheader][aria-sort="ascending"]', 'aria-sort')).toBe('ascending');
  await page.click(tid('sort-name'));
  await expect.poll(() => page.locator(`${tid('key-row')} [role=cell].name`).first().textContent()).toContain('key-0012');
  await page.selectOption(tid('filter-kind'), 'respan_temp_key');
  await expect.poll(() => page.textContent('main')).toContain('No keys match these filters');
  await page.selectOption(tid('filter-kind'), 'braintrust_api_key');
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('12');
  await page.selectOption(tid('filter-status'), 'revoked');
  await expect.poll(() => page.textContent('main')).toContain('No keys match these filters');
  await page.selectOption(tid('filter-status'), '');
  await shot(page, 'inventory-filters');
  await context.close();
});

test('a token that left the keychain is re-entered from the account', async () => {
  const lost = { code: 'token_missing', message: "This account's token is not in the system keychain any more. Re-enter the token to use the account again.", field: null };
  const { page, context } = await h.open({ accounts: [{ label: 'Production', keys: 2, last_sync_error: lost }], offline: false });
  await page.waitForSelector(tid('reenter-token'));
  await shot(page, 'token-missing');
  await page.click(tid('reenter-token'));
  await page.waitForSelector(tid('edit-account-form'));
  await page.fill(tid('edit-token'), 'sk-wrong');
  await page.click(tid('save-account'));
  await expect.poll(() => page.textContent(tid('edit-error-token'))).toContain('refused');
  await page.fill(tid('edit-token'), 'sk-good-token');
  await page.click(tid('save-account'));
  await page.waitForSelector(tid('edit-account-form'), { state: 'detached' });
  await expect.poll(() => page.locator(tid('reenter-token')).count()).toBe(0);
  await context.close();
});

test('edit an account: a preset host, a name the core checks as you type, who the token belongs to', async () => {
  const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 2 }] });
  expect(await page.textContent(tid('account-identity'))).toBe('organization demo');
  await page.hover(tid('account-item'));
  await page.click(tid('account-edit-button'));
  await page.waitForSelector(tid('edit-account-form'));
  expect(await page.textContent(tid('edit-account-form'))).toContain('token of organization demo');
  expect(await page.inputValue(tid('field-host'))).toBe('https://api.braintrust.dev');
  await page.fill(tid('edit-label'), ' ');
  await expect.poll(() => page.textContent(tid('edit-error-label'))).toContain('Give the account a name');
  await page.fill(tid('edit-label'), 'Production EU');
  await page.selectOption(tid('field-host'), 'https://api-eu.braintrust.dev');
  await expect.poll(() => page.locator(tid('edit-error-label')).count()).toBe(0);
  await shot(page, 'edit-account');
  await page.click(tid('save-account'));
  await page.waitForSelector(tid('edit-account-form'), { state: 'detached' });
  const update = await page.evaluate(() =>
    (window as unknown as { __fake: { calls: { cmd: string; args: { update: unknown } }[] } }).__fake.calls.find((c) => c.cmd === 'update_account')?.args.update);
  expect(update).toEqual({ label: 'Production EU', host: 'https://api-eu.braintrust.dev' });
  await expect.poll(() => page.getAttribute(tid('account-item'), 'data-account-label')).toBe('Production EU');
  expect(errors).toEqual([]);
  await context.close();
});

test('a Respan account: use against limits, expiring keys, sort by use', async () => {
  const { page, context, errors } = await h.open({ accounts: [{ label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 10 }] });
  // Keys expire within the week, so the expiry centre opens first.
  await page.waitForSelector(tid('expiry-view'));
  await page.click(tid('nav-keys'));
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('10');
  await page.click(tid('sort-usage'));
  await page.click(tid('sort-usage'));
  await expect.poll(() => page.locator(tid('key-usage')).first().textContent()).toBe('96/100');
  expect(await page.locator(tid('key-usage')).first().getAttribute('class')).toContain('high');
  expect(await page.locator('.status.expiring').count()).toBeGreaterThan(0);
  await shot(page, 'inventory-respan');
  expect(errors).toEqual([]);
  await context.close();
});

test('a damaged store: the message, then Move it aside and rebuild brings the accounts back and syncs', async () => {
  const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 4 }], damaged: true });
  await page.waitForSelector(tid('store-error'));
  expect(await page.textContent(tid('store-error'))).toContain('is damaged');
  await shot(page, 'store-damaged');
  await page.click(tid('recover-store'));
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('4');
  await expect.poll(async () => (await page.locator(tid('toast')).allTextContents()).join(' | ')).toContain('Rebuilt with 1 account');
  const calls = await page.evaluate(() => (window as unknown as { __fake: { calls: { cmd: string }[] } }).__fake.calls.map((c) => c.cmd));
  expect(calls).toContain('recover_store');
  expect(calls.filter((c) => c === 'sync_account').length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await context.close();
});

describe('audit log and exports', () => {
  type Fake = { calls: { cmd: string; args: Record<string, any> }[]; exports: Record<string, any>[]; dialogs: Record<string, any>[] };
  const fake = (page: import('playwright-core').Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake);
  const lastQuery = async (page: import('playwright-core').Page, cmd: string) => {
    const calls = (await fake(page)).calls.filter((c) => c.cmd === cmd);
    return calls[calls.length - 1].args.query;
  };
  const accounts = [{ label: 'Production', keys: 20 }, { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 20 }];
  const toastText = async (page: import('playwright-core').Page) => (await page.locator(tid('toast')).allTextContents()).join(' | ');
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const today = () => day(new Date());
  // The fake log runs back from now: filtering from half a day ago finds entries even just after
  // midnight, when today itself holds none yet.
  const halfADayAgo = () => new Date(Date.now() - 12 * 3600 * 1000);

  test('entries in words, filtered by account, action and day, then exported as CSV', async () => {
    const { page, context, errors } = await h.open({ accounts, auditEntries: 60 });
    await page.click(tid('nav-audit'));
    await expect.poll(() => page.locator(tid('audit-row')).count()).toBe(60);
    expect(await page.textContent(tid('audit-count'))).toContain('60 entries');
    // A log longer than the window scrolls from the keyboard too: its region takes focus.
    const scroller = page.locator(tid('audit-scroll'));
    await scroller.focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('audit-scroll');
    expect(await scroller.getAttribute('aria-label')).toBe('Audit log entries');
    await page.keyboard.press('End');
    await expect.poll(() => scroller.evaluate((e) => e.scrollTop)).toBeGreaterThan(0);
    await page.keyboard.press('Home');
    await expect.poll(() => scroller.evaluate((e) => e.scrollTop)).toBe(0);
    const first = page.locator(tid('audit-row')).first();
    expect(await first.locator(tid('audit-action')).textContent()).toBe('Key created');
    expect(await first.locator('td.when time').getAttribute('title')).toMatch(/\d{4}/);
    expect(await page.locator(`${tid('audit-row')}[data-outcome="forbidden"] ${tid('audit-outcome')}`).first().textContent()).toBe('Not permitted');
    expect(await page.locator(tid('audit-account')).allTextContents()).toContain('Removed account');
    await shot(page, 'audit-log');

    await page.selectOption(tid('audit-filter-account'), { label: 'Gateway' });
    await expect.poll(async () => new Set(await page.locator(tid('audit-account')).allTextContents()).size).toBe(1);
    expect(await page.locator(`${tid('audit-account')} .acct`).allTextContents()).toContain('Gateway');
    await page.selectOption(tid('audit-filter-action'), 'key.create');
    await expect.poll(async () => new Set(await page.locator(tid('audit-action')).allTextContents())).toEqual(new Set(['Key created']));
    const from = halfADayAgo();
    await page.fill(tid('audit-filter-from'), day(from));
    await expect.poll(() => page.locator(tid('audit-row')).count()).toBeGreaterThan(0);
    const last = await lastQuery(page, 'audit_query');
    expect(last).toMatchObject({ account_id: 'acc-2', action: 'key.create', limit: 500 });
    expect(Date.parse(last.since)).toBe(new Date(from.setHours(0, 0, 0, 0)).getTime());
    const shown = await page.locator(tid('audit-row')).count();
    await shot(page, 'audit-log-filtered');

    await page.click(tid('export-audit'));
    await expect.poll(() => toastText(page)).toContain(`Exported ${shown} ${shown === 1 ? 'entry' : 'entries'} to keyward-audit-${today()}.csv.`);
    const { exports, calls } = await fake(page);
    // The filters, and no path: the shell asks where in a dialog it opens itself.
    expect(exports).toEqual([{ cmd: 'export_audit', query: { account_id: 'acc-2', action: 'key.create', since: last.since, limit: 10_000 } }]);
    expect(calls.filter((c) => c.cmd.startsWith('plugin:dialog'))).toEqual([]);

    // A range that ends before it starts is not sent as such: the date inputs bound each other.
    expect(await page.getAttribute(tid('audit-filter-to'), 'min')).toBe(day(from));
    await page.click(tid('audit-clear-filters'));
    await expect.poll(() => page.locator(tid('audit-row')).count()).toBe(61);
    expect(await first.locator(tid('audit-action')).textContent(), 'the export is itself in the log').toBe('Audit log exported');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('dark, 800×600, and the empty states', async () => {
    const { page, context, errors } = await h.open({ accounts, auditEntries: 30 }, { dark: true, width: 800, height: 600 });
    await page.click(tid('nav-audit'));
    await expect.poll(() => page.locator(tid('audit-row')).count()).toBe(30);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await shot(page, 'audit-log-dark-800x600');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'audit-log-dark');
    await page.selectOption(tid('audit-filter-action'), 'account.add');
    await page.fill(tid('audit-filter-to'), '2001-01-01');
    await expect.poll(() => page.textContent(tid('audit-empty'))).toContain('No entries match these filters');
    expect(await page.isDisabled(tid('export-audit'))).toBe(true);
    await context.close();

    const empty = await h.open({ accounts });
    await empty.page.click(tid('nav-audit'));
    await expect.poll(() => empty.page.textContent(tid('audit-empty'))).toContain('Nothing recorded yet');
    await shot(empty.page, 'audit-log-empty');
    expect(errors.concat(empty.errors)).toEqual([]);
    await empty.context.close();
  });

  test('the inventory exports what the table lists, from a keyboard-reachable menu', async () => {
    const { page, context, errors } = await h.open({ accounts });
    await page.waitForSelector(tid('expiry-view')); // the Respan keys expire within the week
    await page.click(tid('nav-keys'));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('40');
    await page.fill(tid('search-input'), 'key-001');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('20');
    await page.selectOption(tid('filter-status'), 'active');
    await page.focus(tid('export-keys-button'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-keys-csv');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-keys-json');
    await shot(page, 'export-menu');
    await page.keyboard.press('Escape');
    expect(await page.locator('[role=menu]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'focus back on the button').toBe('export-keys-button');

    await page.click(tid('export-keys-button'));
    await page.click(tid('export-keys-json'));
    await expect.poll(() => toastText(page)).toMatch(/Exported \d+ keys to keyward-keys-\d{4}-\d{2}-\d{2}\.json\./);
    const { exports, calls } = await fake(page);
    const table = await lastQuery(page, 'list_keys');
    expect(Object.keys(exports[0]).sort(), 'no path from the page').toEqual(['cmd', 'format', 'query']);
    expect(exports[0]).toMatchObject({ cmd: 'export_keys', format: 'json' });
    expect(calls.filter((c) => c.cmd.startsWith('plugin:dialog'))).toEqual([]);
    expect(exports[0].query).toEqual({ ...table, limit: undefined });
    expect(exports[0].query).toMatchObject({ search: 'key-001', statuses: ['active'] });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a cancelled save dialog writes nothing and says nothing', async () => {
    const { page, context } = await h.open({ accounts, saveCancelled: true });
    await page.waitForSelector(tid('expiry-view'));
    await page.click(tid('nav-keys'));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('40');
    await page.click(tid('export-keys-button'));
    await page.click(tid('export-keys-csv'));
    await expect.poll(async () => (await fake(page)).dialogs.length).toBe(1);
    expect((await fake(page)).exports).toEqual([]);
    expect(await page.locator(tid('toast')).count()).toBe(0);
    await context.close();
  });
});

test('appearance: a choice previews at once, Esc goes back, Save keeps it, and "system" follows the OS live', async () => {
  const { page, context, errors } = await h.open({ accounts: [{ label: 'Production', keys: 3 }] });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const saves = () => page.evaluate(() => (window as unknown as { __fake: { calls: { cmd: string; args: { settings: { theme: string } } }[] } })
    .__fake.calls.filter((c) => c.cmd === 'save_settings').map((c) => c.args.settings.theme));
  const LIGHT = 'rgb(255, 255, 255)';
  const DARK = 'rgb(20, 22, 27)'; // --bg in dark, #14161b
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
  expect(await theme()).toBe('light');
  expect(await bg()).toBe(LIGHT);

  // Dark on a light system: shown at once, nothing saved; Esc goes back to the saved choice.
  await page.click(tid('settings-button'));
  await page.waitForSelector(tid('field-theme'));
  expect(await page.isChecked(tid('theme-system'))).toBe(true);
  expect(await page.textContent(`${tid('field-theme')} legend`)).toBe('Appearance');
  await shot(page, 'settings-theme-light');
  await page.click(tid('theme-dark'));
  await expect.poll(bg).toBe(DARK);
  await shot(page, 'settings-theme-dark');
  expect(await saves()).toEqual([]);
  await page.keyboard.press('Escape');
  await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
  await expect.poll(bg).toBe(LIGHT);

  // From the keyboard: arrows move the choice (and the focus ring with it); Save keeps it.
  await page.click(tid('settings-button'));
  await page.waitForSelector(tid('field-theme'));
  await page.focus(tid('theme-system'));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect(await page.isChecked(tid('theme-dark'))).toBe(true);
  await expect.poll(bg).toBe(DARK);
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!.closest('label')!).boxShadow);
  expect(ring).not.toBe('none');
  await page.click(tid('save-settings'));
  await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
  expect(await saves()).toEqual(['dark']);
  expect(await bg()).toBe(DARK);
  expect(await page.evaluate(() => localStorage.getItem('keyward.theme'))).toBe('dark');
  // A chosen scheme ignores the OS.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await theme()).toBe('dark');

  // Cancel also goes back, to the saved dark.
  await page.click(tid('settings-button'));
  await page.waitForSelector(tid('field-theme'));
  expect(await page.isChecked(tid('theme-dark'))).toBe(true);
  await page.click(tid('theme-light'));
  await expect.poll(bg).toBe(LIGHT);
  await page.click(`${tid('settings-dialog')} button:text-is("Cancel")`);
  await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
  await expect.poll(bg).toBe(DARK);

  // Follow the system, saved: the page switches with the OS, live.
  await page.click(tid('settings-button'));
  await page.waitForSelector(tid('field-theme'));
  await page.click(tid('theme-system'));
  await expect.poll(bg).toBe(LIGHT);
  await page.click(tid('save-settings'));
  await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
  expect(await saves()).toEqual(['dark', 'system']);
  expect(await page.evaluate(() => localStorage.getItem('keyward.theme'))).toBe('system');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(bg).toBe(DARK);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(bg).toBe(LIGHT);
  expect(errors).toEqual([]);
  await context.close();
});

test('appearance: the window starts in the last choice, before the settings are read, and then in the saved one', async () => {
  const theme = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.dataset.theme);
  // The settings never answer: a light system, nothing remembered, light; dark remembered, dark.
  const held = await h.open({ accounts: [{ label: 'Production', keys: 3 }], settingsHeld: true });
  await expect.poll(() => held.page.textContent(tid('key-count'))).toBe('3');
  expect(await theme(held.page)).toBe('light');
  await held.page.evaluate(() => localStorage.setItem('keyward.theme', 'dark'));
  await held.page.reload();
  await expect.poll(() => held.page.textContent(tid('key-count'))).toBe('3');
  expect(await theme(held.page)).toBe('dark');
  expect(held.errors).toEqual([]);
  await held.context.close();

  // Dark saved in the core, on a light system: dark once read, and remembered.
  const saved = await h.open({ accounts: [{ label: 'Production', keys: 3 }], settings: { theme: 'dark' } });
  await expect.poll(() => theme(saved.page)).toBe('dark');
  expect(await saved.page.evaluate(() => localStorage.getItem('keyward.theme'))).toBe('dark');
  expect(saved.errors).toEqual([]);
  await saved.context.close();
});
