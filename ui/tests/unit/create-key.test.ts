// @vitest-environment happy-dom
// The create form: a kind's fields with its defaults, Barndoor's form following the provider and
// auth type, the core's messages as you type, and given secrets in masked fields only.
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import CreateKeyDialog from '../../src/lib/components/CreateKeyDialog.svelte';
import type { Account } from '../../src/lib/bindings/Account';
import { KIND_FORMS, initialValues, toRequest } from '../../src/lib/forms/keyForms';
import { Dialogs } from '../../src/lib/state/dialogs.svelte';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { KeyActions } from '../../src/lib/state/keyActions.svelte';
import { choose as pick } from './choose';

afterEach(() => {
  cleanup();
  clearMocks();
});

const account = (id: string, service: Account['service']): Account =>
  ({ id, service, label: `${service} prod`, host: 'https://example.test', org_name: null, created_at: '2026-11-01T00:00:00Z',
     last_sync_at: null, last_sync_error: null, key_count: 0, token_owner: null }) as unknown as Account;

function setup(accounts: Account[], created = vi.fn()) {
  const requests: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    const a = args as { request: Record<string, unknown> };
    if (cmd === 'validate_key') {
      requests.push(a.request);
      return a.request.kind === 'respan_temp_key' && (a.request.max_usage as number) < -1
        ? [{ field: 'max_usage', message: 'max_usage must be -1 (unlimited) or at least 1.' }] : [];
    }
    if (cmd === 'create_key') return { key: { name: 'made' }, reveal: null };
    if (cmd === 'list_accounts' || cmd === 'list_keys') return [];
    if (cmd === 'check_credential') {
      requests.push(a.request);
      return String(a.request.credentials).includes('arn:aws:iam::')
        ? { ok: true, message: 'Barndoor can assume the role.' } : { ok: false, message: 'Barndoor could not assume the role.' };
    }
    return null;
  });
  render(CreateKeyDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), accounts, onclose: vi.fn(), oncreated: created });
  return { requests };
}
const field = (name: string) => screen.getByTestId(`field-${name}`) as HTMLInputElement;
const choose = (name: string, value: string) => pick(field(name) as unknown as HTMLSelectElement, value);

test('every kind has a form and starts from its defaults', () => {
  expect(new Set(KIND_FORMS.map((f) => f.kind)).size).toBe(9);
  const proxy = KIND_FORMS.find((f) => f.kind === 'braintrust_proxy_credential')!;
  expect(toRequest(proxy, initialValues(proxy))).toEqual({ kind: 'braintrust_proxy_credential', model: '', ttl_seconds: 600, logging_project: '' });
});

test('the kinds follow the account, and a Respan key offers every limit', async () => {
  setup([account('b', 'braintrust'), account('r', 'respan')]);
  const kinds = () => [...(field('kind') as unknown as HTMLSelectElement).options].map((o) => o.value);
  expect(kinds()).toEqual(['braintrust_api_key', 'braintrust_proxy_credential', 'braintrust_service_token', 'braintrust_ai_secret', 'braintrust_env_var']);
  await choose('account', 'r');
  await waitFor(() => expect(kinds()).toEqual(['respan_temp_key', 'respan_provider']));
  for (const name of ['name', 'expiry_date', 'max_usage', 'rate_limit', 'spending_limit', 'is_test']) expect(field(name)).toBeTruthy();
  expect(field('max_usage').value).toBe('-1');
});

test('the core’s message appears on the field as you type', async () => {
  setup([account('r', 'respan')]);
  await fireEvent.input(field('max_usage'), { target: { value: '-5' } });
  await waitFor(() => expect(screen.getByTestId('field-error-max_usage').textContent).toBe('max_usage must be -1 (unlimited) or at least 1.'));
  await fireEvent.input(field('max_usage'), { target: { value: '10' } });
  await waitFor(() => expect(screen.queryByTestId('field-error-max_usage')).toBeNull());
});

test('Barndoor: the provider fills the base URL; the auth type swaps key for masked JSON', async () => {
  setup([account('d', 'barndoor')]);
  await choose('kind', 'barndoor_credential');
  await waitFor(() => expect(field('api_key').type).toBe('password'));
  await choose('model_provider', 'anthropic');
  expect(field('base_url').value).toBe('https://api.anthropic.com');
  await choose('auth_type', 'aws_role');
  await waitFor(() => expect(screen.queryByTestId('field-api_key')).toBeNull());
  expect(field('credentials').classList.contains('masked')).toBe(true);
});

test('a given secret is cleared from the form once it is sent', async () => {
  const created = vi.fn();
  setup([account('b', 'braintrust')], created);
  await choose('kind', 'braintrust_ai_secret');
  await waitFor(() => expect(field('secret').type).toBe('password'));
  await fireEvent.input(field('name'), { target: { value: 'OPENAI_API_KEY' } });
  await fireEvent.input(field('secret'), { target: { value: 'sk-given-1234' } });
  await fireEvent.click(screen.getByTestId('submit-key'));
  await waitFor(() => expect(created).toHaveBeenCalledOnce());
  expect(created.mock.calls[0][0].key.name).toBe('made');
  expect(field('secret').value).toBe('');
});

test('an AWS role credential can be checked with Barndoor first; the answer clears when the values change', async () => {
  const { requests } = setup([account('d', 'barndoor')]);
  await choose('kind', 'barndoor_credential');
  await waitFor(() => expect(screen.queryByTestId('check-credential')).toBeNull());
  await choose('model_provider', 'bedrock');
  await waitFor(() => expect(screen.getByTestId('check-credential')).toBeTruthy());
  await fireEvent.input(field('credentials'), { target: { value: '{"iam_role_arn": "arn:aws:iam::1:role/gw", "external_id": "e"}' } });
  await fireEvent.click(screen.getByTestId('check-credential'));
  await waitFor(() => expect(screen.getByTestId('check-outcome').textContent).toBe('Barndoor can assume the role.'));
  expect(requests[requests.length - 1]).toMatchObject({ kind: 'barndoor_credential', model_provider: 'bedrock' });
  await fireEvent.input(field('credentials'), { target: { value: '{"iam_role_arn": "nope", "external_id": "e"}' } });
  await waitFor(() => expect(screen.queryByTestId('check-outcome')).toBeNull());
  await fireEvent.click(screen.getByTestId('check-credential'));
  await waitFor(() => expect(screen.getByTestId('check-outcome').textContent).toBe('Barndoor could not assume the role.'));
  expect(screen.getByTestId('check-outcome').classList.contains('ok')).toBe(false);
});

test('a key created without its secret is named with a Revoke button that revokes it', async () => {
  const message = 'Respan created the Temporary key “ci” but sent no secret back, so the key is live and nobody can use it.';
  const revoked: string[] = [];
  // The inventory is what hears of the change: the dialog asks the key actions, which re-read it.
  const inventory = new Inventory();
  const changed = vi.spyOn(inventory, 'refresh').mockResolvedValue();
  mockIPC((cmd, args) => {
    if (cmd === 'validate_key') return [];
    if (cmd === 'create_key') return Promise.reject({ code: 'conflict', message, field: null, key_id: 'row-7' });
    if (cmd === 'revoke_key') {
      revoked.push((args as { keyId: string }).keyId);
      return { id: 'row-7', name: 'ci' };
    }
    return null;
  });
  const created = vi.fn();
  render(CreateKeyDialog, { actions: new KeyActions(inventory, new Dialogs()), accounts: [account('r1', 'respan')], onclose: vi.fn(), oncreated: created });
  await fireEvent.click(screen.getByTestId('submit-key'));
  await waitFor(() => expect(screen.getByTestId('orphan-key').textContent).toContain('the key is live'));
  expect(changed).toHaveBeenCalledTimes(1);
  await fireEvent.click(screen.getByTestId('revoke-orphan'));
  await waitFor(() => expect(screen.queryByTestId('orphan-key')).toBeNull());
  expect(revoked).toEqual(['row-7']);
  expect(changed).toHaveBeenCalledTimes(2);
  expect(created).not.toHaveBeenCalled();
});

test('a gateway key sends its scopes as a list and only the binding chosen', () => {
  const gw = KIND_FORMS.find((f) => f.kind === 'barndoor_gateway_key')!;
  const base = { ...initialValues(gw), name: 'gw' };
  expect(toRequest(gw, base)).toEqual({ kind: 'barndoor_gateway_key', name: 'gw' });
  const typed = { ...base, scopes: ' chat, embeddings  models:read,', user_email: 'ana@example.com', user_id: 'u', group_name: 'engineering' };
  expect(toRequest(gw, { ...typed, acts_for: 'group' })).toEqual({ kind: 'barndoor_gateway_key', name: 'gw', scopes: ['chat', 'embeddings', 'models:read'], group_name: 'engineering' });
  expect(toRequest(gw, { ...typed, acts_for: 'user' })).toMatchObject({ user_email: 'ana@example.com' });
  expect(toRequest(gw, { ...typed, acts_for: 'user' })).not.toHaveProperty('group_name');
  expect(toRequest(gw, { ...typed, acts_for: 'user_id' })).toMatchObject({ user_id: 'u' });
  expect(toRequest(gw, { ...typed, acts_for: 'user_id' })).not.toHaveProperty('user_email');
});

test('a gateway key: the core’s refusal of a user and a group together lands on the group field', async () => {
  const sent: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'validate_key') return [];
    if (cmd === 'create_key') {
      sent.push((args as { request: Record<string, unknown> }).request);
      return Promise.reject({ code: 'invalid_input', message: 'A key acts for a user or an IdP group, not both.', field: 'group_name' });
    }
    return null;
  });
  render(CreateKeyDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), accounts: [account('d', 'barndoor')], onclose: vi.fn(), oncreated: vi.fn() });
  await choose('kind', 'barndoor_gateway_key');
  await waitFor(() => expect(field('acts_for')).toBeTruthy());
  expect(screen.queryByTestId('field-group_name')).toBeNull();
  await fireEvent.input(field('name'), { target: { value: 'gw' } });
  await choose('acts_for', 'group');
  await waitFor(() => expect(field('group_name')).toBeTruthy());
  await fireEvent.input(field('group_name'), { target: { value: 'engineering' } });
  await fireEvent.click(screen.getByTestId('submit-key'));
  await waitFor(() => expect(screen.getByTestId('field-error-group_name').textContent).toBe('A key acts for a user or an IdP group, not both.'));
  expect(field('group_name').getAttribute('aria-invalid')).toBe('true');
  expect(sent[0]).toMatchObject({ kind: 'barndoor_gateway_key', group_name: 'engineering' });
  expect(screen.queryByTestId('form-error')).toBeNull();
});
