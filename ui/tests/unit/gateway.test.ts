// A Barndoor gateway key's state in words: the table's badges (disabled, rolling over, a class
// other than user) with their labels, the class and who it acts for as the panel says them, and
// which kinds the replace assistant replaces in place.
import { expect, test } from 'vitest';
import type { GatewayState } from '../../src/lib/bindings/GatewayState';
import { fullDate } from '../../src/lib/format';
import { actsFor, classLabel, gatewayBadges, previousUntil, replacedInPlace } from '../../src/lib/gateway';

const now = Date.parse('2026-12-01T12:00:00Z');
const at = (minutesFromNow: number) => new Date(now + minutesFromNow * 60_000).toISOString();
const state = (extra: Partial<GatewayState> = {}): GatewayState => ({
  class: 'user', scopes: [], user_id: null, group_name: null, disabled_at: null, rotated_at: null, previous_key_expires_at: null, ...extra,
});

test('no badge for another kind (no gateway state) or a plain user key', () => {
  expect(gatewayBadges({ status: 'active', gateway: null }, now)).toEqual([]);
  expect(gatewayBadges({ status: 'active', gateway: state() }, now)).toEqual([]);
  expect(gatewayBadges({ status: 'active', gateway: state({ class: null }) }, now)).toEqual([]);
});

test('disabled, rolling over and a class, most urgent first, each labelled with its local date', () => {
  const g = state({ class: 'agent_session', disabled_at: at(-3 * 24 * 60), previous_key_expires_at: at(60) });
  expect(gatewayBadges({ status: 'active', gateway: g }, now)).toEqual([
    { id: 'disabled', text: 'Disabled', label: `Disabled since ${fullDate(g.disabled_at)}`, tone: 'warning' },
    { id: 'rolling-over', text: 'Rolling over', label: `Previous secret works until ${fullDate(g.previous_key_expires_at)}`, tone: 'accent' },
    { id: 'class', text: 'Agent session', label: 'Class: Agent session', tone: 'neutral' },
  ]);
  expect(gatewayBadges({ status: 'active', gateway: state({ class: 'machine' }) }, now)).toEqual([{ id: 'class', text: 'Machine', label: 'Class: Machine', tone: 'neutral' }]);
});

test('a revoked or gone key keeps only its class: none of its secrets works any more', () => {
  const g = state({ class: 'machine', disabled_at: at(-60), previous_key_expires_at: at(60) });
  for (const status of ['revoked', 'gone'] as const)
    expect(gatewayBadges({ status, gateway: g }, now).map((b) => b.id), status).toEqual(['class']);
  expect(gatewayBadges({ status: 'expiring', gateway: g }, now).map((b) => b.id)).toEqual(['disabled', 'rolling-over', 'class']);
});

test('a previous secret whose grace is over is no longer news', () => {
  const g = state({ previous_key_expires_at: at(-1) });
  expect(previousUntil(g, now)).toBeNull();
  expect(gatewayBadges({ status: 'active', gateway: g }, now)).toEqual([]);
  expect(previousUntil(state({ previous_key_expires_at: at(5) }), now)).toBe(at(5));
  expect(previousUntil(null, now)).toBeNull();
});

test('classes read as words; one Keyward does not know reads as Barndoor sent it', () => {
  expect([classLabel('user'), classLabel('machine'), classLabel('agent_session'), classLabel('ci_bot'), classLabel(null)])
    .toEqual(['User', 'Machine', 'Agent session', 'Ci bot', null]);
});

test('who a key acts for: its group, else its user, else nobody in particular', () => {
  expect(actsFor(state({ group_name: 'engineering', user_id: 'u-1' }))).toBe('The IdP group engineering');
  expect(actsFor(state({ user_id: '5f0c9a4e' }))).toBe('The user 5f0c9a4e');
  expect(actsFor(state())).toBe('Nobody in particular');
});

test('in place: the kinds whose catalog entry has a reissue grace period (gateway keys), not the minted-and-revoked ones', () => {
  expect(replacedInPlace('barndoor_gateway_key')).toBe(true);
  for (const kind of ['respan_temp_key', 'braintrust_api_key', 'braintrust_service_token'] as const) expect(replacedInPlace(kind), kind).toBe(false);
});
