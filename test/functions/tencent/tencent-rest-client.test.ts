/**
 * The REST client against the stand-in of Tencent's REST API (test/support/tencent-rest-stand-in.ts),
 * over real HTTP: UserSigs checked by recomputing their HMAC, each call's request and answer, paging,
 * per-group errors, and the four error kinds with their retries.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { chatApis } from '../../../functions/tencent/chat-apis.ts';
import { liveCallbackCommands } from '../../../functions/tencent/product-commands.ts';
import {
  TencentApiError,
  TencentCredentialsError,
  TencentRateLimitedError,
  type TencentRestError,
  TencentUnavailableError,
} from '../../../functions/tencent/rest-errors.ts';
import { credentialsFromSecretText, type TencentCredentials, tencentCredentials } from '../../../functions/tencent/tencent-credentials.ts';
import { type RetryEvent, TencentRestClient, type TencentRestClientOptions } from '../../../functions/tencent/tencent-rest-client.ts';
import { type StandInMember, startTencentRestStandIn, type TencentRestStandIn } from '../../support/tencent-rest-stand-in.ts';

const app = { sdkAppId: '1400000001', identifier: 'administrator', secretKey: `key-${randomBytes(16).toString('hex')}` };
const credentials = credentialsFromSecretText(JSON.stringify(app), 'tencent/im-admin');

let standIn: TencentRestStandIn;
/** The stand-in's clock: frozen, moved by the tests that need a second to pass. */
let clock: number;
beforeEach(async () => {
  clock = Date.now();
  standIn = await startTencentRestStandIn(app, { now: () => clock });
});
afterEach(() => standIn.close());

/** Retries wait 1–2 ms here: what is tested is how many and which, not how long. */
const client = (options: Partial<TencentRestClientOptions> = {}) =>
  new TencentRestClient({ credentials, baseUrl: standIn.baseUrl, retry: { baseDelayMs: 2, maxDelayMs: 4 }, ...options });

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const members = (count: number, prefix = 'user'): StandInMember[] =>
  Array.from({ length: count }, (_, index) => ({ Member_Account: `${prefix}${index}`, Role: index === 0 ? 'Owner' : 'Member' }));
const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as TencentRestError,
  );

describe('UserSig and credentials', () => {
  test('a UserSig from tls-sig-api-v2 is accepted, and the URL carries what the REST API overview asks for', async () => {
    await client().sendMsg({ To_Account: 'peter', MsgBody: text('hi') });
    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request!.answer).toBe(0);
    expect(Object.keys(request!.query).sort()).toEqual(['contenttype', 'identifier', 'random', 'sdkappid']);
    expect(request!.query).toMatchObject({ sdkappid: app.sdkAppId, identifier: app.identifier, contenttype: 'json' });
    expect(Number(request!.query.random)).toBeGreaterThanOrEqual(0);
    expect(Number(request!.query.random)).toBeLessThanOrEqual(0xffff_ffff);
  });

  test.each([
    ['secretKey', { ...app, secretKey: 'another key' }, 70009, 'secretKey in Secrets Manager secret tencent/im-admin'],
    ['identifier', { ...app, identifier: 'peter' }, 60010, 'identifier in Secrets Manager secret tencent/im-admin'],
    ['sdkAppId', { ...app, sdkAppId: '1400000002' }, 60006, 'sdkAppId in Secrets Manager secret tencent/im-admin'],
  ])('a wrong %s is one clear error naming the setting and the code, never retried', async (setting, wrong, code, named) => {
    const wrongCredentials = credentialsFromSecretText(JSON.stringify(wrong), 'tencent/im-admin');
    const error = await caught(client({ credentials: wrongCredentials }).getCallback('live'));
    expect(error).toBeInstanceOf(TencentCredentialsError);
    expect(error.code).toBe(code);
    expect((error as TencentCredentialsError).settings).toContain(setting);
    expect(error.message).toContain(named);
    expect(error.message).toContain(`ErrorCode ${code}`);
    expect(error.message).not.toContain('\n');
    expect(error.indeterminate).toBe(false);
    expect(standIn.requests).toHaveLength(1);
  });

  test('credentials from the environment are named by their variables', async () => {
    const fromEnvironment = tencentCredentials({
      ...app,
      secretKey: 'wrong',
      settingNames: { sdkAppId: '--app', identifier: 'IM_ADMIN_IDENTIFIER', secretKey: 'IM_SECRET_KEY' },
    });
    const error = await caught(client({ credentials: fromEnvironment }).getCallback('call'));
    expect(error.message).toMatch(/ErrorCode 70009: .*check IM_SECRET_KEY$/);
  });

  test('an expired UserSig (70001) is made anew once; a clock that keeps it expired is named', async () => {
    standIn.failNext(chatApis.sendMsg, { errorCode: 70001 });
    await client().sendMsg({ To_Account: 'peter', MsgBody: text('after renewal') });
    expect(standIn.requests.map((request) => request.answer)).toEqual([70001, 0]);
    expect(standIn.sent).toHaveLength(1);

    clock += 25 * 60 * 60 * 1000;
    const error = await caught(client().getCallback('live'));
    expect(error).toBeInstanceOf(TencentCredentialsError);
    expect(error.code).toBe(70001);
    expect(error.message).toContain("this machine's clock");
    expect(standIn.requests.slice(2).map((request) => request.answer)).toEqual([70001, 70001]);
  });

  test('the secret key appears in no printout: credentials, recorded requests, errors', async () => {
    const wrong = credentialsFromSecretText(JSON.stringify({ ...app, identifier: 'peter' }), 'tencent/im-admin');
    const errors = [
      await caught(client({ credentials: wrong }).sendMsg({ To_Account: 'peter', MsgBody: text('x') })),
      await caught(client({ baseUrl: 'http://127.0.0.1:9', retry: { attempts: 1 } }).getCallback('live')),
    ];
    await client().sendMsg({ To_Account: 'peter', MsgBody: text('x') });
    const printed = [
      JSON.stringify(credentials),
      inspect(credentials, { depth: 5 }),
      String(credentials),
      JSON.stringify(standIn.requests),
      ...errors.flatMap((error) => [error.message, inspect(error, { depth: 5 })]),
    ].join('\n');
    expect(credentials.secretKey).toBe(app.secretKey);
    expect(printed).not.toContain(app.secretKey);
  });
});

describe('messages', () => {
  test('sendmsg: the body as given, a uint32 MsgRandom added, no callback forbidden unless asked; MsgTime and MsgKey parsed', async () => {
    const answer = await client().sendMsg({ To_Account: 'peter', From_Account: 'canary', SyncOtherMachine: 2, MsgBody: text('hello') });
    expect(answer).toEqual({ ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, MsgTime: expect.any(Number), MsgKey: expect.any(String) });
    const body = standIn.sent[0]!.body;
    expect(body).toEqual({ To_Account: 'peter', From_Account: 'canary', SyncOtherMachine: 2, MsgBody: text('hello'), MsgRandom: expect.any(Number) });
    expect(Number.isInteger(body.MsgRandom) && (body.MsgRandom as number) >= 0 && (body.MsgRandom as number) <= 0xffff_ffff).toBe(true);
  });

  test('send_group_msg: Random added, ForbidCallbackControl passed as given (a canary forbids only the before-callback), MsgSeq parsed', async () => {
    standIn.groups.set('@TGS#canary', { Type: 'Public', members: members(2) });
    const first = await client().sendGroupMsg({ GroupId: '@TGS#canary', MsgBody: text('one'), ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'] });
    const second = await client().sendGroupMsg({ GroupId: '@TGS#canary', MsgBody: text('two'), Random: 42 });
    expect([first.MsgSeq, second.MsgSeq]).toEqual([1, 2]);
    expect(standIn.sent.map((message) => message.body)).toEqual([
      { GroupId: '@TGS#canary', MsgBody: text('one'), ForbidCallbackControl: ['ForbidBeforeSendMsgCallback'], Random: expect.any(Number) },
      { GroupId: '@TGS#canary', MsgBody: text('two'), Random: 42 },
    ]);
  });

  test('a refusal is an API error with its code and info, not indeterminate, not retried', async () => {
    const error = await caught(client().sendGroupMsg({ GroupId: '@TGS#gone', MsgBody: text('x') }));
    expect(error).toBeInstanceOf(TencentApiError);
    expect(error.kind).toBe('api');
    expect(error.code).toBe(10010);
    expect(error.message).toBe(
      "Tencent's REST API refused v4/group_open_http_svc/send_group_msg (ErrorCode 10010: group @TGS#gone does not exist or has been dissolved)",
    );
    expect(error.indeterminate).toBe(false);
    expect(standIn.requests).toHaveLength(1);
  });

  test('an answer lost on the way back is retried with the same MsgRandom, and Tencent keeps one message', async () => {
    standIn.failNext(chatApis.sendMsg, { lose: true });
    await client({ timeoutMs: 500 }).sendMsg({ To_Account: 'peter', MsgBody: text('once') });
    // On a busy machine a retry may time out too: every one after the lost answer is answered, all with one MsgRandom.
    const [lost, ...retried] = standIn.requests;
    expect(lost!.answer).toBe('lose');
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.every((request) => request.answer === 0)).toBe(true);
    expect(new Set(standIn.requests.map((request) => (request.body as { MsgRandom: number }).MsgRandom)).size).toBe(1);
    expect(standIn.sent).toHaveLength(1);
  });
});

describe('groups', () => {
  test('get_group_info: 50 groups a request, results in the order asked, each group its own ErrorCode', async () => {
    const ids = Array.from({ length: 120 }, (_, index) => `@TGS#${index}`);
    for (const id of ids.filter((_, index) => index % 7 !== 3)) standIn.groups.set(id, { Type: 'Public', Name: `Group ${id}`, members: members(3) });
    standIn.groups.set('@TGS#0', { Type: 'AVChatRoom', Name: 'Live room' });
    const results = await client().getGroupInfo(ids);
    expect(standIn.requests.map((request) => (request.body as { GroupIdList: string[] }).GroupIdList.length)).toEqual([50, 50, 20]);
    expect(results.map((result) => result.groupId)).toEqual(ids);
    for (const [index, result] of results.entries()) {
      if (index % 7 === 3) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect([result.error.kind, result.error.code]).toEqual(['api', 10010]);
      } else expect(result.ok).toBe(true);
    }
    const [avChatRoom, publicGroup] = results;
    expect(avChatRoom).toEqual({ ok: true, groupId: '@TGS#0', group: expect.not.objectContaining({ MemberList: expect.anything() }) });
    expect(publicGroup).toEqual({ ok: true, groupId: '@TGS#1', group: expect.objectContaining({ Type: 'Public', MemberNum: 3, MemberList: members(3) }) });
  });

  test('get_group_info passes the ResponseFilter as given', async () => {
    standIn.groups.set('@TGS#f', { Type: 'Private' });
    await client().getGroupInfo(['@TGS#f'], { GroupBaseInfoFilter: ['Type', 'Name'] });
    expect(standIn.requests[0]!.body).toEqual({ GroupIdList: ['@TGS#f'], ResponseFilter: { GroupBaseInfoFilter: ['Type', 'Name'] } });
  });

  test('members of a Public group page with Limit and Offset', async () => {
    standIn.groups.set('@TGS#big', { Type: 'Public', members: members(250) });
    const seen = [];
    for await (const member of client().groupMembers('@TGS#big', 'Public')) seen.push(member.Member_Account);
    expect(seen).toEqual(members(250).map((member) => member.Member_Account));
    expect(standIn.requests.map((request) => request.body)).toEqual([0, 100, 200].map((Offset) => ({ GroupId: '@TGS#big', Limit: 100, Offset })));
  });

  test('members of a Community group page with Next until it is "", never with Offset', async () => {
    standIn.groups.set('@TGS#community', { Type: 'Community', members: members(230, 'c') });
    const seen = [];
    for await (const member of client().groupMembers('@TGS#community', 'Community', { pageSize: 100, MemberRoleFilter: ['Member'] })) {
      seen.push(member.Member_Account);
    }
    expect(seen).toEqual(members(230, 'c').map((member) => member.Member_Account));
    const bodies = standIn.requests.map((request) => request.body as Record<string, unknown>);
    expect(bodies.map((body) => body.Next)).toEqual(['', expect.any(String), expect.any(String)]);
    expect(new Set(bodies.map((body) => body.Next)).size).toBe(3);
    expect(bodies.every((body) => !('Offset' in body) && body.Limit === 100 && (body.MemberRoleFilter as string[])[0] === 'Member')).toBe(true);
  });

  test('an AVChatRoom is refused before any request: the API does not list its members', async () => {
    const iterate = async () => {
      for await (const _ of client().groupMembers('@TGS#live', 'AVChatRoom')) return;
    };
    await expect(iterate()).rejects.toThrow('AVChatRoom');
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('Live and Call callback configuration', () => {
  const config = { Url: 'https://receiver.example.com/callback', CallbackCommandList: [...liveCallbackCommands] };

  test('Live: set creates, set again updates (100300), get reads it back', async () => {
    expect(await client().getCallback('live')).toBeUndefined();
    expect(await client().setCallback('live', config)).toBe('created');
    expect(await client().setCallback('live', { ...config, CallbackCommandList: ['Live.CallbackAfterCreateRoom'] })).toBe('updated');
    expect(await client().getCallback('live')).toEqual({ Url: config.Url, CallbackCommandList: ['Live.CallbackAfterCreateRoom'] });
    expect(standIn.requests.map((request) => `${request.api} ${request.answer}`)).toEqual([
      'live_config/get_callback 100301',
      'live_config/set_callback 0',
      'live_config/set_callback 100300',
      'live_config/update_callback 0',
      'live_config/get_callback 0',
    ]);
    expect(standIn.requests[0]!.body).toEqual({});
    expect(standIn.requests[1]!.body).toEqual(config);
  });

  test('Call: set overwrites, no update needed', async () => {
    const callConfig = { Url: 'https://receiver.example.com/callback', CallbackCommandList: ['Call.CallbackAfterEndCall'] };
    expect(await client().setCallback('call', callConfig)).toBe('set');
    expect(await client().setCallback('call', { ...callConfig, Url: 'https://other.example.com/cb' })).toBe('set');
    expect(standIn.callbacks.get('call')).toEqual({ ...callConfig, Url: 'https://other.example.com/cb' });
    expect(standIn.requests.map((request) => request.api)).toEqual(['call_config/set_callback', 'call_config/set_callback']);
  });

  test("a URL Tencent refuses is an API error with the page's code", async () => {
    const error = await caught(client().setCallback('call', { Url: 'ftp://nope', CallbackCommandList: [] }));
    expect([error.kind, error.code]).toEqual(['api', 100002]);
  });
});

describe('rate limits and unavailability', () => {
  test('60007 is retried with backoff, then the call succeeds', async () => {
    standIn.failNext(chatApis.sendMsg, { errorCode: 60007 }, 2);
    const retries: RetryEvent[] = [];
    await client({ onRetry: (event) => retries.push(event) }).sendMsg({ To_Account: 'peter', MsgBody: text('eventually') });
    expect(standIn.requests.map((request) => request.answer)).toEqual([60007, 60007, 0]);
    expect(retries.map(({ attempt, error }) => [attempt, error.code])).toEqual([
      [1, 60007],
      [2, 60007],
    ]);
    // Exponential: the second wait's ceiling is twice the first's (2 ms, then 4 ms, each waited in its upper half).
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(2);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(2);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(4);
    expect(standIn.sent).toHaveLength(1);
  });

  test('past the retry budget, RateLimited: indeterminate, with the code and the attempts', async () => {
    standIn.failNext('*', { errorCode: 60007 }, 10);
    const error = await caught(client({ retry: { attempts: 3, baseDelayMs: 1 } }).getGroupInfo(['@TGS#1']));
    expect(error).toBeInstanceOf(TencentRateLimitedError);
    expect([error.kind, error.code, error.attempts, error.indeterminate]).toEqual(['rate-limited', 60007, 3, true]);
    expect(error.message).toContain('after 3 attempts');
    expect(standIn.requests).toHaveLength(3);
  });

  test('the stand-in answers 60007 past N calls a second; the retry after a second passes', async () => {
    standIn.groups.set('@TGS#1', { Type: 'Public' });
    standIn.rateLimit(2);
    const noRetry = client({ retry: { attempts: 1 } });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => noRetry.getGroupInfo(['@TGS#1'])));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual([60007]);

    // The stand-in's second passes while the client waits to retry.
    await client({ onRetry: () => (clock += 1_000) }).getGroupInfo(['@TGS#1']);
    expect(standIn.requests.slice(3).map((request) => request.answer)).toEqual([60007, 0]);
  });

  test('70050 (verification failed too often, wait a minute) is not retried within the call', async () => {
    standIn.failNext('*', { errorCode: 70050 }, 5);
    const error = await caught(client().getCallback('live'));
    expect([error.kind, error.code, error.attempts]).toEqual(['rate-limited', 70050, 1]);
    expect(error.message).toContain('check secretKey');
  });

  test('no answer within the timeout is Unavailable after the retries', async () => {
    standIn.failNext('*', { hang: true }, 2);
    const error = await caught(client({ timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 1 } }).getCallback('live'));
    expect(error).toBeInstanceOf(TencentUnavailableError);
    expect([error.kind, error.attempts, error.indeterminate]).toEqual(['unavailable', 2, true]);
    expect(error.message).toContain('no answer within 300 ms');
  });

  test.each([
    ['HTTP 502', { httpStatus: 502 }],
    ['an internal error (70500)', { errorCode: 70500 }],
    ['HTTP 200 that is not JSON', { rawBody: '<html>gateway</html>' }],
  ])('%s is retried, and Unavailable when it lasts', async (_, failure) => {
    standIn.failNext('*', failure, 1);
    expect(await client().getCallback('call')).toBeUndefined();
    standIn.failNext('*', failure, 3);
    const error = await caught(client({ retry: { attempts: 3, baseDelayMs: 1 } }).getCallback('call'));
    expect(error).toBeInstanceOf(TencentUnavailableError);
    expect(error.attempts).toBe(3);
  });

  test('a refused connection is Unavailable', async () => {
    const error = await caught(client({ baseUrl: 'http://127.0.0.1:9', retry: { attempts: 2, baseDelayMs: 1 } }).getCallback('live'));
    expect([error.kind, error.attempts]).toEqual(['unavailable', 2]);
  });
});

describe('options', () => {
  test('regional domains by name or host; anything else refused up front', () => {
    const made = (domain: string) => new TencentRestClient({ credentials: credentials as TencentCredentials, domain });
    expect(() => made('singapore')).not.toThrow();
    expect(() => made('adminapisgp.my-imcloud.com')).not.toThrow();
    expect(() => made('https://console.tim.qq.com')).toThrow('The Tencent REST domain "https://console.tim.qq.com" must be one of china, singapore');
  });
});
