// The expiry centre as the window shows it: read again whenever the inventory changes, and when
// the shell raises a notice. The core decides what is expired, expiring, or set aside.
import * as ipc from '../ipc';
import type { ExpiryCentre } from '../bindings/ExpiryCentre';
import type { KeyRow } from '../bindings/KeyRow';
import { debounce } from '../debounce';
import { toasts } from './toasts.svelte';

export class Expiry {
  centre = $state.raw<ExpiryCentre | null>(null);

  async refresh() {
    try {
      this.centre = await ipc.expiryCentre();
    } catch {
      // The inventory shows why the store cannot be read; the centre simply waits.
    }
  }

  /** Sets an expired key aside: it leaves the centre and stays in the inventory. A refusal goes to
   * the caller. */
  async dismiss(key: KeyRow) {
    await ipc.dismissExpired(key.id);
    toasts.success(`${key.name} set aside. It stays in the inventory.`);
    await this.refresh();
  }

  readonly soon = debounce(() => void this.refresh(), 150);
}
