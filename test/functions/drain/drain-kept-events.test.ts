import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type DrainRecord, drainKeptEvents } from '../../../functions/drain/drain-kept-events.ts';
import { DynamoDbEventStore } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventStore, StoredEvent } from '../../../functions/store/event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';

/** The one drain of the SQS queue and the spool, on a real DynamoDB API (dynalite). */
const event = (n: number): StoredEvent => {
  const payload = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', GroupId: `@TGS#drain${n}` });
  return {
    eventId: eventIdOf('1400000000', 'Group.CallbackAfterGroupInfoChanged', payload),
    command: 'Group.CallbackAfterGroupInfoChanged',
    kind: 'after',
    sdkAppId: '1400000000',
    groupId: `@TGS#drain${n}`,
    receivedAt: 1_700_000_000_000 + n,
    payload,
    valid: true,
    expiresAt: 1_800_000_000,
  };
};
const kept = (messageId: string, body: StoredEvent | string) => ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body) });

let embedded: EmbeddedStore;
let table: DynamoDbEventStore;
beforeAll(async () => {
  embedded = await startEmbeddedStore({ port: 0 });
  table = new DynamoDbEventStore(embedded.client, LOCAL_TABLE_NAME);
});
afterAll(() => embedded.close());

/** A table that takes every event but one id: a refusal of that event alone (an item it will never take). */
const refusing = (eventId: string): EventStore => ({
  keyOf: (event) => eventKeyOf(event),
  put: (stored, options) => (stored.eventId === eventId ? Promise.reject(new Error('ValidationException')) : table.put(stored, options)),
});

describe('drainKeptEvents', () => {
  test('stores each kept event once: a second drain of the same finds them there', async () => {
    const records: DrainRecord[] = [];
    const drain = drainKeptEvents({ store: table, log: (record) => records.push(record), afterFailure: 'try-each' });
    const messages = [kept('a', event(1)), kept('b', event(2))];
    expect(await drain(messages)).toEqual({
      batchItemFailures: [],
      outcomes: new Map([
        ['a', 'stored'],
        ['b', 'stored'],
      ]),
    });
    expect((await drain(messages)).outcomes).toEqual(
      new Map([
        ['a', 'duplicate'],
        ['b', 'duplicate'],
      ]),
    );
    expect(records.map((record) => [record.level, record.outcome, record.eventId])).toEqual([
      ['INFO', 'stored', event(1).eventId],
      ['INFO', 'stored', event(2).eventId],
      ['INFO', 'duplicate', event(1).eventId],
      ['INFO', 'duplicate', event(2).eventId],
    ]);
  });

  test('reports a damaged or refused event alone, and goes on with the rest (SQS)', async () => {
    const records: DrainRecord[] = [];
    const drain = drainKeptEvents({ store: refusing(event(4).eventId), log: (record) => records.push(record), afterFailure: 'try-each' });
    const report = await drain([kept('damaged', '{"eventId":"not an id"}'), kept('garbled', 'not json'), kept('refused', event(4)), kept('fine', event(5))]);
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: 'damaged' }, { itemIdentifier: 'garbled' }, { itemIdentifier: 'refused' }]);
    expect([...report.outcomes]).toEqual([
      ['damaged', 'unreadable'],
      ['garbled', 'unreadable'],
      ['refused', 'failed'],
      ['fine', 'stored'],
    ]);
    expect(records.find((record) => record.messageId === 'refused')).toMatchObject({ level: 'ERROR', eventId: event(4).eventId, error: 'ValidationException' });
  });

  test('after a failed write, gives the rest back untried (the spool), still reading each', async () => {
    let tries = 0;
    const down: EventStore = {
      keyOf: (event) => eventKeyOf(event),
      put: () => {
        tries += 1;
        return Promise.reject(new Error('connect ECONNREFUSED'));
      },
    };
    const drain = drainKeptEvents({ store: down, log: () => undefined, afterFailure: 'put-back' });
    const report = await drain([kept('1', event(6)), kept('2', event(7)), kept('torn', '{"eventId":'), kept('3', event(8))]);
    expect([...report.outcomes]).toEqual([
      ['1', 'failed'],
      ['2', 'put-back'],
      ['torn', 'unreadable'],
      ['3', 'put-back'],
    ]);
    expect(tries).toBe(1);
    // A batch that fails whole is answered, every item a failure, not thrown.
    expect(report.batchItemFailures).toHaveLength(4);
  });

  test('gives each write its budget, when it has one', async () => {
    const hanging: EventStore = {
      keyOf: (event) => eventKeyOf(event),
      put: (_event, { signal } = {}) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    };
    const drain = drainKeptEvents({ store: hanging, log: () => undefined, writeBudgetMs: 1, afterFailure: 'try-each' });
    expect((await drain([kept('slow', event(9))])).outcomes.get('slow')).toBe('failed');
  });

  test('drains nothing from nothing', async () => {
    const drain = drainKeptEvents({ store: table, log: () => undefined, afterFailure: 'try-each' });
    expect(await drain([])).toEqual({ batchItemFailures: [], outcomes: new Map() });
  });
});
