// @vitest-environment happy-dom
// The reveal-once dialog's state machine: masked → revealed (asked once) → hidden/shown; copy goes
// through Rust; closing needs "I have stored it" or an explicit discard, and always closes the slot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RevealDialog from '../../src/lib/components/RevealDialog.svelte';
import type { MintedKey } from '../../src/lib/bindings/MintedKey';
import type { RevealTicket } from '../../src/lib/bindings/RevealTicket';
import { Dialogs } from '../../src/lib/state/dialogs.svelte';
import { Inventory } from '../../src/lib/state/inventory.svelte';
import { KeyActions } from '../../src/lib/state/keyActions.svelte';

const SECRET = 'rsp-temp-0123456789abcdef';

afterEach(() => {
  cleanup();
  clearMocks();
});

function created(expires_at: string | null = null): MintedKey & { reveal: RevealTicket } {
  return {
    key: {
      id: 'k1', account_id: 'a1', account_label: 'Respan', service: 'respan', kind: 'respan_temp_key', provider_id: 'p1', name: 'ci-runner',
      preview: 'rsp-…cdef', owner: null, created_at: new Date().toISOString(), expires_at, status: 'active', last_seen_at: new Date().toISOString(),
      is_test: null, usage_count: null, usage_limit: null, spend: null, spend_limit: null, rate_limit: null, last_used_at: null,
    },
    reveal: { id: 'r1', env_var: 'RESPAN_API_KEY', clear_after_secs: 30 },
  } as MintedKey & { reveal: RevealTicket };
}

function setup(c = created()) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'reveal_secret') return SECRET;
    if (cmd === 'copy_secret') return 30;
    return null;
  });
  const onclose = vi.fn();
  render(RevealDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), created: c, onclose });
  const count = (cmd: string) => calls.filter((c) => c.cmd === cmd).length;
  return { calls, count, onclose };
}

const secretText = () => screen.getByTestId('reveal-secret').querySelector('code')!.textContent;

test('the secret starts masked and is not asked for until Reveal', () => {
  const { count } = setup();
  expect(secretText()).not.toContain(SECRET);
  expect(count('reveal_secret')).toBe(0);
});

test('Reveal asks Rust once; Hide and Show never ask again', async () => {
  const { count } = setup();
  await fireEvent.click(screen.getByTestId('reveal-button'));
  await waitFor(() => expect(secretText()).toBe(SECRET));
  await fireEvent.click(screen.getByTestId('hide-button'));
  expect(secretText()).not.toContain(SECRET);
  await fireEvent.click(screen.getByTestId('hide-button'));
  expect(secretText()).toBe(SECRET);
  expect(count('reveal_secret')).toBe(1);
  expect(screen.queryByTestId('reveal-button')).toBeNull();
});

test('Copy and Copy as .env go through Rust with the ticket and start a countdown', async () => {
  const { calls } = setup();
  await fireEvent.click(screen.getByTestId('copy-button'));
  await waitFor(() => expect(screen.getByTestId('clipboard-countdown').textContent).toMatch(/clears in (29|30) s/));
  await fireEvent.click(screen.getByTestId('copy-env-button'));
  const copies = calls.filter((c) => c.cmd === 'copy_secret').map((c) => c.args);
  expect(copies).toEqual([{ revealId: 'r1', asEnvLine: false }, { revealId: 'r1', asEnvLine: true }]);
  expect(calls.some((c) => c.cmd === 'reveal_secret')).toBe(false);
});

test('Done without "I have stored it" asks to discard; Back returns; Discard closes the slot', async () => {
  const { count, onclose } = setup();
  await fireEvent.click(screen.getByTestId('close-reveal'));
  expect(onclose).not.toHaveBeenCalled();
  expect(screen.getByText(/cannot be shown again/)).toBeTruthy();
  await fireEvent.click(screen.getByText('Back'));
  expect(screen.queryByTestId('discard-button')).toBeNull();
  await fireEvent.click(screen.getByTestId('close-reveal'));
  await fireEvent.click(screen.getByTestId('discard-button'));
  expect(onclose).toHaveBeenCalledOnce();
  expect(count('close_reveal')).toBe(1);
});

test('Done after "I have stored it" closes at once and closes the slot', async () => {
  const { calls, onclose } = setup();
  await fireEvent.click(screen.getByTestId('stored-checkbox'));
  await fireEvent.click(screen.getByTestId('close-reveal'));
  expect(onclose).toHaveBeenCalledOnce();
  expect(calls.find((c) => c.cmd === 'close_reveal')?.args).toEqual({ revealId: 'r1' });
});

test('a secret already gone from Rust says so and offers no Reveal', async () => {
  mockIPC((cmd) => {
    if (cmd === 'reveal_secret') throw { code: 'not_found', message: 'This secret was already shown once and is gone.', field: null };
    return null;
  });
  render(RevealDialog, { actions: new KeyActions(new Inventory(), new Dialogs()), created: created(), onclose: vi.fn() });
  await fireEvent.click(screen.getByTestId('reveal-button'));
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This secret was already shown once and is gone.'));
  expect(screen.queryByTestId('reveal-button')).toBeNull();
});

test('an expiring credential shows when it expires', () => {
  setup(created(new Date(Date.now() + 10 * 60_000).toISOString()));
  expect(screen.getByTestId('reveal-expiry').textContent).toMatch(/Expires in 10 min/);
});

test('the shown secret cannot be copied past Rust: not selectable, and copy, cut, menu and drag are stopped', async () => {
  const { count } = setup();
  await fireEvent.click(screen.getByTestId('reveal-button'));
  await waitFor(() => expect(secretText()).toBe(SECRET));
  const code = screen.getByTestId('reveal-secret').querySelector('code')!;
  for (const event of ['copy', 'cut', 'contextMenu', 'dragStart'] as const) {
    expect(await fireEvent[event](code), `${event} is cancelled`).toBe(false);
  }
  // happy-dom applies no component CSS, so the rule is read where it is written.
  const source = readFileSync(join(import.meta.dirname, '../../src/lib/components/RevealDialog.svelte'), 'utf8');
  const style = source.slice(source.indexOf('<style>'));
  const rule = style.match(/\n\s*code \{([^}]*)\}/)?.[1] ?? '';
  expect(rule).toMatch(/(^|[\s;])user-select: none/);
  expect(rule).toMatch(/-webkit-user-select: none/);
  expect(source).not.toMatch(/user-select: (all|text|auto)/);
  // Still read by a screen reader, and Copy (through Rust) is a button a keyboard reaches.
  expect(code.closest('[aria-hidden="true"]')).toBeNull();
  const copyButton = screen.getByTestId('copy-button');
  expect(copyButton.tagName).toBe('BUTTON');
  expect(copyButton.getAttribute('tabindex')).not.toBe('-1');
  await fireEvent.click(copyButton);
  expect(count('copy_secret')).toBe(1);
});

test('"Use in a run…" folds out the keyward run lines, copied by the page, never through the secret copy', async () => {
  const hint = { spec: 'respan-temp@Gateway?max_usage=10', template_line: 'RESPAN_API_KEY=respan-temp@Gateway?max_usage=10',
    command_line: "keyward run -e 'RESPAN_API_KEY=respan-temp@Gateway?max_usage=10' -- COMMAND" };
  const { count } = setup({ ...created(), run_hint: hint });
  const writes: string[] = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void writes.push(t) } });
  const button = screen.getByTestId('run-hint-button');
  const panel = document.getElementById(button.getAttribute('aria-controls')!)!;
  expect(button.getAttribute('aria-expanded')).toBe('false');
  expect(panel.closest('[hidden]')).not.toBeNull();
  await fireEvent.click(button);
  expect(button.getAttribute('aria-expanded')).toBe('true');
  expect(panel.closest('[hidden]')).toBeNull();
  expect(screen.getByTestId('run-hint-command').textContent).toBe(hint.command_line);
  expect(screen.getByTestId('run-hint-template').textContent).toBe(hint.template_line);
  await fireEvent.click(screen.getByTestId('run-hint-template-copy'));
  await waitFor(() => expect(writes).toEqual([hint.template_line]));
  expect(count('copy_secret')).toBe(0);
});

test('a key a run cannot mint has no "Use in a run…"', () => {
  setup({ ...created(), run_hint: null });
  expect(screen.queryByTestId('run-hint-button')).toBeNull();
});
