// @vitest-environment happy-dom
// Editing a stored key: the form starts from what the service holds, sends only what changed,
// shows the core's message on the field it names, and in reissue mode asks only for the new secret.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import EditKeyDialog from '../../src/lib/components/EditKeyDialog.svelte';
import { currentValues, editFormFor, isEmptyUpdate, localInput, toUpdate } from '../../src/lib/forms/editForms';
import type { KeyKind } from '../../src/lib/bindings/KeyKind';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';
import { Dialogs } from '../../src/lib/state/dialogs.svelte';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { KeyActions } from '../../src/lib/state/keyActions.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
});

function row(kind: KeyKind, extra: Partial<KeyRow> = {}): KeyRow {
  return {
    id: 'k1', account_id: 'a1', account_label: 'Platform', service: kind.split('_')[0] as KeyRow['service'], kind, provider_id: 'p1',
    name: 'OpenAI Production', preview: '…0042', owner: null, created_at: '2026-11-01T10:00:00Z', expires_at: null, status: 'active',
    last_seen_at: null, is_test: false, usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null,
    last_used_at: null, ...extra,
  } as KeyRow;
}
const CREDENTIAL = { name: 'OpenAI Production', base_url: 'https://api.openai.com/v1', auth_type: 'api_key', settings: { region: 'us' } };

describe('toUpdate', () => {
  test('nothing changed sends nothing; an empty secret is never sent', () => {
    const form = editFormFor('barndoor_credential')!;
    const start = currentValues(form, row('barndoor_credential'), CREDENTIAL);
    expect(isEmptyUpdate(toUpdate(form, { ...start }, start))).toBe(true);
    expect(toUpdate(form, { ...start, api_key: '   ' }, start)).toEqual({ kind: 'barndoor_credential' });
  });

  test('a new secret and a changed field go; unchanged fields stay out', () => {
    const form = editFormFor('barndoor_credential')!;
    const start = currentValues(form, row('barndoor_credential'), CREDENTIAL);
    expect(start.settings).toBe(JSON.stringify({ region: 'us' }, null, 2));
    const u = toUpdate(form, { ...start, api_key: 'sk-new-0043', change_note: 'quarterly rotation' }, start);
    expect(u).toEqual({ kind: 'barndoor_credential', api_key: 'sk-new-0043', change_note: 'quarterly rotation' });
  });

  test('a gateway key: disabling, a new expiry, or clearing it', () => {
    const form = editFormFor('barndoor_gateway_key')!;
    const key = row('barndoor_gateway_key', { expires_at: '2027-01-01T00:00:00Z' });
    const start = currentValues(form, key, { disabled_at: null });
    expect(start.expires_at).toBe(localInput('2027-01-01T00:00:00Z'));
    expect(toUpdate(form, { ...start, disabled: true }, start)).toEqual({ kind: 'barndoor_gateway_key', disabled: true });
    expect(toUpdate(form, { ...start, expires_at: '' }, start)).toEqual({ kind: 'barndoor_gateway_key', clear_expiry: true });
    const later = toUpdate(form, { ...start, expires_at: '2027-06-01T12:00' }, start);
    expect(later).toEqual({ kind: 'barndoor_gateway_key', expires_at: new Date('2027-06-01T12:00').toISOString() });
    expect(currentValues(form, key, { disabled_at: '2026-11-01T00:00:00Z' }).disabled).toBe(true);
  });

  test('a Respan key: its test flag and name', () => {
    const form = editFormFor('respan_temp_key')!;
    const start = currentValues(form, row('respan_temp_key', { name: 'ci', is_test: true }), { prefix: 'ci' });
    expect(toUpdate(form, { ...start, is_test: false, name: 'ci-2' }, start)).toEqual({ kind: 'respan_temp_key', name: 'ci-2', is_test: false });
  });

  test('kinds a service does not let change have no form', () => {
    for (const k of ['braintrust_api_key', 'braintrust_proxy_credential', 'braintrust_service_token', 'barndoor_provider'] as KeyKind[]) {
      expect(editFormFor(k)).toBeUndefined();
    }
  });
});

function setup(kind: KeyKind, details: Record<string, unknown>, reissue = false, update: (u: unknown) => unknown = () => null) {
  const sent: unknown[] = [];
  mockIPC((cmd, args) => {
    const a = args as { update?: Record<string, unknown> };
    if (cmd === 'key_details') return details;
    if (cmd === 'validate_update') {
      const name = a.update?.name;
      return typeof name === 'string' && name.trim() === '' ? [{ field: 'name', message: 'name cannot be empty.' }] : [];
    }
    if (cmd === 'update_key') {
      sent.push(a.update);
      return update(a.update) ?? row(kind);
    }
    if (cmd === 'list_accounts' || cmd === 'list_keys') return [];
    return null;
  });
  const onsaved = vi.fn();
  const onclose = vi.fn();
  render(EditKeyDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), key: row(kind), reissue, onclose, onsaved });
  return { sent, onsaved, onclose };
}
const field = (name: string) => screen.getByTestId(`field-${name}`) as HTMLInputElement;

test('the form starts from the service, Save waits for a change, and only the change is sent', async () => {
  const { sent, onsaved } = setup('barndoor_credential', CREDENTIAL);
  await waitFor(() => expect(field('base_url').value).toBe('https://api.openai.com/v1'));
  expect(field('api_key').type).toBe('password');
  expect(field('api_key').value).toBe('');
  const save = screen.getByTestId('save-key') as HTMLButtonElement;
  expect(save.disabled).toBe(true);
  await fireEvent.input(field('base_url'), { target: { value: 'https://eu.api.openai.com/v1' } });
  expect(save.disabled).toBe(false);
  expect(save.textContent).toContain('Save changes');
  await fireEvent.click(save);
  await waitFor(() => expect(onsaved).toHaveBeenCalledOnce());
  expect(sent).toEqual([{ kind: 'barndoor_credential', base_url: 'https://eu.api.openai.com/v1' }]);
});

test('a blanked name shows the core’s message on the name field and sends nothing', async () => {
  const { sent } = setup('barndoor_credential', CREDENTIAL);
  await waitFor(() => expect(field('name').value).toBe('OpenAI Production'));
  await fireEvent.input(field('name'), { target: { value: ' ' } });
  await fireEvent.click(screen.getByTestId('save-key'));
  await waitFor(() => expect(screen.getByTestId('field-error-name').textContent).toBe('name cannot be empty.'));
  expect(sent).toEqual([]);
});

test('reissue mode asks only for the new secret (and why), and says Reissue', async () => {
  const { sent } = setup('barndoor_credential', CREDENTIAL, true);
  await waitFor(() => expect(screen.getByTestId('field-api_key')).toBeTruthy());
  expect(screen.queryByTestId('field-base_url')).toBeNull();
  expect(screen.queryByTestId('field-name')).toBeNull();
  await fireEvent.input(field('api_key'), { target: { value: 'sk-rotated-0043' } });
  const save = screen.getByTestId('save-key');
  expect(save.textContent).toContain('Reissue');
  await fireEvent.click(save);
  await waitFor(() => expect(sent).toEqual([{ kind: 'barndoor_credential', api_key: 'sk-rotated-0043' }]));
});

test('a refusal from the service lands on its field, or above the buttons', async () => {
  let n = 0;
  const { sent } = setup('respan_provider', { provider_name: 'My OpenAI', extra_kwargs: null }, false, () => {
    n += 1;
    if (n === 1) throw { code: 'invalid_input', message: 'Respan says: provider_name is taken.', field: 'provider_name' };
    throw { code: 'network', message: 'Could not reach Respan.', field: null };
  });
  await waitFor(() => expect(field('provider_name').value).toBe('My OpenAI'));
  await fireEvent.input(field('provider_name'), { target: { value: 'Other' } });
  await fireEvent.click(screen.getByTestId('save-key'));
  await waitFor(() => expect(screen.getByTestId('field-error-provider_name').textContent).toBe('Respan says: provider_name is taken.'));
  await fireEvent.click(screen.getByTestId('save-key'));
  await waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('Could not reach Respan.'));
  expect(sent.length).toBe(2);
});

test('details that cannot be read still leave the cached row to edit from', async () => {
  mockIPC((cmd) => {
    if (cmd === 'key_details') throw { code: 'not_found', message: 'No such key.', field: null };
    return [];
  });
  render(EditKeyDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), key: row('respan_temp_key', { name: 'ci' }), onclose: vi.fn(), onsaved: vi.fn() });
  await waitFor(() => expect(field('name').value).toBe('ci'));
  expect(screen.getByRole('status').textContent).toContain('No such key.');
});
