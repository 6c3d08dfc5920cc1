// What the window does about `keyward run`: once its inventory is on screen, it ends the runs a
// killed Keyward left (their processes are gone, their keys still live), says what became of
// their keys, and reads the inventory again so the keys show it. Failing to check never stops the
// window: it says so quietly, and the next start checks again.
import * as ipc from '../ipc';
import type { IpcError } from '../ipc';
import type { ReapedRun } from '../bindings/ReapedRun';
import { reapFailedNotice, reapedRunNotices } from '../runs';
import type { Inventory } from './inventory.svelte';
import { toasts } from './toasts.svelte';

export async function reapLeftRuns(inventory: Inventory): Promise<void> {
  let reaped: ReapedRun[];
  try {
    reaped = await ipc.reapRuns();
  } catch (e) {
    toasts.warning(reapFailedNotice(e as IpcError));
    return;
  }
  for (const run of reaped) for (const n of reapedRunNotices(run)) toasts.show(n.kind, n.message);
  if (reaped.length > 0) await inventory.refresh();
}
