// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import EditAccountDialog from '../../src/lib/components/EditAccountDialog.svelte';
import type { Account } from '../../src/lib/bindings/Account';
import type { HostPreset } from '../../src/lib/bindings/HostPreset';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { choose } from './choose';

const presets: HostPreset[] = [
  { service: 'braintrust', label: 'Braintrust (US)', url: 'https://api.braintrust.dev', is_default: true },
  { service: 'braintrust', label: 'Braintrust (EU)', url: 'https://api-eu.braintrust.dev', is_default: false },
];
const account: Account = {
  id: 'a1', service: 'braintrust', label: 'Production', host: 'https://api.braintrust.dev', org_name: null,
  identity: null, created_at: '2026-11-01T00:00:00Z', last_synced_at: null, last_sync_error: null, key_count: 0,
};

afterEach(() => {
  cleanup();
  clearMocks();
});

const REFUSAL = 'A new address needs the token typed again: Keyward sends a token only to the address it was verified with.';

test('a new address asks for the token again, and the core’s refusal lands on the token field', async () => {
  const sent: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === 'validate_account') return [];
    if (cmd === 'update_account') {
      sent.push((args as { update: unknown }).update);
      return Promise.reject({ code: 'invalid_input', message: REFUSAL, field: 'token' });
    }
    return null;
  });
  render(EditAccountDialog, { inventory: new Inventory(), account, presets, onclose: vi.fn(), onsaved: vi.fn() });
  expect(screen.queryByTestId('edit-token-host-note')).toBeNull();
  const select = screen.getByTestId('field-host') as HTMLSelectElement;
  await choose(select, 'https://api-eu.braintrust.dev');
  await waitFor(() => expect(screen.getByTestId('edit-token-host-note')).toBeTruthy());
  expect(screen.getByTestId('edit-token-host-note').textContent).toContain('typed again');
  expect(screen.getByLabelText('Token for the new address').getAttribute('aria-required')).toBe('true');
  await fireEvent.click(screen.getByTestId('save-account'));
  await waitFor(() => expect(screen.getByTestId('edit-error-token').textContent).toBe(REFUSAL));
  expect(sent).toEqual([{ host: 'https://api-eu.braintrust.dev' }]);
});

test('opened before the host presets are read, an account on a preset host shows that preset once they come', async () => {
  mockIPC((cmd) => (cmd === 'validate_account' ? [] : null));
  const { rerender } = render(EditAccountDialog, { inventory: new Inventory(), account, presets: null, onclose: vi.fn(), onsaved: vi.fn() });
  const select = screen.getByTestId('field-host') as HTMLSelectElement;
  expect(select.disabled).toBe(true);
  await rerender({ presets });
  await waitFor(() => expect(select.disabled).toBe(false));
  expect(select.value).toBe('https://api.braintrust.dev');
  expect(screen.queryByTestId('field-host-custom')).toBeNull();
  expect(screen.queryByTestId('edit-token-host-note')).toBeNull();
});
