import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { clipUtf8 } from '../../../functions/shared/clip.ts';
import { itemBytes } from '../../../functions/shared/item-size.ts';
import type { Entity } from '../../../functions/synced-view/lww.ts';
import { earliestOf, entityOfItem, shownEntity, stateLimits, storedEntity } from '../../../functions/synced-view/state-item.ts';
import { propertySeed } from '../../support/group-lives.ts';

const stamp = (t: number, e = 'e') => ({ t, e });

describe("the state table's items", () => {
  test('clipUtf8 keeps the longest start of a text that fits, never half a character', () => {
    const property = fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(120), (text, limit) => {
      const clipped = clipUtf8(text, limit);
      expect(text.startsWith(clipped)).toBe(true);
      expect(Buffer.byteLength(clipped)).toBeLessThanOrEqual(limit);
      // The next character would not have fitted.
      const next = [...text.slice(clipped.length)][0];
      if (next !== undefined) expect(Buffer.byteLength(clipped + next)).toBeGreaterThan(limit);
    });
    fc.assert(property, { seed: propertySeed('clipUtf8'), numRuns: 500 });
  });

  test('an entity that fits is stored as it is and shown back the same', () => {
    const entity: Entity = { registers: { role: { v: 'Admin', ...stamp(2) }, nameCard: { v: null, ...stamp(3) } }, latest: stamp(3) };
    const stored = storedEntity(entity);
    expect(Object.keys(stored.registers).sort()).toEqual(['r:nameCard', 'r:role']);
    expect(shownEntity(entityOfItem({ pk: 'G#1#g', sk: 'member#a', version: 1, latest: stored.latest, ...stored.registers }))).toEqual(entity);
  });

  test('a long value is cut and says how long it was; a long name is hashed and kept cut with its length', () => {
    const name = 'n'.repeat(stateLimits.registerNameBytes + 1);
    const value = '值'.repeat(stateLimits.valueBytes);
    const stored = storedEntity({ registers: { [name]: { v: value, ...stamp(1) } }, latest: stamp(1) });
    const [[attribute, register]] = Object.entries(stored.registers) as [[string, (typeof stored.registers)[string]]];
    expect(attribute).toMatch(/^h:[0-9a-f]{64}$/);
    expect(register).toEqual({
      v: clipUtf8(value, stateLimits.valueBytes),
      cut: Buffer.byteLength(value),
      name: name.slice(0, stateLimits.registerNameBytes),
      nameBytes: stateLimits.registerNameBytes + 1,
      ...stamp(1),
    });
    expect(Object.keys(shownEntity(stored).registers)).toEqual([name.slice(0, stateLimits.registerNameBytes)]);
  });

  test("a patch's earliest stamp: every register and reset is at least as new; none without them", () => {
    expect(earliestOf({ registers: { a: { v: 'x', ...stamp(5, 'b') }, b: { v: 'y', ...stamp(5, 'a') } }, resetAt: stamp(6), latest: stamp(6) })).toEqual(
      stamp(5, 'a'),
    );
    expect(earliestOf({ registers: {}, latest: stamp(6) })).toBeUndefined();
  });

  test("an item's size by DynamoDB's rules: names and values, numbers by their digits, maps with their overhead", () => {
    expect(itemBytes({ pk: 'G#1#g' })).toBe(2 + 5);
    expect(itemBytes({ n: 12345 })).toBe(1 + 4);
    expect(itemBytes({ m: { v: 'ab', t: 1 } })).toBe(1 + 3 + (1 + 2) + (1 + 2) + 2);
    expect(itemBytes({ b: true, z: null, gone: undefined })).toBe(2 + 2);
  });
});
