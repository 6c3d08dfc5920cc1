// make bench: the window in headless Chromium with the fake backend, 100,000 rows against 100.
// Time to first rows (navigation start → the window reports its first paint) and the longest
// frame while scrolling the same distance. Prints `figure<TAB>value<TAB>unit` lines.
import { afterAll, beforeAll, test } from 'vitest';
import { Harness } from '../tests/browser/harness';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const emit = (figure: string, value: number, unit: string) => console.log(`${figure}\t${value.toFixed(3)}\t${unit}`);

async function measure(rows: number) {
  const { page, context } = await h.open({ accounts: [{ label: 'Production', keys: rows }] });
  await page.waitForFunction(() => (window as unknown as { __fake: { ready?: unknown } }).__fake.ready, null, { timeout: 60_000 });
  // From the moment the fake backend is built (its own cost is not the window's) to first paint.
  const ready = await page.evaluate(() => {
    const fake = (window as unknown as { __fake: { ready: { at: number }; initDoneAt: number } }).__fake;
    return fake.ready.at - fake.initDoneAt;
  });
  // Scroll once the start-up sync has finished and its reload is on screen: a settled window.
  await page.waitForSelector('[data-testid="sync-all-button"]:not([disabled])', { timeout: 60_000 });
  await page.waitForTimeout(500);
  // The same 3,600 px of scrolling, 60 px a frame, timing every frame.
  const longest = await page.evaluate(async () => {
    const body = document.querySelector('[data-testid="key-table"] .body') as HTMLElement;
    const gaps: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      body.scrollTop += 60;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    return Math.max(...gaps);
  });
  await context.close();
  return { ready, longest };
}

test('first rows and scroll frames, 100,000 rows against 100', async () => {
  const small: { ready: number; longest: number }[] = [];
  const big: { ready: number; longest: number }[] = [];
  await measure(100); // warm the browser and the server
  for (let i = 0; i < 5; i++) {
    small.push(await measure(100));
    big.push(await measure(100_000));
  }
  const [s, b] = [median(small.map((r) => r.ready)), median(big.map((r) => r.ready))];
  const [sf, bf] = [median(small.map((r) => r.longest)), median(big.map((r) => r.longest))];
  emit('ui first rows 100 rows', s, 'ms');
  emit('ui first rows 100,000 rows', b, 'ms');
  emit('ui first rows ratio', b / s, 'x');
  emit('ui longest scroll frame 100 rows', sf, 'ms');
  emit('ui longest scroll frame 100,000 rows', bf, 'ms');
  emit('ui longest scroll frame ratio', bf / sf, 'x');
}, 600_000);
