// When a key was last used, as the table, the detail panel and the filter say it. Only some
// services report it (the catalog's `reports_last_use`): for those, no date means never used; for
// the others nothing is known, and the window says nothing.
import type { KeyRow } from './bindings/KeyRow';
import { CATALOG } from './bindings/catalog';
import { fullDate, timeAgo } from './format';
import { KINDS } from './kinds';

export type LastUse = {
  state: 'used' | 'never' | 'unreported';
  /** What the cell shows: "3 days ago", "never", or nothing. */
  text: string;
  /** What a screen reader and the tooltip say. */
  title: string;
};

export function lastUse(key: Pick<KeyRow, 'kind' | 'last_used_at'>, now: number = Date.now()): LastUse {
  // A fixture or an older store may lack the field altogether: the same as null.
  if (key.last_used_at) return { state: 'used', text: timeAgo(key.last_used_at, now), title: `Last used ${fullDate(key.last_used_at) || key.last_used_at}` };
  if (KINDS[key.kind]?.reports_last_use) return { state: 'never', text: 'never', title: 'Never used' };
  return { state: 'unreported', text: '', title: 'Last use not reported' };
}

/** The "Last used" filter's choices; the value is `KeyQuery.unused_days` as text ('' for none). */
export const UNUSED_CHOICES = [
  { value: '', label: 'Last used: any time' },
  { value: '0', label: 'Never used' },
  { value: '7', label: 'Not used in 7 days' },
  { value: '30', label: 'Not used in 30 days' },
  { value: '90', label: 'Not used in 90 days' },
] as const;
export type UnusedFilter = (typeof UNUSED_CHOICES)[number]['value'];

export function unusedDays(filter: UnusedFilter): number | undefined {
  return filter === '' ? undefined : Number(filter);
}

/** The kinds the filter can find, as a sentence: "temporary keys, gateway keys and env vars". */
export function reportingKinds(): string {
  const names = CATALOG.kinds.filter((k) => k.reports_last_use).map((k) => `${k.label.charAt(0).toLowerCase()}${k.label.slice(1)}s`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
