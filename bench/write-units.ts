import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbEventStore, documentClient } from '../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { attributes as at } from '../functions/store/events-table.ts';
import { LOCAL_TABLE_NAME, localClient } from '../local/embedded-store.ts';
import { afterEvent } from './after-event.ts';
import { messageBody } from './capacity-model.ts';
import { type DynamoDbKind, startDynamoDb, withDynamoDbLocal } from './dynamodb-servers.ts';
import { issue19Today, type Row } from './report.ts';
import { ensureSecondDesignTable, secondDesignCondition, secondDesignItem } from './second-design-table.ts';

/**
 * Write units measured, not computed: DynamoDB Local reports what each write consumed by DynamoDB's
 * rules, the table and every index apart (`ReturnConsumedCapacity: 'INDEXES'`); dynalite reports
 * the table's units alone. Each realistic body is put through the store's own adapter (functions/store/
 * dynamodb-event-store.ts), then again (Tencent's retry: a failed conditional put, which must store
 * nothing), and as the second key design stored it (second-design-table.ts), the reference, in the
 * same run. bench/write-cost.ts computes the same figures from DynamoDB's sizing rules.
 */

const APP = '1400000000';
const T0 = Date.UTC(2026, 11, 1, 12);
const BODY_BYTES = 1_024;

type Body = Record<string, unknown> & { readonly CallbackCommand: string };

/** A chat text that compresses as people's do (capacity-model.ts `messageBody`'s words). */
const chatText = (JSON.parse(messageBody('@TGS#g', 'u', 7, 4_096)) as { MsgBody: { MsgContent: { Text: string } }[] }).MsgBody[0]!.MsgContent.Text;

/** `make`'s body with its text cut so the whole body is `bytes` long (the texts are ASCII). */
function sized(make: (text: string) => Body, bytes = BODY_BYTES): Body {
  const bare = Buffer.byteLength(JSON.stringify(make('')));
  return make(chatText.slice(0, Math.max(0, bytes - bare)));
}

const textElement = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const groupMessage = (GroupId: string, Type: string) => (text: string) => ({
  CallbackCommand: 'Group.CallbackAfterSendMsg',
  GroupId,
  Type,
  From_Account: 'user12345',
  Operator_Account: 'user12345',
  Random: 93_471_612,
  MsgSeq: 1_207,
  MsgTime: T0 / 1000,
  OnlineOnlyFlag: 0,
  MsgBody: textElement(text),
  EventTime: T0,
});

/** Tencent's bodies (docs/protocol.md), 1 KB where they carry a text; the first is the issue's "1 KB message". */
export const realisticBodies: readonly { readonly name: string; readonly body: Body }[] = [
  { name: '1 KB message in a live room', body: sized(groupMessage('@TGS#aLIVEROOM01', 'AVChatRoom')) },
  { name: '1 KB message in a work group', body: sized(groupMessage('@TGS#2WORKGROUP', 'Public')) },
  {
    name: '1 KB one-to-one message',
    body: sized((text) => ({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: 'user12345',
      To_Account: 'user67890',
      MsgSeq: 48_213,
      MsgRandom: 2_837_465,
      MsgTime: T0 / 1000,
      MsgKey: '48213_2837465_1764590400',
      OnlineOnlyFlag: 0,
      MsgBody: textElement(text),
      CloudCustomData: '',
      EventTime: T0,
    })),
  },
  {
    name: 'three members joining a group',
    body: {
      CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
      GroupId: '@TGS#2WORKGROUP',
      Type: 'Public',
      JoinType: 'Invited',
      Operator_Account: 'user12345',
      NewMemberList: ['user1', 'user2', 'user3'].map((Member_Account) => ({ Member_Account })),
      EventTime: T0,
    },
  },
  {
    name: 'a presence change',
    body: { CallbackCommand: 'State.StateChange', EventTime: T0, Info: { Action: 'Login', To_Account: 'user12345', Reason: 'Register' } },
  },
];

interface Consumed {
  readonly table: number;
  /** Units per index, by name. */
  readonly indexes: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface WriteUnits {
  readonly name: string;
  readonly bodyBytes: number;
  /** The current design: the store's put, its item and `byActor` entry. */
  readonly now: Consumed;
  /** The second design: the item and its `bySubject` and `byApp` entries. */
  readonly before: Consumed;
  /** The same delivery again: the store answered duplicate, and the item is the first one, unchanged. */
  readonly retryStoredNothing: boolean;
}

export interface WriteUnitsResult {
  readonly engine: DynamoDbKind;
  readonly bodies: readonly WriteUnits[];
}

/** Asks every write for its consumed capacity by index and keeps the last answer's. */
function consumedCapacity(client: DynamoDBClient) {
  let last: Consumed | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (input.Item !== undefined) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const consumed = (
        result.output as {
          ConsumedCapacity?: {
            CapacityUnits?: number;
            Table?: { CapacityUnits?: number };
            GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
          };
        }
      ).ConsumedCapacity;
      if (consumed !== undefined) {
        const indexes = Object.fromEntries(Object.entries(consumed.GlobalSecondaryIndexes ?? {}).map(([name, units]) => [name, units.CapacityUnits ?? 0]));
        last = { table: consumed.Table?.CapacityUnits ?? 0, indexes, total: consumed.CapacityUnits ?? 0 };
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return {
    take(): Consumed {
      if (last === undefined) throw new Error('DynamoDB reported no consumed capacity for the write');
      const taken = last;
      last = undefined;
      return taken;
    },
  };
}

const SECOND_DESIGN_TABLE = 'bench-second-design';

/**
 * Each realistic body written once in each design, and once more in the current one, on DynamoDB Local
 * (started for the call unless a run already has one), or on dynalite, which reports the table's units
 * but none for the indexes (test/integration/store/write-units.test.ts checks both).
 */
export function measureWriteUnits(kind: DynamoDbKind = 'dynamodb-local'): Promise<WriteUnitsResult> {
  const measure = async (): Promise<WriteUnitsResult> => {
    const server = await startDynamoDb(kind);
    const base = localClient(server.endpoint);
    try {
      const capacity = consumedCapacity(base);
      const client = documentClient(base);
      await ensureSecondDesignTable(base, SECOND_DESIGN_TABLE);
      const store = new DynamoDbEventStore(client, LOCAL_TABLE_NAME);
      const bodies: WriteUnits[] = [];
      for (const [n, { name, body }] of realisticBodies.entries()) {
        const event: StoredEvent = afterEvent(APP, body, T0 + 120 + n);
        const first = await store.put(event);
        if (first.outcome !== 'stored') throw new Error(`${name}: the store answered ${first.outcome}, not stored`);
        const now = capacity.take();
        const key = { [at.partition]: { S: first.key.partitionKey }, [at.sort]: { S: first.key.sortKey } };
        const stored = await base.send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: key, ConsistentRead: true }));
        const retry = await store.put({ ...event, receivedAt: event.receivedAt + 5_000 });
        const after = await base.send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: key, ConsistentRead: true }));
        await client.send(new PutCommand({ TableName: SECOND_DESIGN_TABLE, Item: secondDesignItem(event), ...secondDesignCondition }));
        bodies.push({
          name,
          bodyBytes: Buffer.byteLength(event.payload),
          now,
          before: capacity.take(),
          retryStoredNothing: retry.outcome === 'duplicate' && JSON.stringify(after.Item) === JSON.stringify(stored.Item),
        });
      }
      return { engine: kind, bodies };
    } finally {
      base.destroy();
      await server.close();
    }
  };
  return kind === 'dynamodb-local' ? withDynamoDbLocal(measure) : measure();
}

/** The runs as lines of their own: each body's units, the table's and each index's. */
export function formatWriteUnits(result: WriteUnitsResult): string {
  const parts = (consumed: Consumed) =>
    `${consumed.total} (table ${consumed.table}${Object.entries(consumed.indexes)
      .map(([name, units]) => `, ${name} ${units}`)
      .join('')})`;
  return [
    'Write units per stored event, as DynamoDB Local reports them (ReturnConsumedCapacity INDEXES), now and in the second design:',
    ...result.bodies.map(
      (body) =>
        `  ${body.name} (${body.bodyBytes} B body): ${parts(body.now)}; second design ${parts(body.before)}; the retry ${body.retryStoredNothing ? 'stored nothing' : 'CHANGED THE TABLE'}`,
    ),
  ].join('\n');
}

/** Issue 19's target: write units for a 1 KB message, the table and every index. */
export const WRITE_UNITS_TARGET = 2;

/** The 1 KB message's row (the first body), against the second design writing it in the same run. */
export function writeUnitsRows(result: WriteUnitsResult): Row[] {
  const [message] = result.bodies;
  if (message === undefined) return [];
  return [
    {
      metric: `write units, ${message.name}, table and indexes, DynamoDB Local (floor: second design)`,
      unit: 'units',
      real: message.now.total,
      floor: message.before.total,
      ratio: message.now.total / message.before.total,
      target: `≤ ${WRITE_UNITS_TARGET}`,
      met: message.now.total <= WRITE_UNITS_TARGET,
      issue19: issue19Today.writeUnits,
    },
  ];
}
