import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { indexRecords } from '../functions/fan-out/index-records.ts';
import { DynamoDbDerivedItemWriter } from '../functions/store/derived-item-writer.ts';
import { DynamoDbEventStore, documentClient } from '../functions/store/dynamodb-event-store.ts';
import { streamRecordOf } from '../functions/store/event-image.ts';
import type { EventFilter, EventReader, StoredEvent } from '../functions/store/event-store.ts';
import { LegacyEventReader } from '../functions/store/legacy/legacy-event-reader.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { LOCAL_TABLE_NAME, localClient } from '../local/embedded-store.ts';
import { seededRandom } from '../test/support/seed.ts';
import { afterEvent } from './after-event.ts';
import { startDynamoDb } from './dynamodb-servers.ts';
import { issue19Today, type Row } from './report.ts';
import { ensureSecondDesignTable, secondDesignItem } from './second-design-table.ts';
import { summarize } from './stats.ts';

/**
 * What a listing reads (issue 19): 5,000 after-events of nine commands stored through the store's
 * adapter and indexed by the fan-out's indexer stage (the digests a newest-N listing reads), and the
 * same events in a table of the second key design (second-design-table.ts), the reference, on one
 * dynalite in this process. Each listing counts its Query calls (a middleware on its own client)
 * and is timed in this process, the median of a few; the second design's are the `npm run events`
 * the issue measured.
 */

const APP = '1400000000';
const T0 = Date.UTC(2026, 11, 1, 12);
const SPAN_MS = 10 * 60_000;
export const LISTED_EVENTS = 5_000;
export const QUIET_GROUP = '@TGS#quiet';
const QUIET_EVENTS = 5;
const TIMED_RUNS = 3;
const SECOND_DESIGN_TABLE = 'bench-second-design';

type Body = Record<string, unknown> & { readonly CallbackCommand: string };

/** The mix: shares of the events, a body for the n-th (the message text short: listings read keys, not bodies). */
const streams: readonly { readonly share: number; readonly body: (pick: (count: number) => number, at: number) => Body }[] = [
  {
    share: 0.35,
    body: (pick, at) => ({
      CallbackCommand: 'Group.CallbackAfterSendMsg',
      GroupId: `@TGS#work${pick(20)}`,
      Type: 'Public',
      From_Account: `user${pick(200)}`,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'see you at eight' } }],
      EventTime: at,
    }),
  },
  {
    share: 0.2,
    body: (pick, at) => ({
      CallbackCommand: 'Group.CallbackAfterSendMsg',
      GroupId: '@TGS#aLIVEROOM01',
      Type: 'AVChatRoom',
      From_Account: `viewer${pick(2_000)}`,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'the red packet is here' } }],
      EventTime: at,
    }),
  },
  {
    share: 0.2,
    body: (pick, at) => ({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: `user${pick(200)}`,
      To_Account: `user${pick(200)}`,
      MsgTime: Math.floor(at / 1000),
      MsgRandom: pick(1_000_000),
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'thanks so much' } }],
    }),
  },
  {
    share: 0.12,
    body: (pick, at) => ({
      CallbackCommand: 'State.StateChange',
      EventTime: at,
      Info: { Action: 'Login', To_Account: `user${pick(200)}`, Reason: 'Register' },
    }),
  },
  {
    share: 0.05,
    body: (pick, at) => ({
      CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
      GroupId: `@TGS#work${pick(20)}`,
      Type: 'Public',
      JoinType: 'Apply',
      Operator_Account: `user${pick(200)}`,
      NewMemberList: [{ Member_Account: `user${pick(200)}` }],
      EventTime: at,
    }),
  },
  {
    share: 0.03,
    body: (pick, at) => ({
      CallbackCommand: 'Group.CallbackAfterMemberExit',
      GroupId: `@TGS#work${pick(20)}`,
      Type: 'Public',
      ExitType: 'Quit',
      Operator_Account: `user${pick(200)}`,
      ExitMemberList: [{ Member_Account: `user${pick(200)}` }],
      EventTime: at,
    }),
  },
  {
    share: 0.02,
    body: (pick) => ({
      CallbackCommand: 'Sns.CallbackFriendAdd',
      PairList: [{ From_Account: `user${pick(200)}`, To_Account: `user${pick(200)}`, Initiator_Account: `user${pick(200)}` }],
      ClientCmd: 'friend_add',
    }),
  },
  {
    share: 0.02,
    body: (pick, at) => ({
      CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
      GroupId: `@TGS#work${pick(20)}`,
      Type: 'Public',
      Operator_Account: `user${pick(200)}`,
      Notification: `notice ${pick(1_000)}`,
      EventTime: at,
    }),
  },
  {
    share: 0.01,
    body: (pick) => ({ CallbackCommand: 'Alert.RequestOverLimit', ServiceName: 'openim', Command: 'sendmsg', Request: 200 + pick(400), Limit: 200 }),
  },
];

/** The mix's events, the same every run, and the quiet group's few messages among them. */
export function listedEvents(count = LISTED_EVENTS): StoredEvent[] {
  const random = seededRandom(19);
  const pick = (n: number) => Math.floor(random() * n);
  const events: StoredEvent[] = [];
  for (let n = 0; n < count - QUIET_EVENTS; n++) {
    const roll = random();
    let reached = 0;
    const stream =
      streams.find((candidate) => {
        reached += candidate.share;
        return roll < reached;
      }) ?? streams[0]!;
    const at = T0 + Math.floor((n / count) * SPAN_MS);
    events.push(afterEvent(APP, { ...stream.body(pick, at), Nonce: n }, at + 50));
  }
  for (let n = 0; n < QUIET_EVENTS; n++) {
    const at = T0 + n * 60_000;
    const body = { CallbackCommand: 'Group.CallbackAfterSendMsg', GroupId: QUIET_GROUP, Type: 'Public', From_Account: 'user0', MsgBody: [], EventTime: at };
    events.push(afterEvent(APP, body, at + 50));
  }
  return events;
}

/** Runs `work` `concurrency` at a time over `items`. */
async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** The current design: each event through the store's conditional put, then the indexer's digests and pointers from their stream records. */
async function storeNow(client: DynamoDBDocumentClient, events: readonly StoredEvent[]) {
  const store = new DynamoDbEventStore(client, LOCAL_TABLE_NAME);
  const records: ReturnType<typeof streamRecordOf>[] = new Array(events.length);
  await eachConcurrently(events, 8, async (event, index) => {
    const result = await store.put(event);
    if (result.outcome !== 'stored') throw new Error(`event ${index}: the store answered ${result.outcome}`);
    records[index] = streamRecordOf(event, result.key, { source: 'bench-stream', sequenceNumber: String(index).padStart(12, '0') });
  });
  const index = indexRecords({ writer: new DynamoDbDerivedItemWriter(client, LOCAL_TABLE_NAME) });
  for (let start = 0; start < records.length; start += 100) await index(records.slice(start, start + 100));
}

async function storeSecondDesign(base: DynamoDBClient, client: DynamoDBDocumentClient, events: readonly StoredEvent[]) {
  await ensureSecondDesignTable(base, SECOND_DESIGN_TABLE);
  const batches = Array.from({ length: Math.ceil(events.length / 25) }, (_, n) => events.slice(n * 25, n * 25 + 25));
  await eachConcurrently(batches, 4, async (batch) => {
    let requests = batch.map((event) => ({ PutRequest: { Item: secondDesignItem(event) } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [SECOND_DESIGN_TABLE]: requests } }));
      requests = (UnprocessedItems?.[SECOND_DESIGN_TABLE] ?? []) as typeof requests;
    }
  });
}

/** A reader whose Query calls are counted. */
function countedReader(endpoint: string, make: (client: DynamoDBDocumentClient) => EventReader) {
  const base = localClient(endpoint, { sign: false });
  let queries = 0;
  base.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  return {
    /** The listing's events, Query calls and median time over a few runs (the first one counted). */
    async measure(filter: Omit<EventFilter, 'sdkAppIds'>) {
      const reader = make(documentClient(base));
      const times: number[] = [];
      let counted = 0;
      let listed: string[] = [];
      for (let run = 0; run < TIMED_RUNS; run++) {
        queries = 0;
        const started = performance.now();
        const events = await reader.list({ sdkAppIds: [APP], ...filter });
        times.push(performance.now() - started);
        if (run === 0) {
          counted = queries;
          listed = events.map((event) => event.eventId);
        }
      }
      return { queries: counted, ms: summarize(times).p50, listed };
    },
    destroy: () => base.destroy(),
  };
}

export interface ListingMeasure {
  readonly queries: number;
  readonly ms: number;
}

export interface ListingCostResult {
  readonly events: number;
  readonly commands: number;
  readonly appNewest50: { readonly now: ListingMeasure; readonly before: ListingMeasure };
  readonly quietGroupNewest50: { readonly now: ListingMeasure; readonly before: ListingMeasure };
  /**
   * Both designs listed 50 of the app and the quiet group's five: a listing that stopped short would
   * look cheap. (Which 50 may differ by an event or two: the designs read an event's time by
   * different rules; test/integration/store/event-listings.test.ts checks the current listings
   * against an oracle.)
   */
  readonly complete: boolean;
}

export async function measureListingCost(onStep?: (step: string) => void): Promise<ListingCostResult> {
  const events = listedEvents();
  const server = await startDynamoDb('dynalite');
  const base = localClient(server.endpoint, { sign: false });
  const client = documentClient(base);
  const now = countedReader(server.endpoint, (reader) => new DynamoDbEventReader(reader, LOCAL_TABLE_NAME));
  const before = countedReader(server.endpoint, (reader) => new LegacyEventReader(reader, SECOND_DESIGN_TABLE));
  try {
    onStep?.(`storing ${events.length.toLocaleString('en-US')} events in the current design and indexing them…`);
    await storeNow(client, events);
    onStep?.('storing them in the second design…');
    await storeSecondDesign(base, client, events);
    onStep?.('listing…');
    const app = { now: await now.measure({ limit: 50 }), before: await before.measure({ limit: 50 }) };
    const quiet = { now: await now.measure({ groupId: QUIET_GROUP, limit: 50 }), before: await before.measure({ groupId: QUIET_GROUP, limit: 50 }) };
    const strip = ({ listed: _, ...measure }: ListingMeasure & { listed: string[] }) => measure;
    return {
      events: events.length,
      commands: new Set(events.map((event) => event.command)).size,
      appNewest50: { now: strip(app.now), before: strip(app.before) },
      quietGroupNewest50: { now: strip(quiet.now), before: strip(quiet.before) },
      complete:
        [app.now, app.before].every(({ listed }) => listed.length === 50) && [quiet.now, quiet.before].every(({ listed }) => listed.length === QUIET_EVENTS),
    };
  } finally {
    now.destroy();
    before.destroy();
    base.destroy();
    await server.close();
  }
}

/** Issue 19's targets for listings. */
export const listingTargets = { appQueries: 64, appMs: 150, quietQueries: 8 } as const;

/** The listing rows, each against the second design listing the same events in the same run. */
export function listingRows(result: ListingCostResult): Row[] {
  const { appNewest50: app, quietGroupNewest50: quiet } = result;
  const on = `on ${result.events.toLocaleString('en-US')} events of ${result.commands} commands`;
  const row = (metric: string, unit: Row['unit'], real: number, floor: number, bound: number, issue19: Row['issue19']): Row => ({
    metric,
    unit,
    real,
    floor,
    ratio: real / floor,
    target: `≤ ${bound}${unit === 'ms' ? ' ms' : ''}`,
    met: real <= bound,
    issue19,
  });
  return [
    row(
      `listing: app-wide newest 50 ${on}, Query calls (floor: second design)`,
      'queries',
      app.now.queries,
      app.before.queries,
      listingTargets.appQueries,
      issue19Today.appListingQueries,
    ),
    row(
      `listing: app-wide newest 50 ${on}, in-process, p50 of ${TIMED_RUNS} (floor: second design)`,
      'ms',
      app.now.ms,
      app.before.ms,
      listingTargets.appMs,
      issue19Today.appListingTime,
    ),
    row(
      'listing: quiet group newest 50, Query calls (floor: second design)',
      'queries',
      quiet.now.queries,
      quiet.before.queries,
      listingTargets.quietQueries,
      issue19Today.quietGroupQueries,
    ),
  ];
}
