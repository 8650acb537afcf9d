/**
 * Issue 17: a web page cannot call back. Any page the developer opens can aim a POST at
 * 127.0.0.1:3000/callback (or rebind a name of its own to it, and look same-origin to the browser);
 * the local /callback refuses every request a browser marks as its own (local/browser-requests.ts),
 * while Tencent's, a tunnel's (foreign Host, no Origin) and a tool's are served as before.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { callbackUrl } from '../../local/callback-url.ts';
import { portOf, raw } from '../support/inspector-client.ts';
import { post, SDK_APP_ID, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({ inspector: {} });
});
afterAll(() => receiver.close());

const COMMAND = 'Group.CallbackAfterCreateGroup';
const body = (groupId: string) => JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, Type: 'Public' });
const path = callbackUrl('/callback', { sdkAppId: SDK_APP_ID, command: COMMAND });
let sent = 0;
const storedGroups = async () => (await storedEvents(receiver)).map((event) => event.groupId);

describe('the local /callback', () => {
  const host = () => `127.0.0.1:${portOf(receiver)}`;

  test.each([
    ['a cross-site page', { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' }],
    ['a page with an opaque origin (sandboxed, a data: URL)', { origin: 'null' }],
    // Chromium sends Origin with every POST, same-origin ones included.
    ["the inspector's own origin", { origin: 'http://127.0.0.1:PORT', 'sec-fetch-site': 'same-origin' }],
    // Rebound: the browser thinks it same-origin, and sends no Sec-Fetch-* to a name it does not trust.
    ['a DNS-rebinding page', { origin: 'http://rebind.example:PORT', host: 'rebind.example:PORT' }],
    ['a navigation typed into the address bar', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }],
    ['a same-site page, with Sec-Fetch-Site only', { 'sec-fetch-site': 'same-site' }],
  ])('refuses %s: 403 40303, nothing stored, nothing recorded', async (_case, headers) => {
    const groupId = `@TGS#browser-${++sent}`;
    const records = receiver.records.length;
    const withPort = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace('PORT', String(portOf(receiver)))]));
    const answer = await raw(receiver, path, { method: 'POST', headers: { host: host(), ...withPort }, body: body(groupId) });
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({
      ActionStatus: 'FAIL',
      ErrorCode: 40303,
      ErrorInfo: expect.stringMatching(/^a web browser sent this request \((Origin|Sec-Fetch-Site): /),
    });
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(receiver.records.length).toBe(records);
    expect(await storedGroups()).not.toContain(groupId);
  });

  test('answers a CORS preflight with the same refusal and no allow headers', async () => {
    const answer = await raw(receiver, path, {
      method: 'OPTIONS',
      headers: { host: host(), origin: 'https://attacker.example', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(403);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  test("takes a tunnel's request: a foreign Host, no Origin", async () => {
    const answer = await raw(receiver, path, {
      method: 'POST',
      headers: { host: 'abc123.ngrok-free.app', 'x-forwarded-for': '203.0.113.9' },
      body: body('@TGS#tunnel'),
    });
    expect({ status: answer.status, answer: JSON.parse(answer.body) }).toEqual({ status: 200, answer: { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } });
    expect(await storedGroups()).toContain('@TGS#tunnel');
  });

  test("takes Node's fetch, which sends Sec-Fetch-Mode (and nothing else a browser would)", async () => {
    expect(await post(receiver, { command: COMMAND, body: body('@TGS#node-fetch') })).toMatchObject({ status: 200, answer: { ErrorCode: 0 } });
    expect(await storedGroups()).toContain('@TGS#node-fetch');
  });
});
