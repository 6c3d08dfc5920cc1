// The expiry centre as the window shows it: read again whenever the inventory changes, and when
// the shell raises a notice. The core decides what is expired, expiring, or set aside.
import * as ipc from '../ipc';
import type { ExpiryCentre } from '../bindings/ExpiryCentre';
import { debounce } from '../debounce';

export class Expiry {
  centre = $state.raw<ExpiryCentre | null>(null);

  async refresh() {
    try {
      this.centre = await ipc.expiryCentre();
    } catch {
      // The inventory shows why the store cannot be read; the centre simply waits.
    }
  }

  readonly soon = debounce(() => void this.refresh(), 150);
}
