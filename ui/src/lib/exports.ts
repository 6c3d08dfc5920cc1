// An export from the window: the save dialog asks where, the shell writes there (metadata only,
// never a secret), and a toast names the file.
import { save } from '@tauri-apps/plugin-dialog';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportReport } from './bindings/ExportReport';
import { plural } from './format';
import { toIpcError } from './ipc';
import { toasts } from './state/toasts.svelte';

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (spreadsheet)', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
};

/** `keyward-audit-2026-11-25.csv`: what it holds and the day, the person's own, it was taken. */
export function exportName(what: 'audit' | 'keys', format: ExportFormat, now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `keyward-${what}-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}.${format}`;
}

export const baseName = (path: string) => path.split(/[\\/]/).pop() || path;

/** Resolves to what was written, or null when the person cancelled or it failed (then said). */
export async function exportWithDialog(opts: {
  title: string; what: 'audit' | 'keys'; format: ExportFormat; noun: [string, string];
  write: (path: string) => Promise<ExportReport>;
}): Promise<ExportReport | null> {
  let path: string | null;
  try {
    path = await save({ title: opts.title, defaultPath: exportName(opts.what, opts.format), filters: [FILTERS[opts.format]] });
  } catch (e) {
    toasts.error(`The save dialog did not open: ${toIpcError(e).message}`);
    return null;
  }
  if (!path) return null;
  try {
    const report = await opts.write(path);
    toasts.success(`Exported ${plural(report.rows, opts.noun[0], opts.noun[1])} to ${baseName(report.path)}.`);
    return report;
  } catch (e) {
    toasts.error(toIpcError(e).message);
    return null;
  }
}
