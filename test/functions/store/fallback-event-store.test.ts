import { type AddressInfo, createServer, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDbEventStore, documentClient } from '../../../functions/store/dynamodb-event-store.ts';
import { eventIdOf } from '../../../functions/store/event-id.ts';
import { eventKeyOf } from '../../../functions/store/event-keys.ts';
import type { EventFallback, EventKey, StoredEvent } from '../../../functions/store/event-store.ts';
import { FallbackEventStore } from '../../../functions/store/fallback-event-store.ts';
import { type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from '../../../local/embedded-store.ts';

const event = (name: string): StoredEvent => {
  const payload = JSON.stringify({ CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: name });
  return {
    eventId: eventIdOf('1400000000', 'Group.CallbackAfterGroupFull', payload),
    command: 'Group.CallbackAfterGroupFull',
    kind: 'unregistered',
    sdkAppId: '1400000000',
    receivedAt: 1_700_000_000_000,
    payload,
    valid: true,
    expiresAt: 1_800_000_000,
  };
};

/** A fallback that keeps what it is given, or refuses, like a queue that is up or down. */
const fallback = (up: boolean) => {
  const kept: StoredEvent[] = [];
  const keys: (EventKey | undefined)[] = [];
  const keep: EventFallback['keep'] = async (stored, key) => {
    if (!up) throw new Error('queue unreachable');
    kept.push(stored);
    keys.push(key);
  };
  return { kept, keys, keep };
};

let embedded: EmbeddedStore;
let table: DynamoDbEventStore;
beforeAll(async () => {
  embedded = await startEmbeddedStore({ port: 0 });
  table = new DynamoDbEventStore(embedded.client, LOCAL_TABLE_NAME);
});
afterAll(() => embedded.close());

/** A budget no write to the embedded store overruns, however busy the machine: only the tests of the budget itself use a short one. */
const AMPLE_BUDGET_MS = 10_000;

describe('FallbackEventStore', () => {
  test('stores in the table when it answers in time, and says duplicate the second time', async () => {
    const queue = fallback(true);
    const events = new FallbackEventStore({ store: table, fallback: queue, writeBudgetMs: AMPLE_BUDGET_MS });
    expect(await events.keep(event('in time'))).toBe('stored');
    expect(await events.keep(event('in time'))).toBe('duplicate');
    expect(queue.kept).toEqual([]);
  });

  test('hands the event to the fallback when the table fails', async () => {
    const queue = fallback(true);
    const failing = { keyOf: (stored: StoredEvent) => eventKeyOf(stored), put: () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    expect(await new FallbackEventStore({ store: failing, fallback: queue, writeBudgetMs: AMPLE_BUDGET_MS }).keep(event('throttled'))).toBe('queued');
    expect(queue.kept).toEqual([event('throttled')]);
    // The key the table's attempt computed travels with it: the drain writes exactly there.
    expect(queue.keys).toEqual([eventKeyOf(event('throttled'))]);
  });

  test('gives the table no more than its budget: the write is aborted and the fallback takes over', async () => {
    const queue = fallback(true);
    let aborted = false;
    const slow = {
      keyOf: (stored: StoredEvent) => eventKeyOf(stored),
      put: (_event: StoredEvent, { signal }: { signal?: AbortSignal } = {}) =>
        new Promise<never>((_resolve, reject) =>
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    };
    expect(await new FallbackEventStore({ store: slow, fallback: queue, writeBudgetMs: 20 }).keep(event('slow'))).toBe('queued');
    expect(aborted).toBe(true);
    expect(queue.kept).toHaveLength(1);
  });

  test('passes the budget to the real table as an abort signal: an SDK call that gets no answer is given up', async () => {
    // A DynamoDB endpoint that takes the request and never answers: the budget surely runs out,
    // whatever the machine's speed (an answer in time from a real store would make it `stored`).
    const sockets = new Set<Socket>();
    let requests = 0;
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => (requests += 1));
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
    const client = documentClient(
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    try {
      const queue = fallback(true);
      const store = new DynamoDbEventStore(client, LOCAL_TABLE_NAME);
      // keep() awaits the put alone: without the signal the SDK would wait for the answer for ever.
      expect(await new FallbackEventStore({ store, fallback: queue, writeBudgetMs: 50 }).keep(event('aborted'))).toBe('queued');
      expect(queue.kept).toHaveLength(1);
      // The put was sent (and not answered): the table, not a check before it, took the budget.
      expect(requests).toBe(1);
    } finally {
      client.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => silent.close(closed));
    }
  });

  test('rejects, naming the event and both causes, when neither takes it', async () => {
    const failing = { keyOf: (stored: StoredEvent) => eventKeyOf(stored), put: () => Promise.reject(new Error('table down')) };
    const attempt = new FallbackEventStore({ store: failing, fallback: fallback(false), writeBudgetMs: AMPLE_BUDGET_MS }).keep(event('lost'));
    await expect(attempt).rejects.toThrow(`event ${event('lost').eventId}: neither the table nor the fallback took it`);
    await expect(attempt).rejects.toMatchObject({ errors: [new Error('table down'), new Error('queue unreachable')] });
  });

  test('checks its options up front', () => {
    expect(() => new FallbackEventStore({ store: table, fallback: fallback(true), writeBudgetMs: 0 })).toThrow(/writeBudgetMs/);
  });
});
