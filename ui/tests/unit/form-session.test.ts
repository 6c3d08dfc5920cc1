// The submit dance the dialogs share: one send at a time, the field checks first, busy only while
// sending, and a refusal on the field it names when the form shows it, else as the form's error.
import { expect, test, vi } from 'vitest';
import type { FieldError } from '../../src/lib/bindings/FieldError';
import { FieldChecks } from '../../src/lib/forms/fieldChecks.svelte';
import { FormSession } from '../../src/lib/forms/formSession.svelte';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}
const checksFinding = (found: FieldError[] = []) => new FieldChecks(async () => found);
const refusal = (field: string | null) => ({ code: 'invalid_input', message: `No, says the core (${field}).`, field });

test('a second submit while the first is sending is ignored', async () => {
  const session = new FormSession();
  const sending = deferred<string>();
  const work = vi.fn(() => sending.promise);
  const first = session.run(work);
  const second = session.run(work);
  expect(session.busy).toBe(true);
  expect(work).toHaveBeenCalledOnce();
  expect(await second).toBeUndefined();
  sending.resolve('sent');
  expect(await first).toBe('sent');
  expect(session.busy).toBe(false);
});

test('the checks come first, without making the form busy, and a second submit during them is ignored', async () => {
  const asked = deferred<FieldError[]>();
  const session = new FormSession(new FieldChecks(() => asked.promise));
  const work = vi.fn(async () => 'sent');
  const first = session.run(work);
  const second = session.run(work);
  expect(session.busy).toBe(false);
  expect(work).not.toHaveBeenCalled();
  asked.resolve([]);
  expect(await second).toBeUndefined();
  expect(await first).toBe('sent');
  expect(work).toHaveBeenCalledOnce();
});

test('what the checks find stops the send and shows on every field', async () => {
  const checks = checksFinding([{ field: 'label', message: 'Give it a name.' }]);
  const session = new FormSession(checks, () => ['label']);
  const work = vi.fn(async () => 'sent');
  expect(await session.run(work)).toBeUndefined();
  expect(work).not.toHaveBeenCalled();
  expect(checks.errors).toEqual({ label: 'Give it a name.' });
  expect(session.busy).toBe(false);
});

test('busy clears after a refusal, and the next run can send', async () => {
  const session = new FormSession();
  expect(await session.run(() => Promise.reject(refusal(null)))).toBeUndefined();
  expect(session.busy).toBe(false);
  expect(session.error).toBe('No, says the core (null).');
  expect(await session.run(async () => 'sent')).toBe('sent');
  expect(session.error).toBeNull();
});

test('a refusal naming a field the form shows lands on that field', async () => {
  const checks = checksFinding();
  const session = new FormSession(checks, () => ['label', 'token']);
  await session.run(() => Promise.reject(refusal('token')));
  expect(checks.errors).toEqual({ token: 'No, says the core (token).' });
  expect(checks.formError).toBeNull();
});

test('a refusal naming a field the form does not show, or none, is the form’s error', async () => {
  const checks = checksFinding();
  const session = new FormSession(checks, () => ['label']);
  await session.run(() => Promise.reject(refusal('org_name')));
  expect(checks.errors).toEqual({});
  expect(checks.formError).toBe('No, says the core (org_name).');
  await session.run(() => Promise.reject(refusal(null)));
  expect(checks.formError).toBe('No, says the core (null).');
});

test('the fields are read when the refusal comes back, not when the run starts', async () => {
  const checks = checksFinding();
  let shown = ['label'];
  const session = new FormSession(checks, () => shown);
  const sending = deferred<never>();
  const run = session.run(() => sending.promise);
  await vi.waitFor(() => expect(session.busy).toBe(true));
  shown = ['label', 'token'];
  sending.reject(refusal('token'));
  await run;
  expect(checks.errors).toEqual({ token: 'No, says the core (token).' });
});

test('a new submit clears the last form error before it checks', async () => {
  const asked = deferred<FieldError[]>();
  const checks = new FieldChecks(() => asked.promise);
  checks.formError = 'The system keychain is locked.';
  const run = new FormSession(checks).run(async () => 'sent');
  expect(checks.formError).toBeNull();
  asked.resolve([]);
  expect(await run).toBe('sent');
});

test('something thrown that is not an IpcError is still shown as a message', async () => {
  const checks = checksFinding();
  const session = new FormSession(checks, () => ['label']);
  await session.run(async () => {
    throw new TypeError('row is undefined');
  });
  expect(checks.formError).toBe('row is undefined');
  const bare = new FormSession();
  await bare.run(() => Promise.reject('The service hung up.'));
  expect(bare.error).toBe('The service hung up.');
  expect(bare.busy).toBe(false);
});

test('onError takes the refusal instead of the field or the form', async () => {
  const checks = checksFinding();
  const session = new FormSession(checks, () => ['token']);
  const onError = vi.fn();
  await session.run(() => Promise.reject({ ...refusal('token'), key_id: 'row-7' }), { onError });
  expect(onError).toHaveBeenCalledWith({ code: 'invalid_input', message: 'No, says the core (token).', field: 'token', key_id: 'row-7' });
  expect(checks.errors).toEqual({});
  expect(checks.formError).toBeNull();
  expect(session.busy).toBe(false);
});
