// What each kind's create form asks for: labels, help and input types. The rules (what is valid)
// are the core's, asked through validate_key; nothing here decides validity.
import type { KeyKind } from '../bindings/KeyKind';
import type { NewKey } from '../bindings/NewKey';
import type { Service } from '../bindings/Service';

export type FieldType = 'text' | 'number' | 'secret' | 'json' | 'secret-json' | 'checkbox' | 'datetime' | 'select';
export type Field = {
  name: string;
  label: string;
  type: FieldType;
  help?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /** Shown only when this returns true for the current values (Barndoor's auth types). */
  when?: (values: Values) => boolean;
  initial?: string | boolean;
};
/** Svelte binds number inputs as numbers (and an empty one as null). */
export type Values = Record<string, string | number | boolean | null>;

const MODEL_PROVIDERS = ['openai', 'anthropic', 'azure_openai', 'google_ai', 'bedrock', 'vertex', 'groq', 'together', 'mistral', 'cohere', 'xai', 'fireworks', 'perplexity', 'openrouter', 'deepseek', 'custom'];
/** The conventional upstream address, prefilled when a provider is picked. */
export const BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com', google_ai: 'https://generativelanguage.googleapis.com',
  bedrock: 'https://bedrock-runtime.us-east-1.amazonaws.com', groq: 'https://api.groq.com/openai/v1', together: 'https://api.together.xyz/v1',
  mistral: 'https://api.mistral.ai/v1', cohere: 'https://api.cohere.com', xai: 'https://api.x.ai/v1', fireworks: 'https://api.fireworks.ai/inference/v1',
  perplexity: 'https://api.perplexity.ai', openrouter: 'https://openrouter.ai/api/v1', deepseek: 'https://api.deepseek.com',
};
const AUTH_TYPES = ['api_key', 'aws_role', 'aws_keys', 'bedrock_api_key', 'google_adc', 'google_service_account', 'google_impersonation'];
const AUTH_LABELS: Record<string, string> = {
  api_key: 'API key', aws_role: 'AWS role (assumed by Barndoor)', aws_keys: 'AWS access keys', bedrock_api_key: 'Bedrock API key',
  google_adc: 'Google application default credentials', google_service_account: 'Google service account', google_impersonation: 'Google service account impersonation',
};
const PROVIDER_LABELS: Record<string, string> = {
  openai: 'OpenAI', anthropic: 'Anthropic', azure_openai: 'Azure OpenAI', google_ai: 'Google AI Studio', bedrock: 'AWS Bedrock', vertex: 'Google Vertex AI',
  groq: 'Groq', together: 'Together AI', mistral: 'Mistral', cohere: 'Cohere', xai: 'xAI', fireworks: 'Fireworks', perplexity: 'Perplexity',
  openrouter: 'OpenRouter', deepseek: 'DeepSeek', custom: 'Custom (OpenAI-compatible)',
};
export const AUTH_TYPE_OPTIONS = [{ value: '', label: "Provider's default" }, ...AUTH_TYPES.map((a) => ({ value: a, label: AUTH_LABELS[a] ?? a }))];
const defaultAuth = (provider: string) => (provider === 'bedrock' ? 'aws_role' : provider === 'vertex' ? 'google_adc' : 'api_key');
const authOf = (v: Values) => (v.auth_type as string) || defaultAuth(v.model_provider as string);
/** Barndoor can try these before a credential is saved (assume the role, reach Vertex AI). */
export const checkable = (v: Values) => ['aws_role', 'google_adc', 'google_service_account', 'google_impersonation'].includes(authOf(v));
export const usesKey = (v: Values) => ['api_key', 'bedrock_api_key'].includes(authOf(v));

export type KindForm = { kind: KeyKind; service: Service; title: string; mints: boolean; fields: Field[] };

export const KIND_FORMS: KindForm[] = [
  { kind: 'braintrust_api_key', service: 'braintrust', title: 'API key', mints: true, fields: [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'ci-deploy', help: 'Braintrust lets only service tokens create API keys; with a user key this is refused.' },
  ] },
  { kind: 'braintrust_proxy_credential', service: 'braintrust', title: 'Proxy credential', mints: true, fields: [
    { name: 'model', label: 'Model', type: 'text', placeholder: 'gpt-4o', help: 'Leave empty to allow every model.' },
    { name: 'ttl_seconds', label: 'Lifetime (seconds)', type: 'number', initial: '600', help: '1 to 86,400 (24 hours). It cannot be revoked: it expires.' },
    { name: 'logging_project', label: 'Log calls to project', type: 'text', help: 'Optional Braintrust project name.' },
  ] },
  { kind: 'braintrust_service_token', service: 'braintrust', title: 'Service token', mints: true, fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'service_account_id', label: 'Service account id', type: 'text', help: 'From Settings → Service tokens in Braintrust.' },
    { name: 'replace_existing', label: 'Replace the token of the same name', type: 'checkbox' },
  ] },
  { kind: 'braintrust_ai_secret', service: 'braintrust', title: 'AI secret', mints: false, fields: [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'OPENAI_API_KEY' },
    { name: 'type', label: 'Provider', type: 'text', placeholder: 'openai' },
    { name: 'secret', label: 'Secret', type: 'secret', help: 'Sent to Braintrust once; Keyward never keeps it.' },
    { name: 'metadata', label: 'Metadata (JSON)', type: 'json', placeholder: '{"team": "evals"}' },
    { name: 'replace_existing', label: 'Replace the AI secret of the same name', type: 'checkbox' },
  ] },
  { kind: 'respan_temp_key', service: 'respan', title: 'Temporary key', mints: true, fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'expiry_date', label: 'Expires', type: 'datetime', help: 'Leave empty for no expiry.' },
    { name: 'max_usage', label: 'Maximum uses', type: 'number', initial: '-1', help: '-1 for unlimited.' },
    { name: 'rate_limit', label: 'Rate limit (calls a minute)', type: 'number' },
    { name: 'spending_limit', label: 'Spending limit (US$)', type: 'number' },
    { name: 'is_test', label: 'Test key', type: 'checkbox' },
  ] },
  { kind: 'respan_provider', service: 'respan', title: 'Custom provider', mints: false, fields: [
    { name: 'provider_id', label: 'Provider id', type: 'text', placeholder: 'my-openai' },
    { name: 'provider_name', label: 'Name', type: 'text', placeholder: 'My OpenAI' },
    { name: 'api_key', label: 'Upstream API key', type: 'secret', help: 'Sent to Respan once; Keyward never keeps it.' },
    { name: 'extra_kwargs', label: 'Settings (JSON)', type: 'json', placeholder: '{"base_url": "https://api.openai.com/v1"}' },
  ] },
  { kind: 'barndoor_gateway_key', service: 'barndoor', title: 'Gateway key', mints: true, fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'expires_at', label: 'Expires', type: 'datetime', help: 'Leave empty for a key that never expires.' },
  ] },
  { kind: 'barndoor_credential', service: 'barndoor', title: 'Credential', mints: false, fields: [
    { name: 'name', label: 'Name', type: 'text', placeholder: 'OpenAI Production' },
    { name: 'model_provider', label: 'Upstream provider', type: 'select', initial: 'openai', options: MODEL_PROVIDERS.map((p) => ({ value: p, label: PROVIDER_LABELS[p] ?? p })) },
    { name: 'base_url', label: 'Base URL', type: 'text', initial: BASE_URLS.openai },
    { name: 'auth_type', label: 'Authentication', type: 'select', initial: '', options: AUTH_TYPE_OPTIONS },
    { name: 'api_key', label: 'Upstream API key', type: 'secret', when: usesKey, help: 'Sent to Barndoor once; Keyward never keeps it.' },
    { name: 'credentials', label: 'Credentials (JSON)', type: 'secret-json', when: (v) => !usesKey(v), help: 'e.g. {"iam_role_arn": "…", "external_id": "…"}; sent once, never kept.' },
    { name: 'settings', label: 'Settings (JSON)', type: 'json', placeholder: '{"region": "us-east-1"}' },
    { name: 'change_note', label: 'Why', type: 'text', help: 'A note for your team (never a secret).' },
  ] },
];

export function formsFor(service: Service): KindForm[] {
  return KIND_FORMS.filter((f) => f.service === service);
}

export function initialValues(form: KindForm): Values {
  return Object.fromEntries(form.fields.map((f) => [f.name, f.initial ?? (f.type === 'checkbox' ? false : '')]));
}

/** The request the core checks and sends. Text goes as typed (the core treats empty as absent
 * and names a missing required field); empty numbers and dates are left out. */
export function toRequest(form: KindForm, values: Values): NewKey {
  const out: Record<string, unknown> = { kind: form.kind };
  for (const f of form.fields) {
    if (f.when && !f.when(values)) continue;
    const v = values[f.name];
    if (f.type === 'checkbox') out[f.name] = Boolean(v);
    else if (f.type === 'number') {
      if (typeof v === 'number' && !Number.isNaN(v)) out[f.name] = v;
      else if (typeof v === 'string' && v.trim() !== '') out[f.name] = Number(v);
    } else if (f.type === 'datetime') {
      if (typeof v === 'string' && v.trim() !== '') out[f.name] = Number.isNaN(Date.parse(v)) ? v : new Date(v).toISOString();
    } else out[f.name] = typeof v === 'string' ? v : '';
  }
  return out as NewKey;
}
