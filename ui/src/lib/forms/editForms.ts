// What can be changed on a stored key, per kind, and where each field's current value comes from.
// Validity is the core's (validate_update); a field left as it was is not sent, and a secret field
// left empty keeps the secret the service holds.
import type { KeyKind } from '../bindings/KeyKind';
import type { KeyRow } from '../bindings/KeyRow';
import type { KeyUpdate } from '../bindings/KeyUpdate';
import { AUTH_TYPE_OPTIONS, usesKey, type Field, type Values } from './keyForms';

export type Details = Record<string, unknown>;
export type EditField = Field & {
  /** The value the form starts from: what the service said last. */
  current?: (key: KeyRow, details: Details) => string | boolean;
  /** A new secret: empty keeps the stored one, a value replaces (reissues) it. */
  reissues?: boolean;
};
export type EditForm = { kind: KeyKind; title: string; fields: EditField[] };

const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v, null, 2) : String(v));
/** A datetime-local input's value for an ISO instant, in the person's own time zone. */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const keep = 'Leave empty to keep the one the service holds; a new one replaces it at once.';

export const EDIT_FORMS: EditForm[] = [
  { kind: 'respan_temp_key', title: 'Edit temporary key', fields: [
    { name: 'name', label: 'Name', type: 'text', current: (k) => k.name },
    { name: 'expiry_date', label: 'Expires', type: 'datetime', current: (k) => localInput(k.expires_at),
      help: 'Respan changes only the name, expiry, test flag and prefix; limits are fixed at creation.' },
    { name: 'prefix', label: 'Prefix', type: 'text', current: (_, d) => text(d.prefix) },
    { name: 'is_test', label: 'Test key', type: 'checkbox', current: (k) => Boolean(k.is_test) },
  ] },
  { kind: 'respan_provider', title: 'Edit custom provider', fields: [
    { name: 'provider_name', label: 'Name', type: 'text', current: (k, d) => text(d.provider_name ?? k.name) },
    { name: 'api_key', label: 'New upstream API key', type: 'secret', reissues: true, help: keep },
    { name: 'extra_kwargs', label: 'Settings (JSON)', type: 'json', current: (_, d) => text(d.extra_kwargs) },
  ] },
  { kind: 'braintrust_ai_secret', title: 'Edit AI secret', fields: [
    { name: 'name', label: 'Name', type: 'text', current: (k) => k.name },
    { name: 'type', label: 'Provider', type: 'text', current: (_, d) => text(d.type) },
    { name: 'secret', label: 'New secret', type: 'secret', reissues: true, help: keep },
    { name: 'metadata', label: 'Metadata (JSON)', type: 'json', current: (_, d) => text(d.metadata) },
  ] },
  { kind: 'braintrust_env_var', title: 'Edit env var', fields: [
    { name: 'name', label: 'Name', type: 'text', current: (k) => k.name, help: 'As code reads it from its environment; its scope stays as it is.' },
    { name: 'value', label: 'New value', type: 'secret', reissues: true,
      help: 'Leave empty to keep the value Braintrust holds; a new one replaces it at once, and is sent once and never kept.' },
  ] },
  { kind: 'barndoor_credential', title: 'Edit credential', fields: [
    { name: 'name', label: 'Name', type: 'text', current: (k) => k.name },
    { name: 'base_url', label: 'Base URL', type: 'text', current: (_, d) => text(d.base_url) },
    { name: 'auth_type', label: 'Authentication', type: 'select', options: AUTH_TYPE_OPTIONS, current: (_, d) => text(d.auth_type) },
    { name: 'api_key', label: 'New upstream API key', type: 'secret', reissues: true, when: usesKey,
      help: 'The new secret reaches every provider that uses the credential. Leave empty to keep the current one.' },
    { name: 'credentials', label: 'New credentials (JSON)', type: 'secret-json', reissues: true, when: (v) => !usesKey(v),
      help: 'The new secret reaches every provider that uses the credential. Leave empty to keep the current one.' },
    { name: 'settings', label: 'Settings (JSON)', type: 'json', current: (_, d) => text(d.settings) },
    { name: 'change_note', label: 'Why', type: 'text', help: 'A note for your team, kept by Barndoor (never a secret).' },
  ] },
  { kind: 'barndoor_gateway_key', title: 'Edit gateway key', fields: [
    { name: 'disabled', label: 'Disabled: the gateway refuses it until enabled again', type: 'checkbox', current: (_, d) => Boolean(d.disabled_at) },
    { name: 'expires_at', label: 'Expires', type: 'datetime', current: (k) => localInput(k.expires_at),
      help: 'Leave empty for a key that never expires.' },
  ] },
];

export function editFormFor(kind: KeyKind): EditForm | undefined {
  return EDIT_FORMS.find((f) => f.kind === kind);
}

/** The form's starting values: what the service holds now; secrets start empty. */
export function currentValues(form: EditForm, key: KeyRow, details: Details): Values {
  return Object.fromEntries(form.fields.map((f) => [f.name, f.current ? f.current(key, details) : f.type === 'checkbox' ? false : '']));
}

const same = (a: unknown, b: unknown) => String(a ?? '').trim() === String(b ?? '').trim();

/** Only what changed: a field left as it was is not sent; an empty secret is not sent. */
export function toUpdate(form: EditForm, values: Values, start: Values): KeyUpdate {
  const out: Record<string, unknown> = { kind: form.kind };
  for (const f of form.fields) {
    if (f.when && !f.when(values)) continue;
    const v = values[f.name];
    if (f.reissues) {
      if (typeof v === 'string' && v.trim() !== '') out[f.name] = v;
    } else if (f.type === 'checkbox') {
      if (Boolean(v) !== Boolean(start[f.name])) out[f.name] = Boolean(v);
    } else if (!same(v, start[f.name])) {
      if (f.type === 'datetime') {
        const s = typeof v === 'string' ? v.trim() : '';
        if (s === '' && form.kind === 'barndoor_gateway_key') out.clear_expiry = true;
        else if (s !== '') out[f.name] = Number.isNaN(Date.parse(s)) ? s : new Date(s).toISOString();
      } else out[f.name] = typeof v === 'string' ? v : String(v ?? '');
    }
  }
  return out as KeyUpdate;
}

/** True when the update would change nothing. */
export const isEmptyUpdate = (u: KeyUpdate) => Object.keys(u).length === 1;

/** The update gives the key a new secret (a reissue), not only new settings. */
export const reissues = (form: EditForm | undefined, u: KeyUpdate) => !!form?.fields.some((f) => f.reissues && f.name in u);
