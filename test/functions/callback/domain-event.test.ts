import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { CallbackEvent } from '../../../functions/callback/callback-event.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { eventOf } from '../../../functions/store/event-item.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventStore, StoredEvent } from '../../../functions/store/event-store.ts';
import { keptEventText, parseKeptEvent } from '../../../functions/store/kept-event.ts';
import { scanEventItems } from '../../../functions/store/read/scan-events.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { EventSpool } from '../../../local/event-spool.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

/**
 * The domain event a callback hands the store carries what its definition read of the body once,
 * where the command was matched: the accounts by role, the groups, the place, the actor, whether its
 * group is busy and its time. The table does not write them yet; the fallbacks carry them whole.
 */
let store: EmbeddedStore;
let table: DynamoDbEventStore;
const seen: StoredEvent[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  table = new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME);
});
afterAll(async () => {
  await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const context = { awsRequestId: 'domain-1' } as Context;

/** The store, telling `tell` of each event it took for the first time: what the callback handed it. */
const observed = (inner: EventStore, tell: (event: StoredEvent) => void): EventStore => ({
  keyOf: (event) => inner.keyOf(event),
  async put(event, options) {
    const result = await inner.put(event, options);
    if (result.outcome === 'stored') tell(event);
    return result;
  },
});

async function send(command: string, body: unknown, options: { store?: EventStore; fallback?: EventSpool } = {}): Promise<void> {
  const handler = createCallbackHandler({
    settings: testSettings(),
    store: options.store ?? observed(table, (event) => seen.push(event)),
    ...(options.fallback ? { fallback: options.fallback } : {}),
    log: () => undefined,
  });
  const answer = await handler(
    apiGatewayEvent({ query: { SdkAppid: SDK_APP_ID, CallbackCommand: command }, body: JSON.stringify(body) }) as CallbackEvent,
    context,
  );
  expect(answer.statusCode).toBe(200);
}

const lastOf = (command: string) => seen.filter((event) => event.command === command).at(-1)!;

describe('the domain event', () => {
  test('a one-to-one message without EventTime: its accounts, its receiver as place, its sender as actor, MsgTime as its time', async () => {
    await send('C2C.CallbackAfterSendMsg', { CallbackCommand: 'C2C.CallbackAfterSendMsg', From_Account: 'ann', To_Account: 'bob', MsgTime: 1557481126 });
    expect(lastOf('C2C.CallbackAfterSendMsg')).toMatchObject({
      accounts: [
        { role: 'sender', account: 'ann' },
        { role: 'receiver', account: 'bob' },
      ],
      groupIds: [],
      placeAccount: 'bob',
      actor: 'ann',
      user: 'ann',
      busy: false,
      bodyTime: 1557481126000,
      timeField: 'MsgTime',
    });
    expect(lastOf('C2C.CallbackAfterSendMsg').eventTime).toBeUndefined();
  });

  test("a live room's message: its group busy, Tencent's EventTime its time", async () => {
    await send('Group.CallbackAfterSendMsg', {
      CallbackCommand: 'Group.CallbackAfterSendMsg',
      GroupId: '@TGS#live',
      Type: 'AVChatRoom',
      From_Account: 'ann',
      MsgTime: 1557481126,
      EventTime: 1670574414123,
    });
    const event = lastOf('Group.CallbackAfterSendMsg');
    expect(event).toMatchObject({ groupId: '@TGS#live', groupIds: ['@TGS#live'], busy: true, actor: 'ann', eventTime: 1670574414123 });
    expect([event.placeAccount, event.bodyTime, event.timeField]).toEqual([undefined, undefined, undefined]);
  });

  test('each event of a batch carries its own', async () => {
    const item = (to: string) => ({ CallbackCommand: 'Push.AllMemberPush', To_Account: to, EventTime: 1557481128 });
    await send('Push.AllMemberPush', { Events: [item('first'), item('second')] });
    const events = seen.filter((event) => event.command === 'Push.AllMemberPush');
    expect(events.map((event) => [event.placeAccount, event.actor, event.accounts, event.eventTime])).toEqual([
      ['first', 'first', [{ role: 'receiver', account: 'first' }], 1557481128000],
      ['second', 'second', [{ role: 'receiver', account: 'second' }], 1557481128000],
    ]);
  });

  test("the table keeps the body, not the definition's reading of it: the event read back has its ids and time", async () => {
    await send('Group.CallbackAfterNewMemberJoin', { GroupId: '@TGS#join', Operator_Account: 'ann', NewMemberList: [{ Member_Account: 'bob' }], EventTime: 1 });
    const event = lastOf('Group.CallbackAfterNewMemberJoin');
    const items: Record<string, unknown>[] = [];
    for await (const page of scanEventItems(store.client, LOCAL_TABLE_NAME)) items.push(...page);
    const item = items.find((candidate) => eventOf(candidate).eventId === event.eventId);
    for (const name of ['accounts', 'groupIds', 'actor', 'placeAccount', 'busy', 'bodyTime', 'timeField', 'payload']) expect(item).not.toHaveProperty(name);
    expect(eventOf(item!)).toMatchObject({ groupId: '@TGS#join', user: 'ann', eventTime: 1, payload: event.payload });
  });
});

describe('the fallbacks carry it whole', () => {
  test("an SQS message's body, or a spool line, reads back as the event it was", async () => {
    await send('Group.CallbackAfterChangeGroupOwner', {
      GroupId: '@TGS#owner',
      Operator_Account: 'admin',
      OldOwner_Account: 'ann',
      NewOwner_Account: 'bob',
      EventTime: 1670574414123,
    });
    const event = lastOf('Group.CallbackAfterChangeGroupOwner');
    expect(event.accounts).toHaveLength(3);
    expect(parseKeptEvent(keptEventText(event)).event).toEqual(JSON.parse(JSON.stringify(event)));
  });

  test('an event kept by the spool while the table is down is stored with all it carried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'domain-spool-'));
    dirs.push(dir);
    const spool = new EventSpool(dir);
    const down: EventStore = { keyOf: (event) => eventKeyOf(event), put: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4567')) };
    await send('C2C.CallbackAfterSendMsg', { From_Account: 'cy', To_Account: 'dee', MsgTime: 1557481127 }, { store: down, fallback: spool });
    const replayed: StoredEvent[] = [];
    const counts = await spool.replay(
      observed(table, (event) => replayed.push(event)),
      10_000,
    );
    expect(counts).toMatchObject({ stored: 1, remaining: 0 });
    expect(replayed[0]).toMatchObject({
      accounts: [
        { role: 'sender', account: 'cy' },
        { role: 'receiver', account: 'dee' },
      ],
      placeAccount: 'dee',
      actor: 'cy',
      busy: false,
      bodyTime: 1557481127000,
      timeField: 'MsgTime',
    });
  });

  test('a message written before these fields existed still reads', () => {
    const old = {
      eventId: '0123456789abcdef0123456789abcdef',
      command: 'Group.CallbackAfterGroupFull',
      kind: 'after',
      sdkAppId: SDK_APP_ID,
      groupId: '@TGS#old',
      receivedAt: 1,
      payload: '{}',
      valid: true,
      expiresAt: 2,
    };
    expect(parseKeptEvent(JSON.stringify(old)).event).toEqual(old);
  });

  test.each([
    ['an account that is no string', { accounts: [{ role: 'sender', account: 7 }] }],
    ['a role missing', { accounts: [{ account: 'ann' }] }],
    ['busy as text', { busy: 'yes' }],
  ])('a damaged one fails on its own: %s', (_case, damage) => {
    const event = {
      eventId: '0123456789abcdef0123456789abcdef',
      command: 'X.Y',
      kind: 'after',
      sdkAppId: SDK_APP_ID,
      receivedAt: 1,
      payload: '{}',
      valid: true,
      expiresAt: 2,
    };
    expect(() => parseKeptEvent(JSON.stringify({ ...event, ...damage }))).toThrow();
  });
});
