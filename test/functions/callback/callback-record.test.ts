import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { CallbackEvent } from '../../../functions/callback/callback-event.ts';
import { type CallbackRecord, MAX_SHOWN_ACCOUNTS } from '../../../functions/callback/callback-record.ts';
import { createCallbackHandler } from '../../../functions/callback/chain.ts';
import { clipLengths } from '../../../functions/shared/clip.ts';
import { DynamoDbEventStore, eventOf } from '../../../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { scanEventItems } from '../../../functions/store/read/scan-events.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { apiGatewayEvent } from '../../support/api-gateway-event.ts';
import { SDK_APP_ID, testSettings } from '../../support/receiver.ts';

/**
 * The record reads what match-callback-command.ts worked out (the definition, the subjects, the record
 * fields); the stored events keep the ids whole, the record cuts them short.
 */
let store: EmbeddedStore;
const records: CallbackRecord[] = [];
let handler: ReturnType<typeof createCallbackHandler>;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  handler = createCallbackHandler({
    settings: testSettings(),
    store: new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME),
    log: (record) => records.push(record),
  });
});
afterAll(() => store.close());

async function send(command: string, body: unknown): Promise<CallbackRecord> {
  const event = apiGatewayEvent({ query: { SdkAppid: SDK_APP_ID, CallbackCommand: command }, body: JSON.stringify(body) });
  await handler(event as CallbackEvent, { awsRequestId: 'record-1' } as Context);
  return records.at(-1)!;
}

/** The stored event the record names, as the table gives it back (eventOf): found by a Scan of the small test table. */
async function storedOf(record: CallbackRecord): Promise<StoredEvent | undefined> {
  for await (const items of scanEventItems(store.client, LOCAL_TABLE_NAME)) {
    const found = items.map(eventOf).find((event) => event.eventId === record.eventId);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('the callback record', () => {
  test('shows an id longer than a key holds, cut short; the stored event keeps it whole', async () => {
    const groupId = `@TGS#${'x'.repeat(MAX_KEY_PART_LENGTH * 2)}`;
    const record = await send('Group.CallbackAfterGroupInfoChanged', {
      CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
      GroupId: groupId,
      Operator_Account: 'ann',
    });
    expect(record).toMatchObject({ outcome: 'stored', kind: 'after', groupId: groupId.slice(0, clipLengths.recorded), fields: { operator: 'ann' } });
    expect(await storedOf(record)).toMatchObject({ groupId });
  });

  test("of a batch shows its first event's subjects and fields; each stored event has its own", async () => {
    const item = (user: string, stage: number) => ({ CallbackCommand: 'Push.AllMemberPush', To_Account: user, PushStage: stage, EventTime: 1 });
    const record = await send('Push.AllMemberPush', { Events: [item('first', 1), item('second', 2)] });
    expect(record).toMatchObject({ outcome: 'stored', events: 2, user: 'first', fields: { stage: '1' } });
    expect(await storedOf(record)).toMatchObject({ user: 'first' });
  });

  test('shows the accounts by role, then what else the definition shows', async () => {
    const record = await send('Push.OfflinePush', { Events: [{ CallbackCommand: 'Push.OfflinePush', From_Account: 'ann', To_Account: 'bob', PushStage: 2 }] });
    expect(record.fields).toEqual({ sender: 'ann', receiver: 'bob', stage: '2' });
    expect(Object.keys(record.fields!)).toEqual(['sender', 'receiver', 'stage']);
    expect(record.user).toBe('bob');
  });

  test(`shows a role's accounts up to ${MAX_SHOWN_ACCOUNTS}, else how many`, async () => {
    const members = (count: number) => Array.from({ length: count }, (_, index) => ({ Member_Account: `user${index}` }));
    const few = await send('Group.CallbackAfterNewMemberJoin', { GroupId: '@TGS#few', Operator_Account: 'ann', NewMemberList: members(MAX_SHOWN_ACCOUNTS) });
    expect(few.fields).toEqual({ operator: 'ann', joined: 'user0,user1,user2' });
    const many = await send('Group.CallbackAfterNewMemberJoin', { GroupId: '@TGS#many', Operator_Account: 'ann', NewMemberList: members(250) });
    expect(many.fields).toEqual({ operator: 'ann', joined: '250 accounts' });
    expect(JSON.stringify(many).length).toBeLessThan(2000);
  });

  test('of a request turned away before its command was matched names no kind, subject or field', async () => {
    const record = await send('Group.CallbackAfterGroupInfoChanged', ['not an object']);
    expect(record).toMatchObject({ outcome: 'rejected', reason: 'body-not-object' });
    expect(record).not.toHaveProperty('kind', expect.anything());
    expect([record.groupId, record.user, record.fields]).toEqual([undefined, undefined, undefined]);
  });
});
