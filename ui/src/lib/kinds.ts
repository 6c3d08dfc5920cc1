// How kinds and statuses read in the window (one place, shared by the table and the panel). What
// each kind is and allows is the core's catalog (bindings/catalog.ts); this only indexes it.
import { CATALOG } from './bindings/catalog';
import type { KeyKind } from './bindings/KeyKind';
import type { KeyRow } from './bindings/KeyRow';
import type { KeyStatus } from './bindings/KeyStatus';
import type { KindInfo } from './bindings/KindInfo';

export const KINDS = Object.fromEntries(CATALOG.kinds.map((k) => [k.kind, k])) as Record<KeyKind, KindInfo>;

export const KIND_LABEL = Object.fromEntries(CATALOG.kinds.map((k) => [k.kind, k.label])) as Record<KeyKind, string>;

export const STATUS_LABEL = Object.fromEntries(CATALOG.statuses.map((s) => [s.status, s.label])) as Record<KeyStatus, string>;

/** Kinds whose secret the person gives (and can replace); Keyward sends it once and keeps nothing. */
export const GIVEN_SECRET_KINDS: KeyKind[] = CATALOG.kinds.filter((k) => k.takes_secret).map((k) => k.kind);

/** Proxy credentials only expire; Barndoor providers are removed in Barndoor; revoked and gone keys are done. */
export const revocable = (k: Pick<KeyRow, 'kind' | 'status'>) => KINDS[k.kind].revocable && k.status !== 'revoked' && k.status !== 'gone';

/** Kinds the replace assistant can replace: the service mints their secret and they can be revoked. */
export const REPLACEABLE_KINDS: KeyKind[] = CATALOG.kinds.filter((k) => k.replaceable).map((k) => k.kind);
export const assistable = (k: Pick<KeyRow, 'kind' | 'status'>) => REPLACEABLE_KINDS.includes(k.kind) && (k.status === 'active' || k.status === 'expiring' || k.status === 'expired');
