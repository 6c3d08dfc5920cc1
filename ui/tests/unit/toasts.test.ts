import { afterEach, expect, test } from 'vitest';
import { MAX_SHOWN, toasts } from '../../src/lib/state/toasts.svelte';

afterEach(() => (toasts.items = []));

test('only the newest few toasts show, so the stack never climbs over the window', () => {
  for (const n of [1, 2, 3, 4, 5]) toasts.success(`toast ${n}`);
  expect(toasts.items.map((t) => t.message)).toEqual(['toast 3', 'toast 4', 'toast 5']);
  expect(toasts.items).toHaveLength(MAX_SHOWN);
  toasts.dismiss(toasts.items[0].id);
  expect(toasts.items.map((t) => t.message)).toEqual(['toast 4', 'toast 5']);
});
