// A WCAG 2.1 AA audit with axe-core over every screen and dialog in headless Chromium with mocked
// IPC, each in light and in dark. A serious or critical violation fails the screen's test, named by
// rule, impact, help and the elements it was found on.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, RESULTS } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const h = new Harness();
const report: Record<string, { violations: number; serious: string[]; review: string[] }> = {};
beforeAll(() => h.start());
afterAll(async () => {
  writeFileSync(join(RESULTS, 'a11y-report.json'), JSON.stringify(report, null, 2));
  await h.stop();
});

const tid = (id: string) => `[data-testid="${id}"]`;
const row = (name: string) => `${tid('key-row')}:has(.name[title="${name}"])`;
type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/**
 * Audits the page as it stands, in light then in dark (the page keeps its state; only the scheme
 * changes), and returns each serious or critical violation as one line: screen, scheme, rule,
 * impact, help and targets.
 */
async function audit(page: Page, screen: string): Promise<string[]> {
  const failures: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    // Let transitions (a dialog's fade, a toast's slide, hover colours) settle before colours are read.
    await page.waitForTimeout(300);
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    const { found: violations, review }: { found: Violation[]; review: string[] } = await page.evaluate(async (values) => {
      const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: any[]; incomplete: any[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values } });
      const found = result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: any) => n.target.join(' ')) }));
      // axe leaves a select's contrast undecided: its chevron is a background gradient. The text
      // sits on the select's own background colour, so the ratio is computed here instead.
      const lum = (c: string) => {
        const [r, g, b] = (c.match(/[\d.]+/g) ?? []).map(Number).map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (a: string, b: string) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const undecided: string[] = [];
      const review: string[] = [];
      for (const v of result.incomplete.filter((i: any) => i.id === 'color-contrast')) {
        for (const n of v.nodes) {
          const el = document.querySelector(n.target[0]) as HTMLElement | null;
          const style = el && getComputedStyle(el);
          if (el?.tagName === 'SELECT' && style && /gradient/.test(n.any[0]?.message ?? '')) {
            const r = ratio(style.color, style.backgroundColor);
            if (r < 4.5) undecided.push(`${n.target.join(' ')} ${r.toFixed(2)}:1`);
          } else {
            // Overlapped by a panel or a toast, or SVG text: recorded in the report for a person to look at.
            review.push(`${n.target.join(' ')} (${n.any[0]?.message ?? 'undecided'})`);
          }
        }
      }
      if (undecided.length) found.push({ id: 'color-contrast-select', impact: 'serious', help: 'A select\'s text is below 4.5:1 on its background', targets: undecided });
      return { found, review };
    }, TAGS);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const lines = serious.map((v) => `${screen} (${colorScheme}): ${v.id} [${v.impact}] ${v.help} — ${v.targets.join(', ')}`);
    report[`${screen} (${colorScheme})`] = { violations: violations.length, serious: lines, review };
    failures.push(...lines);
  }
  return failures;
}

/** Audits, then fails the test with every serious or critical violation listed. */
async function expectClean(page: Page, screen: string) {
  const failures = await audit(page, screen);
  expect(failures, failures.join('\n')).toEqual([]);
}

// Every service at once: a Braintrust account with API keys and env vars (the Last used column),
// Barndoor gateway keys disabled and rolling over, Respan temporary keys, two minted by a run.
const HOUR_AHEAD = () => new Date(Date.now() + 3600_000).toISOString();
const braintrust = { label: 'Production', keys: 2, envVars: true };
const barndoor = {
  label: 'Platform', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 3, kinds: ['barndoor_gateway_key'],
  names: ['gw-plain', 'gw-disabled', 'gw-rolling'],
  gateways: [
    {},
    { scopes: ['llm:invoke'], disabled_at: new Date(Date.now() - 3 * 86_400_000).toISOString() },
    { kind: 'machine', scopes: ['llm:invoke', 'mcp:read'], group_name: 'engineering', rotated_at: new Date(Date.now() - 60_000).toISOString(),
      previous_key_expires_at: HOUR_AHEAD() },
  ],
};
const credentials = { label: 'Routes', service: 'barndoor', host: 'https://platform.barndoor.ai', keys: 2, kinds: ['barndoor_credential'],
  names: ['OpenAI Production', 'Anthropic'] };
const respan = { label: 'Gateway', service: 'respan', host: 'https://api.respan.ai', keys: 6, kinds: ['respan_temp_key'], runs: true };
const everything = { accounts: [braintrust, barndoor, credentials, respan], auditEntries: 30 };
const PYTEST = 'RESPAN_API_KEY for pytest (keyward run)';

/** The keys view, past the expiry centre that opens at launch (the Respan keys expire within the week). */
async function keys(page: Page) {
  await page.waitForSelector(tid('expiry-view'));
  await page.click(tid('nav-keys'));
  await expect.poll(() => page.textContent(tid('key-count'))).toBe('16');
}

async function openKey(page: Page, name: string) {
  await page.fill(tid('search-input'), name);
  await page.click(row(name));
  await page.waitForSelector(tid('key-detail'));
}

describe('screens', () => {
  test('empty state and the add account dialog', async () => {
    const { page, context, errors } = await h.open();
    await page.waitForSelector('text=Bring your keys together');
    await expectClean(page, 'empty state');
    await page.click(tid('add-account-button'));
    await page.waitForSelector(tid('account-form'));
    await expectClean(page, 'add account dialog');
    // With every field's rule shown.
    await page.click(tid('submit-account'));
    await page.waitForSelector(tid('field-error-label'));
    await expectClean(page, 'add account dialog, refused');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the expiry centre, then the inventory with every service and its badges', async () => {
    const { page, context, errors } = await h.open(everything);
    await page.waitForSelector(tid('expiry-timeline'));
    await expectClean(page, 'expiry centre');
    await keys(page);
    await expect.poll(() => page.locator(tid('run-badge')).count()).toBe(2);
    await page.waitForSelector(tid('gateway-disabled'));
    await page.waitForSelector(tid('gateway-rolling-over'));
    await page.waitForSelector(tid('key-last-used'));
    await expectClean(page, 'inventory');
    await page.click(tid('export-keys-button'));
    await page.waitForSelector(tid('export-keys-csv'));
    await expectClean(page, 'export menu');
    await page.keyboard.press('Escape');
    // A selected account, a selected row and a ticked one: the service names on --bg-selected and --accent-soft.
    await page.click(`${tid('account-item')}[data-account-label="Platform"] .main`);
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.click(`${row('gw-rolling')} ${tid('check-key')}`);
    await page.click(row('gw-plain'));
    await page.waitForSelector(tid('key-detail'));
    await expectClean(page, 'selected account, row and ticked row');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('offline banner', async () => {
    const { page, context } = await h.open({ accounts: [braintrust, credentials], offline: true });
    await page.waitForSelector(tid('offline-banner'));
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('7');
    await expectClean(page, 'offline');
    await context.close();
  });

  test('the key detail panel: a Respan temporary key, a gateway key, a Braintrust env var', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    await page.fill(tid('search-input'), 'pytest');
    await page.click(`${tid('key-row')}:has-text("${PYTEST}")`);
    await page.waitForSelector(tid('key-detail'));
    await page.waitForSelector(tid('detail-run'));
    await expectClean(page, 'detail: Respan temp key');
    await openKey(page, 'gw-rolling');
    await page.waitForSelector(tid('previous-secret-until'));
    await expectClean(page, 'detail: gateway key');
    await openKey(page, 'gw-disabled');
    await page.waitForSelector(tid('detail-disabled'));
    await expectClean(page, 'detail: disabled gateway key');
    await openKey(page, 'RESPAN_API_KEY');
    await page.waitForSelector(tid('detail-scope'));
    await expectClean(page, 'detail: Braintrust env var');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('settings and the audit log', async () => {
    const { page, context, errors } = await h.open(everything);
    await page.waitForSelector(tid('expiry-view'));
    await page.click(tid('settings-button'));
    await page.waitForSelector(tid('settings-dialog'));
    await expectClean(page, 'settings');
    await page.fill(tid('field-expiry_window_days'), '0');
    await page.waitForSelector(tid('field-error-expiry_window_days'));
    await expectClean(page, 'settings, refused');
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('settings-dialog'), { state: 'detached' });
    await page.click(tid('nav-audit'));
    await expect.poll(() => page.locator(tid('audit-row')).count()).toBe(30);
    await expectClean(page, 'audit log');
    await page.fill(tid('audit-filter-to'), '2001-01-01');
    await expect.poll(() => page.textContent(tid('audit-empty'))).toContain('No entries match these filters');
    await expectClean(page, 'audit log, nothing matches');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('dialogs', () => {
  async function createForm(page: Page, account: string, kind: string) {
    await page.click(tid('new-key-button'));
    await page.waitForSelector(tid('create-form'));
    await page.selectOption(tid('field-account'), { label: account });
    await page.selectOption(tid('field-kind'), kind);
  }

  test('create key, for each kind', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    const kinds: [string, string, string][] = [
      ['Gateway — Respan', 'respan_temp_key', 'create: Respan temp key'],
      ['Platform — Barndoor', 'barndoor_gateway_key', 'create: Barndoor gateway key'],
      ['Routes — Barndoor', 'barndoor_credential', 'create: Barndoor credential'],
      ['Production — Braintrust', 'braintrust_env_var', 'create: Braintrust env var'],
      ['Production — Braintrust', 'braintrust_api_key', 'create: Braintrust API key'],
    ];
    for (const [account, kind, screen] of kinds) {
      await createForm(page, account, kind);
      if (kind === 'braintrust_env_var') await page.waitForSelector(tid('field-object_type'));
      await expectClean(page, screen);
      await page.keyboard.press('Escape');
      await page.waitForSelector(tid('create-form'), { state: 'detached' });
    }
    // A refusal shown under its field.
    await createForm(page, 'Platform — Barndoor', 'barndoor_gateway_key');
    await page.fill(tid('field-name'), 'eval');
    await page.fill(tid('field-scopes'), 'chat chat');
    await page.waitForSelector(tid('field-error-scopes'));
    await expectClean(page, 'create: refused field');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('reveal once, then install into', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    await page.click(tid('new-key-button'));
    await page.selectOption(tid('field-account'), { label: 'Gateway — Respan' });
    await page.selectOption(tid('field-kind'), 'respan_temp_key');
    await page.fill(tid('field-name'), 'gateway-upstream');
    await page.click(tid('submit-key'));
    await page.waitForSelector(tid('reveal-dialog'));
    await expectClean(page, 'reveal dialog');
    await page.click(tid('reveal-button'));
    await expect.poll(() => page.textContent(tid('reveal-secret'))).toContain('sk-fake-');
    await expectClean(page, 'reveal dialog, shown');
    await page.click(tid('install-button'));
    await page.waitForSelector(tid('install-dialog'));
    await expectClean(page, 'install dialog');
    await page.check(tid('install-new'));
    await page.selectOption(tid('install-account'), { label: 'Routes — Barndoor' });
    await page.waitForSelector(tid('field-base_url'));
    await expectClean(page, 'install dialog, new credential');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('reissue, edit, revoke and toasts', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    await openKey(page, 'gw-plain');
    await page.click(tid('reissue-key'));
    await page.waitForSelector(tid('reissue-dialog'));
    await expectClean(page, 'reissue dialog');
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('reissue-dialog'), { state: 'detached' });

    await openKey(page, 'OpenAI Production');
    await page.click(tid('edit-key'));
    await page.waitForSelector(tid('edit-key-form'));
    await expectClean(page, 'edit key dialog');
    await page.fill(tid('field-base_url'), 'https://eu.api.openai.com/v1');
    await page.click(tid('save-key'));
    await page.waitForSelector(tid('edit-key-form'), { state: 'detached' });
    await page.waitForSelector(tid('toast'));
    await expectClean(page, 'toasts');

    await page.click(tid('revoke-key'));
    await page.waitForSelector(tid('revoke-dialog'));
    await expectClean(page, 'revoke confirmation');
    await page.fill(tid('revoke-confirm-input'), 'OpenAI');
    await expectClean(page, 'revoke confirmation, typed');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('bulk revoke', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    await page.fill(tid('search-input'), 'gw-');
    await expect.poll(() => page.textContent(tid('key-count'))).toBe('3');
    await page.click(`${row('gw-plain')} ${tid('check-key')}`);
    await page.click(`${row('gw-rolling')} ${tid('check-key')}`);
    await expect.poll(() => page.textContent(tid('selected-count'))).toBe('2');
    await expectClean(page, 'bulk selection');
    await page.click(tid('bulk-revoke'));
    await page.waitForSelector(tid('bulk-revoke-dialog'));
    await expectClean(page, 'bulk revoke dialog');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('replace assistant', async () => {
    const { page, context, errors } = await h.open(everything);
    await keys(page);
    await openKey(page, 'key-0003');
    await page.click(tid('replace-key'));
    await page.waitForSelector(tid('replace-targets'));
    await expectClean(page, 'replace assistant');
    expect(errors).toEqual([]);
    await context.close();
  });
});
