// The submit dance every dialog shares, in one place: one send at a time, the core's field checks
// first, the button busy only while the send is under way, and a refusal shown where it belongs.
import { toIpcError, type IpcError } from '../ipc';
import type { FieldChecks } from './fieldChecks.svelte';

export class FormSession {
  busy = $state(false);
  /** The last refusal, when there are no field checks to show it and no `onError`. */
  error = $state<string | null>(null);
  // Set before the checks, which do not make the form busy, so a second submit during them is
  // still ignored rather than sent twice.
  #running = false;
  readonly #checks: FieldChecks | undefined;
  readonly #fields: () => string[];

  /** `fields` are the ones the form shows when a refusal comes back: one it names goes there. */
  constructor(checks?: FieldChecks, fields: () => string[] = () => []) {
    this.#checks = checks;
    this.#fields = fields;
  }

  /** What `work` returned; undefined when another run was under way, the checks found something,
   * or it was refused. `onError` takes a refusal in place of the field or form error. */
  async run<T>(work: () => Promise<T>, opts: { onError?: (err: IpcError) => void } = {}): Promise<T | undefined> {
    if (this.#running) return undefined;
    this.#running = true;
    try {
      this.error = null;
      if (this.#checks) {
        this.#checks.soon.cancel();
        this.#checks.formError = null;
        if (!(await this.#checks.run(true))) return undefined;
      }
      this.busy = true;
      return await work();
    } catch (e) {
      const err = toIpcError(e);
      if (opts.onError) opts.onError(err);
      else if (this.#checks) this.#checks.refused(err, this.#fields());
      else this.error = err.message;
      return undefined;
    } finally {
      this.busy = false;
      this.#running = false;
    }
  }
}
