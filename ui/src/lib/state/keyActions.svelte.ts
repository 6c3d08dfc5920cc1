// What the window does to keys: revoke one or many, reissue, and take in a created key. Each
// says its outcome in a toast and re-reads the inventory; a new secret opens the reveal dialog.
import { SvelteSet } from 'svelte/reactivity';
import * as ipc from '../ipc';
import type { IpcError } from '../ipc';
import type { MintedKey } from '../bindings/MintedKey';
import type { KeyRow } from '../bindings/KeyRow';
import type { RevokeOutcome } from '../bindings/RevokeOutcome';
import { plural } from '../format';
import type { Dialogs, RevealedKey } from './dialogs.svelte';
import type { Inventory } from './inventory.svelte';
import { toasts } from './toasts.svelte';

export class KeyActions {
  /** Ticked for a bulk action; only keys the current view lists count. */
  readonly checked = new SvelteSet<string>();
  readonly #inventory: Inventory;
  readonly #dialogs: Dialogs;

  selection = $derived.by(() => (this.checked.size === 0 ? [] : this.#inventory.keys.filter((k) => this.checked.has(k.id))));

  constructor(inventory: Inventory, dialogs: Dialogs) {
    this.#inventory = inventory;
    this.#dialogs = dialogs;
  }

  check(key: KeyRow, on: boolean) {
    if (on) this.checked.add(key.id);
    else this.checked.delete(key.id);
  }

  checkAll(on: boolean) {
    this.checked.clear();
    if (on) for (const k of this.#inventory.keys) this.checked.add(k.id);
  }

  async revokeMany(ids: string[]): Promise<RevokeOutcome[]> {
    let outcomes: RevokeOutcome[] = [];
    try {
      outcomes = await ipc.revokeKeys(ids);
    } catch (e) {
      toasts.error((e as IpcError).message);
      return [];
    }
    const failed = outcomes.filter((o) => o.error);
    const done = outcomes.length - failed.length;
    // What failed stays ticked, ready for another try; the rest is done.
    this.checked.clear();
    for (const o of failed) this.checked.add(o.key_id);
    if (done > 0) toasts.success(`${plural(done, 'key')} revoked.`);
    if (failed.length > 0) toasts.error(`${plural(failed.length, 'key')} not revoked. ${failed[0].name}: ${failed[0].error?.message}`);
    await this.#inventory.refresh();
    return outcomes;
  }

  async revoke(key: KeyRow) {
    try {
      await ipc.revokeKey(key.id);
      toasts.success(`${key.name} revoked.`);
    } catch (e) {
      toasts.error((e as IpcError).message);
    }
    await this.#inventory.refresh();
  }

  async reissue(key: KeyRow) {
    try {
      const c = await ipc.reissueKey(key.id);
      if (c.reveal) this.#dialogs.open({ kind: 'reveal', created: c as RevealedKey });
    } catch (e) {
      toasts.error((e as IpcError).message);
    }
    await this.#inventory.refresh();
  }

  /** A key was created: its secret is shown once, or the one given was sent and not kept. */
  async created(c: MintedKey) {
    this.#dialogs.close('create');
    if (c.reveal) this.#dialogs.open({ kind: 'reveal', created: c as RevealedKey });
    else toasts.success(`${c.key.name} created. The secret you gave was sent and not kept.`);
    await this.#inventory.refresh();
  }
}
