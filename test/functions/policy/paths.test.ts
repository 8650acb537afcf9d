import { describe, expect, test } from '@jest/globals';
import { mapPath, parsePath, readPath, somePath, stepsWithin } from '../../../functions/commands/field-path.ts';
import { chatCreate, compileRules } from './test-families.ts';

/** Field paths as rules read them: nested objects, every element of a list, missing steps. */
const steps = (path: string) => parsePath(path)!;
const body = { Owner: { Account: 'a', Level: 3 }, Tags: ['x', 'spam', 7], List: [{ Items: [{ V: 'p' }, { V: 'q' }] }, { Items: 'not a list' }, null] };

describe('reading', () => {
  test.each([
    ['Owner.Account', ['a']],
    ['Owner.Level', [3]],
    ['Tags[]', ['x', 'spam', 7]],
    ['List[].Items[].V', ['p', 'q']],
    ['Owner.Missing', []],
    ['Missing.Account', []],
    ['Owner.Account.deeper', []],
    ['Tags', [['x', 'spam', 7]]],
  ])('%s', (path, values) => {
    expect(readPath(body, path)).toEqual(values);
    expect(somePath(body, steps(path), () => true)).toBe(values.length > 0);
  });

  test('somePath stops at the first value that satisfies the test', () => {
    const seen: unknown[] = [];
    expect(
      somePath(body, steps('Tags[]'), (value) => {
        seen.push(value);
        return value === 'spam';
      }),
    ).toBe(true);
    expect(seen).toEqual(['x', 'spam']);
  });

  test('a list of half a million elements (a hostile 1 MiB body) is read without overflowing the stack', () => {
    const huge = { List: Array.from({ length: 500_000 }, () => ({})) };
    expect(readPath(huge, 'List[]')).toHaveLength(500_000);
    expect(readPath(huge, 'List[].V')).toEqual([]);
  });
});

describe('rewriting', () => {
  test('only what changes is copied; nothing changed, the same body', () => {
    const upper = mapPath(body, steps('List[].Items[].V'), (value) => (typeof value === 'string' ? value.toUpperCase() : value)) as typeof body;
    expect(readPath(upper, 'List[].Items[].V')).toEqual(['P', 'Q']);
    expect(upper.Owner).toBe(body.Owner);
    expect(upper.List[1]).toBe(body.List[1]);
    expect(mapPath(body, steps('List[].Items[].V'), (value) => value)).toBe(body);
    expect(mapPath(body, steps('Missing[].V'), () => 'x')).toBe(body);
  });
});

describe('lists', () => {
  test('a path lies inside a list when it starts with it', () => {
    expect(stepsWithin(steps('FriendItem[].To_Account'), steps('FriendItem[]'))).toEqual(steps('To_Account'));
    expect(stepsWithin(steps('From_Account'), steps('FriendItem[]'))).toBeUndefined();
    expect(stepsWithin(steps('FriendItem'), steps('FriendItem[]'))).toBeUndefined();
  });
});

describe('rules on paths', () => {
  test('any value at the path that matches all matchers: nested, lists, nullable objects', () => {
    const decide = compileRules(
      { command: chatCreate.command, field: 'Tags[]', in: ['spam'], refuse: { code: 120001, info: 'tag' } },
      { command: chatCreate.command, field: 'Owner.Level', in: ['9'], refuse: { code: 120002, info: 'level' } },
    );
    expect(decide(chatCreate, { Tags: ['ok', 'spam'] })).toMatchObject({ code: 120001 });
    expect(decide(chatCreate, { Owner: { Level: 9 } })).toMatchObject({ code: 120002 });
    expect(decide(chatCreate, { Owner: null, Tags: 'spam' })).toEqual({ action: 'allow' });
    expect(decide(chatCreate, { Tags: [['spam']], Owner: { Level: [9] } })).toEqual({ action: 'allow' });
  });
});
