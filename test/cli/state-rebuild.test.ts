import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { rebuildState } from '../../cli/state-rebuild.ts';
import { indexRecords } from '../../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore, itemOf } from '../../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../../functions/store/event-image.ts';
import { eventKeyOf } from '../../functions/store/event-keys.ts';
import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../../functions/store/read/dynamodb-event-reader.ts';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { projectStream } from '../../functions/synced-view/project-stream.ts';
import { stateLimits } from '../../functions/synced-view/state-item.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../local/embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { lives, propertySeed, storedEventOf } from '../support/group-lives.ts';
import { referenceFold, referenceGroup, referenceUser } from '../support/state-reference.ts';

let store: EmbeddedStore;
let table: DynamoDbEventStore;
let state: DynamoDbStateStore;
let index: ReturnType<typeof indexRecords>;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  table = new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME);
  state = new DynamoDbStateStore(store.client, LOCAL_STATE_TABLE_NAME);
  index = indexRecords({ writer: new DynamoDbDerivedItemWriter(store.client, LOCAL_TABLE_NAME) });
});
let indexed = 0;
/**
 * The events table as the stack keeps it: each event put, then indexed by the fan-out consumer's
 * indexer stage, since the rebuild lists the app through the digests it writes.
 */
const events = {
  async put(event: StoredEvent) {
    const { outcome, key } = await table.put(event);
    if (outcome === 'stored') await index([streamRecordOf(event, key, { source: 'rebuild-test', sequenceNumber: String(++indexed) })]);
  },
};
afterAll(() => store.close());

let run = 0;
/** A SDKAppID per test: they share the tables. */
const nextApp = () => `15${String(++run).padStart(8, '0')}`;
const holder = { host: 'test', pid: 1 };
/** The listing in pages of ten, so that a rebuild has many. */
const reader = (): EventReader => new DynamoDbEventReader(store.client, LOCAL_TABLE_NAME, { queryPageSize: 10 });
let sequence = 0;
/** What the consumer does with events once they are stored: the stream's records of their items, in one batch. */
const consume = (stored: readonly StoredEvent[]) =>
  projectStream({ state, log: () => undefined })({
    Records: stored.map((event) => ({
      eventName: 'INSERT',
      dynamodb: {
        NewImage: marshall(itemOf(event, eventKeyOf(event)), { removeUndefinedValues: true }) as never,
        SequenceNumber: String(++sequence).padStart(21, '0'),
      },
    })),
  });

const callback = (app: string, body: Record<string, unknown>, receivedAt = 1) =>
  storedEventOf(app, { command: String(body.CallbackCommand), body: JSON.stringify(body), platform: 'Web' }, receivedAt);

async function expectView(app: string, stored: readonly StoredEvent[]) {
  const fold = referenceFold(stored);
  for (const groupId of ['@TGS#g1', '@TGS#g2']) expect(await state.group(app, groupId)).toEqual(referenceGroup(app, groupId, fold));
  for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(app, account)).toEqual(referenceUser(app, account, fold));
}

/** A generated life of the two groups, stored. */
async function storedLife(app: string, life: { command: string; body: string; platform: string }[], firstTime: number) {
  const stored = [...new Map(life.map((item, index) => [item.body, storedEventOf(app, item, firstTime + index)])).values()];
  for (const event of stored) await events.put(event);
  return stored;
}

describe('npm run state -- --rebuild', () => {
  test('over unprojectable events (a body that no longer parses, attributes past 400 KB), it skips and lists them, and keeps the rest', async () => {
    const app = nextApp();
    const [life] = fc.sample(lives(40), { seed: propertySeed('rebuild over unprojectable events'), numRuns: 1 });
    const good = await storedLife(app, life!, 1_700_000_000_000);
    const broken: StoredEvent = {
      ...callback(app, { CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: '@TGS#g1', EventTime: 5 }),
      payload: '{"GroupId":"@TGS#g1",',
    };
    // Eleven events of ten 4 KB attributes each: only nine events' worth fit in one item. In a group of
    // their own: in one of the generated life's, a later dismissal (a seed's choice) would drop them.
    const value = 'v'.repeat(stateLimits.valueBytes);
    const heavy = Array.from({ length: 11 }, (_, event) =>
      callback(app, {
        CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
        GroupId: '@TGS#g3',
        OptionType: 'modify',
        GroupAttr: Array.from({ length: 10 }, (_, key) => ({ key: `k${event}-${key}`, value })),
        EventTime: 1_600_000_000_000 + event,
      }),
    );
    for (const event of [broken, ...heavy]) await events.put(event);
    await consume(good);
    const before = await state.group(app, '@TGS#g1');

    const report = await rebuildState(reader(), state, [app], { holder });
    expect(report.events).toBe(good.length + 12);
    const skipped = new Set(report.skipped.map(({ eventId }) => eventId));
    expect(report.skipped).toContainEqual({ eventId: broken.eventId, command: broken.command, reason: expect.stringMatching(/JSON/) });
    expect(report.skipped.filter(({ command }) => command === 'Group.CallbackAfterGroupAttrChanged')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/attributes of group @TGS#g3 would take \d+ KB, over DynamoDB's 400 KB item limit/) }),
      expect.objectContaining({ reason: expect.stringMatching(/over DynamoDB's 400 KB item limit/) }),
    ]);
    // Everything else is in the view, the first group exactly as before.
    await expectView(
      app,
      [...good, ...heavy].filter(({ eventId }) => !skipped.has(eventId)),
    );
    expect(await state.group(app, '@TGS#g1')).toEqual(before);
  });

  test('a rebuild that fails part way (the events table out of reach) leaves the view as it was, and the next one may start at once', async () => {
    const app = nextApp();
    const [life] = fc.sample(lives(30), { seed: propertySeed('rebuild that fails'), numRuns: 1 });
    const stored = await storedLife(app, life!, 1_700_000_000_000);
    await consume(stored.slice(0, 10));
    const views = async () => Promise.all(['@TGS#g1', '@TGS#g2'].map((groupId) => state.group(app, groupId)));
    const before = await views();
    const failing: EventReader = {
      list: () => Promise.reject(new Error('not used')),
      async *pages(filter) {
        for await (const page of reader().pages(filter)) {
          yield page;
          throw new Error('connect ECONNREFUSED');
        }
      },
    };
    await expect(rebuildState(failing, state, [app], { holder })).rejects.toThrow('ECONNREFUSED');
    expect(await views()).toEqual(before);
    await rebuildState(reader(), state, [app], { holder });
    await expectView(app, stored);
  });

  test('events stored and projected while it runs are in the view it leaves', async () => {
    const seed = propertySeed('rebuild while events arrive');
    const property = fc.asyncProperty(lives(40), fc.integer({ min: 1, max: 5 }), async (life, perPage) => {
      const app = nextApp();
      const cut = Math.floor(life.length / 2);
      // The first half is stored (its projections lost); the rest arrives page by page during the rebuild.
      const earlier = await storedLife(app, life.slice(0, cut), 1_700_000_000_000);
      const later = life.slice(cut);
      const arrived: StoredEvent[] = [];
      const arrive = async () => {
        const next = later.splice(0, perPage).map((item, index) => storedEventOf(app, item, 1_700_000_100_000 + arrived.length + index));
        for (const event of next) await events.put(event);
        await consume(next);
        arrived.push(...next);
      };
      await rebuildState(reader(), state, [app], { holder, afterPage: arrive });
      while (later.length > 0) await arrive();
      await expectView(app, [...new Map([...earlier, ...arrived].map((event) => [event.eventId, event])).values()]);
    });
    await fc.assert(property, { seed, numRuns: 4 });
  });
});
