import { describe, expect, test } from '@jest/globals';
import { afterPage, isDone, newProgress, percentDone, progressLine, remainingEstimate, segmentsDone } from '../../../functions/store/migration-progress.ts';

const T = Date.UTC(2026, 0, 1);

describe('migration progress', () => {
  test('a page moves its segment on, adds its counts, and leaves the other segments as they were', () => {
    const start = newProgress('old', 3, 1_000, T);
    const next = afterPage(start, 1, { copied: 90, already: 10, startKey: { eventId: 'e100' }, now: T + 1 });
    expect(next).toEqual({
      ...start,
      segments: [{ done: false }, { startKey: { eventId: 'e100' }, done: false }, { done: false }],
      copied: 90,
      already: 10,
      updatedAt: T + 1,
    });
    const last = afterPage(next, 1, { copied: 5, already: 0, now: T + 2 });
    expect(last.segments[1]).toEqual({ done: true });
    expect(segmentsDone(last)).toBe(1);
    expect(isDone(last)).toBe(false);
  });

  test('what is left is estimated from the item count, never below zero, and is zero once every segment is done', () => {
    let progress = afterPage(newProgress('old', 2, 400, T), 0, { copied: 100, already: 0, startKey: { eventId: 'x' }, now: T });
    expect(remainingEstimate(progress)).toBe(300);
    expect(percentDone(progress)).toBe(25);
    expect(progressLine(progress)).toBe('copied 100, already there 0, 0/2 segments done, about 300 left (25%)');
    // All counted but a segment not done: 99%, not 100 (the item count is an estimate).
    progress = afterPage(progress, 1, { copied: 300, already: 0, startKey: { eventId: 'y' }, now: T });
    expect(percentDone(progress)).toBe(99);
    progress = afterPage(progress, 0, { copied: 0, already: 0, now: T });
    progress = afterPage(progress, 1, { copied: 0, already: 0, now: T });
    expect({ left: remainingEstimate(progress), percent: percentDone(progress), line: progressLine(progress) }).toEqual({
      left: 0,
      percent: 100,
      line: 'copied 400, already there 0, 2/2 segments done, none left',
    });
  });

  test('an item count behind the copy (AWS refreshes it about every six hours) gives no estimate, and percent by segments', () => {
    const progress = afterPage(afterPage(newProgress('old', 4, 0, T), 2, { copied: 50, already: 0, now: T }), 0, {
      copied: 100,
      already: 0,
      startKey: {},
      now: T,
    });
    expect(remainingEstimate(progress)).toBeUndefined();
    expect(percentDone(progress)).toBe(25);
    expect(progressLine(progress)).toMatch(/^copied 150, already there 0, 1\/4 segments done, how many are left is not known .* \(25%\)$/);
  });
});
