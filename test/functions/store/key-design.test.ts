import { describe, expect, test } from '@jest/globals';
import { designKeys, keyDesignOf, keyOfTable } from '../../../functions/store/key-design.ts';

describe('keyDesignOf', () => {
  test('tells the designs apart by the primary key DescribeTable gives, in whichever order it lists it', () => {
    expect(keyDesignOf({ KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }] })).toBe('second');
    expect(
      keyDesignOf({
        KeySchema: [
          { AttributeName: 's', KeyType: 'RANGE' },
          { AttributeName: 'p', KeyType: 'HASH' },
        ],
      }),
    ).toBe('third');
    expect(designKeys).toEqual({ second: 'eventId HASH', third: 'p HASH, s RANGE' });
  });

  test('any other table has none, and its key is said as it is', () => {
    const other = { KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' as const }] };
    expect(keyDesignOf(other)).toBeUndefined();
    expect(keyOfTable(other)).toBe('p HASH');
    expect(keyDesignOf({})).toBeUndefined();
    expect(keyOfTable({})).toBe('');
  });
});
