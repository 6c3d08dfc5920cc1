// The window's state: accounts and keys as the local store has them, what is syncing, and
// whether the services are reachable. The store is the truth; this only mirrors it.
import * as ipc from '../ipc';
import type { IpcError } from '../ipc';
import type { Account } from '../bindings/Account';
import type { AccountUpdate } from '../bindings/AccountUpdate';
import type { KeyQuery } from '../bindings/KeyQuery';
import type { KeyRow } from '../bindings/KeyRow';
import type { NewAccount } from '../bindings/NewAccount';
import type { SyncProgress } from '../bindings/SyncProgress';
import type { KeyKind } from '../bindings/KeyKind';
import type { KeySort } from '../bindings/KeySort';
import type { KeyStatus } from '../bindings/KeyStatus';
import type { Service } from '../bindings/Service';

import { debounce } from '../debounce';
import { plural } from '../format';
import { unusedDays, type UnusedFilter } from '../lastUse';

/** `run`: only keys minted by a run (`minted`), or only the others (`other`). `unused`: only keys
 * never used ('0') or not used in that many days, among the kinds whose service reports use. */
export type Filters = {
  service: Service | ''; kind: KeyKind | ''; status: KeyStatus | ''; env: 'test' | 'prod' | ''; run: 'minted' | 'other' | ''; unused: UnusedFilter;
};
export const NO_FILTERS: Filters = { service: '', kind: '', status: '', env: '', run: '', unused: '' };
import { toasts } from './toasts.svelte';

/** Rows in the first paint, and in a keystroke's answer: more than a tall window shows. */
const FIRST_SCREEN = 60;
/** How long typing pauses before every match is read: longer than the gap between a person's keystrokes. */
const COMPLETE_AFTER_MS = 300;

export class Inventory {
  accounts = $state<Account[]>([]);
  // Replaced whole on every query: no deep reactivity over up to 100,000 rows.
  keys = $state.raw<KeyRow[]>([]);
  search = $state('');
  accountFilter = $state<string | null>(null);
  includeGone = $state(false);
  filters = $state<Filters>({ ...NO_FILTERS });
  sort = $state<KeySort | null>(null);
  descending = $state(false);
  progress = $state<Record<string, SyncProgress | undefined>>({});
  loaded = $state(false);
  /** Only the first screenful is loaded yet (at start); the count waits for the rest. */
  partial = $state(false);
  loadError = $state<IpcError | null>(null);
  /** The store is being rebuilt or reopened after it could not be read. */
  recovering = $state(false);
  now = $state(Date.now());

  offlineAccounts = $derived(this.accounts.filter((a) => a.last_sync_error?.code === 'network'));
  syncingCount = $derived(Object.values(this.progress).filter((p) => p && !p.done).length);

  #query = 0;
  /** After a keystroke whose first screenful was not every match: the rest, once typing pauses. */
  #completeSoon = debounce(() => void this.reloadKeys(), COMPLETE_AFTER_MS);

  async start() {
    const ticker = setInterval(() => (this.now = Date.now()), 30_000);
    // Listening and the first screenful of rows go out together: each round trip costs.
    const [unlisten] = await Promise.all([
      ipc.onSyncProgress((p) => {
        this.progress = { ...this.progress, [p.account_id]: p };
      }),
      this.refresh(FIRST_SCREEN),
    ]);
    // The first screenful is painted; the whole inventory follows in the next frames.
    if (this.partial) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await this.reloadKeys();
    }
    void this.syncAll({ quiet: true });
    return () => {
      clearInterval(ticker);
      unlisten();
    };
  }

  async refresh(limit?: number) {
    try {
      const [accounts] = await Promise.all([ipc.listAccounts(), this.reloadKeys(limit)]);
      this.accounts = accounts;
      if (this.accountFilter && !this.accounts.some((a) => a.id === this.accountFilter)) {
        // The filtered account is gone: show every account's keys instead.
        this.accountFilter = null;
        await this.reloadKeys(limit);
      }
      this.loadError = null;
    } catch (e) {
      this.loadError = e as IpcError;
    } finally {
      this.loaded = true;
    }
  }

  /** The accounts alone: their sync state and errors, with the rows left as they are. */
  async refreshAccounts() {
    try {
      this.accounts = await ipc.listAccounts();
      // The filtered account was removed meanwhile: everything is read again, unfiltered.
      if (this.accountFilter && !this.accounts.some((a) => a.id === this.accountFilter)) {
        this.accountFilter = null;
        await this.reloadKeys();
      }
    } catch (e) {
      this.loadError = e as IpcError;
    }
  }

  /** What the table shows, as the store is asked for it (an export asks for the same). */
  query(limit?: number): KeyQuery {
    return {
      search: this.search.trim() || undefined,
      account_id: this.accountFilter ?? undefined,
      include_gone: this.includeGone,
      service: this.filters.service || undefined,
      kinds: this.filters.kind ? [this.filters.kind] : undefined,
      statuses: this.filters.status ? [this.filters.status] : undefined,
      is_test: this.filters.env === '' ? undefined : this.filters.env === 'test',
      from_run: this.filters.run === '' ? undefined : this.filters.run === 'minted',
      unused_days: unusedDays(this.filters.unused),
      sort: this.sort ?? undefined,
      descending: this.descending,
      limit,
    };
  }

  /** Only the newest query's answer is shown, however the answers arrive; true when this one's was. */
  async reloadKeys(limit?: number): Promise<boolean> {
    const seq = ++this.#query;
    try {
      const rows = await ipc.listKeys(this.query(limit));
      if (seq !== this.#query) return false;
      this.keys = rows;
      this.partial = limit !== undefined && rows.length >= limit;
      return true;
    } catch (e) {
      if (seq === this.#query) toasts.error((e as IpcError).message);
      return false;
    }
  }

  /** Each keystroke asks at once for the first screenful of matches: the core answers that in
   * well under a frame, so the rows follow the typing. Every match (up to the whole inventory, which
   * costs the page far more to take in) is read only once typing pauses, and only when the first
   * screenful did not hold them all; meanwhile the count reads "…". */
  setSearch(text: string) {
    this.search = text;
    this.#completeSoon.cancel();
    void this.reloadKeys(FIRST_SCREEN).then((shown) => {
      if (shown && this.partial) this.#completeSoon();
    });
  }

  setAccountFilter(id: string | null) {
    this.accountFilter = id;
    void this.reloadKeys();
  }

  setFilter<K extends keyof Filters>(name: K, value: Filters[K]) {
    this.filters = { ...this.filters, [name]: value };
    void this.reloadKeys();
  }

  /** A header click sorts by its column; a second click reverses; a third returns to newest first. */
  sortBy(column: KeySort) {
    if (this.sort !== column) {
      this.sort = column;
      this.descending = false;
    } else if (!this.descending) {
      this.descending = true;
    } else {
      this.sort = null;
      this.descending = false;
    }
    void this.reloadKeys();
  }

  setIncludeGone(on: boolean) {
    this.includeGone = on;
    void this.reloadKeys();
  }

  isSyncing(id: string) {
    const p = this.progress[id];
    return !!p && !p.done;
  }

  async syncAccount(id: string, { quiet = false } = {}) {
    if (this.isSyncing(id)) return;
    const label = this.accounts.find((a) => a.id === id)?.label ?? 'Account';
    this.progress = { ...this.progress, [id]: { account_id: id, pages: 0, fetched: 0, done: false } };
    // A failed sync leaves the cache as it was: only the account (its error) is read again, not
    // the whole inventory, which costs the page a copy of every row each time.
    let synced = false;
    try {
      const report = await ipc.syncAccount(id);
      synced = true;
      if (report.skipped > 0) {
        // Said even in a quiet sync: part of the inventory is missing from view.
        toasts.info(`${label}: ${plural(report.fetched, 'key')} synced; ${plural(report.skipped, 'object')} the service listed could not be read and ${report.skipped === 1 ? 'was' : 'were'} skipped, so nothing was marked gone.`);
      } else if (!quiet) {
        const changes = report.added || report.gone ? ` (${report.added} new, ${report.gone} gone)` : '';
        toasts.success(`${label}: ${plural(report.fetched, 'key')} synced${changes}.`);
      }
    } catch (e) {
      const err = e as IpcError;
      // Offline is shown by the banner; other failures deserve a toast.
      if (err.code !== 'network' || !quiet) toasts.error(`${label}: ${err.message}`);
    } finally {
      this.progress = { ...this.progress, [id]: { ...(this.progress[id] as SyncProgress), done: true } };
      await (synced ? this.refresh() : this.refreshAccounts());
    }
  }

  async syncAll({ quiet = false } = {}) {
    await Promise.all(this.accounts.map((a) => this.syncAccount(a.id, { quiet })));
  }

  async addAccount(input: NewAccount): Promise<Account> {
    const account = await ipc.addAccount(input);
    toasts.success(`Account “${account.label}” added.`);
    await this.refresh();
    void this.syncAccount(account.id, { quiet: false });
    return account;
  }

  /** Edits an account; a new token or address is checked with the service before anything is kept,
   * and a refusal goes to the caller. The inventory is re-read and the account synced behind it. */
  async updateAccount(account: Account, update: AccountUpdate): Promise<Account> {
    const saved = await ipc.updateAccount(account.id, update);
    const label = update.label ?? account.label;
    toasts.success(update.token ? `New token for “${label}” verified and stored in the keychain.` : `“${label}” saved.`);
    void this.accountSaved(account.id);
    return saved;
  }

  /** After an edit (perhaps a new token), sync the account so its state is current. */
  async accountSaved(id: string) {
    await this.refresh();
    await this.syncAccount(id, { quiet: true });
  }

  /** A damaged store is rebuilt (then its keys synced); a locked one is simply tried again. */
  async recover(damaged: boolean) {
    this.recovering = true;
    try {
      if (damaged) {
        const r = await ipc.recoverStore();
        toasts.success(`Rebuilt with ${plural(r.accounts_restored, 'account')}; the damaged file is at ${r.moved_to}. Syncing their keys…`);
      } else {
        await ipc.reopenStore();
      }
      await this.refresh();
      if (damaged) void this.syncAll();
    } catch (e) {
      toasts.error((e as IpcError).message);
    } finally {
      this.recovering = false;
    }
  }

  async removeAccount(account: Account) {
    try {
      await ipc.removeAccount(account.id);
      toasts.success(`Account “${account.label}” removed.`);
    } catch (e) {
      toasts.error((e as IpcError).message);
    }
    await this.refresh();
  }
}
