// How the audit log reads in the window: actions and outcomes in words, and the screen's filters
// as the query the core takes.
import type { AuditQuery } from './bindings/AuditQuery';
import { CATALOG } from './bindings/catalog';

// The words are the core's (bindings/catalog.ts), one for every action it records.
const ACTION_LABEL: Record<string, string> = Object.fromEntries(CATALOG.audit_actions.map((a) => [a.action, a.words]));

/** An action a newer Keyward wrote reads as itself rather than not at all. */
export const actionLabel = (action: string) => ACTION_LABEL[action] ?? action;

const OUTCOME_LABEL: Record<string, string> = Object.fromEntries(CATALOG.outcomes.map((o) => [o.outcome, o.words]));

export const outcomeLabel = (outcome: string) => OUTCOME_LABEL[outcome] ?? outcome.replace(/_/g, ' ');

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
