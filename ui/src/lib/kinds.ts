// How kinds and statuses read in the window (one place, shared by the table and the panel).
import type { KeyKind } from './bindings/KeyKind';
import type { KeyRow } from './bindings/KeyRow';
import type { KeyStatus } from './bindings/KeyStatus';

export const KIND_LABEL: Record<KeyKind, string> = {
  braintrust_api_key: 'API key',
  braintrust_proxy_credential: 'Proxy credential',
  braintrust_service_token: 'Service token',
  braintrust_ai_secret: 'AI secret',
  respan_temp_key: 'Temporary key',
  respan_provider: 'Custom provider',
  barndoor_gateway_key: 'Gateway key',
  barndoor_credential: 'Credential',
  barndoor_provider: 'Provider',
};

export const STATUS_LABEL: Record<KeyStatus, string> = { active: 'Active', expiring: 'Expiring', expired: 'Expired', revoked: 'Revoked', gone: 'Gone' };

/** Kinds whose secret the person gives (and can replace); Keyward sends it once and keeps nothing. */
export const GIVEN_SECRET_KINDS: KeyKind[] = ['braintrust_ai_secret', 'respan_provider', 'barndoor_credential'];

/** Proxy credentials only expire; Barndoor providers are removed in Barndoor; revoked and gone keys are done. */
export const revocable = (k: Pick<KeyRow, 'kind' | 'status'>) =>
  k.kind !== 'braintrust_proxy_credential' && k.kind !== 'barndoor_provider' && k.status !== 'revoked' && k.status !== 'gone';

/** Kinds the rotation assistant can replace: the service mints their secret and they can be revoked. */
export const ROTATABLE_KINDS: KeyKind[] = ['braintrust_api_key', 'braintrust_service_token', 'respan_temp_key', 'barndoor_gateway_key'];
export const assistable = (k: Pick<KeyRow, 'kind' | 'status'>) => ROTATABLE_KINDS.includes(k.kind) && (k.status === 'active' || k.status === 'expiring' || k.status === 'expired');
