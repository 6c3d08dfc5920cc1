// Braintrust env vars in headless Chromium with mocked IPC: the create form (a scope, a project
// picked by name from the account's projects, a masked value), the picker's loading, failure and
// empty states, the core's refusals on the fields they name, a minted secret installed into a new
// env var, the detail panel and its edit, and the inventory's Last used column and filter.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, shot } from './harness';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const tid = (id: string) => `[data-testid="${id}"]`;
type Call = { cmd: string; args: Record<string, any> };
type Fake = { calls: Call[]; installs: { revealId: string; target: any }[]; secrets: Record<string, string>; updates?: { keyId: string; update: unknown }[];
  projectCalls?: number };
const fake = (page: Page) => page.evaluate(() => (window as unknown as { __fake: Fake }).__fake);
const calls = async (page: Page, cmd: string) => (await fake(page)).calls.filter((c) => c.cmd === cmd);
const lastQuery = async (page: Page) => (await calls(page, 'list_keys')).pop()!.args.query;
const toastText = async (page: Page) => (await page.locator(tid('toast')).allTextContents()).join(' | ');
const row = (name: string) => `${tid('key-row')}:has(.name[title="${name}"])`;
/** Whether any field of the page still holds this text (a typed value is a property, not in the HTML). */
const held = (page: Page, text: string) =>
  page.evaluate((t) => [...document.querySelectorAll('input, textarea')].some((i) => (i as HTMLInputElement).value.includes(t)), text);

const SUPPORT_BOT = '5d7c7a52-1c1e-4b0e-9d61-0d3f3c1f0a01';
// Two API keys (their service reports no last use) and three env vars: RESPAN_API_KEY in project
// checkout used 3 days ago, OPENAI_API_KEY for the organization never used, E2B_API_KEY for a
// function used 45 days ago.
const production = { label: 'Production', keys: 2, envVars: true };

async function openEnvVarForm(page: Page) {
  await page.click(tid('new-key-button'));
  await page.waitForSelector(tid('create-form'));
  await page.selectOption(tid('field-kind'), 'braintrust_env_var');
  await page.waitForSelector(tid('field-object_type'));
}

describe('the create form', () => {
  test('an env var in a project picked by name: the exact request, a toast, and no value left in the page; light and dark, 1280×800 and 800×600', async () => {
    const sizes = [
      { dark: false, width: 1280, height: 800, name: 'create-env-var' },
      { dark: true, width: 1280, height: 800, name: 'create-env-var-dark' },
      { dark: false, width: 800, height: 600, name: 'create-env-var-800x600' },
      { dark: true, width: 800, height: 600, name: 'create-env-var-dark-800x600' },
    ];
    for (const size of sizes) {
      const value = `rsp-live-9f8e7d6c5b4a-${size.width}`;
      const { page, context, errors } = await h.open({ accounts: [production], projectsDelay: 400 }, size);
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
      await openEnvVarForm(page);

      // Project is the scope it opens on; its projects are asked for, and say so meanwhile.
      expect(await page.isChecked(tid('field-object_type-project'))).toBe(true);
      await page.waitForSelector(tid('project-loading'));
      expect(await page.isDisabled(tid('field-project'))).toBe(true);
      await expect.poll(() => page.locator(`${tid('field-project')} option:not([disabled])`).allTextContents()).toEqual(['checkout', 'support-bot']);
      expect(await page.locator(tid('project-loading')).count()).toBe(0);
      expect(await page.textContent('label[for="new-key-project"]')).toBe('Project');

      await page.fill(tid('field-name'), 'RESPAN_API_KEY');
      await page.selectOption(tid('field-project'), { label: 'support-bot' });
      await page.fill(tid('field-value'), value);
      expect(await page.getAttribute(tid('field-value'), 'type')).toBe('password');
      expect(await page.getAttribute(tid('field-value'), 'autocomplete')).toBe('new-password');
      await page.fill(tid('field-secret_type'), 'respan');
      await page.check(tid('field-replace_existing'));
      await page.uncheck(tid('field-replace_existing'));
      expect(await page.textContent(tid('create-form'))).toContain("The project's functions can read it.");
      await page.locator(tid('field-project')).scrollIntoViewIfNeeded();
      await shot(page, size.name);
      // Everything the form shows fits the window across.
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);

      await page.click(tid('submit-key'));
      await page.waitForSelector(tid('create-form'), { state: 'detached' });
      const created = (await calls(page, 'create_key')).map((c) => c.args);
      expect(created).toEqual([{ accountId: 'acc-1', request: { kind: 'braintrust_env_var', name: 'RESPAN_API_KEY', object_type: 'project',
        object_id: SUPPORT_BOT, value, secret_type: 'respan', replace_existing: false } }]);
      await expect.poll(() => toastText(page)).toContain('RESPAN_API_KEY created. The value you gave was sent and not kept.');
      expect(await page.locator(tid('reveal-dialog')).count(), 'a given value has nothing to reveal').toBe(0);
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('6');
      expect(await page.textContent(`${row('RESPAN_API_KEY')}:has-text("project support-bot") ${tid('key-last-used')}`)).toBe('never');
      expect(await page.content()).not.toContain(value);
      expect(await held(page, value)).toBe(false);
      // The value was checked by the core and sent; never anything else.
      expect(JSON.stringify((await fake(page)).calls.filter((c) => !['validate_key', 'create_key'].includes(c.cmd)))).not.toContain(value);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  test('the picker says when the projects could not be read, and Retry asks again; a token with none says so', async () => {
    const { page, context, errors } = await h.open({ accounts: [production], projectsFail: 1 });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    await openEnvVarForm(page);
    await expect.poll(() => page.textContent(tid('project-error'))).toContain('Could not reach Braintrust');
    expect(await page.getAttribute(tid('project-error'), 'role')).toBe('alert');
    expect(await page.isDisabled(tid('field-project'))).toBe(true);
    await shot(page, 'create-env-var-projects-failed');
    await page.focus(tid('project-retry'));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`${tid('field-project')} option:not([disabled])`).allTextContents()).toEqual(['checkout', 'support-bot']);
    expect(await page.locator(tid('project-error')).count()).toBe(0);
    expect(await page.isDisabled(tid('field-project'))).toBe(false);
    expect((await calls(page, 'list_projects')).map((c) => c.args)).toEqual([{ accountId: 'acc-1' }, { accountId: 'acc-1' }]);
    expect(errors).toEqual([]);
    await context.close();

    const none = await h.open({ accounts: [production], projects: [] });
    await expect.poll(() => none.page.textContent(tid('key-count'))).toBe('5');
    await openEnvVarForm(none.page);
    await expect.poll(() => none.page.textContent(tid('project-empty'))).toContain('This token sees no projects');
    expect(await none.page.isDisabled(tid('field-project'))).toBe(true);
    // The organization needs no project: the picker goes, and so does its message.
    await none.page.check(tid('field-object_type-organization'));
    expect(await none.page.locator(tid('field-project')).count()).toBe(0);
    expect(none.errors).toEqual([]);
    await none.context.close();
  });

  test('the core names the field it refuses: as you type, on submit, and the service\'s own refusals', async () => {
    const { page, context, errors } = await h.open({ accounts: [production] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    await openEnvVarForm(page);
    await expect.poll(() => page.locator(`${tid('field-project')} option:not([disabled])`).count()).toBe(2);

    // As you type: a name with a space.
    await page.fill(tid('field-name'), 'MY KEY');
    await expect.poll(() => page.textContent(tid('field-error-name'))).toContain("has no spaces or '='");
    expect(await page.getAttribute(tid('field-name'), 'aria-invalid')).toBe('true');
    await page.fill(tid('field-name'), 'RESPAN_API_KEY');
    await expect.poll(() => page.locator(tid('field-error-name')).count()).toBe(0);

    // On submit: no project and no value, each on its own field; nothing is sent.
    await page.click(tid('submit-key'));
    await expect.poll(() => page.textContent(tid('field-error-project'))).toBe('Pick the project the variable is for.');
    expect(await page.textContent(tid('field-error-value'))).toBe("Give the variable's value.");
    expect(await page.getAttribute(tid('field-project'), 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(tid('field-project'), 'aria-describedby')).toContain('new-key-project-error');
    await shot(page, 'create-env-var-errors');
    expect(await calls(page, 'create_key')).toEqual([]);

    // A function is named by its id, a UUID; the scope is a radio group the arrows move through.
    await page.focus(tid('field-object_type-project'));
    await page.keyboard.press('ArrowRight');
    expect(await page.isChecked(tid('field-object_type-function'))).toBe(true);
    expect(await page.locator(tid('field-project')).count()).toBe(0);
    await page.fill(tid('field-function_id'), 'f1');
    await expect.poll(() => page.textContent(tid('field-error-function_id'))).toContain('is a UUID');
    await page.focus(tid('field-object_type-function'));
    await page.keyboard.press('ArrowLeft');
    expect(await page.isChecked(tid('field-object_type-project'))).toBe(true);

    // The service's refusal on submit: a variable of that name is already in project checkout.
    await page.selectOption(tid('field-project'), { label: 'checkout' });
    await page.fill(tid('field-value'), 'rsp-live-0000');
    await page.click(tid('submit-key'));
    await expect.poll(() => page.textContent(tid('field-error-name'))).toBe(
      'project checkout already has a variable named RESPAN_API_KEY: choose another name, or replace its value.');
    expect(await page.locator(tid('form-error')).count()).toBe(0);
    // Replacing its value is what the checkbox is for.
    await page.check(tid('field-replace_existing'));
    await page.click(tid('submit-key'));
    await page.waitForSelector(tid('create-form'), { state: 'detached' });
    expect((await calls(page, 'create_key')).pop()!.args.request).toMatchObject({ replace_existing: true, object_id: '9b2e4f10-7a3c-4d5e-8f61-2c4b6d8e0a13' });
    expect(errors).toEqual([]);
    await context.close();

    // A refusal the core names by `project` (the project was deleted meanwhile) lands on the picker.
    const gone = await h.open({ accounts: [production],
      createRefusal: { code: 'not_found', field: 'project', message: 'Braintrust has no such project any more: it was deleted. Pick another.' } });
    await expect.poll(() => gone.page.textContent(tid('key-count'))).toBe('5');
    await openEnvVarForm(gone.page);
    await gone.page.fill(tid('field-name'), 'NEW_KEY');
    await expect.poll(() => gone.page.locator(`${tid('field-project')} option:not([disabled])`).count()).toBe(2);
    await gone.page.selectOption(tid('field-project'), { label: 'checkout' });
    await gone.page.fill(tid('field-value'), 'v-1234');
    await gone.page.click(tid('submit-key'));
    await expect.poll(() => gone.page.textContent(tid('field-error-project'))).toBe('Braintrust has no such project any more: it was deleted. Pick another.');
    expect(await gone.page.locator(tid('form-error')).count()).toBe(0);
    expect(gone.errors).toEqual([]);
    await gone.context.close();
  });
});

describe('install into a new env var', () => {
  const accounts = [
    { label: 'Production', keys: 0, envVars: true },
    { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 0 },
  ];

  test('a minted Respan key becomes a new env var\'s value from Rust; existing env vars read with their scope', async () => {
    const { page, context, errors } = await h.open({ accounts, keysPerAccount: 0 });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.click(tid('new-key-button'));
    await page.selectOption(tid('field-account'), { label: 'Gateway — Respan' });
    await page.selectOption(tid('field-kind'), 'respan_temp_key');
    await page.fill(tid('field-name'), 'eval-runner');
    await page.click(tid('submit-key'));
    await page.waitForSelector(tid('reveal-dialog'));
    await page.click(tid('install-button'));
    await page.waitForSelector(tid('install-dialog'));

    // Existing env vars are targets, named with their scope.
    expect(await page.locator(`${tid('install-target')} option`).allTextContents()).toEqual([
      'E2B_API_KEY — Env var in function 1a2b3c4d, Production (********e2b0)',
      'OPENAI_API_KEY — Env var in the organization, Production (********c0de)',
      'RESPAN_API_KEY — Env var in project checkout, Production (********7f3a)',
    ]);

    await page.check(tid('install-new'));
    await page.selectOption(tid('install-account'), { label: 'Production — Braintrust' });
    expect(await page.locator(`${tid('install-kind')} option`).allTextContents()).toEqual(['Braintrust AI secret', 'Braintrust env var']);
    await page.selectOption(tid('install-kind'), 'braintrust_env_var');
    await expect.poll(() => page.inputValue(tid('field-name'))).toBe('RESPAN_API_KEY');
    expect(await page.locator(tid('field-value')).count(), 'the minted secret is the value').toBe(0);
    expect(await page.isChecked(tid('field-object_type-project'))).toBe(true);
    await expect.poll(() => page.locator(`${tid('field-project')} option:not([disabled])`).allTextContents()).toEqual(['checkout', 'support-bot']);
    // The core checks the target as for a create, minus the value the secret fills.
    await page.click(tid('submit-install'));
    await expect.poll(() => page.textContent(tid('field-error-project'))).toBe('Pick the project the variable is for.');
    expect(await page.locator(tid('field-error-value')).count()).toBe(0);
    await page.selectOption(tid('field-project'), { label: 'support-bot' });
    await expect.poll(() => page.locator(tid('field-error-project')).count()).toBe(0);
    await shot(page, 'install-into-env-var');
    await page.click(tid('submit-install'));
    await page.waitForSelector(tid('install-dialog'), { state: 'detached' });
    await expect.poll(() => page.textContent(tid('installs'))).toContain("RESPAN_API_KEY · Braintrust shows the new secret's last 4 characters.");

    const f = await fake(page);
    expect(f.installs.map((i) => i.target)).toEqual([{ to: 'create', account_id: 'acc-1', request: { kind: 'braintrust_env_var', name: 'RESPAN_API_KEY',
      object_type: 'project', object_id: SUPPORT_BOT, secret_type: '', replace_existing: false, value: '' } }]);
    const secret = Object.values(f.secrets)[0];
    expect(JSON.stringify(f.calls.map((c) => c.args))).not.toContain(secret);
    expect(await page.content()).not.toContain(secret);
    await page.click(tid('close-reveal'));
    await page.waitForSelector(tid('reveal-dialog'), { state: 'detached' });
    await expect.poll(() => page.locator(`${row('RESPAN_API_KEY')}:has-text("project support-bot")`).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the detail panel', () => {
  test('scope, category, type, last use and last value change; an edit renames it and sends a new value once', async () => {
    for (const dark of [false, true]) {
      const { page, context, errors } = await h.open({ accounts: [production] }, { dark });
      await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
      await page.click(row('OPENAI_API_KEY'));
      await expect.poll(() => page.textContent(tid('detail-scope'))).toBe('Organization');
      expect(await page.textContent(tid('detail-last-used'))).toBe('Never');
      expect(await page.textContent(tid('detail-category'))).toBe('AI provider key');
      await page.click(row('E2B_API_KEY'));
      await expect.poll(() => page.textContent(tid('detail-scope'))).toBe('Function 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
      expect(await page.textContent(tid('detail-category'))).toBe('Sandbox provider key');
      await page.click(row('RESPAN_API_KEY'));
      await expect.poll(() => page.textContent(tid('detail-scope'))).toBe('Project checkout');
      expect(await page.textContent(tid('detail-category'))).toBe('Environment variable');
      expect(await page.textContent(tid('detail-secret-type'))).toBe('respan');
      expect(await page.textContent(tid('detail-last-used'))).toMatch(/^3 days ago · /);
      expect(await page.textContent(tid('detail-value-changed'))).toMatch(/^2 weeks ago · /);
      await shot(page, dark ? 'key-detail-env-var-dark' : 'key-detail-env-var');
      if (dark) {
        expect(errors).toEqual([]);
        await context.close();
        continue;
      }

      await page.click(tid('edit-key'));
      await page.waitForSelector(tid('edit-key-form'));
      await expect.poll(() => page.inputValue(tid('field-name'))).toBe('RESPAN_API_KEY');
      expect(await page.getAttribute(tid('field-value'), 'type')).toBe('password');
      await page.fill(tid('field-name'), 'RESPAN_KEY');
      await page.click(tid('save-key'));
      await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
      await expect.poll(() => toastText(page)).toContain('RESPAN_KEY saved.');

      await page.click(tid('reissue-secret'));
      await page.waitForSelector(tid('edit-key-form'));
      expect(await page.textContent(tid('edit-key-form'))).toContain('New value for “RESPAN_KEY”');
      expect(await page.locator(tid('field-name')).count()).toBe(0);
      await page.fill(tid('field-value'), 'rsp-rotated-4321');
      await page.click(tid('save-key'));
      await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
      await expect.poll(() => toastText(page)).toContain('RESPAN_KEY now has the new value; Braintrust has it and Keyward does not.');
      expect((await fake(page)).updates!.map((u) => u.update)).toEqual([
        { kind: 'braintrust_env_var', name: 'RESPAN_KEY' },
        { kind: 'braintrust_env_var', value: 'rsp-rotated-4321' },
      ]);
      expect(await page.content()).not.toContain('rsp-rotated-4321');
      expect(await held(page, 'rsp-rotated-4321')).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});

describe('the inventory', () => {
  test('a Last used column: a relative time, "never" where the service reports use, nothing where it does not; sortable', async () => {
    const { page, context, errors } = await h.open({ accounts: [production] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    const cell = (name: string) => page.locator(`${row(name)} ${tid('key-last-used')}`);
    expect(await cell('RESPAN_API_KEY').textContent()).toBe('3 days ago');
    expect(await cell('RESPAN_API_KEY').getAttribute('title')).toMatch(/^Last used \w{3} \d+, \d{4}/);
    expect(await cell('OPENAI_API_KEY').textContent()).toBe('never');
    expect(await cell('E2B_API_KEY').textContent()).toBe('last month');
    // An API key's service says nothing of use: an empty cell, "not reported" to a screen reader.
    const unknown = cell('key-0001');
    expect(await unknown.getAttribute('data-state')).toBe('unreported');
    expect(await unknown.evaluate((c) => c.querySelector('.visually-hidden')?.textContent)).toBe('not reported');
    expect(await unknown.evaluate((c) => c.getBoundingClientRect().width > 0 && [...c.childNodes].every((n) =>
      n.nodeType !== Node.TEXT_NODE || !n.textContent!.trim()))).toBe(true);
    expect(await page.textContent(tid('sort-last_used'))).toBe('Last used');

    const names = () => page.locator(`${tid('key-row')} [role=cell].name`).evaluateAll((cells) => cells.map((c) => c.getAttribute('title')));
    await page.click(tid('sort-last_used'));
    await expect.poll(async () => (await names()).slice(-2)).toEqual(['E2B_API_KEY', 'RESPAN_API_KEY']);
    expect(await lastQuery(page)).toMatchObject({ sort: 'last_used', descending: false });
    expect(await page.getAttribute(`[role=columnheader]:has(${tid('sort-last_used')})`, 'aria-sort')).toBe('ascending');
    await page.click(tid('sort-last_used'));
    await expect.poll(async () => (await names()).slice(0, 2)).toEqual(['RESPAN_API_KEY', 'E2B_API_KEY']);
    expect(await lastQuery(page)).toMatchObject({ sort: 'last_used', descending: true });
    expect(await page.getAttribute(`[role=columnheader]:has(${tid('sort-last_used')})`, 'aria-sort')).toBe('descending');
    await shot(page, 'inventory-last-used');
    // At the window's default size every column shows, none cut off.
    for (const id of ['sort-created', 'sort-owner', 'sort-last_used', 'sort-usage', 'sort-account', 'sort-status']) expect(await page.isVisible(tid(id)), id).toBe(true);
    const clipped = await page.locator(`${tid('key-table')} .head [role=columnheader]`).evaluateAll((hs) =>
      hs.filter((h) => h.getBoundingClientRect().right > document.querySelector('[data-testid="key-table"]')!.getBoundingClientRect().right + 0.5).length);
    expect(clipped).toBe(0);
    expect(errors).toEqual([]);
    await context.close();

    // 800×600: the lower-priority columns give way; Last used stays, and nothing overflows.
    for (const dark of [false, true]) {
      const small = await h.open({ accounts: [production] }, { width: 800, height: 600, dark });
      await expect.poll(() => small.page.textContent(tid('key-count'))).toBe('5');
      expect(await small.page.isVisible(tid('sort-last_used'))).toBe(true);
      expect(await small.page.isVisible(tid('sort-created'))).toBe(false);
      expect(await small.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
      const right = await small.page.locator(`${tid('key-table')} .head [role=columnheader]`).last().evaluate((h) => h.getBoundingClientRect().right);
      expect(right).toBeLessThanOrEqual(800);
      await shot(small.page, dark ? 'inventory-last-used-dark-800x600' : 'inventory-last-used-800x600');
      expect(small.errors).toEqual([]);
      await small.context.close();
    }
  });

  test('the Last used filter sends unused_days; the empty state says what it can find; keyboard reachable', async () => {
    const { page, context, errors } = await h.open({ accounts: [production] });
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    await page.focus(tid('filter-run'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('filter-unused');
    expect(await page.getAttribute(tid('filter-unused'), 'aria-label')).toBe('Last used');
    expect(await page.locator(`${tid('filter-unused')} option`).allTextContents()).toEqual(
      ['Last used: any time', 'Never used', 'Not used in 7 days', 'Not used in 30 days', 'Not used in 90 days']);
    const description = await page.getAttribute(tid('filter-unused'), 'aria-describedby');
    expect(await page.textContent(`[id="${description}"]`)).toContain('env vars, temporary keys and gateway keys');

    const cases: [string, number | undefined, string[]][] = [
      ['0', 0, ['OPENAI_API_KEY']],
      ['7', 7, ['E2B_API_KEY', 'OPENAI_API_KEY']],
      ['30', 30, ['E2B_API_KEY', 'OPENAI_API_KEY']],
      ['90', 90, ['OPENAI_API_KEY']],
    ];
    for (const [value, days, expected] of cases) {
      await page.selectOption(tid('filter-unused'), value);
      await expect.poll(async () => (await lastQuery(page)).unused_days).toBe(days);
      await expect.poll(async () => (await page.locator(`${tid('key-row')} [role=cell].name`).evaluateAll((cs) => cs.map((c) => c.getAttribute('title')))).sort())
        .toEqual(expected);
    }
    await page.selectOption(tid('filter-unused'), '0');
    await shot(page, 'inventory-never-used');
    // With the kind narrowed to API keys nothing matches, and the summary says why.
    await page.selectOption(tid('filter-kind'), 'braintrust_api_key');
    await expect.poll(() => page.textContent('main')).toContain('No keys match these filters');
    expect(await page.textContent('main')).toContain('The Last used filter finds only env vars, temporary keys and gateway keys');
    await page.selectOption(tid('filter-kind'), '');
    await page.selectOption(tid('filter-unused'), '');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('5');
    expect((await lastQuery(page)).unused_days).toBeUndefined();
    // The export asks for what the table lists, the filter with it.
    await page.selectOption(tid('filter-unused'), '30');
    await page.click(tid('export-keys-button'));
    await page.click(tid('export-keys-csv'));
    await expect.poll(async () => (await calls(page, 'export_keys')).length).toBe(1);
    expect((await calls(page, 'export_keys'))[0].args.query).toMatchObject({ unused_days: 30 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
