// The one table of the window's actions: the command palette lists them (with those of
// paletteActions.ts), the shortcuts sheet lists those with a shortcut, and the window's keydown
// listener runs them. Each action calls what the toolbar or sidebar button for it calls.
import type { Account } from '../bindings/Account';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { KeyKind } from '../bindings/KeyKind';
import type { KeyRow } from '../bindings/KeyRow';

export type Section = 'Keys' | 'Accounts' | 'Go to' | 'App';
export const SECTIONS: Section[] = ['Keys', 'Accounts', 'Go to', 'App'];

/** A key press: `mod` is Ctrl (Cmd on macOS; either works on both). */
export type Shortcut = { key: string; mod?: boolean };

export type Action = {
  id: string;
  title: string;
  section: Section;
  /** The first is the one the palette shows; the sheet shows them all. */
  shortcuts?: Shortcut[];
  keywords?: string[];
  /** A subtitle shown beside the title in the palette (an account's service, a key's account). */
  hint?: string;
  /** Runs while the focus is in a text field too (Ctrl K, and the window's older Ctrl shortcuts). */
  inText?: boolean;
  /** Runs while a dialog is open (Sync all, as before the palette). */
  inDialog?: boolean;
  /** Listed in the sheet but not in the palette (the palette itself). */
  inPalette?: boolean;
  available: () => boolean;
  run: () => void;
};

/** What the table needs from the window: its state and the functions its buttons call. */
export type ActionContext = {
  accounts: () => Account[];
  keys: () => KeyRow[];
  accountFilter: () => string | null;
  syncing: () => boolean;
  openPalette: () => void;
  openShortcuts: () => void;
  newKey: (target?: { accountId: string; kind: KeyKind }) => void;
  syncAll: () => void;
  addAccount: () => void;
  focusSearch: () => void;
  showView: (view: 'keys' | 'expiry' | 'audit') => void;
  showAccount: (id: string | null) => void;
  showKey: (key: KeyRow) => void;
  settings: () => void;
  exportKeys: (format: ExportFormat) => void;
};

export const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** How a shortcut reads: "Ctrl K", or "⌘K" on macOS. */
export function shortcutLabel(s: Shortcut, mac = isMac()): string {
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  if (!s.mod) return key;
  return mac ? `⌘${key}` : `Ctrl ${key}`;
}

export function matchesShortcut(s: Shortcut, e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  if (e.altKey) return false;
  const mod = e.ctrlKey || e.metaKey;
  return !!s.mod === mod && e.key.toLowerCase() === s.key.toLowerCase();
}

/** The actions that do not depend on what the inventory holds, with the window's shortcuts. */
export function staticActions(ctx: ActionContext): Action[] {
  const hasAccounts = () => ctx.accounts().length > 0;
  return [
    { id: 'new-key', title: 'New key…', section: 'Keys', shortcuts: [{ key: 'n', mod: true }], keywords: ['create', 'add', 'mint'], inText: true,
      available: () => true, run: () => ctx.newKey() },
    { id: 'sync-all', title: 'Sync all accounts', section: 'Accounts', shortcuts: [{ key: 'r', mod: true }], keywords: ['refresh', 'fetch'],
      inText: true, inDialog: true, available: () => hasAccounts() && !ctx.syncing(), run: () => ctx.syncAll() },
    { id: 'search', title: 'Search keys', section: 'Keys', shortcuts: [{ key: 'f', mod: true }], keywords: ['find', 'filter'], inText: true,
      available: () => true, run: () => ctx.focusSearch() },
    { id: 'export-csv', title: 'Export listed keys as CSV', section: 'Keys', keywords: ['inventory', 'download', 'spreadsheet'],
      available: () => ctx.keys().length > 0, run: () => ctx.exportKeys('csv') },
    { id: 'export-json', title: 'Export listed keys as JSON', section: 'Keys', keywords: ['inventory', 'download', 'script'],
      available: () => ctx.keys().length > 0, run: () => ctx.exportKeys('json') },
    { id: 'add-account', title: 'Add account…', section: 'Accounts', keywords: ['connect', 'token', 'new'],
      available: () => true, run: () => ctx.addAccount() },
    { id: 'view-keys', title: 'All keys', section: 'Go to', keywords: ['inventory', 'home'],
      available: () => true, run: () => ctx.showAccount(null) },
    { id: 'view-expiry', title: 'Expiry centre', section: 'Go to', keywords: ['expiring', 'rotate', 'soon'],
      available: () => true, run: () => ctx.showView('expiry') },
    { id: 'view-audit', title: 'Audit log', section: 'Go to', keywords: ['history', 'events'],
      available: () => true, run: () => ctx.showView('audit') },
    { id: 'settings', title: 'Settings…', section: 'App', keywords: ['preferences', 'options'],
      available: () => true, run: () => ctx.settings() },
    { id: 'palette', title: 'Command palette', section: 'App', shortcuts: [{ key: 'k', mod: true }], inText: true, inPalette: false,
      available: () => true, run: () => ctx.openPalette() },
    { id: 'shortcuts', title: 'Keyboard shortcuts', section: 'App', shortcuts: [{ key: '/', mod: true }, { key: '?' }], keywords: ['help', 'keys'],
      available: () => true, run: () => ctx.openShortcuts() },
  ];
}

/** What the shortcuts sheet lists: every action with a shortcut, by section. */
export function withShortcuts(actions: Action[]): { section: Section; actions: Action[] }[] {
  return SECTIONS.map((section) => ({ section, actions: actions.filter((a) => a.section === section && a.shortcuts?.length) }))
    .filter((g) => g.actions.length > 0);
}

/** Whether the focus is somewhere typing goes: a text input, a text area, a select or editable text. */
export function typingIn(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  return (el as HTMLElement).isContentEditable === true;
}
