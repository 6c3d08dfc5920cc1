// What the window does to the settings: save them. They apply at once, to every account, so the
// inventory is read again (a new window or rotation age changes what reads expiring or due), and
// the expiry centre follows the inventory; the appearance the core kept is shown and remembered.
import * as ipc from '../ipc';
import type { Settings } from '../bindings/Settings';
import type { Inventory } from './inventory.svelte';
import { toasts } from './toasts.svelte';
import { adoptTheme } from '../theme';

export class SettingsActions {
  readonly #inventory: Inventory;

  constructor(inventory: Inventory) {
    this.#inventory = inventory;
  }

  /** What the core kept; a refusal goes to the caller. */
  async save(settings: Settings): Promise<Settings> {
    const saved = await ipc.saveSettings(settings);
    adoptTheme(saved.theme);
    toasts.success('Settings saved.');
    void this.#inventory.refresh();
    return saved;
  }
}
