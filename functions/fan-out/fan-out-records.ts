import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isNewEventImage, storedEventFromImage } from '../store/event-image.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { EntryPublisher } from './entry-publisher.ts';
import { eventEntry } from './event-entry.ts';

export type FanOutCount = 'published' | 'failedEntries' | 'bodiesOmitted' | 'indexedItems' | 'indexFailures';

export interface FanOutRecordsOptions {
  readonly publisher: Pick<EntryPublisher, 'publish'>;
  readonly eventBusName: string;
  /** Counts what happened to the batch's entries, for the metrics. */
  readonly count: (what: FanOutCount, n?: number) => void;
  /** Told of each record that failed, with its sequence number. */
  readonly logFailure: (record: { sequenceNumber?: string; eventId?: string; error: string }) => void;
  /**
   * The indexer stage (index-records.ts), run on the whole batch before anything is published: the
   * app-wide and per-command listings, and the pointers, follow the stream through it. Default: none.
   */
  readonly index?: (records: readonly DynamoDBRecord[]) => Promise<{ readonly items: number }>;
  /** Told when the indexer stage failed a batch, which the stream then tries again. */
  readonly logIndexFailure?: (failure: { records: number; error: string }) => void;
}

/** The event a stream record's new image holds: the item as the receiver wrote it. */
const storedEventOf = (record: DynamoDBRecord): StoredEvent => storedEventFromImage(record.dynamodb!.NewImage as Record<string, AttributeValue>);

/**
 * The stream's consumer: each new item as an event on the bus. Only INSERTs are news (the mapping's
 * filter lets nothing else through, and this checks again): the receiver never updates an item, and
 * a REMOVE is the TTL expiring an old one. Powertools' BatchProcessor reports the records that failed
 * by sequence number, so the stream retries from the first of them: records after it that were
 * already published are published again. Delivery is at least once; consumers dedupe by `eventId`.
 * The canary's messages (`canary: true`) are not published.
 */
export function fanOutRecords(options: FanOutRecordsOptions) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  async function publishRecord(record: DynamoDBRecord): Promise<void> {
    if (record.eventName !== 'INSERT' || !isNewEventImage(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined)) return;
    let eventId: string | undefined;
    try {
      const event = storedEventOf(record);
      eventId = event.eventId;
      // The canary's own message is not news for anyone's rules (docs/production.md#canary).
      if (event.canary) return;
      const { entry, bodyOmitted } = eventEntry(event, options.eventBusName);
      if (bodyOmitted) options.count('bodiesOmitted');
      await options.publisher.publish(entry);
      options.count('published');
    } catch (error) {
      options.count('failedEntries');
      options.logFailure({ sequenceNumber: record.dynamodb?.SequenceNumber, eventId, error: (error as Error).message });
      throw error;
    }
  }

  return async function fanOutHandler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
    if (options.index !== undefined) {
      // Indexed before published: a batch the indexer fails is thrown whole, so Lambda retries it
      // (bisected), and nothing of it reaches the bus before its derived items are in the table.
      try {
        options.count('indexedItems', (await options.index(event.Records)).items);
      } catch (error) {
        options.count('indexFailures');
        options.logIndexFailure?.({ records: event.Records.length, error: (error as Error).message });
        throw error;
      }
    }
    // A batch that fails whole throws, so Lambda counts an error, bisects it and retries.
    return processPartialResponse(event, publishRecord, processor, { context }) as Promise<DynamoDBBatchResponse>;
  };
}
