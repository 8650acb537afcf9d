import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DynamoDBRecord } from 'aws-lambda';
import { itemOf } from '../../../functions/store/dynamodb-event-store.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import type { DynamoDbStateStore } from '../../../functions/synced-view/dynamodb-state-store.ts';
import { projectStream, type StreamRecordLog } from '../../../functions/synced-view/project-stream.ts';
import { stateLimits } from '../../../functions/synced-view/state-item.ts';
import { storedEventOf } from '../../support/group-lives.ts';
import { type StateTableServer, startStateTableServer } from '../../support/state-table-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'project-stream-'));
let table: StateTableServer;
let state: DynamoDbStateStore;
beforeAll(async () => {
  // On disk: the table outlives the server's stop and start.
  table = await startStateTableServer('dynalite', { dataDir });
  state = table.store();
});
afterAll(async () => {
  await table.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let run = 0;
const nextApp = () => `16${String(++run).padStart(8, '0')}`;
let sequence = 0;
/** A stream record of the item the events table holds for the event, as DynamoDB Streams sends it with NEW_IMAGE. */
const recordOf = (item: Record<string, unknown>, eventName: 'INSERT' | 'REMOVE' = 'INSERT'): DynamoDBRecord => ({
  eventName,
  dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }) as never, SequenceNumber: String(++sequence).padStart(21, '0') },
});
const callback = (app: string, body: Record<string, unknown>) =>
  storedEventOf(app, { command: String(body.CallbackCommand), body: JSON.stringify(body), platform: 'Android' }, 1_700_000_000_000);
const consumer = () => {
  const logged: StreamRecordLog[] = [];
  return { logged, project: projectStream({ state, log: (record) => logged.push(record) }) };
};

describe('the state consumer', () => {
  test('a batch is projected at once: a burst to one group and its users writes each thing once, after one read', async () => {
    const app = nextApp();
    const users = ['ann', 'bob', 'cy', 'dee'];
    const events: StoredEvent[] = [
      callback(app, {
        CallbackCommand: 'Group.CallbackAfterCreateGroup',
        GroupId: 'g',
        Type: 'Public',
        Owner_Account: 'ann',
        MemberList: users.slice(1).map((Member_Account) => ({ Member_Account })),
        EventTime: 1_000,
      }),
      ...Array.from({ length: 40 }, (_, index) =>
        callback(app, {
          CallbackCommand: 'State.StateChange',
          EventTime: 1_001 + index,
          Info: { Action: index % 2 ? 'Login' : 'Logout', To_Account: users[index % 4] },
        }),
      ),
      ...Array.from({ length: 9 }, (_, index) =>
        callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: 'g', Name: `n${index}`, EventTime: 1_100 + index }),
      ),
    ];
    const { project, logged } = consumer();
    table.calls.length = 0;
    expect(await project({ Records: events.map((event) => recordOf(itemOf(event, eventKeyOf(event)))) })).toEqual({ batchItemFailures: [] });
    // The pointer, then the profile, four members and four users' presence.
    expect(table.calls.toSorted()).toEqual(['GetItem', ...Array(9).fill('UpdateItem')]);
    expect(logged.filter(({ outcome }) => outcome === 'projected')).toHaveLength(50);
    expect(await state.group(app, 'g')).toMatchObject({ name: 'n8', owner: 'ann', members: users.map((account) => ({ account })) });
    expect(await state.user(app, 'dee')).toMatchObject({ online: true, lastAction: 'Login', platform: 'Android' });
  });

  test('each record fails alone: a damaged image, an entity past the item limit; a TTL deletion is skipped', async () => {
    const app = nextApp();
    const value = 'v'.repeat(stateLimits.valueBytes);
    const heavy = Array.from({ length: 11 }, (_, event) =>
      callback(app, {
        CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
        GroupId: 'g',
        OptionType: 'modify',
        GroupAttr: Array.from({ length: 10 }, (_, key) => ({ key: `k${event}-${key}`, value })),
        EventTime: 2_000 + event,
      }),
    );
    const joined = callback(app, {
      CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
      GroupId: 'g',
      NewMemberList: [{ Member_Account: 'ann' }],
      EventTime: 1_000,
    });
    // An event (it has a body) whose body is not brotli: damaged. An item without a body is no event: skipped.
    const damaged = recordOf({
      p: `${app}#g#g#0`,
      s: `0000000001000#${'0'.repeat(32)}`,
      c: 'Group.CallbackAfterNewMemberJoin',
      b: new Uint8Array([1, 2, 3]),
      ra: 1,
      x: 1,
    });
    const removed = recordOf(itemOf(joined, eventKeyOf(joined)), 'REMOVE');
    const records = [...heavy.map((event) => recordOf(itemOf(event, eventKeyOf(event)))), damaged, removed, recordOf(itemOf(joined, eventKeyOf(joined)))];
    const { project, logged } = consumer();
    const { batchItemFailures } = await project({ Records: records });
    expect(batchItemFailures.map(({ itemIdentifier }) => itemIdentifier)).toEqual(
      [damaged, records[9], records[10]].map((record) => record!.dynamodb!.SequenceNumber),
    );
    expect(logged.filter(({ level }) => level === 'ERROR')).toEqual([
      expect.objectContaining({ outcome: 'failed', sequenceNumber: damaged.dynamodb!.SequenceNumber }),
      expect.objectContaining({ outcome: 'failed', eventId: heavy[9]!.eventId, error: expect.stringMatching(/over DynamoDB's 400 KB item limit/) }),
      expect.objectContaining({ outcome: 'failed', eventId: heavy[10]!.eventId }),
    ]);
    expect(logged).toContainEqual({ level: 'DEBUG', outcome: 'skipped', sequenceNumber: removed.dynamodb!.SequenceNumber });
    const view = await state.group(app, 'g');
    expect(Object.keys(view?.attributes ?? {})).toHaveLength(90);
    expect(view?.members).toEqual([{ account: 'ann', role: 'Member' }]);
  });

  test('with the table out of reach, every record that changes the view is reported, to be tried again', async () => {
    const app = nextApp();
    const events = ['ann', 'bob'].map((account, index) =>
      callback(app, {
        CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
        GroupId: 'g',
        NewMemberList: [{ Member_Account: account }],
        EventTime: 3_000 + index,
      }),
    );
    const records = events.map((event) => recordOf(itemOf(event, eventKeyOf(event))));
    const { project } = consumer();
    await table.server.stop();
    try {
      const { batchItemFailures } = await project({ Records: records });
      expect(batchItemFailures.map(({ itemIdentifier }) => itemIdentifier)).toEqual(records.map((record) => record.dynamodb!.SequenceNumber));
    } finally {
      await table.server.start();
    }
    expect(await project({ Records: records })).toEqual({ batchItemFailures: [] });
    expect((await state.group(app, 'g'))?.members.map(({ account }) => account)).toEqual(['ann', 'bob']);
  });
});
