/**
 * The canary's round trip (docs/production.md#canary) against stand-ins: its message sent through the
 * stand-in of Tencent's REST API (test/support/tencent-rest-stand-in.ts), which calls the receiver
 * back as Tencent does (OptPlatform=RESTAPI, signed), the receiver over real HTTP storing it, and the
 * canary finding it in the events table through the EventReader port. Then each way it goes wrong:
 * the console's switch off, a token changed on one side, a REST API that times out or rate-limits
 * (unknown, not broken), wrong credentials and a group that is gone (refused, in one line).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type CanaryCheckOptions, runCanaryCheck } from '../../functions/canary/canary-check.ts';
import { parseCanaryMarker } from '../../functions/canary/canary-marker.ts';
import { DynamoDbEventReader } from '../../functions/store/read/dynamodb-event-reader.ts';
import { chatApis } from '../../functions/tencent/chat-apis.ts';
import { credentialsFromSecretText } from '../../functions/tencent/tencent-credentials.ts';
import { TencentRestClient } from '../../functions/tencent/tencent-rest-client.ts';
import { LOCAL_TABLE_NAME } from '../../local/embedded-store.ts';
import { SDK_APP_ID, startTestReceiver, type TestReceiver } from '../support/receiver.ts';
import { startTencentRestStandIn, type TencentRestStandIn } from '../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: SDK_APP_ID, identifier: 'administrator', secretKey: `key-${randomBytes(16).toString('hex')}` };
const credentials = credentialsFromSecretText(JSON.stringify(app), 'tencent/im-admin');
const TOKEN = 'canary-token';
const GROUP = '@TGS#canary';

let receiver: TestReceiver;
let standIn: TencentRestStandIn;
beforeAll(async () => {
  receiver = await startTestReceiver({ tokens: [TOKEN] });
});
afterAll(() => receiver.close());
beforeEach(async () => {
  standIn = await startTencentRestStandIn(app);
  standIn.groups.set(GROUP, { Type: 'Public', members: [{ Member_Account: 'administrator', Role: 'Owner' }] });
  standIn.chatCallbacks = { url: receiver.callbackUrl, token: TOKEN };
});
afterEach(() => standIn.close());

/**
 * A clock for the wait: a look at the table that finds nothing moves it on by the wait asked for,
 * so `missing` is decided by how many looks were made, never by how fast this machine is.
 */
function virtualClock() {
  let at = Date.now();
  return {
    now: () => at,
    sleep: async (ms: number) => {
      at += ms;
    },
  };
}

const check = (options: Partial<CanaryCheckOptions> = {}) =>
  runCanaryCheck({
    target: { group: GROUP },
    admin: app.identifier,
    waitMs: 60_000,
    client: new TencentRestClient({ credentials, baseUrl: standIn.baseUrl, retry: { attempts: 2, baseDelayMs: 2, maxDelayMs: 4 } }),
    reader: new DynamoDbEventReader(receiver.store.client, LOCAL_TABLE_NAME),
    ...options,
  });

/** Waits (up to a bound, not a deadline) until the stand-in has had the receiver's answer to each callback. */
async function deliveries(count: number) {
  for (let tries = 0; standIn.delivered.length < count && tries < 600; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  return standIn.delivered;
}

describe('the canary round trip', () => {
  test('to a group: sent with its marker, called back, stored as the canary, found, its latency measured', async () => {
    const result = await check();
    expect(result).toMatchObject({ result: 'arrived', command: 'Group.CallbackAfterSendMsg', eventId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const [sent] = standIn.sent;
    expect(sent!.api).toBe(chatApis.sendGroupMsg);
    expect(parseCanaryMarker(sent!.body.CloudCustomData)).toEqual(result.marker);
    const stored = await new DynamoDbEventReader(receiver.store.client, LOCAL_TABLE_NAME).list({ sdkAppIds: [SDK_APP_ID], groupId: GROUP, limit: 100 });
    expect(stored.find((event) => event.eventId === result.eventId)?.canary).toBe(true);
  });

  test('to an account: found by its sender, the App admin', async () => {
    const result = await check({ target: { account: 'canary-bot' } });
    expect(result).toMatchObject({ result: 'arrived', command: 'C2C.CallbackAfterSendMsg' });
    expect(standIn.sent[0]!.body).toMatchObject({ To_Account: 'canary-bot', From_Account: 'administrator', SyncOtherMachine: 2 });
  });

  test("finds its own message, not an earlier run's nor a person's in the same group", async () => {
    const earlier = await check({ id: 'earlier-run' });
    const client = new TencentRestClient({ credentials, baseUrl: standIn.baseUrl });
    await client.sendGroupMsg({ GroupId: GROUP, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } }], CloudCustomData: 'a person' });
    await deliveries(2);
    const result = await check({ id: 'this-run' });
    expect(result.result).toBe('arrived');
    expect(result.eventId).not.toBe(earlier.eventId);
    expect(result.marker.id).toBe('this-run');
  });
});

describe('when callbacks do not arrive, the canary says missing', () => {
  test("the console's callback switch is off: nothing is called back", async () => {
    standIn.chatCallbacks = undefined;
    const result = await check({ ...virtualClock(), waitMs: 10_000 });
    expect(result.result).toBe('missing');
    expect(result.message).toMatch(
      /was sent, but its Group.CallbackAfterSendMsg was not stored within 10 s: check the Chat console's callback switch, URL and token/,
    );
    expect(standIn.sent).toHaveLength(1);
  });

  test('the token was changed on one side only: the receiver refuses the callback (401), so it is never stored', async () => {
    standIn.chatCallbacks = { url: receiver.callbackUrl, token: 'the-old-token' };
    const clock = virtualClock();
    const sleep = async (ms: number) => {
      await deliveries(1); // the refused callback has been answered before the canary gives up
      await clock.sleep(ms);
    };
    const result = await check({ now: clock.now, sleep, waitMs: 10_000 });
    expect(result.result).toBe('missing');
    expect(standIn.delivered.map(({ command, status }) => [command, status])).toEqual([['Group.CallbackAfterSendMsg', 401]]);
  });

  test('the callback URL points elsewhere', async () => {
    standIn.chatCallbacks = { url: `${receiver.callbackUrl.replace(/\/callback$/, '')}/elsewhere`, token: TOKEN };
    const result = await check({ ...virtualClock(), waitMs: 10_000 });
    expect(result.result).toBe('missing');
  });
});

describe('a REST API that does not answer is unknown, not broken; one that refuses says what to fix', () => {
  test.each([
    ['rate-limited past its retries', { errorCode: 60007 }],
    ['failing inside Tencent', { errorCode: 70500 }],
    ['behind a gateway answering 502', { httpStatus: 502 }],
  ])('%s: unknown', async (_name, failure) => {
    standIn.failNext(chatApis.sendGroupMsg, failure, 2);
    const result = await check();
    expect(result.result).toBe('unknown');
    expect(result.message).toMatch(/^Could not tell whether callbacks arrive: the canary's message to group @TGS#canary was not sent: /);
  });

  test('timing out: unknown', async () => {
    standIn.failNext(chatApis.sendGroupMsg, { hang: true }, 2);
    const result = await check({
      client: new TencentRestClient({ credentials, baseUrl: standIn.baseUrl, timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 2, maxDelayMs: 4 } }),
    });
    expect(result.result).toBe('unknown');
    expect(result.message).toMatch(/no answer within 100 ms/);
  });

  test('wrong credentials: refused, in one line naming the setting and the REST error code', async () => {
    const wrong = credentialsFromSecretText(JSON.stringify({ ...app, secretKey: 'not-the-key' }), 'tencent/im-admin');
    const result = await check({ client: new TencentRestClient({ credentials: wrong, baseUrl: standIn.baseUrl }) });
    expect(result.result).toBe('refused');
    expect(result.message).toBe(
      "The canary's message to group @TGS#canary was refused: Tencent's REST API refused the admin credentials (ErrorCode 70009: UserSig verification failed (wrong key)) on v4/group_open_http_svc/send_group_msg: check secretKey in Secrets Manager secret tencent/im-admin",
    );
    expect(result.message).not.toContain('\n');
  });

  test('a group that is gone: refused, with its code', async () => {
    standIn.groups.delete(GROUP);
    const result = await check();
    expect(result.result).toBe('refused');
    expect(result.message).toMatch(/ErrorCode 10010/);
  });
});
