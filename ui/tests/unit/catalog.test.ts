// The window's words and rules come from the core's catalog: every action it records has words,
// every kind reads as something, and the tables built from it hold everything the core offers.
import { expect, test } from 'vitest';
import { actionLabel, outcomeLabel } from '../../src/lib/audit';
import { CATALOG } from '../../src/lib/bindings/catalog';
import type { AuditAction } from '../../src/lib/bindings/AuditAction';
import type { ErrorCode } from '../../src/lib/bindings/ErrorCode';
import type { KeyKind } from '../../src/lib/bindings/KeyKind';
import { AUTH_TYPE_OPTIONS, KIND_FORMS, initialValues } from '../../src/lib/forms/keyForms';
import { GIVEN_SECRET_KINDS, KIND_LABEL, REPLACEABLE_KINDS, STATUS_LABEL, revocable } from '../../src/lib/kinds';
import { serviceName } from '../../src/lib/services';

// Written out on purpose: a union member missing from the catalog fails to type-check here.
const EVERY_ACTION: Record<AuditAction, true> = {
  'account.add': true, 'account.update': true, 'account.token': true, 'account.remove': true, 'key.create': true, 'key.update': true,
  'key.reissue': true, 'key.revoke': true, 'key.install': true, 'key.dismiss': true, 'key.replace': true, 'setup.check': true,
  'settings.update': true, 'store.recover': true, 'inventory.export': true, 'audit.export': true, 'run.start': true, 'run.end': true,
};

test('every audit action the core records has words', () => {
  expect(CATALOG.audit_actions.map((a) => a.action).sort()).toEqual(Object.keys(EVERY_ACTION).sort());
  for (const a of CATALOG.audit_actions) {
    expect(a.words.trim(), a.action).not.toBe('');
    expect(actionLabel(a.action), a.action).toBe(a.words);
  }
  expect(actionLabel('key.dismiss')).toBe('Expired key set aside');
  expect(actionLabel('future.thing'), 'a newer action reads as itself').toBe('future.thing');
});

test('every outcome has words', () => {
  const codes: ErrorCode[] = ['unauthorized', 'forbidden', 'rate_limited', 'not_found', 'conflict', 'invalid_input', 'network', 'provider',
    'keychain_unavailable', 'keychain_locked', 'token_missing', 'storage', 'store_damaged', 'store_locked', 'internal'];
  for (const c of codes) expect(outcomeLabel(c), c).not.toBe(c.replace(/_/g, ' '));
  expect(outcomeLabel('ok')).toBe('OK');
});

test('every kind has a label, an env var and a service', () => {
  const kinds = CATALOG.kinds.map((k) => k.kind);
  expect(new Set(kinds).size).toBe(10);
  for (const k of CATALOG.kinds) {
    expect(k.label, k.kind).not.toBe('');
    expect(k.env_var, k.kind).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(KIND_LABEL[k.kind]).toBe(k.label);
    expect(serviceName(k.service)).not.toBe(k.service);
  }
  for (const s of CATALOG.statuses) expect(STATUS_LABEL[s.status]).toBe(s.label);
});

test('the kind rules read as before', () => {
  expect(GIVEN_SECRET_KINDS.sort()).toEqual(['barndoor_credential', 'braintrust_ai_secret', 'braintrust_env_var', 'respan_provider']);
  expect(REPLACEABLE_KINDS).toEqual(['braintrust_api_key', 'braintrust_service_token', 'respan_temp_key', 'barndoor_gateway_key']);
  const can = (kind: KeyKind) => revocable({ kind, status: 'active' });
  expect(can('braintrust_proxy_credential') || can('barndoor_provider')).toBe(false);
  expect(can('barndoor_credential') && !revocable({ kind: 'barndoor_credential', status: 'gone' })).toBe(true);
  // Every create form is a kind the catalog says can be created there.
  for (const f of KIND_FORMS) expect(CATALOG.kinds.find((k) => k.kind === f.kind)?.service).toBe(f.service);
});

test('the kinds whose service reports last use are the catalog\'s', () => {
  expect(CATALOG.kinds.filter((k) => k.reports_last_use).map((k) => k.kind).sort()).toEqual(['barndoor_gateway_key', 'braintrust_env_var', 'respan_temp_key']);
});

test('the create forms offer what the core accepts', () => {
  expect(AUTH_TYPE_OPTIONS.map((o) => o.value)).toEqual(['', ...CATALOG.auth_types.map((a) => a.id)]);
  expect(AUTH_TYPE_OPTIONS.map((o) => o.value)).toContain('oauth_passthrough');
  const credential = KIND_FORMS.find((f) => f.kind === 'barndoor_credential')!;
  const providers = credential.fields.find((f) => f.name === 'model_provider')!.options!.map((o) => o.value);
  expect(providers).toEqual(CATALOG.model_providers.map((p) => p.id));
  const proxy = KIND_FORMS.find((f) => f.kind === 'braintrust_proxy_credential')!;
  expect(initialValues(proxy).ttl_seconds).toBe(String(CATALOG.proxy_ttl.default));
  expect(proxy.fields.find((f) => f.name === 'ttl_seconds')!.help).toBe('1 to 86,400 (24 hours). It cannot be revoked: it expires.');
});
