// Braintrust env vars as the window reads them: the scope a variable is set for (the
// organization, a project by name, or a function by id), its category and type, from the details
// the core keeps (`key_details`), and how a row names its place among install targets.
import type { KeyRow } from './bindings/KeyRow';

export type Details = Record<string, unknown>;

export type EnvVarFacts = {
  /** "Project checkout", "Organization", "Function 1a2b…" (the whole id). */
  scope: string;
  category: string | null;
  type: string | null;
  /** When its value last changed (ISO 8601), as Braintrust says. */
  valueChangedAt: string | null;
};

const CATEGORY: Record<string, string> = {
  env_var: 'Environment variable',
  ai_provider: 'AI provider key',
  sandbox_provider: 'Sandbox provider key',
};

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Capitalised for a label: "project checkout" → "Project checkout". */
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What the detail panel says of an env var. Until its details are read (or when they could not
 * be), the row's owner ("project checkout") stands in for the scope. */
export function envVarFacts(details: Details | null, owner: string | null): EnvVarFacts {
  const d = details ?? {};
  const id = text(d.object_id);
  const fallback = owner ? sentence(owner) : '—';
  let scope: string;
  switch (d.object_type) {
    case 'organization':
      scope = 'Organization';
      break;
    case 'project': {
      const name = text(d.project_name);
      scope = name ? `Project ${name}` : id ? `Project ${id}` : fallback;
      break;
    }
    case 'function':
      scope = id ? `Function ${id}` : fallback;
      break;
    default:
      scope = fallback;
  }
  const category = text(d.secret_category);
  return { scope, category: category ? (CATEGORY[category] ?? category) : null, type: text(d.secret_type), valueChangedAt: text(d.secret_updated_at) };
}

/** Where an install target is, when its kind has a place beside its account: an env var's scope
 * ("project checkout", "the organization"). Null for the other kinds. */
export function targetPlace(key: Pick<KeyRow, 'kind' | 'owner'>): string | null {
  if (key.kind !== 'braintrust_env_var' || !key.owner) return null;
  return key.owner === 'organization' ? 'the organization' : key.owner;
}

/** What a person gives a kind that takes a secret: an env var holds a value. */
export const givenWord = (kind: KeyRow['kind']) => (kind === 'braintrust_env_var' ? 'value' : 'secret');
