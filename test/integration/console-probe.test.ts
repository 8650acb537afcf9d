/**
 * The Chat console's URL check ("校验"), whose request is documented nowhere (docs/protocol.md#console-probe):
 * over HTTP into the local receiver, with a callback token set. What cannot be a callback (a GET or
 * HEAD of the callback path, a POST to it with an empty body) is answered OK, stored nowhere and
 * recorded as a probe; a probe naming another app is refused as before; every body that claims to be
 * a callback keeps its checks and its 4xx.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { post, SDK_APP_ID, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';

const TOKEN = 'probe-test-token';
const OK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({ tokens: [TOKEN] });
});
afterAll(() => receiver.close());

/** A request as a probe might send it: any method, any query, a body or none. */
async function probe(method: string, query: Record<string, string>, body?: string) {
  const url = new URL(receiver.callbackUrl);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { method, ...(body === undefined ? {} : { body: Buffer.from(body) }) });
  const text = await response.text();
  return { status: response.status, text, answer: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

const signed = () => {
  const time = String(Math.floor(Date.now() / 1000));
  return { RequestTime: time, Sign: createHash('sha256').update(`${TOKEN}${time}`).digest('hex') };
};

describe("the console's probe", () => {
  test.each([
    [
      'an empty POST with the app SdkAppid and a command',
      'POST',
      { SdkAppid: SDK_APP_ID, CallbackCommand: 'Group.CallbackAfterCreateGroup', contenttype: 'json' },
      '',
    ],
    ['an empty POST with the app SdkAppid alone', 'POST', { SdkAppid: SDK_APP_ID }, undefined],
    ['an empty POST with no query at all', 'POST', {}, ''],
    ['a POST of whitespace', 'POST', { SdkAppid: SDK_APP_ID }, ' \r\n\t '],
    ['an empty POST signed with the token', 'POST', { SdkAppid: SDK_APP_ID, ...signed() }, ''],
    ['an empty POST with a wrong Sign (not required of a probe)', 'POST', { SdkAppid: SDK_APP_ID, Sign: 'f'.repeat(64), RequestTime: '1' }, ''],
    ['a GET', 'GET', { SdkAppid: SDK_APP_ID }, undefined],
    ['a GET with no query', 'GET', {}, undefined],
  ])('%s is answered 200 OK, stores nothing and is recorded as a probe', async (_case, method, query, body) => {
    const before = (await storedEvents(receiver)).length;
    const { status, answer } = await probe(method, query, body);
    expect({ status, answer }).toEqual({ status: 200, answer: OK });
    expect(await storedEvents(receiver)).toHaveLength(before);
    expect(receiver.records.at(-1)).toMatchObject({ outcome: 'probe', status: 200, level: 'INFO' });
    expect(receiver.records.at(-1)?.eventId).toBeUndefined();
  });

  test('a HEAD is answered 200 without a body', async () => {
    expect(await probe('HEAD', { SdkAppid: SDK_APP_ID })).toEqual({ status: 200, text: '', answer: undefined });
    expect(receiver.records.at(-1)).toMatchObject({ outcome: 'probe', status: 200 });
  });

  test.each([
    ['an empty POST', 'POST', 403, 40302],
    ['a GET', 'GET', 405, 40500],
  ])("%s naming another app's SdkAppid is refused as any such request is, telling nothing more", async (_case, method, status, code) => {
    const { status: answered, answer } = await probe(method, { SdkAppid: '1400999999' }, method === 'GET' ? undefined : '');
    expect({ answered, ErrorCode: answer?.ErrorCode, ActionStatus: answer?.ActionStatus }).toEqual({ answered: status, ErrorCode: code, ActionStatus: 'FAIL' });
    expect(receiver.records.at(-1)).toMatchObject({ outcome: 'rejected', status });
  });

  test('another path or another method is refused as before', async () => {
    const url = new URL(receiver.callbackUrl);
    url.pathname = '/callbacks';
    expect((await fetch(url, { method: 'GET' })).status).toBe(404);
    expect((await probe('PUT', { SdkAppid: SDK_APP_ID }, '')).status).toBe(405);
    expect((await probe('DELETE', { SdkAppid: SDK_APP_ID })).status).toBe(405);
  });
});

describe('a body that claims to be a callback keeps every check', () => {
  const command = 'Group.CallbackAfterCreateGroup';

  test.each([
    ['unsigned, with the token set', { command, body: seedCallbacks[command] }, 401, 40101],
    ['of another app', { command, body: seedCallbacks[command], sdkAppId: '1400999999' }, 403, 40302],
    ['with no command in the URL', { body: seedCallbacks[command], query: signed() }, 400, 40006],
    ['an empty object', { command, body: '{}', query: { ...signed(), SdkAppid: SDK_APP_ID } }, 200, 0],
    ['not JSON', { command, body: 'hello', query: signed() }, 400, 40003],
  ])('%s: answered as before', async (_case, request, status, code) => {
    const { status: answered, answer } = await post(receiver, request);
    expect({ answered, ErrorCode: answer.ErrorCode }).toEqual({ answered: status, ErrorCode: code });
    expect(receiver.records.at(-1)?.outcome).not.toBe('probe');
  });
});
