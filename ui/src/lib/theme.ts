// Light or dark: the person's choice in Settings, or the system's scheme, followed live while the
// choice is "system". The tokens pick their dark shades by `data-theme` on <html>. The core's
// settings are the source of truth; the last choice is also kept in localStorage so that the
// window starts in it, before the settings have been read, without a flash of the other scheme.
import type { Theme } from './bindings/Theme';

export const THEME_STORAGE_KEY = 'keyward.theme';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const DARK_QUERY = '(prefers-color-scheme: dark)';

let stopFollowing: (() => void) | null = null;

const isTheme = (v: unknown): v is Theme => typeof v === 'string' && (THEMES as readonly string[]).includes(v);

function systemQuery(): MediaQueryList | null {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null;
}

function paint(scheme: 'light' | 'dark') {
  document.documentElement.dataset.theme = scheme;
}

/** Shows `choice` at once; "system" follows the OS until another choice is applied. */
export function applyTheme(choice: Theme) {
  stopFollowing?.();
  stopFollowing = null;
  if (choice !== 'system') {
    paint(choice);
    return;
  }
  const query = systemQuery();
  paint(query?.matches ? 'dark' : 'light');
  if (!query) return;
  const follow = (e: MediaQueryListEvent) => paint(e.matches ? 'dark' : 'light');
  query.addEventListener('change', follow);
  stopFollowing = () => query.removeEventListener('change', follow);
}

/** The choice the window last showed, kept for the next start; "system" when there is none. */
export function storedTheme(): Theme {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY);
    return isTheme(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Applies the core's choice (settings read or saved) and keeps it for the next start. */
export function adoptTheme(choice: Theme) {
  const theme = isTheme(choice) ? choice : 'system';
  applyTheme(theme);
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage refused (a private profile): the next start shows the system's scheme until the settings are read.
  }
}
