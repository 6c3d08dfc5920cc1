// Validate-as-you-type against the core, shared by every form: a field shows the core's message
// once the person has touched it, every field does on submit, and the service's refusal lands on
// the field it names when the form shows that field.
import type { FieldError } from '../bindings/FieldError';
import { debounce } from '../debounce';
import type { IpcError } from '../ipc';

export class FieldChecks {
  errors = $state<Record<string, string>>({});
  formError = $state<string | null>(null);
  #touched: Record<string, boolean> = {};
  #ask: () => Promise<FieldError[]>;

  constructor(ask: () => Promise<FieldError[]>) {
    this.#ask = ask;
  }

  /** Asks the core; true when nothing is wrong. `all` shows errors on untouched fields too. */
  async run(all = false): Promise<boolean> {
    try {
      const found = await this.#ask();
      const next: Record<string, string> = {};
      for (const e of found) if (all || this.#touched[e.field]) next[e.field] ??= e.message;
      this.errors = next;
      return found.length === 0;
    } catch (e) {
      this.formError = (e as IpcError).message;
      return false;
    }
  }

  readonly soon = debounce(() => void this.run(), 200);

  /** The person changed a field; a field the core knows by several names gives them all. */
  edited(...fields: string[]) {
    for (const f of fields) this.#touched[f] = true;
    this.formError = null;
    this.soon();
  }

  reset() {
    this.soon.cancel();
    this.errors = {};
    this.formError = null;
    this.#touched = {};
  }

  refused(err: IpcError, fields: string[]) {
    if (err.field && fields.includes(err.field)) this.errors = { ...this.errors, [err.field]: err.message };
    else this.formError = err.message;
  }
}
