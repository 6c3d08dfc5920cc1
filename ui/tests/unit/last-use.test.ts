// When a key was last used: a date where the service gave one, "never" where its service reports
// use and gave none, nothing where it does not report it; and the filter's choices.
import { expect, test } from 'vitest';
import { UNUSED_CHOICES, lastUse, reportingKinds, unusedDays } from '../../src/lib/lastUse';

const now = Date.parse('2026-12-01T12:00:00Z');
const ago = (days: number) => new Date(now - days * 86_400_000).toISOString();

test('a reported date reads as a relative time, with the full date to hover', () => {
  const used = lastUse({ kind: 'braintrust_env_var', last_used_at: ago(3) }, now);
  expect(used).toMatchObject({ state: 'used', text: '3 days ago' });
  expect(used.title).toMatch(/^Last used Nov 2[89], 2026/);
  // Any kind with a date shows it, even one whose service is not known to report use.
  expect(lastUse({ kind: 'braintrust_api_key', last_used_at: ago(40) }, now)).toMatchObject({ state: 'used', text: 'last month' });
});

test('no date: never used where the service reports use, not reported where it does not', () => {
  for (const kind of ['braintrust_env_var', 'respan_temp_key', 'barndoor_gateway_key'] as const)
    expect(lastUse({ kind, last_used_at: null }, now), kind).toEqual({ state: 'never', text: 'never', title: 'Never used' });
  for (const kind of ['braintrust_api_key', 'braintrust_ai_secret', 'barndoor_credential', 'respan_provider'] as const)
    expect(lastUse({ kind, last_used_at: null }, now), kind).toEqual({ state: 'unreported', text: '', title: 'Last use not reported' });
  // A row without the field at all reads as one without a date.
  expect(lastUse({ kind: 'respan_temp_key' } as never, now).state).toBe('never');
});

test('the filter: any time, never, or not in 7, 30 or 90 days, as KeyQuery.unused_days', () => {
  expect(UNUSED_CHOICES.map((c) => c.label)).toEqual(['Last used: any time', 'Never used', 'Not used in 7 days', 'Not used in 30 days', 'Not used in 90 days']);
  expect(UNUSED_CHOICES.map((c) => unusedDays(c.value))).toEqual([undefined, 0, 7, 30, 90]);
  expect(reportingKinds()).toBe('env vars, temporary keys and gateway keys');
});
