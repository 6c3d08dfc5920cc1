// @vitest-environment happy-dom
// A part of the window that loads on first use (lazy.ts, <Lazy>): once loaded it renders at once;
// one whose chunk cannot be fetched says why instead of leaving a blank, and can be tried again.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Lazy from '../../src/lib/components/Lazy.svelte';
import ServiceBadge from '../../src/lib/components/ServiceBadge.svelte';
import { lazy, preloadWhenIdle, PARTS_PRELOADED } from '../../src/lib/lazy';
import { toasts } from '../../src/lib/state/toasts.svelte';

const CHUNK_ERROR = 'Failed to fetch dynamically imported module: tauri://localhost/assets/ServiceBadge-Bx1.js';
/** A part whose first `failures` fetches fail as a missing chunk does, and which then arrives. */
function flaky(failures: number) {
  let fetches = 0;
  const part = lazy('The service badge', () => {
    fetches++;
    return fetches <= failures ? Promise.reject(new TypeError(CHUNK_ERROR)) : Promise.resolve({ default: ServiceBadge });
  });
  return { part, fetches: () => fetches };
}

beforeEach(() => {
  toasts.items = [];
});
afterEach(() => {
  cleanup();
});

test('a part already loaded renders at once, in the same turn, with the props given', async () => {
  const { part } = flaky(0);
  await part.load();
  render(Lazy, { part, service: 'respan' });
  expect(document.body.textContent).toContain('Respan');
});

test('a part not loaded yet is fetched once, however many ask, and then shows', async () => {
  const { part, fetches } = flaky(0);
  render(Lazy, { part, service: 'barndoor' });
  render(Lazy, { part, service: 'braintrust' });
  await waitFor(() => expect(document.body.textContent).toContain('Barndoor'));
  expect(document.body.textContent).toContain('Braintrust');
  expect(fetches()).toBe(1);
});

test('a part that cannot be closed says in its place why it did not load, and Try again fetches it again', async () => {
  const { part, fetches } = flaky(1);
  render(Lazy, { part, service: 'respan' });
  const alert = await screen.findByRole('alert');
  expect(alert.textContent).toContain(`The service badge could not be loaded (${CHUNK_ERROR}).`);
  expect(toasts.items).toEqual([]);
  await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  await waitFor(() => expect(document.body.textContent).toContain('Respan'));
  expect(screen.queryByRole('alert')).toBeNull();
  expect(fetches()).toBe(2);
});

test('a dialog that cannot be loaded closes again with a toast saying why, instead of a blank', async () => {
  const { part } = flaky(1);
  const onclose = vi.fn();
  render(Lazy, { part, service: 'respan', onclose });
  await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
  expect(toasts.items.map((t) => [t.kind, t.message])).toEqual([['error', `The service badge could not be loaded (${CHUNK_ERROR}). Try again.`]]);
  expect(screen.queryByRole('alert')).toBeNull();
  // The failure is not kept: opened again, it is fetched again and shows.
  cleanup();
  render(Lazy, { part, service: 'respan', onclose });
  await waitFor(() => expect(document.body.textContent).toContain('Respan'));
  expect(onclose).toHaveBeenCalledTimes(1);
});

test('a dialog closed before its chunk failed to arrive says nothing', async () => {
  let fail!: (e: unknown) => void;
  const part = lazy('The service badge', () => new Promise<never>((_, reject) => (fail = reject)));
  const onclose = vi.fn();
  const { unmount } = render(Lazy, { part, service: 'respan', onclose });
  unmount();
  fail(new TypeError(CHUNK_ERROR));
  await new Promise((r) => setTimeout(r, 10));
  expect(onclose).not.toHaveBeenCalled();
  expect(toasts.items).toEqual([]);
});

test('preloading fetches every part in turn, past one that fails, and then marks it', async () => {
  const order: string[] = [];
  const part = (name: string, ok = true) =>
    lazy(name, () => (order.push(name), ok ? Promise.resolve({ default: ServiceBadge }) : Promise.reject(new TypeError(CHUNK_ERROR))));
  const parts = [part('a'), part('b', false), part('c')];
  performance.clearMarks(PARTS_PRELOADED);
  await preloadWhenIdle(parts);
  expect(order).toEqual(['a', 'b', 'c']);
  expect(parts.map((p) => p.loaded !== null)).toEqual([true, false, true]);
  expect(performance.getEntriesByName(PARTS_PRELOADED)).toHaveLength(1);
});
