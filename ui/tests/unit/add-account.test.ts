// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import AddAccountDialog from '../../src/lib/components/AddAccountDialog.svelte';
import type { HostPreset } from '../../src/lib/bindings/HostPreset';
import { choose } from './choose';

const presets: HostPreset[] = [
  { service: 'braintrust', label: 'Braintrust (US)', url: 'https://api.braintrust.dev', is_default: true },
  { service: 'braintrust', label: 'Braintrust (EU)', url: 'https://api-eu.braintrust.dev', is_default: false },
];

afterEach(() => {
  cleanup();
  clearMocks();
});

function setup(onsubmit = vi.fn()) {
  const validate = vi.fn((input: { label: string; token: string }) => {
    const errors = [];
    if (!input.label.trim()) errors.push({ field: 'label', message: 'Give the account a name.' });
    if (!input.token.trim()) errors.push({ field: 'token', message: 'Paste the API key for this account.' });
    return errors;
  });
  mockIPC((cmd, args) => (cmd === 'validate_account' ? validate((args as { input: never }).input) : null));
  const onclose = vi.fn();
  render(AddAccountDialog, { presets, onclose, onsubmit });
  return { validate, onclose, onsubmit };
}

const byId = (id: string) => screen.getByTestId(id) as HTMLInputElement;

test('the default host is preselected and the token is masked', () => {
  setup();
  expect(byId('field-host').value).toBe('https://api.braintrust.dev');
  expect(byId('field-token').type).toBe('password');
});

test('submitting empty shows the core’s messages on each field and sends nothing', async () => {
  const { onsubmit } = setup();
  await fireEvent.click(byId('submit-account'));
  await waitFor(() => expect(screen.getByTestId('field-error-label').textContent).toBe('Give the account a name.'));
  expect(screen.getByTestId('field-error-token').textContent).toBe('Paste the API key for this account.');
  expect(byId('field-label').getAttribute('aria-invalid')).toBe('true');
  expect(onsubmit).not.toHaveBeenCalled();
});

test('a refused token is shown on the token field, a network failure on the host', async () => {
  const onsubmit = vi
    .fn()
    .mockRejectedValueOnce({ code: 'unauthorized', message: 'This key was refused by Braintrust (401).', field: 'token' })
    .mockRejectedValueOnce({ code: 'network', message: 'Could not reach Braintrust.', field: 'host' })
    .mockRejectedValueOnce({ code: 'keychain_locked', message: 'The system keychain is locked.', field: null });
  setup(onsubmit);
  await fireEvent.input(byId('field-label'), { target: { value: 'Prod' } });
  await fireEvent.input(byId('field-token'), { target: { value: 'sk-wrong' } });
  await fireEvent.click(byId('submit-account'));
  await waitFor(() => expect(screen.getByTestId('field-error-token').textContent).toBe('This key was refused by Braintrust (401).'));
  await fireEvent.click(byId('submit-account'));
  await waitFor(() => expect(screen.getByTestId('field-error-host').textContent).toBe('Could not reach Braintrust.'));
  await fireEvent.click(byId('submit-account'));
  await waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('The system keychain is locked.'));
  expect(onsubmit.mock.calls[0][0]).toMatchObject({ service: 'braintrust', label: 'Prod', host: 'https://api.braintrust.dev', token: 'sk-wrong' });
});

test('Cancel clears the token before the dialog goes', async () => {
  const { onclose } = setup();
  await fireEvent.input(byId('field-token'), { target: { value: 'sk-secret' } });
  await fireEvent.click(screen.getByText('Cancel'));
  expect(onclose).toHaveBeenCalledOnce();
  expect(byId('field-token').value).toBe('');
});

test('show/hide toggles the mask and says so', async () => {
  setup();
  const toggle = screen.getByLabelText('Show API key');
  await fireEvent.click(toggle);
  expect(byId('field-token').type).toBe('text');
  expect(screen.getByLabelText('Hide API key').getAttribute('aria-pressed')).toBe('true');
});

const chooseHost = (value: string) => choose(byId('field-host') as unknown as HTMLSelectElement, value);

const respan: HostPreset = { service: 'respan', label: 'Respan', url: 'https://api.respan.ai', is_default: true };

function opened(first: HostPreset[] | null) {
  mockIPC((cmd) => (cmd === 'validate_account' ? [] : null));
  return render(AddAccountDialog, { presets: first, onclose: vi.fn(), onsubmit: vi.fn() });
}

test('opened before the host presets are read, the host waits for them, then offers the default', async () => {
  const { rerender } = opened(null);
  const select = byId('field-host') as unknown as HTMLSelectElement;
  expect(select.disabled).toBe(true);
  expect(select.getAttribute('aria-busy')).toBe('true');
  expect(select.textContent).toContain('Loading hosts…');
  expect(screen.queryByTestId('field-host-custom')).toBeNull();
  await rerender({ presets });
  await waitFor(() => expect(select.disabled).toBe(false));
  expect(select.value).toBe('https://api.braintrust.dev');
  expect(screen.queryByTestId('field-host-custom')).toBeNull();
});

test('a custom address picked by hand stays picked, still empty, when the list arrives again or the service changes', async () => {
  const { rerender } = opened(presets);
  await chooseHost('custom');
  expect(screen.getByTestId('field-host-custom')).toBeTruthy();
  await rerender({ presets: [...presets, respan] });
  expect(screen.getByTestId('field-host-custom')).toBeTruthy();
  await fireEvent.click(screen.getByDisplayValue('respan'));
  await waitFor(() => expect(byId('field-host').textContent).toContain('api.respan.ai'));
  expect(byId('field-host').value).toBe('custom');
  await fireEvent.input(byId('field-host-custom'), { target: { value: 'https://keys.example.com' } });
  expect(byId('field-host-custom').value).toBe('https://keys.example.com');
});

test('a preset picked for one service gives way to the next service’s default', async () => {
  opened([...presets, respan]);
  await chooseHost('https://api-eu.braintrust.dev');
  await fireEvent.click(screen.getByDisplayValue('respan'));
  await waitFor(() => expect(byId('field-host').value).toBe('https://api.respan.ai'));
});

test('host presets that cannot be read leave a custom address to type', async () => {
  const { rerender } = opened(null);
  await rerender({ presets: [] });
  await waitFor(() => expect(screen.getByTestId('field-host-custom')).toBeTruthy());
  expect((byId('field-host') as unknown as HTMLSelectElement).disabled).toBe(false);
});
