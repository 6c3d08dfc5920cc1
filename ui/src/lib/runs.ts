// How `keyward run` reads in the window: the mark on a key minted by a run, and what the window
// says when it ends runs a killed Keyward left behind. Words only; the state module does the work.
import type { IpcError } from './ipc';
import type { KeyRow } from './bindings/KeyRow';
import type { ReapedRun } from './bindings/ReapedRun';
import type { RunMark } from './bindings/RunMark';
import { clockTime, plural, timeAgo } from './format';
import { KIND_LABEL } from './kinds';
import type { ToastKind } from './state/toasts.svelte';

export type RunNotice = { kind: ToastKind; message: string };

const list = new Intl.ListFormat('en', { type: 'conjunction' });

/** A service's message as a sentence: ends with its stop. */
const sentence = (text: string) => {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
};

const named = (k: KeyRow) => `${KIND_LABEL[k.kind]} “${k.name}”`;

/** The run badge's label: what minted the key, and when it ends. */
export function runLabel(run: RunMark, now: number = Date.now()): string {
  return run.ended_at
    ? `Minted by keyward run for ${run.command}; the run ended ${timeAgo(run.ended_at, now)}`
    : `Minted by keyward run for ${run.command} (pid ${run.pid}); ends with the process`;
}

/** Keys a service cannot revoke (proxy credentials): they end at their expiry. */
function expiringText(keys: KeyRow[], now: number): string {
  if (keys.length === 1) {
    const [k] = keys;
    return `${named(k)} cannot be revoked; it expires by itself${k.expires_at ? ` at ${clockTime(k.expires_at, now)}` : ''}.`;
  }
  const each = keys.map((k) => `${named(k)}${k.expires_at ? ` (at ${clockTime(k.expires_at, now)})` : ''}`);
  return `${list.format(each)} cannot be revoked; they expire by themselves.`;
}

/** What the window says of one run a killed Keyward left, ended at start: one toast for what ended,
 * then an error for each key still live, naming it with the service's reason. */
export function reapedRunNotices(run: ReapedRun, now: number = Date.now()): RunNotice[] {
  const { revoked, expiring, failed } = run.end;
  const started = `(started ${clockTime(run.started_at, now)})`;
  const said: string[] = [];
  if (revoked.length > 0)
    said.push(`Revoked ${plural(revoked.length, 'key')} left by a run of ${run.command} ${started} that ended while Keyward was not watching.`);
  else if (expiring.length > 0) said.push(`A run of ${run.command} ${started} ended while Keyward was not watching.`);
  if (expiring.length > 0) said.push(expiringText(expiring, now));
  const notices: RunNotice[] = said.length > 0 ? [{ kind: expiring.length > 0 ? 'info' : 'success', message: said.join(' ') }] : [];
  for (const f of failed)
    notices.push({
      kind: 'error',
      message: `Not revoked: ${named(f.key)}, left by a run of ${run.command} ${started}: ${sentence(f.error.message)} `
        + 'Revoke it from its detail panel; Keyward also tries again when it next starts.',
    });
  return notices;
}

/** Checking for runs that ended unwatched failed: said quietly, the window carries on. */
export const reapFailedNotice = (e: IpcError) => `Keyward could not check for runs that ended while it was not watching: ${sentence(e.message)}`;
