// Toasts: one for every outcome. Errors stay longer; any toast can be dismissed. A warning is for
// what went wrong beside the person's work (a check at start), and does not stop it.
export type ToastKind = 'success' | 'error' | 'info' | 'warning';
export type Toast = { id: number; kind: ToastKind; message: string };
/** At most this many at once; a new one pushes the oldest out. */
export const MAX_SHOWN = 3;

class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(kind: ToastKind, message: string, ms = kind === 'error' ? 8000 : 4000) {
    const id = this.#next++;
    // The newest few only: a taller stack climbs over the detail panel's buttons.
    this.items = [...this.items, { id, kind, message }].slice(-MAX_SHOWN);
    setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  success = (message: string) => this.show('success', message);
  error = (message: string) => this.show('error', message);
  info = (message: string) => this.show('info', message);
  warning = (message: string) => this.show('warning', message);

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
