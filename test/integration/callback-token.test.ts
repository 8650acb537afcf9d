import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { LocalReceiver } from '../../local/local-server.ts';
import { seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { post, startTestReceiver, storedEvents } from '../support/receiver.ts';

const oldToken = 'old-token-8f2a';
const newToken = 'new-token-c41d';
const command = 'Group.CallbackAfterCreateGroup';

let receiver: LocalReceiver;
beforeAll(async () => {
  // Two tokens at once: the state during a rotation.
  receiver = await startTestReceiver({ tokens: [oldToken, newToken] });
});
afterAll(() => receiver.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const signed = (token: string, requestTime: number) => ({
  RequestTime: String(requestTime),
  Sign: createHash('sha256').update(`${token}${requestTime}`).digest('hex'),
});
/** A distinct body per test, so what is stored can be traced to the request that sent it. */
const bodyFor = (name: string) => seedCallbacks[command].replace('MyFirstGroup', name);
const storedNames = async () => (await storedEvents(receiver)).map((event) => (JSON.parse(event.payload) as { Name: string }).Name);

describe('with callback tokens configured, through the local server', () => {
  test.each([
    ['the old token', oldToken],
    ['the new token', newToken],
  ])('accepts and stores a request signed with %s', async (_case, token) => {
    const name = `signed with ${token}`;
    const response = await post(receiver, { command, body: bodyFor(name), query: signed(token, nowSeconds()) });
    expect(response).toMatchObject({ status: 200, answer: { ActionStatus: 'OK', ErrorCode: 0 } });
    expect(await storedNames()).toContain(name);
  });

  test.each([
    ['unsigned', {}, 40101, /no Sign and RequestTime/],
    ['forged (signed with a guessed token)', signed('guessed', nowSeconds()), 40103, /Sign does not match/],
    ['replayed (a valid signature from two minutes ago)', signed(newToken, nowSeconds() - 120), 40102, /s in the past/],
    ['stale (61 s old)', signed(newToken, nowSeconds() - 61), 40102, /s in the past/],
    ['future-dated (two minutes ahead)', signed(newToken, nowSeconds() + 120), 40102, /s in the future/],
    ['signed for another time than it claims', { ...signed(newToken, nowSeconds() - 1), RequestTime: String(nowSeconds()) }, 40103, /Sign does not match/],
  ])('refuses a request %s with 401 and stores nothing', async (name, query, errorCode, info) => {
    const response = await post(receiver, { command, body: bodyFor(name), query });
    expect(response.status).toBe(401);
    expect(response.answer).toEqual({ ActionStatus: 'FAIL', ErrorCode: errorCode, ErrorInfo: expect.stringMatching(info) });
    expect(await storedNames()).not.toContain(name);
  });

  test('checks the SDKAppID first: a wrong app is 403 whatever its Sign', async () => {
    const response = await post(receiver, { command, body: bodyFor('wrong app'), sdkAppId: '1400000999', query: signed(newToken, nowSeconds()) });
    expect(response.status).toBe(403);
  });

  test('a replay within the window is answered OK but stored once', async () => {
    const query = signed(newToken, nowSeconds());
    const body = bodyFor('replayed quickly');
    await post(receiver, { command, body, query });
    expect(await post(receiver, { command, body, query })).toMatchObject({ status: 200 });
    expect((await storedNames()).filter((name) => name === 'replayed quickly')).toHaveLength(1);
  });
});
