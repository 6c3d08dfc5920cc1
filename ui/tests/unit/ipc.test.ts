// @vitest-environment happy-dom
import { afterEach, expect, test } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import * as ipc from '../../src/lib/ipc';

afterEach(() => clearMocks());

test('arguments go under the names the shell expects', async () => {
  const seen: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    seen.push([cmd, args]);
    return cmd === 'list_keys' ? [] : null;
  });
  await ipc.removeAccount('acc-1');
  await ipc.listKeys({ search: 'prod' });
  expect(seen).toEqual([
    ['remove_account', { accountId: 'acc-1' }],
    ['list_keys', { query: { search: 'prod' } }],
  ]);
});

test('a rejection always becomes {code, message, field}', async () => {
  mockIPC(() => {
    throw { code: 'unauthorized', message: 'This key was refused by Braintrust (401).', field: 'token' };
  });
  await expect(ipc.listAccounts()).rejects.toEqual({ code: 'unauthorized', message: 'This key was refused by Braintrust (401).', field: 'token' });
  mockIPC(() => {
    throw 'list_accounts not allowed on window "main"';
  });
  await expect(ipc.listAccounts()).rejects.toEqual({ code: 'internal', message: 'list_accounts not allowed on window "main"', field: null });
  expect(ipc.toIpcError(undefined)).toEqual({ code: 'internal', message: 'Something went wrong.', field: null });
});
