import { describe, expect, test } from 'vitest';
import { fullDate, plural, shortDate, timeAgo } from '../../src/lib/format';

const now = Date.parse('2026-11-24T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

describe('timeAgo', () => {
  test.each([
    [10, 'just now'],
    [150, '2 minutes ago'],
    [3600 * 3, '3 hours ago'],
    [86400, 'yesterday'],
    [86400 * 9, 'last week'],
    [86400 * 400, 'last year'],
  ])('%i seconds ago reads "%s"', (s, text) => {
    expect(timeAgo(ago(s), now)).toBe(text);
  });

  test('the future reads forward, and nothing reads honestly', () => {
    expect(timeAgo(ago(-7200), now)).toBe('in 2 hours');
    expect(timeAgo(null, now)).toBe('never');
    expect(timeAgo('not a date', now)).toBe('unknown');
  });
});

test('dates and plurals', () => {
  expect(shortDate('2026-01-04T10:00:00Z')).toBe('Jan 4, 2026');
  expect(shortDate(null)).toBe('—');
  expect(fullDate('garbage')).toBe('');
  expect(plural(1, 'key')).toBe('1 key');
  expect(plural(1200, 'key')).toBe('1,200 keys');
});
