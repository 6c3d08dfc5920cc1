// How a Barndoor gateway key's state reads in the window: the badges a person scans the table
// for (disabled, a class other than "user", a previous secret still working), and the detail
// panel's words for its class and who it acts for. Words only; the core reads the state
// (`KeyRow.gateway`) from what Barndoor returned.
import type { GatewayState } from './bindings/GatewayState';
import type { KeyKind } from './bindings/KeyKind';
import type { KeyRow } from './bindings/KeyRow';
import { fullDate } from './format';
import { KINDS } from './kinds';

/** Barndoor's classes of key, as a person reads them; an unknown one reads as it is sent. */
const CLASS_LABEL: Record<string, string> = { user: 'User', machine: 'Machine', agent_session: 'Agent session' };

export function classLabel(cls: string | null): string | null {
  if (!cls) return null;
  const words = cls.replace(/_/g, ' ').trim();
  return CLASS_LABEL[cls] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** Until when the previous secret still works, while that is ahead of `now`; else null. */
export function previousUntil(g: GatewayState | null, now: number = Date.now()): string | null {
  const at = g?.previous_key_expires_at;
  return at && Date.parse(at) > now ? at : null;
}

/** Who the key acts for: its IdP group, else its user (by Barndoor id), else nobody in particular. */
export function actsFor(g: GatewayState): string {
  if (g.group_name) return `The IdP group ${g.group_name}`;
  if (g.user_id) return `The user ${g.user_id}`;
  return 'Nobody in particular';
}

export type GatewayBadge = {
  id: 'disabled' | 'rolling-over' | 'class';
  text: string;
  /** The tooltip and the accessible name: what the badge means, with its date. */
  label: string;
  tone: 'warning' | 'accent' | 'neutral';
};

/** The table's badges for a gateway key, most urgent first (the last gives way first when the
 * name cell is narrow): disabled, a previous secret still working, then a class other than user.
 * A revoked or gone key's secrets work no more, so it has only its class. */
export function gatewayBadges(key: Pick<KeyRow, 'gateway' | 'status'>, now: number = Date.now()): GatewayBadge[] {
  const g = key.gateway;
  if (!g) return [];
  const out: GatewayBadge[] = [];
  const ended = key.status === 'revoked' || key.status === 'gone';
  if (g.disabled_at && !ended) {
    const since = fullDate(g.disabled_at);
    out.push({ id: 'disabled', text: 'Disabled', label: since ? `Disabled since ${since}` : 'Disabled', tone: 'warning' });
  }
  const until = ended ? null : previousUntil(g, now);
  if (until) out.push({ id: 'rolling-over', text: 'Rolling over', label: `Previous secret works until ${fullDate(until)}`, tone: 'accent' });
  const cls = classLabel(g.class);
  if (cls && g.class !== 'user') out.push({ id: 'class', text: cls, label: `Class: ${cls}`, tone: 'neutral' });
  return out;
}

/** The replace assistant gives this kind a new secret in place (the previous one keeps working a
 * while), rather than minting a successor and revoking the old key. */
export const replacedInPlace = (kind: KeyKind) => KINDS[kind].reissue_grace_max_secs != null;
