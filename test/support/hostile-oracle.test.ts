import { describe, expect, test } from '@jest/globals';
import { type CallbackErrorReason, callbackErrors } from '../../functions/callback/callback-error.ts';
import {
  type Answer,
  batchItemTextsOf,
  checkAnswer,
  expectOutcome,
  hasForbiddenKey,
  lowerCasedQuery,
  nestingDepth,
  type OracleOptions,
  opensMoreThan,
  sha256,
} from './hostile-oracle.ts';

/** The oracle decides what the hostile-input suite expects, so it gets tests of its own. */
const options: OracleOptions = {
  sdkAppId: '1400000000',
  token: 'token',
  windowSeconds: 60,
  maxBodyBytes: 100,
  maxBatchItems: 3,
  beforeCodes: new Set([0, 10101]),
};
const now = 1_800_000_000;
const code = (reason: CallbackErrorReason) => callbackErrors[reason].errorCode;
const command = 'Group.CallbackAfterCreateGroup';

function query(overrides: Record<string, string | undefined> = {}) {
  const time = overrides.RequestTime ?? String(now);
  const parameters: Record<string, string | undefined> = {
    SdkAppid: '1400000000',
    CallbackCommand: command,
    RequestTime: time,
    Sign: sha256(`token${time}`),
    ...overrides,
  };
  return lowerCasedQuery(Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
const body = (text: string) => ({ kind: 'event', body: text, isBase64Encoded: false }) as const;
const owed = (overrides: Record<string, string | undefined>, text = `{"CallbackCommand":"${command}"}`, method = 'POST', path = '/callback') => [
  ...expectOutcome(options, method, path, query(overrides), body(text), now).refusals,
];

describe('expectOutcome', () => {
  test('a well-formed, signed, timely request owes no refusal', () => {
    const expected = expectOutcome(options, 'POST', '/callback', query(), body(`{"CallbackCommand":"${command}"}`), now);
    expect(expected).toMatchObject({ refusals: new Set(), tolerated: new Set(), bodyCommand: command, sdkAppId: '1400000000' });
  });

  test.each<[string, CallbackErrorReason, () => number[]]>([
    ['another path', 'route-not-found', () => owed({}, undefined, 'POST', '/other')],
    ['another method', 'method-not-allowed', () => owed({}, undefined, 'GET')],
    ['no SdkAppid', 'missing-sdkappid', () => owed({ SdkAppid: undefined })],
    ['another SdkAppid', 'unknown-sdkappid', () => owed({ SdkAppid: '1' })],
    ['no Sign', 'missing-sign', () => owed({ Sign: undefined })],
    ['a stale RequestTime', 'request-time-outside-window', () => owed({ RequestTime: String(now - 3600), Sign: sha256(`token${now - 3600}`) })],
    ['a wrong Sign', 'invalid-sign', () => owed({ Sign: 'a'.repeat(64) })],
    ['no CallbackCommand in the URL', 'missing-command', () => owed({ CallbackCommand: undefined })],
    ['a body over maxBodyBytes', 'payload-too-large', () => owed({}, `{"CallbackCommand":"${command}","x":"${'x'.repeat(100)}"}`)],
    ['a body of whitespace JSON does not allow', 'empty-body', () => owed({}, ' \u3000 ')],
    ['a body that is not JSON', 'invalid-json', () => owed({}, '{nope')],
    ['a __proto__ key', 'forbidden-json-key', () => owed({}, `{"CallbackCommand":"${command}","__proto__":{}}`)],
    ['an array', 'body-not-object', () => owed({}, '[]')],
    ['another command in the body', 'command-mismatch', () => owed({}, '{"CallbackCommand":"Group.Other"}')],
    ['a command that is no command name', 'invalid-command', () => owed({ CallbackCommand: 'has space' }, '{"CallbackCommand":"has space"}')],
    ['a batch over maxBatchItems', 'batch-too-large', () => owed({ CallbackCommand: 'Push.OfflinePush' }, '{"Events":[1,2,3,{}]}')],
  ])('%s owes %s, with its code from the catalog', (_case, reason, refusals) => {
    expect(refusals()).toEqual([code(reason)]);
  });

  test.each([
    ['an empty POST', 'POST', ''],
    ['a POST of JSON whitespace, unsigned', 'POST', ' \r\n\t'],
    ['a GET with no body', 'GET', ''],
    ['a HEAD with no body', 'HEAD', ''],
  ])("%s of the callback path is the console's probe: no refusal owed (docs/protocol.md#console-probe)", (_case, method, text) => {
    const expected = expectOutcome(options, method, '/callback', query({ Sign: undefined }), body(text), now);
    expect(expected).toMatchObject({ probe: true, refusals: new Set() });
  });

  test.each([
    ['a GET with a body', 'GET', '/callback', `{"CallbackCommand":"${command}"}`],
    ['a PUT with no body', 'PUT', '/callback', ''],
    ['an empty POST elsewhere', 'POST', '/other', ''],
  ])('%s is no probe', (_case, method, path, text) => {
    expect(expectOutcome(options, method, path, query(), body(text), now).probe).toBeUndefined();
  });

  test('a CallbackCommand that is an integer no double holds is its digits: another command than the URL', () => {
    expect(owed({}, '{"CallbackCommand":123456789012345678901234567890}')).toEqual([code('command-mismatch')]);
    expect(owed({}, '{"CallbackCommand":12345}')).toEqual([code('invalid-command')]);
  });

  test('a CallbackCommand of null names none, as the receiver reads it: the URL says', () => {
    expect(owed({}, '{"CallbackCommand":null}')).toEqual([]);
    expect(owed({ CallbackCommand: 'Push.OfflinePush' }, '{"Events":[{"CallbackCommand":null}]}')).toEqual([]);
  });

  test('an empty POST naming another app is no probe: refused for the app', () => {
    const expected = expectOutcome(options, 'POST', '/callback', query({ SdkAppid: '1' }), body(''), now);
    expect(expected.probe).toBeUndefined();
    expect(expected.refusals).toContain(code('unknown-sdkappid'));
  });

  test('bytes that are not UTF-8 owe invalid-utf8', () => {
    const sent = { kind: 'http', bytes: Buffer.from([0x7b, 0xff, 0x7d]) } as const;
    expect([...expectOutcome(options, 'POST', '/callback', query(), sent, now).refusals]).toEqual([code('invalid-utf8')]);
  });

  test("a RequestTime at the window's edge is tolerated either way, not owed", () => {
    const time = String(now - 62);
    const expected = expectOutcome(
      options,
      'POST',
      '/callback',
      query({ RequestTime: time, Sign: sha256(`token${time}`) }),
      body(`{"CallbackCommand":"${command}"}`),
      now,
    );
    expect([...expected.refusals]).toEqual([]);
    expect([...expected.tolerated]).toEqual([code('request-time-outside-window')]);
  });

  test('a batch at maxBatchItems, and a long list under a command that is no batch, owe nothing', () => {
    expect(owed({ CallbackCommand: 'Push.OfflinePush' }, '{"Events":[1,2,3]}')).toEqual([]);
    expect(owed({}, `{"CallbackCommand":"${command}","Events":[1,2,3,4]}`)).toEqual([]);
  });

  test('the texts an after-event is stored as: the body, or each item of a batch as written', () => {
    const plain = `{"CallbackCommand":"${command}","Events":[1, 2]}`;
    expect(expectOutcome(options, 'POST', '/callback', query(), body(plain), now).eventTexts).toEqual([plain]);
    const batch = '{"Events":[ 7.0 ,{"CallbackCommand" : "Push.OfflinePush","n":1e2}]}';
    expect(expectOutcome(options, 'POST', '/callback', query({ CallbackCommand: 'Push.OfflinePush' }), body(batch), now).eventTexts).toEqual([
      '7.0',
      '{"CallbackCommand" : "Push.OfflinePush","n":1e2}',
    ]);
  });

  test('every owed refusal is listed, not only the first a chain would find', () => {
    expect(owed({ SdkAppid: undefined, Sign: undefined }, '[]', 'GET').sort()).toEqual(
      [code('method-not-allowed'), code('missing-sdkappid'), code('missing-sign'), code('body-not-object')].sort(),
    );
  });
});

describe('checkAnswer', () => {
  const answer = (status: number, payload: unknown, extra: Partial<Answer> = {}): Answer => ({
    status,
    contentType: 'application/json; charset=utf-8',
    allow: undefined,
    body: JSON.stringify(payload),
    headersOnly: false,
    ...extra,
  });
  const accepted = expectOutcome(options, 'POST', '/callback', query(), body(`{"CallbackCommand":"${command}"}`), now);
  const refusedFor = expectOutcome(options, 'POST', '/callback', query({ SdkAppid: '1' }), body(`{"CallbackCommand":"${command}"}`), now);
  const sent = () => 'what was sent';

  test('an acknowledged after-event and an owed refusal pass', () => {
    expect(checkAnswer(options, answer(200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }), accepted, sent)).toEqual({ problems: [], accepted: true });
    const refusal = answer(403, { ActionStatus: 'FAIL', ErrorCode: code('unknown-sdkappid'), ErrorInfo: 'SdkAppid "1" is not accepted' });
    expect(checkAnswer(options, refusal, refusedFor, sent)).toEqual({ problems: [], accepted: false });
  });

  test('a 500, a refusal not owed, a wrong code, a leaked stack: each is a problem', () => {
    const problemsOf = (reply: Answer, expected = refusedFor) => checkAnswer(options, reply, expected, sent).problems.join('\n');
    expect(problemsOf(answer(500, { ActionStatus: 'FAIL', ErrorCode: 50000, ErrorInfo: 'internal error' }))).toMatch(/only 2xx or 4xx/);
    expect(problemsOf(answer(400, { ActionStatus: 'FAIL', ErrorCode: code('invalid-json'), ErrorInfo: 'x' }), accepted)).toMatch(/nothing was wrong with it/);
    expect(problemsOf(answer(400, { ActionStatus: 'FAIL', ErrorCode: code('invalid-json'), ErrorInfo: 'x' }))).toMatch(
      /40003 invalid-json, owed one of 40302 unknown-sdkappid/,
    );
    expect(problemsOf(answer(403, { ActionStatus: 'FAIL', ErrorCode: code('unknown-sdkappid'), ErrorInfo: 'Error: at /work/x.ts:1' }))).toMatch(
      /shows internals/,
    );
    expect(problemsOf(answer(200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }))).toMatch(/accepted, but owed a refusal: 40302 unknown-sdkappid/);
    expect(problemsOf(answer(403, { ActionStatus: 'FAIL', ErrorCode: code('unknown-sdkappid'), ErrorInfo: 'x' }, { contentType: 'text/plain' }))).toMatch(
      /not JSON/,
    );
  });

  test("the console's probe is answered 200 OK exactly, a HEAD without a body, or it is a problem", () => {
    const probe = expectOutcome(options, 'POST', '/callback', query(), body(''), now);
    const head = expectOutcome(options, 'HEAD', '/callback', query(), body(''), now);
    const okAnswer = answer(200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(checkAnswer(options, okAnswer, probe, sent)).toEqual({ problems: [], accepted: false });
    expect(checkAnswer(options, { ...okAnswer, body: '', headersOnly: true }, head, sent)).toEqual({ problems: [], accepted: false });
    expect(checkAnswer(options, answer(200, { ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: '' }), probe, sent).problems.join()).toMatch(/a probe answered/);
    const refused = answer(400, { ActionStatus: 'FAIL', ErrorCode: code('empty-body'), ErrorInfo: 'the body is empty' });
    expect(checkAnswer(options, refused, probe, sent).problems.join()).toMatch(/a probe refused with 400/);
  });
});

describe("the oracle's readers", () => {
  test('query names in any case, repeated ones joined as API Gateway joins them', () => {
    expect(
      lowerCasedQuery([
        ['SdkAppid', '1'],
        ['sdkappid', '2'],
        ['X', 'a'],
        ['X', 'b'],
      ]),
    ).toEqual(
      new Map([
        ['sdkappid', '1,2'],
        ['x', 'a,b'],
      ]),
    );
  });

  test('nesting depth counts brackets outside strings only', () => {
    expect(nestingDepth('{"a":[[1]],"b":"[[[["}')).toBe(3);
  });

  test('the count of opening brackets bounds the depth: only a body with more than the limit is walked', () => {
    const deep = `${'['.repeat(1_001)}${']'.repeat(1_001)}`;
    expect([opensMoreThan(deep, 1_000), nestingDepth(deep)]).toEqual([true, 1_001]);
    expect(opensMoreThan(`{"a":"${'x'.repeat(100_000)}"}`, 1_000)).toBe(false);
    expect(opensMoreThan('[{}]'.repeat(500), 1_000)).toBe(false);
    expect(opensMoreThan('[{}]'.repeat(501), 1_000)).toBe(true);
  });

  test('forbidden keys: __proto__ anywhere, constructor.prototype, not a harmless constructor', () => {
    expect(hasForbiddenKey(JSON.parse('{"a":[{"__proto__":1}]}'))).toBe(true);
    expect(hasForbiddenKey(JSON.parse('{"constructor":{"prototype":{}}}'))).toBe(true);
    expect(hasForbiddenKey(JSON.parse('{"constructor":"x"}'))).toBe(false);
    expect(hasForbiddenKey(JSON.parse('[1,"a",[{"b":[{"__proto__":null}]}]]'))).toBe(true);
    expect(hasForbiddenKey(JSON.parse('[1,"a",[{"b":[{"constructor":{}}]}]]'))).toBe(false);
  });
});

describe('batchItemTextsOf', () => {
  test.each([
    ['items as written', '{"Events":[7.0, 7 ,1e2,\n9007199254740993]}', ['7.0', '7', '1e2', '9007199254740993']],
    [
      'the last of duplicate keys, whatever its escapes',
      '{"Events":[1],"x":{"Events":[0]},"\\u0045vents":[[2, "]"], {"a":"\\"}"}]}',
      ['[2, "]"]', '{"a":"\\"}"}'],
    ],
    ['an empty list', '{"Events":[]}', []],
    ['a list replaced by something else', '{"Events":[1],"Events":null}', undefined],
    ['no list', '{"events":[1]}', undefined],
  ])('%s', (_, text, expected) => {
    expect(batchItemTextsOf(text, 'Events')).toEqual(expected);
  });
});
