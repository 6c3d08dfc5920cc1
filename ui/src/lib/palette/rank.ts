// The palette's list for a query: the available actions that match, best first, grouped by
// section in the order their best match comes.
import type { Action, Section } from './actions';
import { fuzzy } from './fuzzy';

export type Ranked = { action: Action; score: number; indices: number[] };
export type Group = { section: Section; items: Ranked[] };

/** At most this many options are listed; typing narrows a large inventory. */
export const LIMIT = 200;

export function rank(actions: Action[], query: string, limit = LIMIT): { groups: Group[]; total: number } {
  const q = query.trim();
  let ranked: Ranked[] = [];
  for (const action of actions) {
    if (action.inPalette === false || !action.available()) continue;
    if (!q) {
      ranked.push({ action, score: 0, indices: [] });
      continue;
    }
    const title = fuzzy(q, action.title);
    // A keyword can find an action its title does not, a little below a title match, highlighting nothing.
    let best = title ? title.score : -Infinity;
    for (const word of title ? [] : action.keywords ?? []) {
      const m = fuzzy(q, word);
      if (m && m.score - 6 > best) best = m.score - 6;
    }
    if (best === -Infinity) continue;
    ranked.push({ action, score: best, indices: title && title.score === best ? title.indices : [] });
  }
  if (q) ranked.sort((a, b) => b.score - a.score);
  const total = ranked.length;
  ranked = ranked.slice(0, limit);
  const groups: Group[] = [];
  for (const r of ranked) {
    let g = groups.find((x) => x.section === r.action.section);
    if (!g) groups.push((g = { section: r.action.section, items: [] }));
    g.items.push(r);
  }
  return { groups, total };
}
