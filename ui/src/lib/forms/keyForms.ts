// What each kind's create form asks for: labels, help and input types. The rules (what is valid)
// are the core's, asked through validate_key; nothing here decides validity.
import type { EnvVarScope } from '../bindings/EnvVarScope';
import type { KeyKind } from '../bindings/KeyKind';
import type { NewKey } from '../bindings/NewKey';
import type { Service } from '../bindings/Service';
import { CATALOG } from '../bindings/catalog';
import { KINDS } from '../kinds';

/** `choice`: a few options side by side (radio buttons); `project`: a Braintrust project picked by
 * name from the account's projects (its id is the value). */
export type FieldType = 'text' | 'number' | 'secret' | 'json' | 'secret-json' | 'checkbox' | 'datetime' | 'select' | 'list' | 'choice' | 'project';
export type Field = {
  name: string;
  label: string;
  type: FieldType;
  help?: string;
  placeholder?: string;
  /** A `choice` option's help replaces the field's while it is picked. */
  options?: { value: string; label: string; help?: string }[];
  /** Shown only when this returns true for the current values (Barndoor's auth types). */
  when?: (values: Values) => boolean;
  initial?: string | boolean;
  /** A choice the form makes with the person (which of the next fields to show); never sent. */
  local?: boolean;
  /** The request's name for the value, when not the field's own: two fields that take turns
   * filling one (an env var's project or function id, both `object_id`). */
  sends?: string;
  /** Other names the core gives this field's problems by (a project the service refused). */
  alsoErrors?: string[];
};
/** Svelte binds number inputs as numbers (and an empty one as null). */
export type Values = Record<string, string | number | boolean | null>;

// Providers, auth types and their defaults are the core's (bindings/catalog.ts), as the core checks them.
const MODEL_PROVIDERS = CATALOG.model_providers;
/** The conventional upstream address, prefilled when a provider is picked. */
export const BASE_URLS: Record<string, string> = Object.fromEntries(MODEL_PROVIDERS.flatMap((p) => (p.base_url ? [[p.id, p.base_url]] : [])));
const AUTH = Object.fromEntries(CATALOG.auth_types.map((a) => [a.id, a]));
export const AUTH_TYPE_OPTIONS = [{ value: '', label: "Provider's default" }, ...CATALOG.auth_types.map((a) => ({ value: a.id, label: a.label }))];
const defaultAuth = (provider: string) => MODEL_PROVIDERS.find((p) => p.id === provider)?.default_auth_type ?? 'api_key';
const authOf = (v: Values) => (v.auth_type as string) || defaultAuth(v.model_provider as string);
/** Barndoor can try these before a credential is saved (assume the role, reach Vertex AI). */
export const checkable = (v: Values) => AUTH[authOf(v)]?.checkable ?? false;
/** The auth types whose secret is one API key; the rest take a credentials object. */
export const takesKey = (auth: string) => AUTH[auth]?.takes_key ?? false;
export const usesKey = (v: Values) => takesKey(authOf(v));
const TTL = CATALOG.proxy_ttl;
/** A list typed in one box, its items separated by commas or spaces. */
export const splitList = (v: unknown) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : []);
/** Who a gateway key acts for: only the chosen one is shown and sent. */
const actsFor = (who: string) => (v: Values) => v.acts_for === who;
/** What an env var is scoped to: only that scope's object (a project, a function) is asked for. */
const scopeIs = (scope: EnvVarScope) => (v: Values) => v.object_type === scope;
const ENV_SCOPES: { value: EnvVarScope; label: string; help: string }[] = [
  { value: 'organization', label: 'Organization', help: 'Every project and function of the organization can read it.' },
  { value: 'project', label: 'Project', help: "The project's functions can read it." },
  { value: 'function', label: 'Function', help: 'Only that one function can read it.' },
];

export type KindForm = { kind: KeyKind; service: Service; title: string; mints: boolean; fields: Field[] };

/** A kind's service, title and whether it mints come from the catalog; only the fields are the form's. */
const kindForm = (kind: KeyKind, fields: Field[]): KindForm => ({ kind, service: KINDS[kind].service, title: KINDS[kind].label, mints: KINDS[kind].mints_secret, fields });

export const KIND_FORMS: KindForm[] = [
  kindForm('braintrust_api_key', [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'ci-deploy', help: 'Braintrust lets only service tokens create API keys; with a user key this is refused.' },
  ]),
  kindForm('braintrust_proxy_credential', [
    { name: 'model', label: 'Model', type: 'text', placeholder: 'gpt-4o', help: 'Leave empty to allow every model.' },
    { name: 'ttl_seconds', label: 'Lifetime (seconds)', type: 'number', initial: String(TTL.default), help: `1 to ${TTL.max.toLocaleString('en-US')} (${TTL.max / 3600} hours). It cannot be revoked: it expires.` },
    { name: 'logging_project', label: 'Log calls to project', type: 'text', help: 'Optional Braintrust project name.' },
  ]),
  kindForm('braintrust_service_token', [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'service_account_id', label: 'Service account id', type: 'text', help: 'From Settings → Service tokens in Braintrust.' },
    { name: 'replace_existing', label: 'Replace the token of the same name', type: 'checkbox' },
  ]),
  kindForm('braintrust_ai_secret', [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'OPENAI_API_KEY' },
    { name: 'type', label: 'Provider', type: 'text', placeholder: 'openai' },
    { name: 'secret', label: 'Secret', type: 'secret', help: 'Sent to Braintrust once; Keyward never keeps it.' },
    { name: 'metadata', label: 'Metadata (JSON)', type: 'json', placeholder: '{"team": "evals"}' },
    { name: 'replace_existing', label: 'Replace the AI secret of the same name', type: 'checkbox' },
  ]),
  kindForm('braintrust_env_var', [
    { name: 'name', label: 'Name', type: 'text', placeholder: KINDS.braintrust_env_var.env_var,
      help: `As code reads it from its environment, e.g. ${KINDS.braintrust_env_var.env_var}.` },
    { name: 'object_type', label: 'Scope', type: 'choice', initial: 'project', options: ENV_SCOPES },
    { name: 'project', label: 'Project', type: 'project', sends: 'object_id', when: scopeIs('project') },
    { name: 'function_id', label: 'Function id', type: 'text', sends: 'object_id', when: scopeIs('function'),
      placeholder: '00000000-0000-0000-0000-000000000000', help: "The function's id (a UUID), from its page in Braintrust." },
    { name: 'value', label: 'Value', type: 'secret', help: 'Sent to Braintrust once; Keyward never keeps it.' },
    { name: 'secret_type', label: 'Type', type: 'text', placeholder: 'openai', help: 'Optional: what the value is a key for, e.g. openai.' },
    { name: 'replace_existing', label: 'Replace the value if a variable of this name exists', type: 'checkbox' },
  ]),
  kindForm('respan_temp_key', [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'expiry_date', label: 'Expires', type: 'datetime', help: 'Leave empty for no expiry.' },
    { name: 'max_usage', label: 'Maximum uses', type: 'number', initial: '-1', help: '-1 for unlimited.' },
    { name: 'rate_limit', label: 'Rate limit (calls a minute)', type: 'number' },
    { name: 'spending_limit', label: 'Spending limit (US$)', type: 'number' },
    { name: 'is_test', label: 'Test key', type: 'checkbox' },
  ]),
  kindForm('respan_provider', [
    { name: 'provider_id', label: 'Provider id', type: 'text', placeholder: 'my-openai' },
    { name: 'provider_name', label: 'Name', type: 'text', placeholder: 'My OpenAI' },
    { name: 'api_key', label: 'Upstream API key', type: 'secret', help: 'Sent to Respan once; Keyward never keeps it.' },
    { name: 'extra_kwargs', label: 'Settings (JSON)', type: 'json', placeholder: '{"base_url": "https://api.openai.com/v1"}' },
  ]),
  kindForm('barndoor_gateway_key', [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'expires_at', label: 'Expires', type: 'datetime', help: 'Leave empty for a key that never expires.' },
    { name: 'scopes', label: 'Scopes', type: 'list', help: 'Separated by commas or spaces. Leave empty for none.' },
    { name: 'acts_for', label: 'Acts for', type: 'select', local: true, initial: '',
      options: [{ value: '', label: 'Nobody in particular' }, { value: 'user', label: 'A user' }, { value: 'user_id', label: 'A user, by Barndoor user id' },
        { value: 'group', label: 'An IdP group' }],
      help: "A group key shares the group's budgets, rate limits and model policies." },
    { name: 'user_email', label: 'User email', type: 'text', placeholder: 'ana@example.com', when: actsFor('user') },
    { name: 'user_id', label: 'User id', type: 'text', placeholder: '00000000-0000-0000-0000-000000000000', when: actsFor('user_id'), help: 'The Barndoor id of the user (a UUID).' },
    { name: 'group_name', label: 'Group name', type: 'text', placeholder: 'engineering', when: actsFor('group'),
      help: 'As your identity provider names it.' },
  ]),
  kindForm('barndoor_credential', [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'OpenAI Production' },
    { name: 'model_provider', label: 'Upstream provider', type: 'select', initial: 'openai', options: MODEL_PROVIDERS.map((p) => ({ value: p.id, label: p.label })) },
    { name: 'base_url', label: 'Base URL', type: 'text', initial: BASE_URLS.openai },
    { name: 'auth_type', label: 'Authentication', type: 'select', initial: '', options: AUTH_TYPE_OPTIONS },
    { name: 'api_key', label: 'Upstream API key', type: 'secret', when: usesKey, help: 'Sent to Barndoor once; Keyward never keeps it.' },
    { name: 'credentials', label: 'Credentials (JSON)', type: 'secret-json', when: (v) => !usesKey(v), help: 'e.g. {"iam_role_arn": "…", "external_id": "…"}; sent once, never kept.' },
    { name: 'settings', label: 'Settings (JSON)', type: 'json', placeholder: '{"region": "us-east-1"}' },
    { name: 'change_note', label: 'Why', type: 'text', help: 'A note for your team (never a secret).' },
  ]),
];

export function formsFor(service: Service): KindForm[] {
  return KIND_FORMS.filter((f) => f.service === service);
}

/** Every name the core may give this field's problems by: its own, the request's, and the others
 * it answers for. */
export function errorNames(f: Field): string[] {
  return [...new Set([f.name, f.sends ?? f.name, ...(f.alsoErrors ?? [])])];
}

/** The core's message for this field, under whichever of its names the core used. */
export function fieldError(f: Field, errors: Record<string, string>): string | undefined {
  for (const n of errorNames(f)) if (errors[n]) return errors[n];
  return undefined;
}

export function initialValues(form: KindForm): Values {
  return Object.fromEntries(form.fields.map((f) => [f.name, f.initial ?? (f.type === 'checkbox' ? false : '')]));
}

/** The request the core checks and sends. Text goes as typed (the core treats empty as absent
 * and names a missing required field); empty numbers, dates and lists are left out, and so are the
 * form's own choices and the fields they hide. */
export function toRequest(form: KindForm, values: Values): NewKey {
  const out: Record<string, unknown> = { kind: form.kind };
  for (const f of form.fields) {
    if (f.local || (f.when && !f.when(values))) continue;
    const v = values[f.name];
    const key = f.sends ?? f.name;
    if (f.type === 'list') {
      const items = splitList(v);
      if (items.length) out[key] = items;
    } else if (f.type === 'checkbox') out[key] = Boolean(v);
    else if (f.type === 'number') {
      if (typeof v === 'number' && !Number.isNaN(v)) out[key] = v;
      else if (typeof v === 'string' && v.trim() !== '') out[key] = Number(v);
    } else if (f.type === 'datetime') {
      if (typeof v === 'string' && v.trim() !== '') out[key] = Number.isNaN(Date.parse(v)) ? v : new Date(v).toISOString();
    } else out[key] = typeof v === 'string' ? v : '';
  }
  return out as NewKey;
}
