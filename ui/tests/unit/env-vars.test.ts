// Braintrust env vars: the create request the form builds for each scope, the core's errors found
// under any of a field's names, what an edit sends, and how the detail panel and the install
// targets read a variable's scope.
import { expect, test } from 'vitest';
import { envVarFacts, givenWord, targetPlace } from '../../src/lib/envVars';
import { currentValues, editFormFor, toUpdate } from '../../src/lib/forms/editForms';
import { FieldChecks } from '../../src/lib/forms/fieldChecks.svelte';
import { KIND_FORMS, errorNames, fieldError, initialValues, toRequest } from '../../src/lib/forms/keyForms';
import type { KeyRow } from '../../src/lib/bindings/KeyRow';

const form = KIND_FORMS.find((f) => f.kind === 'braintrust_env_var')!;
const PROJECT = '9b2e4f10-7a3c-4d5e-8f61-2c4b6d8e0a13';
const FUNCTION = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

test('the form asks for a name, a scope, the scope\'s object, a masked value, a type and whether to replace', () => {
  expect(form.fields.map((f) => [f.name, f.type])).toEqual([
    ['name', 'text'], ['object_type', 'choice'], ['project', 'project'], ['function_id', 'text'], ['value', 'secret'], ['secret_type', 'text'],
    ['replace_existing', 'checkbox']]);
  expect(form.fields[0].placeholder).toBe('RESPAN_API_KEY');
  expect(form.fields[1].options!.map((o) => o.label)).toEqual(['Organization', 'Project', 'Function']);
  expect(form.mints).toBe(false);
});

test('only the scope\'s object is sent, as object_id; the organization names none', () => {
  const typed = { ...initialValues(form), name: 'RESPAN_API_KEY', project: PROJECT, function_id: FUNCTION, value: 'v-1', secret_type: 'respan' };
  expect(initialValues(form).object_type).toBe('project');
  expect(toRequest(form, typed)).toEqual({ kind: 'braintrust_env_var', name: 'RESPAN_API_KEY', object_type: 'project', object_id: PROJECT, value: 'v-1',
    secret_type: 'respan', replace_existing: false });
  expect(toRequest(form, { ...typed, object_type: 'function' })).toMatchObject({ object_type: 'function', object_id: FUNCTION });
  const org = toRequest(form, { ...typed, object_type: 'organization', replace_existing: true });
  expect(org).toMatchObject({ object_type: 'organization', replace_existing: true });
  expect(org).not.toHaveProperty('object_id');
  expect(org).not.toHaveProperty('project');
  expect(org).not.toHaveProperty('function_id');
});

test('a field answers for the names the core may use: its own and the request\'s', () => {
  const project = form.fields.find((f) => f.name === 'project')!;
  const fn = form.fields.find((f) => f.name === 'function_id')!;
  expect(errorNames(project)).toEqual(['project', 'object_id']);
  expect(errorNames(fn)).toEqual(['function_id', 'object_id']);
  expect(errorNames(form.fields[0])).toEqual(['name']);
  expect(fieldError(project, { object_id: 'Pick the project the variable is for.' })).toBe('Pick the project the variable is for.');
  expect(fieldError(project, { project: 'No project named “x”.' })).toBe('No project named “x”.');
  expect(fieldError(project, { name: 'taken' })).toBeUndefined();
});

test('a change to a field touches each of its names, so the core\'s message shows as you type', async () => {
  const checks = new FieldChecks(async () => [{ field: 'object_id', message: 'Pick the project the variable is for.' }]);
  await checks.run();
  expect(checks.errors).toEqual({});
  checks.edited(...errorNames(form.fields.find((f) => f.name === 'project')!));
  checks.soon.cancel();
  await checks.run();
  expect(checks.errors).toEqual({ object_id: 'Pick the project the variable is for.' });
});

test('an edit renames it or gives a new value; an empty value keeps the one Braintrust holds', () => {
  const edit = editFormFor('braintrust_env_var')!;
  const key = { name: 'RESPAN_API_KEY' } as KeyRow;
  const start = currentValues(edit, key, {});
  expect(start).toEqual({ name: 'RESPAN_API_KEY', value: '' });
  expect(edit.fields.find((f) => f.name === 'value')).toMatchObject({ type: 'secret', reissues: true });
  expect(toUpdate(edit, { ...start }, start)).toEqual({ kind: 'braintrust_env_var' });
  expect(toUpdate(edit, { ...start, name: 'RESPAN_KEY' }, start)).toEqual({ kind: 'braintrust_env_var', name: 'RESPAN_KEY' });
  expect(toUpdate(edit, { ...start, value: 'v-2' }, start)).toEqual({ kind: 'braintrust_env_var', value: 'v-2' });
});

test('the detail panel names the scope: a project by name, the organization, a function by its id', () => {
  const base = { secret_category: 'env_var', secret_type: 'respan', secret_updated_at: '2026-11-20T10:00:00Z' };
  expect(envVarFacts({ ...base, object_type: 'project', object_id: PROJECT, project_name: 'checkout' }, 'project checkout')).toEqual({
    scope: 'Project checkout', category: 'Environment variable', type: 'respan', valueChangedAt: '2026-11-20T10:00:00Z' });
  expect(envVarFacts({ object_type: 'project', object_id: PROJECT }, null).scope).toBe(`Project ${PROJECT}`);
  expect(envVarFacts({ object_type: 'organization', object_id: 'org', secret_category: 'ai_provider' }, 'organization')).toMatchObject({
    scope: 'Organization', category: 'AI provider key', type: null, valueChangedAt: null });
  expect(envVarFacts({ object_type: 'function', object_id: FUNCTION, secret_category: 'sandbox_provider' }, 'function 1a2b3c4d')).toMatchObject({
    scope: `Function ${FUNCTION}`, category: 'Sandbox provider key' });
  // A category the window does not know reads as Braintrust says it.
  expect(envVarFacts({ object_type: 'organization', secret_category: 'future_kind' }, null).category).toBe('future_kind');
  // Before the details arrive (or when they could not be read), the row's owner stands in.
  expect(envVarFacts(null, 'project checkout').scope).toBe('Project checkout');
  expect(envVarFacts({}, null).scope).toBe('—');
});

test('install targets name an env var\'s place; an env var is given a value, the others a secret', () => {
  expect(targetPlace({ kind: 'braintrust_env_var', owner: 'project checkout' })).toBe('project checkout');
  expect(targetPlace({ kind: 'braintrust_env_var', owner: 'organization' })).toBe('the organization');
  expect(targetPlace({ kind: 'braintrust_env_var', owner: null })).toBeNull();
  expect(targetPlace({ kind: 'braintrust_ai_secret', owner: 'ana@example.com' })).toBeNull();
  expect(givenWord('braintrust_env_var')).toBe('value');
  expect(givenWord('braintrust_ai_secret')).toBe('secret');
});
