// @vitest-environment happy-dom
// The appearance: "system" follows the OS's scheme live, light and dark ignore it, a new choice
// stops the following, and the choice the core kept is remembered for the next start.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { adoptTheme, applyTheme, storedTheme, THEME_STORAGE_KEY } from '../../src/lib/theme';

/** A stand-in for the OS's `(prefers-color-scheme: dark)`, which a test flips. */
function fakeSystem(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const query = {
    get matches() { return dark; },
    media: '(prefers-color-scheme: dark)',
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  const matchMedia = vi.fn((q: string) => {
    expect(q).toBe('(prefers-color-scheme: dark)');
    return query as unknown as MediaQueryList;
  });
  vi.stubGlobal('matchMedia', matchMedia);
  return {
    listeners,
    matchMedia,
    set(next: boolean) {
      dark = next;
      for (const l of [...listeners]) l({ matches: next } as MediaQueryListEvent);
    },
  };
}

const shown = () => document.documentElement.dataset.theme;

beforeEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});
afterEach(() => {
  applyTheme('light'); // drops any listener a test left
  vi.unstubAllGlobals();
});

test('"system" shows the OS scheme and follows it live', () => {
  const os = fakeSystem(false);
  applyTheme('system');
  expect(shown()).toBe('light');
  os.set(true);
  expect(shown()).toBe('dark');
  os.set(false);
  expect(shown()).toBe('light');
  expect(os.listeners.size).toBe(1);
});

test('"system" on a dark OS starts dark', () => {
  fakeSystem(true);
  applyTheme('system');
  expect(shown()).toBe('dark');
});

test('light and dark ignore the OS, and stop a "system" choice following it', () => {
  const os = fakeSystem(false);
  applyTheme('system');
  applyTheme('dark');
  expect(os.listeners.size).toBe(0);
  os.set(false);
  expect(shown()).toBe('dark');
  applyTheme('light');
  os.set(true);
  expect(shown()).toBe('light');
  expect(os.listeners.size).toBe(0);
});

test('choosing "system" again listens once, not once per choice', () => {
  const os = fakeSystem(true);
  applyTheme('system');
  applyTheme('system');
  expect(os.listeners.size).toBe(1);
  os.set(false);
  expect(shown()).toBe('light');
});

test('applying previews without remembering; adopting the core\'s choice remembers it', () => {
  fakeSystem(false);
  applyTheme('dark');
  expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  expect(storedTheme()).toBe('system');
  adoptTheme('dark');
  expect(shown()).toBe('dark');
  expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
  expect(storedTheme()).toBe('dark');
  adoptTheme('system');
  expect(shown()).toBe('light');
  expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('system');
});

test('a stored value that is not a choice reads as "system"; so does a settings reply without one', () => {
  const os = fakeSystem(true);
  localStorage.setItem(THEME_STORAGE_KEY, 'purple');
  expect(storedTheme()).toBe('system');
  // An older core sends no theme.
  adoptTheme(undefined as never);
  expect(shown()).toBe('dark');
  expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('system');
  expect(os.listeners.size).toBe(1);
});
