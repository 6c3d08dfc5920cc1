// WCAG 2.1 AA asks 4.5:1 for body text. The text colours are tokens, so the rule is checked on the
// tokens themselves, against every background token, in light and in dark: a new shade that
// fails shows here, not on one screen at a time.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const css = readFileSync(new URL('../../src/styles/tokens.css', import.meta.url), 'utf8');
// The dark shades are one block, chosen by data-theme on <html>; everything before it is light.
const darkAt = css.indexOf(":root[data-theme='dark']");
if (darkAt < 0) throw new Error("tokens.css has no :root[data-theme='dark'] block");
const dark = css.slice(darkAt);
const light = css.slice(0, darkAt);

function token(block: string, name: string): string {
  const found = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(block);
  if (!found) throw new Error(`--${name} is not a hex colour in this block`);
  return found[1];
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function ratio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const TEXTS = ['text', 'text-muted', 'text-faint'];
// A ticked row is --accent-soft; a hovered or selected one --bg-hover or --bg-selected.
const BACKGROUNDS = ['bg', 'bg-sunken', 'bg-raised', 'bg-hover', 'bg-selected', 'accent-soft'];
// Tones and service colours are text too: a status, a timeline's dates (SVG text, whose contrast
// axe cannot decide in the Chromium audit), a service's name in a selected or hovered row.
const TONES = ['accent', 'danger', 'warning', 'success', 'svc-braintrust', 'svc-respan', 'svc-barndoor'];
// A tone on its own soft background (a pill, a banner), and text on the accent (a primary button).
const PAIRS = [['danger', 'danger-soft'], ['warning', 'warning-soft'], ['success', 'success-soft'], ['accent', 'accent-soft'],
  ['accent-text', 'accent'], ['accent-text', 'accent-hover']];

for (const [scheme, block] of [['light', light], ['dark', dark]] as const) {
  test(`every text colour reads at 4.5:1 or more on every background (${scheme})`, () => {
    const failing: string[] = [];
    for (const fg of TEXTS) {
      for (const bg of BACKGROUNDS) {
        const r = ratio(token(block, fg), token(block, bg));
        if (r < 4.5) failing.push(`--${fg} on --${bg}: ${r.toFixed(2)}:1`);
      }
    }
    expect(failing).toEqual([]);
  });

  test(`every tone and service colour reads at 4.5:1 on every background, and on its own soft shade (${scheme})`, () => {
    const pairs = [...TONES.flatMap((fg) => BACKGROUNDS.map((bg) => [fg, bg])), ...PAIRS];
    const failing = pairs
      .map(([fg, bg]) => [fg, bg, ratio(token(block, fg), token(block, bg))] as const)
      .filter(([, , r]) => r < 4.5)
      .map(([fg, bg, r]) => `--${fg} on --${bg}: ${r.toFixed(2)}:1`);
    expect(failing).toEqual([]);
  });
}

test('the check itself: black on white is 21:1, and the old muted grey and service colours failed', () => {
  expect(ratio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(ratio('#6f7888', '#f6f7f9')).toBeLessThan(4.5);
  // The old Barndoor and Respan names on a selected row.
  expect(ratio('#b45309', '#e8e9fd')).toBeLessThan(4.5);
  expect(ratio('#0e7490', '#e8e9fd')).toBeLessThan(4.5);
});
