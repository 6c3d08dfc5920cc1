// What the window does to keys: create, edit, refresh, reissue, install a minted secret, replace,
// and revoke one or many. Each says its outcome in a toast (the replace assistant's summary says
// its own) and re-reads the inventory; a new secret opens the reveal dialog. Where a form sent the
// change, a refusal goes back to it (to show on the field it names) instead of a toast.
import { SvelteSet } from 'svelte/reactivity';
import * as ipc from '../ipc';
import type { IpcError } from '../ipc';
import type { InstallTarget } from '../bindings/InstallTarget';
import type { Installed } from '../bindings/Installed';
import type { MintedKey } from '../bindings/MintedKey';
import type { KeyRow } from '../bindings/KeyRow';
import type { KeyUpdate } from '../bindings/KeyUpdate';
import type { NewKey } from '../bindings/NewKey';
import type { ReplaceOutcome } from '../bindings/ReplaceOutcome';
import type { RevokeOutcome } from '../bindings/RevokeOutcome';
import { givenWord } from '../envVars';
import { clockTime, plural } from '../format';
import { serviceName } from '../services';
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

  /** Mints the key a new secret, shown once. `graceSecs` (a gateway key's, at most 7 days) keeps
   * the previous secret working that long; null or 0 stops it at once. A refusal goes to the caller. */
  async reissue(key: KeyRow, graceSecs: number | null = null) {
    const c = await ipc.reissueKey(key.id, graceSecs || null);
    if (graceSecs) toasts.success(`${key.name} reissued. The previous secret keeps working until ${clockTime(new Date(Date.now() + graceSecs * 1000).toISOString())}.`);
    if (c.reveal) this.#dialogs.open({ kind: 'reveal', created: c as RevealedKey });
    void this.#inventory.refresh();
  }

  /** Creates a key; the inventory is re-read behind it. A key the service made without sending its
   * secret back is live and cached all the same: the inventory is re-read then too, and the refusal
   * (naming it in `key_id`) goes to the caller, as every other refusal does. */
  async create(accountId: string, request: NewKey): Promise<MintedKey> {
    let created: MintedKey;
    try {
      created = await ipc.createKey(accountId, request);
    } catch (e) {
      if ((e as IpcError).key_id) void this.#inventory.refresh();
      throw e;
    }
    void this.#inventory.refresh();
    return created;
  }

  /** A key was created: its secret is shown once, or the one given was sent and not kept. */
  created(c: MintedKey) {
    this.#dialogs.close('create');
    if (c.reveal) this.#dialogs.open({ kind: 'reveal', created: c as RevealedKey });
    else toasts.success(`${c.key.name} created. The ${givenWord(c.key.kind)} you gave was sent and not kept.`);
  }

  /** Revokes the key with this id, when there is no row to confirm it from (one created without its
   * secret, a replacement installed nowhere). `quiet` leaves the saying to the caller; a refusal
   * goes to the caller. */
  async revokeById(keyId: string, { quiet = false } = {}): Promise<KeyRow> {
    const row = await ipc.revokeKey(keyId);
    if (!quiet) toasts.success(`${row.name} revoked.`);
    void this.#inventory.refresh();
    return row;
  }

  /** Sends only what changed; a new secret (a reissue) is sent once and not kept. */
  async updateKey(key: KeyRow, update: KeyUpdate): Promise<KeyRow> {
    // The edit forms say which fields are a new secret; they come with the edit dialog (loaded
    // by now), not with the first screen.
    const { editFormFor, reissues } = await import('../forms/editForms');
    const reissued = reissues(editFormFor(key.kind), update);
    const row = await ipc.updateKey(key.id, update);
    const word = givenWord(key.kind);
    const now = word === 'value' ? 'now has the new value' : 'now uses the new secret';
    toasts.success(reissued ? `${row.name} ${now}; ${serviceName(key.service)} has it and Keyward does not.` : `${row.name} saved.`);
    void this.#inventory.refresh();
    return row;
  }

  /** Reads the key again from its service. */
  async refreshKey(key: KeyRow): Promise<KeyRow> {
    const row = await ipc.refreshKey(key.id);
    toasts.success(`${key.name} refreshed from ${key.service}.`);
    void this.#inventory.refresh();
    return row;
  }

  /** The minted secret goes from its reveal slot to `target`, an existing key or a new one. */
  async install(revealId: string, target: InstallTarget): Promise<Installed> {
    const installed = await ipc.installSecret(revealId, target);
    toasts.success(`Installed into ${installed.key.name}. ${installed.check}`);
    void this.#inventory.refresh();
    return installed;
  }

  /** Runs the replace assistant's steps; its report says how far they got (progress comes as events). */
  async replace(keyId: string, targets: InstallTarget[]): Promise<ReplaceOutcome> {
    const outcome = await ipc.replaceKey(keyId, targets);
    void this.#inventory.refresh();
    return outcome;
  }
}
