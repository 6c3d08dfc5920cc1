// An export from the window: the shell asks where in a save dialog it opens itself (the page never
// names a path), writes there (metadata only, never a secret), and a toast names the file.
import type { ExportReport } from './bindings/ExportReport';
import { plural } from './format';
import { toIpcError } from './ipc';
import { toasts } from './state/toasts.svelte';

export const baseName = (path: string) => path.split(/[\\/]/).pop() || path;

/** Resolves to what was written, or null when the person cancelled (said nothing) or it failed (said). */
export async function runExport(opts: { noun: [string, string]; write: () => Promise<ExportReport | null> }): Promise<ExportReport | null> {
  try {
    const report = await opts.write();
    if (!report) return null;
    toasts.success(`Exported ${plural(report.rows, opts.noun[0], opts.noun[1])} to ${baseName(report.path)}.`);
    return report;
  } catch (e) {
    toasts.error(toIpcError(e).message);
    return null;
  }
}
