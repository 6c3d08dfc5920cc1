// How the audit log reads in the window: actions and outcomes in words, and the screen's filters
// as the query the core takes.
import type { AuditQuery } from './bindings/AuditQuery';
import type { ErrorCode } from './bindings/ErrorCode';

const ACTION_LABEL: Record<string, string> = {
  'account.add': 'Account added',
  'account.update': 'Account edited',
  'account.token': 'Token replaced',
  'account.remove': 'Account removed',
  'key.create': 'Key created',
  'key.update': 'Key edited',
  'key.rotate': 'Key rotated',
  'key.revoke': 'Key revoked',
  'setup.validate': 'Setup checked',
  'store.recover': 'Inventory rebuilt',
  'inventory.export': 'Inventory exported',
  'audit.export': 'Audit log exported',
};

/** An action a newer Keyward wrote reads as itself rather than not at all. */
export const actionLabel = (action: string) => ACTION_LABEL[action] ?? action;

const OUTCOME_LABEL: Record<ErrorCode, string> = {
  unauthorized: 'Token refused',
  forbidden: 'Not permitted',
  rate_limited: 'Rate limited',
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid_input: 'Refused input',
  network: 'Unreachable',
  provider: 'Service error',
  keychain_unavailable: 'No keychain',
  keychain_locked: 'Keychain locked',
  token_missing: 'Token missing',
  storage: 'Storage error',
  store_damaged: 'Store damaged',
  store_locked: 'Store locked',
  internal: 'Internal error',
};

export const outcomeLabel = (outcome: string) =>
  outcome === 'ok' ? 'OK' : OUTCOME_LABEL[outcome as ErrorCode] ?? outcome.replace(/_/g, ' ');

/** What the screen's controls hold: ids, and days as a date input gives them (YYYY-MM-DD). */
export type AuditFilters = { account: string; action: string; from: string; to: string };
export const NO_FILTERS: AuditFilters = { account: '', action: '', from: '', to: '' };

/** A day the person picked, in their own time zone: its first moment, or its last. */
function localDay(day: string, end: boolean): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const t = end ? new Date(y, mo, d + 1).getTime() - 1 : new Date(y, mo, d).getTime();
  return new Date(t).toISOString();
}

export function auditQuery(f: AuditFilters, limit?: number): AuditQuery {
  return {
    account_id: f.account || undefined,
    action: f.action || undefined,
    since: localDay(f.from, false),
    until: localDay(f.to, true),
    limit,
  };
}
