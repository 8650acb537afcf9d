import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type SeedCommand, seedCallbacks } from '../fixtures/seed-callbacks.ts';
import { post, SDK_APP_ID, startTestReceiver, storedEvent, storedEvents, type TestReceiver, testSettings } from '../support/receiver.ts';

const policy = {
  rules: [
    {
      command: 'Group.CallbackBeforeCreateTopic',
      field: 'Operator_Account',
      in: ['spammer'],
      refuse: { code: 10101, info: 'operator not allowed' },
    },
    { command: 'Group.CallbackBeforeCreateTopic', field: 'Name', maxLength: 50, refuse: { code: 1, info: 'name too long' } },
  ],
};

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({ settings: testSettings({ policy }) });
});
afterAll(() => receiver.close());

const ok = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
const countOf = async (command: string) => (await storedEvents(receiver)).filter((event) => event.command === command).length;

describe('the seed callbacks, verbatim, over HTTP', () => {
  const afterCommands = ['Group.CallbackAfterCreateGroup', 'Group.CallbackAfterCreateTopic', 'Group.CallbackAfterTopicInfoChanged'] as const;

  test.each(afterCommands)('%s is acknowledged and stored once, as received', async (command) => {
    const response = await post(receiver, { command, body: seedCallbacks[command] });
    expect(response).toMatchObject({ status: 200, answer: ok });

    const [event] = (await storedEvents(receiver)).filter((stored) => stored.command === command);
    expect(event).toMatchObject({
      command,
      kind: 'after',
      sdkAppId: SDK_APP_ID,
      groupId: '@TGS#2J4SZEAEL',
      clientIp: '10.1.2.3',
      optPlatform: 'RESTAPI',
      payload: seedCallbacks[command],
      valid: true,
    });
    expect(event!.expiresAt).toBe(Math.floor(event!.receivedAt / 1000) + 90 * 86_400);
  });

  test('AfterCreateGroup keeps its EventTime, sent as a string, in milliseconds', async () => {
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.command === 'Group.CallbackAfterCreateGroup');
    expect(event!.eventTime).toBe(1670574414123);
  });

  test('AfterCreateTopic keeps its TopicId', async () => {
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.command === 'Group.CallbackAfterCreateTopic');
    expect(event!.topicId).toBe('@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5');
    expect(event!.eventTime).toBeUndefined();
  });

  test('BeforeCreateTopic is allowed by the policy and not stored', async () => {
    const command: SeedCommand = 'Group.CallbackBeforeCreateTopic';
    const response = await post(receiver, { command, body: seedCallbacks[command] });
    expect(response).toMatchObject({ status: 200, answer: ok });
    expect(await countOf(command)).toBe(0);
  });

  test('a repeated delivery of the same body is acknowledged and not stored again', async () => {
    const command: SeedCommand = 'Group.CallbackAfterCreateGroup';
    const before = await countOf(command);
    const again = await post(receiver, { command, body: seedCallbacks[command] });
    expect(again).toMatchObject({ status: 200, answer: ok });
    expect(await countOf(command)).toBe(before);
    expect(before).toBe(1);
  });
});

describe('before-create-topic decisions from the policy', () => {
  const command = 'Group.CallbackBeforeCreateTopic';

  test('refuses a listed operator with the rule code and info, as HTTP 200 OK', async () => {
    const body = JSON.stringify({ CallbackCommand: command, Operator_Account: 'spammer', Type: 'Community', Name: 'hi' });
    const response = await post(receiver, { command, body });
    expect(response).toEqual(expect.objectContaining({ status: 200, answer: { ActionStatus: 'OK', ErrorCode: 10101, ErrorInfo: 'operator not allowed' } }));
  });

  test('refuses a name over maxLength with code 1', async () => {
    const body = JSON.stringify({ CallbackCommand: command, Operator_Account: 'leckie', Name: 'n'.repeat(51) });
    expect((await post(receiver, { command, body })).answer).toEqual({ ActionStatus: 'OK', ErrorCode: 1, ErrorInfo: 'name too long' });
  });

  test('allows a name of exactly maxLength characters', async () => {
    const body = JSON.stringify({ CallbackCommand: command, Operator_Account: 'leckie', Name: '话'.repeat(50) });
    expect((await post(receiver, { command, body })).answer).toEqual(ok);
  });
});

describe('commands without a definition', () => {
  test.each([
    ['Foo.CallbackAfterSomething', { GroupId: '@TGS#2J4SZEAEL', EventTime: 1670574414123 }],
    ['Foo.OnSomething', { From_Account: 'bob' }],
  ])('%s, an after-event by its name, is acknowledged with ErrorCode 0 and stored as received', async (command, fields) => {
    const body = JSON.stringify({ CallbackCommand: command, ...fields });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200, answer: ok });
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.command === command);
    expect(event).toMatchObject({ kind: 'unregistered', payload: body, valid: true });
  });

  test.each(['Foo.CallbackBeforeSomething', 'Foo.CallbackPrevSomething'])('%s, a before-callback by its name, is allowed and never stored', async (command) => {
    const body = JSON.stringify({ CallbackCommand: command, From_Account: 'bob' });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200, answer: ok });
    expect((await storedEvents(receiver)).filter((stored) => stored.command === command)).toEqual([]);
    expect(receiver.records.at(-1)).toMatchObject({ command, kind: 'before', outcome: 'allowed' });
  });
});

describe('an after-event that fails its schema', () => {
  test('is stored as received, flagged invalid with the reason, and acknowledged', async () => {
    const command = 'Group.CallbackAfterCreateGroup';
    const body = JSON.stringify({ CallbackCommand: command, GroupId: '@TGS#bad', MemberList: 'bob', EventTime: 'yesterday' });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200, answer: ok });
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.groupId === '@TGS#bad');
    expect(event).toMatchObject({ valid: false, payload: body });
    expect(event!.problems).toMatch(/MemberList/);
    expect(event!.problems).toMatch(/EventTime/);
    expect(event!.eventTime).toBeUndefined();
  });
});

describe('refused requests: Tencent-format FAIL, a 4xx, nothing stored', () => {
  const command = 'Group.CallbackAfterCreateGroup';
  const body = seedCallbacks[command].replace('MyFirstGroup', 'NotStored');

  test.each([
    ['a wrong SdkAppid', { command, body, sdkAppId: '1400000001' }, 403, 40302, /SdkAppid "1400000001" is not/],
    ['no SdkAppid', { command, body, sdkAppId: null }, 403, 40301, /no SdkAppid/],
    ['a repeated SdkAppid', { command, body, query: { sdkappid: SDK_APP_ID, SDKAPPID: '1' } }, 403, 40302, /is not an SDKAppID/],
    ['bad JSON', { command, body: '{"CallbackCommand": "Group.CallbackAfterCreateGroup",' }, 400, 40003, /not valid JSON/],
    // An empty body is the console's URL check, answered OK: console-probe.test.ts.
    ['whitespace JSON does not allow', { command, body: '\u3000' }, 400, 40001, /empty/],
    ['a JSON array', { command, body: '[]' }, 400, 40005, /not an array/],
    ['a JSON string', { command, body: '"hello"' }, 400, 40005, /not a string/],
    ['JSON null', { command, body: 'null' }, 400, 40005, /not null/],
    [
      'a command mismatch',
      { command: 'Group.CallbackAfterCreateTopic', body },
      400,
      40007,
      /URL says "Group.CallbackAfterCreateTopic", the body "Group.CallbackAfterCreateGroup"/,
    ],
    ['no CallbackCommand in the URL', { body }, 400, 40006, /URL has no CallbackCommand/],
    ['a CallbackCommand in the body that is no string', { command, body: '{"CallbackCommand":7}' }, 400, 40008, /the body's CallbackCommand is 7/],
    ['a __proto__ key', { command, body: `{"CallbackCommand":"${command}","__proto__":{"admin":true}}` }, 400, 40004, /forbidden key: __proto__/],
    [
      'invalid UTF-8',
      { command, body: Buffer.concat([Buffer.from(`{"CallbackCommand":"${command}","Name":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) },
      400,
      40002,
      /UTF-8/,
    ],
    ['a wrong path', { command, body, path: '/admin' }, 404, 40400, /POST \/callback/],
    // A GET with no body is the console's URL check, answered OK: console-probe.test.ts.
    ['a wrong method', { command, body, method: 'PUT' }, 405, 40500, /PUT is not allowed/],
  ])('%s', async (_case, request, status, errorCode, info) => {
    const response = await post(receiver, request);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.answer).toEqual({ ActionStatus: 'FAIL', ErrorCode: errorCode, ErrorInfo: expect.stringMatching(info) });
    expect((await storedEvents(receiver)).filter((event) => event.payload.includes('NotStored'))).toEqual([]);
  });

  test('a body over maxBodyBytes (default 1 MiB) gets 413 before it is parsed', async () => {
    const huge = `{"CallbackCommand":"${command}","Name":"NotStored${'x'.repeat(1024 * 1024)}"}`;
    const response = await post(receiver, { command, body: huge });
    expect(response.status).toBe(413);
    expect(response.answer).toEqual({ ActionStatus: 'FAIL', ErrorCode: 41300, ErrorInfo: `the body is ${huge.length} bytes, more than the 1048576 allowed` });
  });

  test('a wrong method is told which one is allowed', async () => {
    const response = await post(receiver, { command, body: '', method: 'PUT' });
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('query parameters', () => {
  test('are matched case-insensitively, as the docs spell them inconsistently', async () => {
    const command = 'Group.CallbackAfterGroupFull';
    const body = JSON.stringify({ CallbackCommand: command, GroupId: '@TGS#case', EventTime: '1670574414123' });
    const response = await post(receiver, {
      body,
      sdkAppId: null,
      query: { SdkAppId: SDK_APP_ID, callbackcommand: command, clientip: '::1', OPTPLATFORM: 'iOS' },
    });
    expect(response).toMatchObject({ status: 200, answer: ok });
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.groupId === '@TGS#case');
    expect(event).toMatchObject({ clientIp: '::1', optPlatform: 'iOS', eventTime: 1670574414123 });
    expect(await storedEvent(receiver, event!.eventId)).toBeDefined();
  });
});

describe('a body without a CallbackCommand of its own', () => {
  test("takes the URL's, as Tencent's moderation result does", async () => {
    const command = 'Foo.CallbackAfterNoCommandInBody';
    const body = JSON.stringify({ SdkAppId: 1400000000, From_Account: 'jared' });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200, answer: ok });
    expect((await storedEvents(receiver)).filter((event) => event.command === command)).toEqual([expect.objectContaining({ payload: body })]);
  });

  test('an empty batch is kept, flagged: it is no batch', async () => {
    const command = 'Push.AllMemberPush';
    const body = JSON.stringify({ Events: [] });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200, answer: ok });
    const [event] = (await storedEvents(receiver)).filter((stored) => stored.command === command && stored.payload === body);
    expect(event).toMatchObject({ valid: false, problems: expect.stringMatching(/^Events: /) });
  });

  test("a batch's record shows its first event's ids and fields, numbers included", async () => {
    const command = 'Push.OfflinePush';
    const body = JSON.stringify({
      Events: [{ CallbackCommand: command, From_Account: 'sender-1', To_Account: 'receiver-1', EventTime: 1557481129, MsgKey: 'k-1', PushPlatform: 3 }],
    });
    expect(await post(receiver, { command, body })).toMatchObject({ status: 200 });
    expect(receiver.records.at(-1)).toMatchObject({
      command,
      outcome: 'stored',
      user: 'receiver-1',
      fields: expect.objectContaining({ sender: 'sender-1', platform: '3' }),
    });
  });

  test('a batch is refused when its items name different commands, or another than the URL', async () => {
    const command = 'Push.OfflinePush';
    const events = [
      { CallbackCommand: command, PushID: 'push-1', EventTime: 1557481127 },
      { CallbackCommand: command, PushID: 'push-2', EventTime: 1557481128 },
    ];
    const mixed = JSON.stringify({ Events: [events[0], { ...events[1], CallbackCommand: 'Push.AllMemberPush' }] });
    expect(await post(receiver, { command, body: mixed })).toMatchObject({ status: 400, answer: { ErrorCode: 40007 } });
    const other = JSON.stringify({ Events: events });
    expect(await post(receiver, { command: 'Push.AllMemberPush', body: other })).toMatchObject({ status: 400, answer: { ErrorCode: 40007 } });
    // The items are checked even when the body names the URL's command itself.
    const disguised = JSON.stringify({ CallbackCommand: 'Push.AllMemberPush', Events: events });
    expect(await post(receiver, { command: 'Push.AllMemberPush', body: disguised })).toMatchObject({ status: 400, answer: { ErrorCode: 40007 } });
  });
});
