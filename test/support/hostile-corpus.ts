/**
 * fast-check arbitraries for the hostile-input suite (test/integration/hostile-input.test.ts): raw
 * HTTP requests for the local server and API Gateway events for the handler, built from Tencent's
 * seed bodies and then broken in every way a sender (or an attacker) could break them.
 *
 * Bodies are built as raw JSON text, not with JSON.stringify, so they can hold what JSON.stringify
 * never writes: duplicate keys, numbers such as 1e400, escaped lone surrogates, `__proto__` keys.
 * Sign and RequestTime are computed when a request is sent (the window is about "now"), so a request
 * holds how to sign, not a signature.
 */

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { seedCallbacks } from '../fixtures/seed-callbacks.ts';

export const HOSTILE_TOKEN = 'hostile-test-token';

// ---------------------------------------------------------------------------------------------------
// Raw JSON text

type RawEntry = readonly [rawKey: string, rawValue: string];

const quoted = (text: string) => JSON.stringify(text);
/** `arbitrary` one time in `oneIn`, else undefined (fc.option's `freq` is the odds of undefined). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: oneIn - 1 }, { arbitrary, weight: 1 });
const rawObject = (entries: readonly RawEntry[]) => `{${entries.map(([key, value]) => `${key}:${value}`).join(',')}}`;

/** Commands beyond the four seeds: unregistered after-callbacks (stored as received) and a before one. */
const extraBodies: Record<string, string> = {
  'Group.CallbackAfterSendMsg': JSON.stringify({
    CallbackCommand: 'Group.CallbackAfterSendMsg',
    GroupId: '@TGS#2J4SZEAEL',
    Type: 'Public',
    From_Account: 'jared',
    Random: 123456,
    MsgSeq: 123,
    MsgTime: 1490686222,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'red packet' } }],
    EventTime: 1670574414123,
  }),
  'State.StateChange': JSON.stringify({
    CallbackCommand: 'State.StateChange',
    Info: { Action: 'Login', To_Account: 'bob', Reason: 'Register' },
    EventTime: 1670574414123,
  }),
  'C2C.CallbackBeforeSendMsg': JSON.stringify({
    CallbackCommand: 'C2C.CallbackBeforeSendMsg',
    From_Account: 'a',
    To_Account: 'b',
    MsgBody: [],
    EventTime: 1670574414123,
  }),
  'Group.CallbackAfterGroupFull': '{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"@TGS#2J4SZEAEL","EventTime":"1670574414123"}',
};

/** Every seed: [command, body text as Tencent's pages print it]. */
export const seedBodies: readonly (readonly [string, string])[] = [...Object.entries(seedCallbacks), ...Object.entries(extraBodies)];

const entriesOf = (text: string): RawEntry[] =>
  Object.entries(JSON.parse(text) as Record<string, unknown>).map(([key, value]) => [quoted(key), JSON.stringify(value)]);

const fields = [
  'CallbackCommand',
  'GroupId',
  'TopicId',
  'EventTime',
  'MemberList',
  'UserDefinedDataList',
  'Name',
  'Type',
  'Operator_Account',
  'Owner_Account',
  'Introduction',
  'Notification',
  'FaceUrl',
  'Events',
  'Info',
  'MsgBody',
  'MsgSeq',
] as const;

/** Values of the wrong type, or of the right type but absurd, as raw JSON text. */
const oddValueTexts = [
  'null',
  'true',
  'false',
  '0',
  '-0',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '1E+2',
  '123456789012345678901234567890',
  '9007199254740993',
  '0.1e-400',
  '253402300799999',
  '253402300800000',
  '""',
  '"abc"',
  '"-1"',
  '" 1670574414123"',
  '"1670574414123 "',
  '"1670574414123.0"',
  '"0x10"',
  '"1e3"',
  '"１２３"',
  `"${'9'.repeat(400)}"`,
  '"253402300800000"',
  '[]',
  '{}',
  '[1,2]',
  '{"Member_Account":5}',
  '[{"Member_Account":null}]',
  '[{}]',
  '"bob"',
  '[[[]]]',
  '{"":""}',
  '[{"Key":1,"Value":[]}]',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '{"CallbackCommand":"Group.CallbackAfterCreateGroup"}',
];

/** Strings that are valid JSON but hostile, and a few that are not valid JSON at all. */
const trickyStringTexts = [
  '"\\ud800"',
  '"\\udc00"',
  '"a\\ud800b"',
  '"\\ud83d\\ude00"',
  '"\\u0000"',
  '"\\u0000\\u0000\\u001f"',
  '"\\b\\f\\n\\r\\t"',
  '"\\u2028\\u2029"',
  '"\u2028"',
  '"\u007f"',
  '"\\/"',
  '"\uFEFF"',
  '"\uFFFF"',
  '"😀"',
  '"\u0301"',
  '"<script>"',
  // Not JSON: raw control characters in a string, bad escapes.
  '"\u0000"',
  '"\t"',
  '"\n"',
  '"\\x41"',
  '"\\u12"',
  '"\\ud8"',
  "'single'",
];

const digitString = fc.array(fc.constantFrom(...'0123456789'), { minLength: 13, maxLength: 400 }).map((digits) => quoted(digits.join('')));

const oddValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...oddValueTexts), weight: 6 },
  { arbitrary: fc.constantFrom(...trickyStringTexts), weight: 2 },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(quoted), weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.double().map((value) => (Number.isFinite(value) ? JSON.stringify(value) : '1e999')), weight: 1 },
  { arbitrary: digitString, weight: 1 },
);

// ---------------------------------------------------------------------------------------------------
// Mutations of a seed body's entries

type Mutation = { readonly label: string; apply(entries: RawEntry[]): RawEntry[] };

const setField = (field: string, value: string): Mutation => ({
  label: 'wrong-type',
  apply(entries) {
    const key = quoted(field);
    return entries.some(([k]) => k === key) ? entries.map(([k, v]) => [k, k === key ? value : v] as const) : [...entries, [key, value]];
  },
});

const dropField = (field: string): Mutation => ({
  label: 'missing-field',
  apply: (entries) => entries.filter(([key]) => key !== quoted(field)),
});

/** The same key twice: JSON.parse keeps the last, the raw text (and so the event id) has both. */
const duplicateKey = (field: string, value: string, first: boolean): Mutation => ({
  label: 'duplicate-key',
  apply(entries) {
    const key = quoted(field);
    const at = entries.findIndex(([k]) => k === key);
    const copy = [...entries];
    copy.splice(at < 0 ? copy.length : first ? at : at + 1, 0, [key, value]);
    return copy;
  },
});

/** Keys that pollute prototypes elsewhere: some middy forbids, some are harmless lookalikes. */
const protoEntries: readonly RawEntry[] = [
  ['"__proto__"', '{"admin":true}'],
  ['"__proto__"', 'null'],
  ['"__proto__"', '"x"'],
  ['"__proto__"', '[]'],
  ['"\\u005f_proto__"', '{"admin":true}'],
  ['"__\\u0070roto__"', '1'],
  ['"constructor"', '{"prototype":{"polluted":true}}'],
  ['"constructor"', '{"prototype":null}'],
  ['"constructor"', '"x"'],
  ['"constructor"', '{"name":"x"}'],
  ['"constructor"', '0'],
  ['"prototype"', '{"polluted":true}'],
  ['"__proto"', '1'],
  ['"__PROTO__"', '1'],
  ['"toString"', '1'],
  ['"hasOwnProperty"', '"x"'],
  ['"valueOf"', '{}'],
];

const protoKey = (entry: RawEntry, depth: number, inMemberList: boolean): Mutation => ({
  label: 'proto-key',
  apply(entries) {
    let value = rawObject([entry]);
    if (inMemberList) return [...entries, ['"MemberList"', `[{"Member_Account":"bob",${entry[0]}:${entry[1]}}]`]];
    if (depth === 0) return [...entries, entry];
    for (let level = 1; level < depth; level++) value = rawObject([['"a"', value]]);
    return [...entries, ['"Nested"', value]];
  },
});

const deepShapes = {
  arrays: (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`,
  objects: (n: number) => `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`,
  mixed: (n: number) => `${'[{"a":'.repeat(n)}1${'}]'.repeat(n)}`,
  unbalanced: (n: number) => `${'['.repeat(n)}${']'.repeat(Math.max(0, n - 1))}`,
} as const;

const deepValue = (field: string, depth: number, shape: keyof typeof deepShapes): Mutation => ({
  label: 'deep-nesting',
  apply: (entries) => setField(field, deepShapes[shape](depth)).apply(entries),
});

/** One unit of a huge string, as JSON text, with the bytes it takes. */
const hugeUnits = { ascii: 'x', cjk: '话', emoji: '😀', nulEscape: '\\u0000', surrogateEscape: '\\ud800', quoteEscape: '\\"' } as const;

const hugeValue = (field: string, bytes: number, unit: keyof typeof hugeUnits): Mutation => ({
  label: 'huge-string',
  apply(entries) {
    const text = hugeUnits[unit];
    const count = Math.max(0, Math.floor(bytes / Buffer.byteLength(text)));
    return setField(field, `"${text.repeat(count)}"`).apply(entries);
  },
});

const mutation = (maxBodyBytes: number): fc.Arbitrary<Mutation> => {
  const field = fc.constantFrom(...fields);
  const hugeBytes = fc.oneof(
    fc.integer({ min: 1, max: maxBodyBytes }),
    fc.integer({ min: maxBodyBytes - 600, max: maxBodyBytes + 600 }),
    fc.constantFrom(maxBodyBytes * 2),
  );
  return fc.oneof(
    { arbitrary: fc.tuple(field, oddValue).map(([f, v]) => setField(f, v)), weight: 10 },
    { arbitrary: field.map(dropField), weight: 3 },
    { arbitrary: fc.tuple(field, oddValue, fc.boolean()).map(([f, v, first]) => duplicateKey(f, v, first)), weight: 3 },
    {
      // CallbackCommand twice, the other value first or last.
      arbitrary: fc
        .tuple(fc.constantFrom(...seedBodies.map(([command]) => command), 'Group.CallbackAfterCreateTopic'), fc.boolean())
        .map(([other, first]) => duplicateKey('CallbackCommand', quoted(other), first)),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...protoEntries), fc.integer({ min: 0, max: 6 }), fc.boolean())
        .map(([entry, depth, inMemberList]) => protoKey(entry, depth, inMemberList)),
      weight: 5,
    },
    { arbitrary: fc.tuple(field, fc.constantFrom(...trickyStringTexts)).map(([f, v]) => setField(f, v)), weight: 3 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('MemberList', 'Nested', 'Events', 'GroupId'),
          fc.oneof(fc.constantFrom(1, 10, 100, 999, 1000, 1500, 2000, 3000, 10_000, 50_000), fc.integer({ min: 1, max: 60_000 })),
          fc.constantFrom(...(Object.keys(deepShapes) as (keyof typeof deepShapes)[])),
        )
        .map(([f, depth, shape]) => deepValue(f, depth, shape)),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom('Name', 'GroupId', 'Introduction', 'Junk'),
          hugeBytes,
          fc.constantFrom(...(Object.keys(hugeUnits) as (keyof typeof hugeUnits)[])),
        )
        .map(([f, bytes, unit]) => hugeValue(f, bytes, unit)),
      weight: 2,
    },
  );
};

// ---------------------------------------------------------------------------------------------------
// Byte-level damage, after the text is written as UTF-8

type ByteDamage = { readonly label: string; apply(bytes: Buffer): Buffer };

const invalidUtf8Sequences: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xc3],
  [0x80],
  [0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0xe0, 0x80, 0xaf],
  [0xf0, 0x9f, 0x98],
  [0xc3, 0x28],
];

const at = (bytes: Buffer, fraction: number) => Math.min(bytes.length, Math.floor(bytes.length * fraction));

const byteDamage: fc.Arbitrary<ByteDamage> = fc.oneof(
  {
    arbitrary: fc.tuple(fc.constantFrom(...invalidUtf8Sequences), fc.double({ min: 0, max: 1, noNaN: true })).map(([sequence, fraction]) => ({
      label: 'invalid-utf8',
      apply: (bytes: Buffer) => Buffer.concat([bytes.subarray(0, at(bytes, fraction)), Buffer.from(sequence), bytes.subarray(at(bytes, fraction))]),
    })),
    weight: 4,
  },
  {
    arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((fraction) => ({
      label: 'truncated',
      apply: (bytes: Buffer) => bytes.subarray(0, at(bytes, fraction)),
    })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom(
        { label: 'bom', prefix: [0xef, 0xbb, 0xbf], suffix: [] },
        { label: 'double-bom', prefix: [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], suffix: [] },
        { label: 'nul-bytes', prefix: [0x00], suffix: [] },
        { label: 'nul-bytes', prefix: [], suffix: [0x00] },
        { label: 'trailing-garbage', prefix: [], suffix: [...Buffer.from('}x')] },
        { label: 'whitespace', prefix: [...Buffer.from('\r\n\t ')], suffix: [...Buffer.from(' \n')] },
        { label: 'nbsp', prefix: [0xc2, 0xa0], suffix: [] },
      )
      .map(({ label, prefix, suffix }) => ({ label, apply: (bytes: Buffer) => Buffer.concat([Buffer.from(prefix), bytes, Buffer.from(suffix)]) })),
    weight: 3,
  },
  {
    arbitrary: fc.boolean().map((bom) => ({
      label: 'utf16',
      apply: (bytes: Buffer) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(bytes.toString('utf8'), 'utf16le')]),
    })),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------------
// Bodies

export interface HostileBody {
  /** What the generator meant, for the counts: seed, wrong-type, invalid-utf8, … */
  readonly label: string;
  /** The command the body is built around: the URL's CallbackCommand is derived from it. */
  readonly command: string;
  /** The bytes sent; undefined sends no body at all. */
  readonly bytes: Buffer | undefined;
}

const body = (label: string, command: string, text: string | Buffer | undefined): HostileBody => ({
  label,
  command,
  bytes: text === undefined ? undefined : typeof text === 'string' ? Buffer.from(text, 'utf8') : text,
});

const seed = fc.constantFrom(...seedBodies);

/** Command names that would trip a receiver using plain objects as maps, and other oddities. */
const hostileCommands = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  'Group.CallbackBeforeCreateTopic ',
  ' Group.CallbackAfterCreateGroup',
  'group.callbackaftercreategroup',
  'GROUP.CALLBACKBEFORECREATETOPIC',
  'Group.CallbackAfterCreateGroup\u0000',
  '命令',
  'a,b',
  '😀',
  'Group.CallbackAfterCreateGroup,Group.CallbackAfterCreateGroup',
  'x'.repeat(300),
  'Push.OfflinePush',
];

const ordinaryBody = (maxBodyBytes: number): fc.Arbitrary<HostileBody> =>
  fc.oneof(
    { arbitrary: seed.map(([command, text]) => body('seed', command, text)), weight: 10 },
    {
      // A seed with one huge string: near, at and over the body limit.
      arbitrary: fc
        .tuple(seed, fc.oneof(fc.integer({ min: maxBodyBytes >> 1, max: maxBodyBytes }), fc.integer({ min: maxBodyBytes - 600, max: maxBodyBytes + 600 })))
        .map(([[command, text], bytes]) => body('huge-string', command, rawObject(hugeValue('Name', bytes, 'ascii').apply(entriesOf(text))))),
      weight: 3,
    },
    {
      // A seed made unique, so it is stored anew rather than as a duplicate.
      arbitrary: fc
        .tuple(seed, fc.constantFrom('Name', 'GroupId', 'Operator_Account', 'EventTime'), fc.string({ unit: 'grapheme', maxLength: 30 }))
        .map(([[command, text], field, value]) => body('seed-unique', command, rawObject(setField(field, quoted(value)).apply(entriesOf(text))))),
      weight: 20,
    },
    {
      arbitrary: fc
        .tuple(seed, fc.array(mutation(maxBodyBytes), { minLength: 1, maxLength: 3 }), rarely(byteDamage, 4))
        .map(([[command, text], mutations, damage]) => {
          const raw = rawObject(mutations.reduce((entries, m) => m.apply(entries), entriesOf(text)));
          const bytes = Buffer.from(raw, 'utf8');
          const label = damage?.label ?? mutations[mutations.length - 1]!.label;
          return body(label, command, damage ? damage.apply(bytes) : bytes);
        }),
      weight: 40,
    },
    { arbitrary: fc.tuple(seed, byteDamage).map(([[command, text], damage]) => body(damage.label, command, damage.apply(Buffer.from(text)))), weight: 12 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...seedBodies.map(([command]) => command)), fc.json({ maxDepth: 4 }))
        .map(([command, json]) => body('random-json', command, json)),
      weight: 5,
    },
    {
      arbitrary: fc
        .tuple(seed, fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }))
        .map(([[command], extra]) =>
          body('random-object', command, `{"CallbackCommand":${quoted(command)},${JSON.stringify(extra).slice(1)}`.replace(/,}$/, '}')),
        ),
      weight: 5,
    },
    { arbitrary: fc.tuple(seed, fc.string({ unit: 'binary', maxLength: 200 })).map(([[command], text]) => body('random-text', command, text)), weight: 2 },
    { arbitrary: fc.tuple(seed, fc.uint8Array({ maxLength: 600 })).map(([[command], bytes]) => body('random-bytes', command, Buffer.from(bytes))), weight: 2 },
    {
      arbitrary: fc
        .tuple(seed, fc.constantFrom<string | undefined>(undefined, '', ' ', '\r\n\t', '\uFEFF', '\u00a0', '\u0000', '\uFEFF\uFEFF'))
        .map(([[command], text]) => body('empty', command, text)),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(seed, fc.constantFrom('[]', '"x"', '1', 'null', 'true', '-0', '1e400', '"\\ud800"', '[{"CallbackCommand":"Group.CallbackAfterCreateGroup"}]'))
        .map(([[command], text]) => body('not-an-object', command, text)),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...hostileCommands), fc.string({ maxLength: 20 }))
        .map(([command, groupId]) => body('hostile-command', command, JSON.stringify({ CallbackCommand: command, GroupId: groupId }))),
      weight: 4,
    },
    {
      // Push callbacks batch events (docs/protocol.md#push); with or without a top-level command. Items come in
      // sixes that differ only in how MsgSeq is spelled, and in spacing: six events, each as written.
      arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 120 }), fc.constantFrom('', ' ', '\n\t')).map(([withCommand, count, space]) => {
        const spellings = ['7.0', '7', '1e2', '100', '9007199254740993', '9007199254740992'];
        const events = Array.from(
          { length: count },
          (_, index) =>
            `{${space}"CallbackCommand":"Push.OfflinePush",${space}"EventTime":${1670574414 + Math.floor(index / 6)},"MsgSeq":${spellings[index % 6]}${space}}`,
        );
        const list = `[${space}${events.join(`,${space}`)}]`;
        return body(
          'events-envelope',
          'Push.OfflinePush',
          withCommand ? `{"CallbackCommand":"Push.OfflinePush",${space}"Events":${list}}` : `{"Events":${space}${list}}`,
        );
      }),
      weight: 1,
    },
  );

/** Beyond the local server's own 10 MB limit (API Gateway's): answered before the chain runs. */
const over10Mb = fc
  .constantFrom(10 * 1024 * 1024 + 1, 10 * 1024 * 1024 + 70_000)
  .map((size) => body('over-10mb', 'Group.CallbackAfterCreateGroup', `{"CallbackCommand":"Group.CallbackAfterCreateGroup","Name":"${'x'.repeat(size)}"}`));

export const hostileBody = (maxBodyBytes: number, { over10Mb: withOver10Mb = true } = {}): fc.Arbitrary<HostileBody> =>
  withOver10Mb ? fc.oneof({ arbitrary: ordinaryBody(maxBodyBytes), weight: 800 }, { arbitrary: over10Mb, weight: 1 }) : ordinaryBody(maxBodyBytes);

// ---------------------------------------------------------------------------------------------------
// Sign and RequestTime

export type TimeSpec = { readonly offsetSeconds: number; readonly zeros: number } | { readonly literal: string };
export type SignSpec = { readonly token: string; readonly upperCase: boolean; readonly cut: number } | { readonly literal: string };

export interface Auth {
  readonly label: string;
  readonly time?: TimeSpec;
  readonly sign?: SignSpec;
  readonly signName: string;
  readonly timeName: string;
  readonly repeatSign: boolean;
  readonly repeatTime: boolean;
}

const validTime = fc.record({
  offsetSeconds: fc.integer({ min: -30, max: 30 }),
  zeros: fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
});
const validSign = fc.record({
  token: fc.constant(HOSTILE_TOKEN),
  upperCase: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
  cut: fc.constant(0),
});
const oddCase = (name: string) => fc.oneof({ arbitrary: fc.constant(name), weight: 6 }, { arbitrary: fc.mixedCase(fc.constant(name)), weight: 1 });

const staleTime = fc.record({ offsetSeconds: fc.constantFrom(-86_400 * 3650, -86_400, -3600, -121, -90, 90, 121, 3600, 1e9), zeros: fc.constant(0) });
const literalTime = fc
  .oneof(
    fc.constantFrom('', 'abc', '-1', '1e9', '0', '00', '17950000000000000', ' 1795000000', '1795000000.0', '+1795000000', '0x6b0c1fc0'),
    fc.string({ maxLength: 16 }),
  )
  .map((literal) => ({ literal }));
const badSign = fc.oneof(
  fc.record({ token: fc.constantFrom('wrong-token', '', HOSTILE_TOKEN.toUpperCase(), `${HOSTILE_TOKEN} `), upperCase: fc.boolean(), cut: fc.constant(0) }),
  fc.record({ token: fc.constant(HOSTILE_TOKEN), upperCase: fc.boolean(), cut: fc.integer({ min: 1, max: 64 }) }),
  fc.stringMatching(/^[0-9a-f]{64}$/).map((literal) => ({ literal })),
  fc.constantFrom('', 'x', 'sha256', `${'0'.repeat(64)}`, `${'g'.repeat(64)}`).map((literal) => ({ literal })),
  fc.string({ maxLength: 70 }).map((literal) => ({ literal })),
);

export const auth: fc.Arbitrary<Auth> = fc.oneof(
  {
    arbitrary: fc
      .record({ time: validTime, sign: validSign, signName: oddCase('Sign'), timeName: oddCase('RequestTime') })
      .map((parts) => ({ label: 'valid', ...parts, repeatSign: false, repeatTime: false })),
    weight: 70,
  },
  {
    arbitrary: fc.constantFrom('none', 'sign-only', 'time-only').chain((kind) =>
      fc.record({ time: validTime, sign: validSign }).map(({ time, sign }) => ({
        label: `missing:${kind}`,
        time: kind === 'time-only' ? time : undefined,
        sign: kind === 'sign-only' ? sign : undefined,
        signName: 'Sign',
        timeName: 'RequestTime',
        repeatSign: false,
        repeatTime: false,
      })),
    ),
    weight: 6,
  },
  {
    arbitrary: fc
      .record({ time: staleTime, sign: validSign })
      .map((parts) => ({ label: 'stale', ...parts, signName: 'Sign', timeName: 'RequestTime', repeatSign: false, repeatTime: false })),
    weight: 6,
  },
  {
    arbitrary: fc
      .record({ time: literalTime, sign: validSign })
      .map((parts) => ({ label: 'odd-time', ...parts, signName: 'Sign', timeName: 'RequestTime', repeatSign: false, repeatTime: false })),
    weight: 5,
  },
  {
    arbitrary: fc
      .record({ time: validTime, sign: badSign })
      .map((parts) => ({ label: 'bad-sign', ...parts, signName: 'Sign', timeName: 'RequestTime', repeatSign: false, repeatTime: false })),
    weight: 8,
  },
  {
    arbitrary: fc
      .record({ time: validTime, sign: validSign, repeatSign: fc.boolean(), repeatTime: fc.boolean() })
      .map((parts) => ({ label: 'repeated', ...parts, repeatTime: parts.repeatTime || !parts.repeatSign, signName: 'Sign', timeName: 'RequestTime' })),
    weight: 3,
  },
);

export const timeText = (spec: TimeSpec, nowSeconds: number) =>
  'literal' in spec ? spec.literal : `${'0'.repeat(spec.zeros)}${nowSeconds + spec.offsetSeconds}`;

export function signText(spec: SignSpec, time: string): string {
  if ('literal' in spec) return spec.literal;
  const hex = createHash('sha256').update(`${spec.token}${time}`).digest('hex');
  return (spec.upperCase ? hex.toUpperCase() : hex).slice(0, 64 - spec.cut);
}

// ---------------------------------------------------------------------------------------------------
// Query parameters

/** A value, or the body's command as the URL repeats it (Tencent's URL and body agree), altered or not. */
export type QueryValue = string | { readonly command: 'same' | 'recased' | 'padded' } | { readonly otherThan: string };
export interface QueryParameter {
  readonly name: string;
  readonly value: QueryValue;
}

export interface HostileQuery {
  readonly label: string;
  /** No query string at all: not even Sign and RequestTime. */
  readonly bare?: boolean;
  readonly parameters: readonly QueryParameter[];
  /** Raw fragments appended as they are: percent garbage, stray `&` and `=`. */
  readonly junk: readonly string[];
}

type CommandInUrl = 'same' | 'other' | 'absent' | 'empty' | 'recased' | 'twice' | 'padded' | 'lower-name' | 'upper-name';

const sdkAppIdValues = fc.oneof(
  { arbitrary: fc.constant('1400000000'), weight: 30 },
  {
    arbitrary: fc.constantFrom(
      '1400000001',
      '',
      ' 1400000000',
      '1400000000 ',
      '+1400000000',
      '01400000000',
      '1.4e9',
      '1400000000,1400000000',
      '１４００００００００',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 5000 }).map((length) => '1'.repeat(length)), weight: 1 },
);

const junkFragments = fc.constantFrom(
  '%',
  '%zz',
  '%ff',
  '%c3%28',
  '%00',
  '+',
  '&',
  '&&',
  '=',
  '==x',
  ';',
  'SdkAppid',
  'SdkAppid=',
  '%53dkAppid=1400000000',
  'CallbackCommand=',
  'a=b=c',
  '%E2%82',
  "'",
  '"',
  '<>',
  '\\',
  '^',
  '`',
  '{}',
  '|',
  '[',
  ']',
  'Sign',
  'RequestTime=',
);

const junkParameter: fc.Arbitrary<QueryParameter> = fc.record({
  name: fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '',
      '0',
      'a[b]',
      'contenttype',
      'ClientIP',
      'OptPlatform',
      'x'.repeat(500),
    ),
    fc.string({ maxLength: 12 }),
  ),
  value: fc.oneof(fc.constantFrom('', 'json', 'JSON', 'xml', '127.0.0.1', 'IOS', 'iOs', '%'), fc.string({ unit: 'binary', maxLength: 20 })),
});

const tencentQuery: fc.Arbitrary<HostileQuery> = fc
  .record({
    sdkAppIdName: oddCase('SdkAppid'),
    sdkAppId: sdkAppIdValues,
    sdkAppIdTwice: rarely(
      sdkAppIdValues.chain((value) => oddCase('SdkAppid').map((name) => ({ name, value }))),
      25,
    ),
    dropSdkAppId: fc.oneof({ arbitrary: fc.constant(false), weight: 30 }, { arbitrary: fc.constant(true), weight: 1 }),
    commandInUrl: fc.oneof(
      { arbitrary: fc.constant<CommandInUrl>('same'), weight: 40 },
      { arbitrary: fc.constantFrom<CommandInUrl>('other', 'absent', 'empty', 'recased', 'twice', 'padded', 'lower-name', 'upper-name'), weight: 6 },
    ),
    otherCommand: fc.constantFrom(...seedBodies.map(([name]) => name)),
    tencentExtras: fc.boolean(),
    junkParameters: fc.oneof({ arbitrary: fc.constant<QueryParameter[]>([]), weight: 8 }, { arbitrary: fc.array(junkParameter, { maxLength: 4 }), weight: 1 }),
    junk: fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 8 }, { arbitrary: fc.array(junkFragments, { minLength: 1, maxLength: 3 }), weight: 1 }),
    shuffle: rarely(fc.nat(), 4),
  })
  .map((q) => {
    const parameters: QueryParameter[] = [];
    if (!q.dropSdkAppId) parameters.push({ name: q.sdkAppIdName, value: q.sdkAppId });
    if (q.sdkAppIdTwice) parameters.push(q.sdkAppIdTwice);
    const commandName = q.commandInUrl === 'lower-name' ? 'callbackcommand' : q.commandInUrl === 'upper-name' ? 'CALLBACKCOMMAND' : 'CallbackCommand';
    const commandValue = (
      {
        same: { command: 'same' },
        other: { otherThan: q.otherCommand },
        absent: undefined,
        empty: '',
        recased: { command: 'recased' },
        twice: { command: 'same' },
        padded: { command: 'padded' },
        'lower-name': { command: 'same' },
        'upper-name': { command: 'same' },
      } as const satisfies Record<CommandInUrl, QueryValue | undefined>
    )[q.commandInUrl];
    if (commandValue !== undefined) parameters.push({ name: commandName, value: commandValue });
    if (q.commandInUrl === 'twice') parameters.push({ name: 'callbackCommand', value: { command: 'same' } });
    if (q.tencentExtras)
      parameters.push({ name: 'contenttype', value: 'json' }, { name: 'ClientIP', value: '10.1.2.3' }, { name: 'OptPlatform', value: 'RESTAPI' });
    parameters.push(...q.junkParameters);
    if (q.shuffle !== undefined) shuffleInPlace(parameters, q.shuffle);
    const label =
      [
        q.dropSdkAppId || q.sdkAppId !== '1400000000' || q.sdkAppIdTwice ? 'odd-sdkappid' : '',
        q.commandInUrl !== 'same' ? `command:${q.commandInUrl}` : '',
        q.junk.length || q.junkParameters.length ? 'junk' : '',
      ]
        .filter(Boolean)
        .join('+') || 'tencent';
    return { label, parameters, junk: q.junk };
  });

const bareQuery: HostileQuery = { label: 'no-query', bare: true, parameters: [], junk: [] };

export const hostileQuery: fc.Arbitrary<HostileQuery> = fc.oneof({ arbitrary: tencentQuery, weight: 40 }, { arbitrary: fc.constant(bareQuery), weight: 1 });

function shuffleInPlace<T>(items: T[], seed: number) {
  let state = seed >>> 0 || 1;
  for (let index = items.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}

function commandValue(value: Exclude<QueryValue, string>, command: string): string {
  if ('otherThan' in value) return value.otherThan === command ? `${command}X` : value.otherThan;
  if (value.command === 'recased') return command.toLowerCase() === command ? command.toUpperCase() : command.toLowerCase();
  return value.command === 'padded' ? `${command} ` : command;
}

/** The parameters, in the order they are sent: the body's command filled in, Sign and RequestTime for `nowSeconds`. */
export function resolveQuery(query: HostileQuery, signing: Auth, nowSeconds: number, command: string): [string, string][] {
  if (query.bare) return [];
  const time = signing.time === undefined ? undefined : timeText(signing.time, nowSeconds);
  const sign = signing.sign === undefined ? undefined : signText(signing.sign, time ?? '');
  const resolved: [string, string][] = query.parameters.map(({ name, value }) => [name, typeof value === 'string' ? value : commandValue(value, command)]);
  if (sign !== undefined) {
    resolved.push([signing.signName, sign]);
    if (signing.repeatSign) resolved.push([signing.signName, sign]);
  }
  if (time !== undefined) {
    resolved.push([signing.timeName, time]);
    if (signing.repeatTime) resolved.push([signing.timeName, time]);
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------------
// Whole HTTP requests

export interface HostileHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: HostileQuery;
  readonly auth: Auth;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: HostileBody;
  /** Sent in several writes with chunked transfer encoding (POST only). */
  readonly chunks: number;
  readonly fragment: string;
}

const paths = fc.oneof(
  { arbitrary: fc.constant('/callback'), weight: 60 },
  {
    arbitrary: fc.constantFrom(
      '/',
      '/Callback',
      '/CALLBACK',
      '/callback/',
      '//callback',
      '/callback/..',
      '/x/../callback',
      '/./callback',
      '/%63allback',
      '/callback%00',
      '/callback;x',
      '/callback%2F',
      '/admin',
      '/callback/callback',
      '/.env',
      '*',
      '/\\callback',
      `/${'a'.repeat(3000)}`,
    ),
    weight: 4,
  },
  { arbitrary: fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)), weight: 1 },
);

const methods = fc.oneof(
  { arbitrary: fc.constant('POST'), weight: 60 },
  {
    arbitrary: fc.constantFrom('post', 'Post', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'MKCOL', 'REPORT'),
    weight: 5,
  },
);

const headerToken = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);

const headers = fc
  .record(
    {
      'content-type': fc.option(
        fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/octet-stream',
          ),
          headerToken,
        ),
        { freq: 2, nil: undefined },
      ),
      'content-encoding': rarely(fc.constantFrom('gzip', 'br', 'base64', 'identity', 'x'), 8),
      'x-forwarded-for': rarely(fc.constantFrom('1.2.3.4', 'unknown', '::1, 10.0.0.1'), 8),
      'user-agent': rarely(headerToken, 8),
    },
    { requiredKeys: [] },
  )
  .map((record) => Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined)));

/** Counterexamples print as the request, bytes escaped and long bodies cut, not as a Buffer's every byte. */
const printedAs =
  <T extends object>(describe: (value: T) => string) =>
  (value: T): T =>
    Object.assign(value, { [fc.toStringMethod]: () => describe(value) });

export const hostileHttpRequest = (maxBodyBytes: number): fc.Arbitrary<HostileHttpRequest> =>
  fc
    .record({
      method: methods,
      path: paths,
      query: hostileQuery,
      auth,
      headers,
      body: hostileBody(maxBodyBytes),
      chunks: fc.oneof({ arbitrary: fc.constant(1), weight: 9 }, { arbitrary: fc.integer({ min: 2, max: 5 }), weight: 1 }),
      fragment: fc.oneof({ arbitrary: fc.constant(''), weight: 30 }, { arbitrary: fc.constantFrom('#', '#frag', '#?SdkAppid=1'), weight: 1 }),
    })
    .map(printedAs((request) => describeHttpRequest(request)));

/** The request line's target, Sign included, percent-encoded where node:http would refuse raw bytes. */
export function requestTarget(request: HostileHttpRequest, nowSeconds: number): string {
  const parts = resolveQuery(request.query, request.auth, nowSeconds, request.body.command).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  parts.push(...request.query.junk);
  return `${request.path}${parts.length > 0 ? `?${parts.join('&')}` : ''}${request.fragment}`;
}

// ---------------------------------------------------------------------------------------------------
// API Gateway events for the handler: base64 flags that lie, bodies no HTTP server would produce

export type BodyEncoding =
  | 'base64'
  | 'plain'
  | 'flag-says-base64-but-plain'
  | 'flag-says-plain-but-base64'
  | 'base64url'
  | 'base64-with-newlines'
  | 'garbage-base64'
  | 'raw-lone-surrogate';

export interface HostileEvent {
  readonly method: string | undefined;
  readonly rawPath: string | undefined;
  readonly query: HostileQuery | undefined;
  readonly auth: Auth;
  readonly body: HostileBody;
  readonly encoding: BodyEncoding;
  readonly garbage: string;
}

export const hostileEvent = (maxBodyBytes: number): fc.Arbitrary<HostileEvent> =>
  fc
    .record({
      method: fc.oneof(
        { arbitrary: fc.constant<string | undefined>('POST'), weight: 20 },
        { arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'post', 'GET'), weight: 1 },
      ),
      rawPath: fc.oneof(
        { arbitrary: fc.constant<string | undefined>('/callback'), weight: 20 },
        { arbitrary: fc.constantFrom<string | undefined>(undefined, '', '/Callback', '/callback/'), weight: 1 },
      ),
      query: fc.oneof(
        { arbitrary: hostileQuery.map((query): HostileQuery | undefined => query), weight: 20 },
        { arbitrary: fc.constant(undefined), weight: 1 },
      ),
      auth,
      body: hostileBody(maxBodyBytes, { over10Mb: false }),
      encoding: fc.oneof(
        { arbitrary: fc.constantFrom<BodyEncoding>('base64', 'plain'), weight: 6 },
        { arbitrary: fc.constantFrom<BodyEncoding>('flag-says-base64-but-plain', 'flag-says-plain-but-base64'), weight: 4 },
        { arbitrary: fc.constantFrom<BodyEncoding>('base64url', 'base64-with-newlines', 'garbage-base64', 'raw-lone-surrogate'), weight: 2 },
      ),
      garbage: fc.oneof(
        fc.constantFrom('!!!!', '====', 'a', 'ab=c', '\u0000', '8J+YgA', '77u/e30=', 'e30'),
        fc.base64String({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
      ),
    })
    .map(
      printedAs((event) => {
        const { body, isBase64Encoded } = eventBody(event);
        const now = Math.floor(Date.now() / 1000);
        return describeEvent(event, event.query && Object.fromEntries(resolveQuery(event.query, event.auth, now, event.body.command)), body, isBase64Encoded);
      }),
    );

/** The event's `body` and `isBase64Encoded`, as the flag and the body disagree or not. */
export function eventBody(event: HostileEvent): { body: string | undefined; isBase64Encoded: boolean } {
  const bytes = event.body.bytes;
  if (event.encoding === 'garbage-base64') return { body: event.garbage, isBase64Encoded: true };
  if (bytes === undefined) return { body: undefined, isBase64Encoded: event.encoding === 'base64' || event.encoding === 'flag-says-base64-but-plain' };
  const base64 = bytes.toString('base64');
  switch (event.encoding) {
    case 'base64':
      return { body: base64, isBase64Encoded: true };
    case 'plain':
      return { body: bytes.toString('utf8'), isBase64Encoded: false };
    case 'flag-says-base64-but-plain':
      return { body: bytes.toString('utf8'), isBase64Encoded: true };
    case 'flag-says-plain-but-base64':
      return { body: base64, isBase64Encoded: false };
    case 'base64url':
      return { body: bytes.toString('base64url'), isBase64Encoded: true };
    case 'base64-with-newlines':
      return { body: base64.replace(/(.{16})/g, '$1\r\n'), isBase64Encoded: true };
    case 'raw-lone-surrogate': {
      // No HTTP body decodes to this: a JS string with lone surrogates, inside and outside JSON strings.
      // In the last string (usually a value, not the command, so the request can still be accepted).
      const text = bytes.toString('utf8');
      const cut = text.lastIndexOf('"');
      return { body: cut < 0 ? `${text}\ud800` : `${text.slice(0, cut)}\ud800\udfff\udc00${text.slice(cut)}`, isBase64Encoded: false };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Readable counterexamples

/** Bytes as text a person can copy: printable ASCII as is, anything else as \xNN; long bodies cut. */
export function showBytes(bytes: Buffer | undefined, limit = 400): string {
  if (bytes === undefined) return '(no body)';
  let shown = '';
  for (const byte of bytes.subarray(0, limit))
    shown += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return bytes.length > limit ? `${shown}…(${bytes.length} bytes, sha256 ${digest}…)` : `${shown} (${bytes.length} bytes)`;
}

/** The request as sent; without `target`, as it would be sent now (Sign and RequestTime follow the clock). */
export function describeHttpRequest(request: HostileHttpRequest, target = requestTarget(request, Math.floor(Date.now() / 1000))): string {
  return (
    `${request.method} ${target.length > 600 ? `${target.slice(0, 600)}…(${target.length} chars)` : target}` +
    `${Object.keys(request.headers).length > 0 ? ` headers=${JSON.stringify(request.headers)}` : ''}${request.chunks > 1 ? ` chunks=${request.chunks}` : ''}` +
    ` [${request.body.label}/${request.auth.label}/${request.query.label}] body=${showBytes(request.body.bytes)}`
  );
}

export const describeEvent = (event: HostileEvent, query: Record<string, string> | undefined, body: string | undefined, isBase64Encoded: boolean) =>
  `event method=${JSON.stringify(event.method)} rawPath=${JSON.stringify(event.rawPath)} query=${JSON.stringify(query)?.slice(0, 600)}` +
  ` isBase64Encoded=${isBase64Encoded} [${event.body.label}/${event.encoding}/${event.auth.label}] body=${body === undefined ? '(none)' : JSON.stringify(body.slice(0, 400))}${(body?.length ?? 0) > 400 ? `…(${body!.length} chars)` : ''}`;

/** Missing everything: no query string, no body, no headers; as a POST, a GET and to the root. */
export const bareRequests: HostileHttpRequest[] = ['POST /callback', 'GET /callback', 'POST /', 'DELETE *'].map((line) => {
  const [method, path] = line.split(' ') as [string, string];
  return printedAs(describeHttpRequest)({
    method,
    path,
    query: bareQuery,
    auth: { label: 'missing:none', signName: 'Sign', timeName: 'RequestTime', repeatSign: false, repeatTime: false },
    headers: {},
    body: { label: 'empty', command: '', bytes: undefined },
    chunks: 1,
    fragment: '',
  });
});
