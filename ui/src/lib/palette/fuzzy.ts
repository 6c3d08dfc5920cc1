// A small fuzzy matcher for the command palette: the query's characters must appear in the text in
// order (case-insensitive); a match scores more where they start words and run together.

export type Match = { score: number; indices: number[] };

const SEPARATORS = new Set([' ', '\t', '-', '_', '.', '/', ':', '@', '(']);
const isLower = (c: string) => c >= 'a' && c <= 'z';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';
const isWordStart = (text: string, i: number) => {
  if (i === 0) return true;
  const prev = text[i - 1];
  if (SEPARATORS.has(prev)) return true;
  // camelCase: a capital after a lower-case letter.
  return isLower(prev) && isUpper(text[i]);
};

// Reused between calls: the palette scores every key of the inventory on each keystroke.
let scratch = new Float64Array(256);
let backs = new Int32Array(256);

/** The best match of `query` in `text` (spaces in the query are ignored), or null. */
export function fuzzy(query: string, text: string): Match | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return { score: 0, indices: [] };
  const t = text.toLowerCase();
  const n = t.length;
  const m = q.length;
  if (m > n) return null;
  // Most texts do not match at all: a linear pass says so before the scoring.
  for (let i = 0, j = 0; j < m; i++) {
    if (i === n) return null;
    if (t[i] === q[j]) j++;
  }
  // best[j][i]: the best score with q[0..j] matched and q[j] at text index i (dynamic programming,
  // so a later word start can win over an earlier stray letter).
  const NONE = -Infinity;
  const size = m * n;
  if (scratch.length < size) {
    scratch = new Float64Array(size * 2);
    backs = new Int32Array(size * 2);
  }
  const best = scratch;
  const from = backs;
  for (let j = 0; j < m; j++) {
    const row = j * n;
    const up = row - n;
    // The best previous score at any index < i, carried as i moves right.
    let runBest = NONE;
    let runAt = -1;
    for (let i = 0; i < n; i++) {
      best[row + i] = NONE;
      from[row + i] = -1;
      if (j > 0 && i > 0 && best[up + i - 1] > runBest) {
        runBest = best[up + i - 1];
        runAt = i - 1;
      }
      if (t[i] !== q[j]) continue;
      let bonus = 1;
      if (isWordStart(text, i)) bonus += 8;
      if (j === 0) {
        best[row + i] = bonus + (i === 0 ? 4 : 0) - Math.min(i, 10) * 0.1;
        continue;
      }
      // Contiguous with the previous character: a bonus; otherwise a small gap penalty.
      const contiguous = i > 0 ? best[up + i - 1] + bonus + 7 : NONE;
      const gapped = runBest === NONE ? NONE : runBest + bonus - 2;
      if (contiguous >= gapped && contiguous !== NONE) {
        best[row + i] = contiguous;
        from[row + i] = i - 1;
      } else if (gapped !== NONE) {
        best[row + i] = gapped;
        from[row + i] = runAt;
      }
    }
  }
  const last = (m - 1) * n;
  let end = -1;
  let score = NONE;
  for (let i = 0; i < n; i++) if (best[last + i] > score) (score = best[last + i]), (end = i);
  if (end < 0) return null;
  const indices: number[] = new Array(m);
  for (let j = m - 1, i = end; j >= 0; j--) {
    indices[j] = i;
    i = from[j * n + i];
  }
  // Shorter texts win ties: "Sync all" over "Sync all accounts now".
  return { score: score - n * 0.01, indices };
}

/** Splits `text` into runs, marked where they matched, for highlighting. */
export function highlight(text: string, indices: number[]): { text: string; hit: boolean }[] {
  const hits = new Set(indices);
  const out: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const hit = hits.has(i);
    const last = out[out.length - 1];
    if (last && last.hit === hit) last.text += text[i];
    else out.push({ text: text[i], hit });
  }
  return out;
}
