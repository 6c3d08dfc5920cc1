// Parts of the window the first paint does not need (the dialogs, the other views, a key's panel)
// come in chunks of their own, fetched on first use, so the first screen runs only its own script.
// Once it is painted the window fetches the rest in idle time, one part at a time, so that a part
// opened later is already there and renders at once, as if it had never been split off.
// parts.ts names the parts; <Lazy> renders one.
import type { Component } from 'svelte';

/** Marked in the page's performance timeline once every part has been fetched (or has failed). */
export const PARTS_PRELOADED = 'keyward:parts-preloaded';

/** A part takes whatever props its component does. */
export type AnyComponent = Component<any>;

export class LazyPart<C extends AnyComponent = AnyComponent> {
  /** Names the part in a sentence when it cannot be loaded: "The settings dialog". */
  readonly title: string;
  /** The component once its chunk has arrived. */
  loaded: C | null = null;
  readonly #fetch: () => Promise<{ default: C }>;
  #loading: Promise<C> | null = null;

  constructor(title: string, fetch: () => Promise<{ default: C }>) {
    this.title = title;
    this.#fetch = fetch;
  }

  /** Fetches the chunk once, whoever asks first; a failure is not kept, so the next use tries again. */
  load(): Promise<C> {
    this.#loading ??= this.#fetch().then(
      (m) => (this.loaded = m.default),
      (e: unknown) => {
        this.#loading = null;
        throw e;
      },
    );
    return this.#loading;
  }
}

export const lazy = <C extends AnyComponent>(title: string, fetch: () => Promise<{ default: C }>) => new LazyPart(title, fetch);

/** Why a chunk did not load, as the engine said it. */
export const loadFailure = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');

// WebKitGTK (the real window) has no requestIdleCallback: a task after the current ones instead.
const idle = () =>
  new Promise<void>((resolve) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 1000 }) : setTimeout(resolve, 0),
  );

/** Fetches each part in turn, each when the page is idle, so that none delays a frame of the
 * first screen's work. A part that fails here fails again, and says so, when it is opened. */
export async function preloadWhenIdle(parts: readonly LazyPart[]): Promise<void> {
  for (const part of parts) {
    await idle();
    await part.load().catch(() => {});
  }
  performance.mark(PARTS_PRELOADED);
}
