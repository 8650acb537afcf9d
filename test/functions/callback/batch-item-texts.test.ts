import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { batchItemTexts } from '../../../functions/callback/batch-item-texts.ts';
import { propertyParameters } from '../../support/seed.ts';

const LIST = 'Events';

/** What JSON.parse reads as the list: the tokenizer must agree with it on the count and on every item. */
function expectAgreement(body: string, slices: string[] | undefined) {
  const list = (JSON.parse(body) as Record<string, unknown>)[LIST];
  if (!Array.isArray(list)) {
    expect(slices).toBeUndefined();
    return;
  }
  expect(slices).toHaveLength(list.length);
  // toEqual tells -0 from 0, so a sign lost in slicing would show.
  expect(slices!.map((slice) => JSON.parse(slice) as unknown)).toEqual(list);
  // Exact substrings, in order, none overlapping: the bytes as received.
  let from = 0;
  for (const slice of slices!) {
    const at = body.indexOf(slice, from);
    expect(at).toBeGreaterThanOrEqual(from);
    from = at + slice.length;
  }
}

describe('batchItemTexts', () => {
  test('keeps each item as it was written: six spellings of three numbers are six items', () => {
    const items = ['7.0', '7', '1e2', '100', '9007199254740993', '9007199254740992'];
    const body = `{"Events":[${items.join(',')}]}`;
    expect(batchItemTexts(body, LIST)).toEqual(items);
    // What re-serialising would have made of them: three distinct texts.
    expect(new Set((JSON.parse(body) as { Events: unknown[] }).Events.map((item) => JSON.stringify(item))).size).toBe(3);
  });

  test('slices objects whole, with their own spacing, key order and escapes', () => {
    const items = ['{ "CallbackCommand" : "Push.OfflinePush", "EventTime":1557481127.0 }', '{"To_Account":"\\u0075ser2","EventTime":15574811270e-1}'];
    const body = `\r\n{ "Events" :\t[ ${items[0]} ,\n${items[1]}\n] }\n`;
    expect(batchItemTexts(body, LIST)).toEqual(items);
  });

  test.each([
    ['the last of duplicate keys, as JSON.parse', '{"Events":[1],"Other":0,"Events":[2,3]}', ['2', '3']],
    ['a key spelled with escapes', '{"\\u0045vents":[1,2]}', ['1', '2']],
    ['an escaped duplicate after a plain one', '{"Events":[1],"Ev\\u0065nts":["x"]}', ['"x"']],
    ['a plain duplicate after an escaped one', '{"\\u0045\\u0076\\u0065\\u006E\\u0074\\u0073":[1],"Events":[true]}', ['true']],
    ['an empty list', '{"Events":[ ]}', []],
    [
      'strings holding brackets, quotes and backslashes',
      '{"Events":["]",  "\\"[" ,"\\\\", "a\\\\\\"]}", {"x":"}]"}]}',
      ['"]"', '"\\"["', '"\\\\"', '"a\\\\\\"]}"', '{"x":"}]"}'],
    ],
    ['nested lists and a list under the same name deeper down', '{"Nested":{"Events":[9]},"Events":[[1,[2]],{"Events":[3]}]}', ['[1,[2]]', '{"Events":[3]}']],
    ['literals and signs', '{"Events":[null,true,false,-0,-1.5E+2,0.0e0]}', ['null', 'true', 'false', '-0', '-1.5E+2', '0.0e0']],
  ])('finds %s', (_, body, expected) => {
    expect(batchItemTexts(body, LIST)).toEqual(expected);
    expectAgreement(body, expected);
  });

  test.each([
    ['no such member', '{"Other":[1]}'],
    ['a member that is no list', '{"Events":{"0":1}}'],
    ['a list replaced by a later duplicate that is no list', '{"Events":[1],"Events":"x"}'],
    ['a near miss of the name', '{"events":[1],"Events ":[2],"\\u0045vent":[3],"EventsX":[4]}'],
    ['an empty object', '{ }'],
    ['a body that is no object', '[{"Events":[1]}]'],
  ])('finds nothing in %s', (_, body) => {
    expect(batchItemTexts(body, LIST)).toBeUndefined();
    expectAgreement(body, undefined);
  });

  test('walks without recursion: an item nested 5,000 deep', () => {
    const deep = `${'[{"a":'.repeat(5_000)}1${'}]'.repeat(5_000)}`;
    expect(batchItemTexts(`{"Events":[${deep},2]}`, LIST)).toEqual([deep, '2']);
  });

  test('slices a batch of 20,000 items, each as written', () => {
    const items = Array.from({ length: 20_000 }, (_, n) => (n % 2 === 0 ? `${n}.0` : `{"n":${n}}`));
    expect(batchItemTexts(`{"Events":[${items.join(',')}]}`, LIST)).toEqual(items);
  });
});

// ---------------------------------------------------------------------------------------------------
// The property: raw JSON text as senders may write it, not as JSON.stringify would.

const whitespace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r'), { maxLength: 3 }).map((units) => units.join(''));
const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((units) => units.join(''));

/** Numbers in every spelling JSON allows: trailing zeros, exponents, huge and unsafe integers, -0. */
const number = fc.oneof(
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        fc.constant('0'),
        fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map(([first, rest]) => first + rest),
      ),
      fc.option(
        digits(1, 4).map((fraction) => `.${fraction}`),
        { nil: '' },
      ),
      fc.option(
        fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3)).map((parts) => parts.join('')),
        { nil: '' },
      ),
    )
    .map(([negative, integer, fraction, exponent]) => `${negative ? '-' : ''}${integer}${fraction}${exponent}`),
  fc.constantFrom('7.0', '7', '1e2', '100', '9007199254740993', '9007199254740992', '1E400', '-0', '0.0', '1e-400'),
);

const hex = (code: number, upper: boolean) => (upper ? code.toString(16).toUpperCase() : code.toString(16)).padStart(4, '0');
/** A piece of a string's text: plain characters, JSON's punctuation, every escape, lone surrogates. */
const stringPiece = fc.oneof(
  // Without what a string cannot hold raw: quotes, backslashes, control characters.
  fc.string({ unit: 'grapheme', maxLength: 4 }).map((text) => [...text].filter((unit) => unit !== '"' && unit !== '\\' && unit >= ' ').join('')),
  fc.constantFrom('[', ']', '{', '}', ',', ':', ' ', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\u2028', '😀'),
  fc
    .tuple(fc.constantFrom(0x22, 0x5c, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x00, 0x1f, 0x45, 0xd800, 0xdc00, 0xffff), fc.boolean())
    .map(([code, upper]) => `\\u${hex(code, upper)}`),
);
const string = fc.array(stringPiece, { maxLength: 5 }).map((pieces) => `"${pieces.join('')}"`);

/** Spellings of the list's name, and near misses that are other members. */
const listKey = fc.constantFrom('"Events"', '"\\u0045vents"', '"Ev\\u0065nts"', '"\\u0045\\u0076\\u0065\\u006E\\u0074\\u0073"', '"Event\\u0073"');
const otherKey = fc.oneof(fc.constantFrom('"events"', '"Events "', '"Event"', '"EventsX"', '"\\u0045vent"', '"CallbackCommand"', '"E\\\\vents"'), string);

const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, number, string, fc.constantFrom('true', 'false', 'null'), tie('array'), tie('object')),
  array: fc
    .array(fc.tuple(whitespace, tie('value'), whitespace), { maxLength: 4 })
    .map((elements) => `[${elements.map((parts) => parts.join('')).join(',')}${elements.length === 0 ? ' ' : ''}]`),
  object: fc
    .array(fc.tuple(whitespace, fc.oneof(otherKey, listKey), whitespace, whitespace, tie('value'), whitespace), { maxLength: 4 })
    .map((members) => `{${members.map(([a, key, b, c, v, d]) => `${a}${key}${b}:${c}${v}${d}`).join(',')}}`),
}));

/** A list of items, with the exact text of each as generated. */
const list = fc
  .array(fc.tuple(whitespace, value, whitespace), { maxLength: 12 })
  .map((elements) => ({ text: `[${elements.map((parts) => parts.join('')).join(',')}]`, items: elements.map(([, item]) => item) }));

/** A top-level object: other members, the list (or something else) under some spelling of its name, maybe several times. */
const body = fc
  .array(
    fc.oneof(
      fc.tuple(otherKey, value).map(([key, text]) => ({ key, text, items: undefined as string[] | undefined, isList: false })),
      fc.tuple(listKey, list).map(([key, { text, items }]) => ({ key, text, items, isList: true })),
      // Anything under the name, a list now and then: JSON.parse decides, the generator tracks no items.
      fc.tuple(listKey, value).map(([key, text]) => ({ key, text, items: undefined, isList: true })),
    ),
    { maxLength: 5 },
  )
  .chain((members) =>
    fc.tuple(
      fc.constant(members),
      fc.array(fc.tuple(whitespace, whitespace, whitespace, whitespace), { minLength: members.length + 1, maxLength: members.length + 1 }),
    ),
  )
  .map(([members, spaces]) => {
    const text = `${spaces[0]![0]}{${members.map((member, index) => `${spaces[index]![1]}${member.key}${spaces[index]![2]}:${spaces[index]![3]}${member.text}`).join(',')}${spaces.at(-1)![1]}}${spaces.at(-1)![2]}`;
    // The last member under the list's name is the one JSON.parse keeps.
    const last = members.filter((member) => member.isList).at(-1);
    return { text, items: last?.items };
  });

describe('batchItemTexts, against JSON.parse', () => {
  test('finds exactly the items written, where JSON.parse finds them, whatever the spelling', () => {
    fc.assert(
      fc.property(body, ({ text, items }) => {
        const slices = batchItemTexts(text, LIST);
        expectAgreement(text, slices);
        // A value that starts with `[` under the name is a list too, whose items the generator did not track.
        if (items !== undefined) expect(slices).toEqual(items);
      }),
      propertyParameters('batch-item-texts', { numRuns: 500 }),
    );
  });

  test('agrees with JSON.parse on bodies fast-check writes, pretty-printed or not', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('Events', 'Other', 'x'), fc.jsonValue({ maxDepth: 4 })),
        fc.constantFrom(0, 1, '\t', ' \r\n'),
        (object, indent) => {
          const text = JSON.stringify(object, null, indent as string | number);
          expectAgreement(text, batchItemTexts(text, LIST));
        },
      ),
      propertyParameters('batch-item-texts-stringified', { numRuns: 300 }),
    );
  });
});
