import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { commandRegistry } from '../../../functions/commands/registry.ts';
import type { InspectedCallback, InspectorInfo } from '../../../local/inspector/inspector-types.ts';
import { routes } from '../../../local/inspector/routes.ts';
import { action, liveUntil, pageToken } from '../../support/inspector-client.ts';
import { post, SDK_APP_ID, startTestReceiver, storedEvents, type TestReceiver } from '../../support/receiver.ts';

const TOKEN = 'inspector-test-token';
const states = new Map<string, object>([['group:g-state', { name: 'Synced group', members: 3 }]]);
let receiver: TestReceiver;
let token: string;
beforeAll(async () => {
  receiver = await startTestReceiver({ tokens: [TOKEN], inspector: { stateOf: async (kind, id) => states.get(`${kind}:${id}`) } });
  token = await pageToken(receiver);
});
afterAll(() => receiver.close());

const signedQuery = (requestTime: number) => ({ RequestTime: String(requestTime), Sign: createHash('sha256').update(`${TOKEN}${requestTime}`).digest('hex') });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const queryOf = (callback: InspectedCallback) => new Map(callback.query.map(([name, value]) => [name.toLowerCase(), value]));
const body = (groupId: string) => JSON.stringify({ CallbackCommand: 'Group.CallbackAfterCreateGroup', GroupId: groupId, Type: 'Public' });

describe('the live stream', () => {
  test('delivers each callback with its request, answer and record, the Sign redacted', async () => {
    const { seen, headers } = await liveUntil(
      receiver,
      // The change log's news of the event comes first (onStored), then the callback once answered.
      (callbacks) => callbacks.some((callback) => callback.record.groupId === 'g-live' && callback.source === 'live'),
      () => post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: body('g-live'), query: signedQuery(nowSeconds()) }),
    );
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(seen.find((candidate) => candidate.source === 'stored')).toMatchObject({ id: expect.stringMatching(/^event:/), record: { groupId: 'g-live' } });
    const callback = seen.find((candidate) => candidate.record.groupId === 'g-live' && candidate.source === 'live')!;
    expect(callback).toMatchObject({ source: 'live', method: 'POST', path: '/callback', body: body('g-live'), answer: { status: 200 } });
    expect(callback.record).toMatchObject({ outcome: 'stored', status: 200, command: 'Group.CallbackAfterCreateGroup', kind: 'after', requestId: callback.id });
    expect(callback.record.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(queryOf(callback).get('sign')).toBe('[redacted]');
    expect(JSON.stringify(callback)).not.toMatch(/[0-9a-f]{64}/);
  });

  test('Copy as curl gives a curl that signs from $IM_CALLBACK_TOKEN and is accepted', async () => {
    const { seen } = await liveUntil(receiver, (callbacks) => callbacks.some((callback) => callback.record.groupId === 'g-live' && callback.source === 'live'));
    const { curl } = seen.find((callback) => callback.record.groupId === 'g-live' && callback.source === 'live')!;
    const { stdout } = await promisify(execFile)('sh', ['-c', curl], { env: { ...process.env, IM_CALLBACK_TOKEN: `${TOKEN},another` } });
    expect(JSON.parse(stdout)).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(receiver.records.at(-1)).toMatchObject({ outcome: 'duplicate', groupId: 'g-live' });
  });

  test('a page that opens later gets what came before, and refusals too', async () => {
    await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: body('g-before'), query: signedQuery(nowSeconds() - 3600) });
    const { seen } = await liveUntil(receiver, (callbacks) =>
      callbacks.some((callback) => callback.source === 'live' && callback.record.reason === 'request-time-outside-window'),
    );
    expect(seen.find((callback) => callback.record.groupId === 'g-live')).toBeDefined();
    expect(seen.find((callback) => callback.source === 'live' && callback.record.reason === 'request-time-outside-window')).toMatchObject({
      record: { outcome: 'rejected', status: 401 },
    });
  });
});

describe('replay', () => {
  test('sends the same body again, re-signed with a fresh RequestTime, as a new callback', async () => {
    const staleButValid = nowSeconds() - 50;
    await post(receiver, { command: 'Group.CallbackAfterCreateGroup', body: body('g-replay'), query: signedQuery(staleButValid) });
    const { seen: before } = await liveUntil(receiver, (callbacks) => callbacks.some((callback) => callback.record.groupId === 'g-replay'));
    const original = before.find((callback) => callback.record.groupId === 'g-replay')!;

    const { seen } = await liveUntil(
      receiver,
      (callbacks) => callbacks.some((callback) => callback.origin === `replay of ${original.id}`),
      async () => expect(await action(receiver, routes.replay, { id: original.id }, token)).toMatchObject({ status: 200, body: { status: 200 } }),
    );
    const replayed = seen.find((callback) => callback.origin === `replay of ${original.id}`)!;
    expect(replayed.id).not.toBe(original.id);
    expect(replayed.body).toBe(original.body);
    // Accepted by the Sign check, so signed with the token; and as a repeat of a stored body, a duplicate.
    expect(replayed.record).toMatchObject({ outcome: 'duplicate', status: 200, eventId: original.record.eventId });
    expect(Number(queryOf(replayed).get('requesttime'))).toBeGreaterThan(staleButValid);
    expect(Number(queryOf(replayed).get('requesttime'))).toBeGreaterThanOrEqual(nowSeconds() - 2);
  });

  test('replays an event read back from the table', async () => {
    const response = await fetch(new URL(routes.stored, receiver.callbackUrl));
    const stored = (await response.json()) as InspectedCallback[];
    const fromTable = stored.find((callback) => callback.record.groupId === 'g-live')!;
    expect(fromTable).toMatchObject({ id: `event:${fromTable.record.eventId}`, source: 'stored', body: body('g-live') });
    expect(await action(receiver, routes.replay, { id: fromTable.id }, token)).toMatchObject({ status: 200, body: { status: 200 } });
    expect(receiver.records.at(-1)).toMatchObject({ outcome: 'duplicate', eventId: fromTable.record.eventId });
  });
});

describe('samples', () => {
  test.each([...commandRegistry.values()].map((definition) => [definition.command, definition] as const))(
    '%s: its example goes through the callback route with the query Tencent appends, signed',
    async (command, definition) => {
      const sent = await action(receiver, routes.sample, { command, body: JSON.stringify(definition.example) }, token);
      expect(sent).toMatchObject({ status: 200, body: { status: 200 } });
      const record = receiver.records.at(-1)!;
      expect(record).toMatchObject({ command, status: 200, sdkAppId: SDK_APP_ID, clientIp: '127.0.0.1', optPlatform: 'RESTAPI' });
      expect(record.outcome).toMatch(definition.kind === 'before' ? /^allowed$/ : /^(stored|duplicate)$/);
      if (definition.kind === 'after') expect((await storedEvents(receiver)).some((event) => event.eventId === record.eventId)).toBe(true);
    },
  );
});

describe('the synced state', () => {
  const state = (query: string) => fetch(new URL(`${routes.state}?${query}`, receiver.callbackUrl));

  test('is what the provider gives, or null', async () => {
    expect(await (await state('kind=group&id=g-state')).json()).toEqual({ state: { name: 'Synced group', members: 3 } });
    expect(await (await state('kind=user&id=nobody')).json()).toEqual({ state: null });
  });

  test('is asked for properly', async () => {
    expect((await state('kind=table&id=x')).status).toBe(400);
    expect((await state('kind=group')).status).toBe(400);
  });

  test('is announced to the page with the rest of its settings', async () => {
    const info = (await (await fetch(new URL(routes.info, receiver.callbackUrl))).json()) as InspectorInfo;
    expect(info).toMatchObject({ stateProvider: true, tokenSet: true });
    expect(info.commands).toHaveLength(commandRegistry.size);
  });
});

describe('the synced state, as npm start wires it', () => {
  let synced: TestReceiver;
  beforeAll(async () => {
    synced = await startTestReceiver({ inspector: {} });
  });
  afterAll(() => synced.close());

  test("is the local state table's view of a callback's group, once projected", async () => {
    const command = 'Group.CallbackAfterCreateGroup';
    const body = JSON.stringify({
      CallbackCommand: command,
      GroupId: '@TGS#inspected',
      Type: 'Public',
      Name: 'Seen in the inspector',
      Owner_Account: 'leckie',
      EventTime: 1670574414123,
    });
    expect((await post(synced, { command, body })).status).toBe(200);
    await synced.state.idle();
    const answer = (await (await fetch(new URL(`${routes.state}?kind=group&id=${encodeURIComponent('@TGS#inspected')}`, synced.callbackUrl))).json()) as {
      state: Record<string, unknown>;
    };
    expect(answer.state).toMatchObject({ sdkAppId: SDK_APP_ID, groupId: '@TGS#inspected', name: 'Seen in the inspector', owner: 'leckie' });
    expect(await (await fetch(new URL(`${routes.state}?kind=user&id=nobody`, synced.callbackUrl))).json()).toEqual({ state: null });
  });
});
