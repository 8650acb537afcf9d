import { setTimeout as sleep } from 'node:timers/promises';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { indexRecords } from '../functions/fan-out/index-records.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../functions/store/actor-heat.ts';
import { DynamoDbDerivedItemWriter } from '../functions/store/derived-item-writer.ts';
import { streamRecordOf } from '../functions/store/event-image.ts';
import type { KeyRules } from '../functions/store/event-keys.ts';
import { attributes as at, SINGLE_SORT } from '../functions/store/events-table.ts';
import { scanEventItems } from '../functions/store/read/scan-events.ts';
import type { StoredEventListener } from './notifying-store.ts';

/** Records indexed together at most: a stream batch's size in AWS. */
const MAX_BATCH = 100;
/** How long the first record of a batch waits for others: short, so a listing finds an event at once. */
const BATCH_WINDOW_MS = 20;
/** Tries of one batch while running: about 40 s in all, as long as a store restart takes. */
const RETRIES = 12;
const delayMs = (attempt: number) => Math.min(100 * 2 ** attempt, 5_000);
/** The events indexed before a crash may not all have been flushed: the catch-up goes back this far behind the mark. */
const CATCH_UP_MARGIN_MS = 5_000;
/** Where the indexer notes how far it got, in the events table (no body: no consumer reads it). */
const WATERMARK_KEY = { [at.partition]: 'indexer#local', [at.sort]: SINGLE_SORT };

export interface LocalIndexer {
  /** For notifyingStore: each newly stored event is indexed, off the callback's path. */
  readonly listener: StoredEventListener;
  /** Indexes again what a crash may have left unindexed: events that arrived since the mark (minus a margin). */
  catchUp(): Promise<number>;
  /** Resolves once every event handed over so far is indexed (or reported missed). */
  idle(): Promise<void>;
  /** Stops waiting between tries: what is queued gets one last try, then idle() resolves. */
  close(): Promise<void>;
}

export interface LocalIndexerOptions {
  readonly rules?: KeyRules;
  readonly log?: (message: string) => void;
}

/**
 * Local mode's indexer (docs/local.md): the fan-out consumer's indexer stage
 * (functions/fan-out/index-records.ts), run on stream records made from what the store took, since
 * dynalite has no stream. For now it listens to the store (notifyingStore); once local mode's durable
 * log of stream records lands, that log runs `index(records)` itself and `listener` goes (one line in
 * local-server.ts). Batches of up to 100, gathered for 20 ms, one at a time; a failed batch is tried
 * again as the stream would; after each batch it notes the newest arrival it indexed, and at start
 * indexes again what came after the note (duplicate digest entries are dropped by listings).
 */
export function localIndexer(client: DynamoDBDocumentClient, tableName: string, options: LocalIndexerOptions = {}): LocalIndexer {
  const log = options.log ?? console.error;
  const index = indexRecords({
    writer: new DynamoDbDerivedItemWriter(client, tableName),
    rules: options.rules,
    heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
  });
  const source = `local:${tableName}:${Date.now()}`;
  let sequence = 0;
  const position = () => ({ source, sequenceNumber: String(++sequence).padStart(12, '0') });
  const closing = new AbortController();
  let queue: { record: DynamoDBRecord; receivedAt: number }[] = [];
  let running: Promise<void> | undefined;

  const note = async (receivedAt: number) => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: WATERMARK_KEY }));
    if (typeof Item?.[at.mark] === 'number' && (Item[at.mark] as number) >= receivedAt) return;
    await client.send(new PutCommand({ TableName: tableName, Item: { ...WATERMARK_KEY, [at.mark]: receivedAt } }));
  };

  const indexBatch = async (batch: { record: DynamoDBRecord; receivedAt: number }[]) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await index(batch.map((entry) => entry.record));
        await note(Math.max(...batch.map((entry) => entry.receivedAt)));
        return;
      } catch (error) {
        if (attempt >= RETRIES || closing.signal.aborted) throw error;
        await sleep(delayMs(attempt), undefined, { signal: closing.signal }).catch(() => undefined);
      }
    }
  };

  const drain = async () => {
    if (!closing.signal.aborted) await sleep(BATCH_WINDOW_MS);
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      await indexBatch(batch).catch((error: Error) =>
        log(`The indexer missed ${batch.length} events (app-wide listings and pointers lag): ${error.message}; npm run events -- --reindex repairs it`),
      );
    }
  };
  const kick = () => {
    running ??= drain().finally(() => {
      running = undefined;
      if (queue.length > 0) kick();
    });
  };

  return {
    listener(event, key) {
      queue.push({ record: streamRecordOf(event, key, position()), receivedAt: event.receivedAt });
      kick();
    },
    async catchUp() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: WATERMARK_KEY }));
      const since = typeof Item?.[at.mark] === 'number' ? (Item[at.mark] as number) - CATCH_UP_MARGIN_MS : 0;
      let indexed = 0;
      for await (const items of scanEventItems(client, tableName, { receivedSince: since, withoutCopies: true })) {
        for (let i = 0; i < items.length; i += MAX_BATCH) {
          const batch = items.slice(i, i + MAX_BATCH).map((item) => ({
            record: {
              eventName: 'INSERT' as const,
              eventSourceARN: source,
              dynamodb: { NewImage: marshall(item) as never, SequenceNumber: position().sequenceNumber },
            },
            receivedAt: item[at.receivedAt] as number,
          }));
          await indexBatch(batch);
          indexed += batch.length;
        }
      }
      return indexed;
    },
    async idle() {
      while (running !== undefined) await running;
    },
    async close() {
      closing.abort();
      while (running !== undefined) await running;
    },
  };
}
