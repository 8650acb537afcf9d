import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isNewEventImage, storedEventFromImage } from '../store/event-image.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { deltaOf } from './delta.ts';
import type { SourcedPatches, StateWriter } from './state-store.ts';

export interface StreamRecordLog {
  /** DEBUG for each record done (one line per event would flood the log), ERROR for a failure. */
  readonly level: 'DEBUG' | 'ERROR';
  readonly outcome: 'projected' | 'skipped' | 'failed';
  readonly eventId?: string;
  readonly command?: string;
  readonly sequenceNumber?: string;
  readonly entities?: number;
  readonly error?: string;
}

export interface ProjectStreamOptions {
  readonly state: StateWriter;
  readonly log: (record: StreamRecordLog) => void;
}

/** A record the batch projects: its event, its patches, and the id Lambda knows it by. */
interface Projected {
  readonly sequenceNumber: string;
  readonly event: StoredEvent;
  readonly sourced: SourcedPatches;
}

/**
 * The state consumer: the new items of a batch of the events table's stream projected into the state
 * table, in one `apply`, so that a burst to one group or user writes each thing it changed once
 * (dynamodb-state-store.ts). Records are independent (the merge does not care about order), so a
 * failing one is reported alone (partial batch response) and Lambda retries from it, bisecting the
 * batch, then hands it to the on-failure destination; the others are done. Only inserts carry news:
 * a TTL deletion is no change to a group, and the table's derived items (pointers, digests, markers)
 * and the migration's copies are no news either (functions/store/event-image.ts).
 *
 * A function of stream records and nothing else: Lambda calls it with the stream's batches, local
 * mode with records of its own log (docs/synced-view.md#computed).
 */
export function projectStream({ state, log }: ProjectStreamOptions) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failed: string[] = [];
    const fail = (sequenceNumber: string, error: Error, stored?: StoredEvent) => {
      log({ level: 'ERROR', outcome: 'failed', eventId: stored?.eventId, command: stored?.command, sequenceNumber, error: error.message });
      failed.push(sequenceNumber);
    };
    const projected: Projected[] = [];
    for (const [index, record] of event.Records.entries()) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? `#${index}`;
      const image = newImage(record);
      if (image === undefined) {
        log({ level: 'DEBUG', outcome: 'skipped', sequenceNumber });
        continue;
      }
      let stored: StoredEvent | undefined;
      try {
        stored = storedEventFromImage(image);
        projected.push({ sequenceNumber, event: stored, sourced: { source: sequenceNumber, patches: deltaOf(stored) } });
      } catch (error) {
        fail(sequenceNumber, error as Error, stored);
      }
    }
    let failures: ReadonlyMap<string, Error>;
    try {
      failures = new Map((await state.apply(projected.map(({ sourced }) => sourced))).map(({ source, error }) => [source, error]));
    } catch (error) {
      // Nothing was written (the table out of reach): every record is tried again.
      failures = new Map(projected.map(({ sequenceNumber }) => [sequenceNumber, error as Error]));
    }
    for (const { sequenceNumber, event: stored, sourced } of projected) {
      const error = failures.get(sequenceNumber);
      if (error !== undefined) fail(sequenceNumber, error, stored);
      else log({ level: 'DEBUG', outcome: 'projected', eventId: stored.eventId, command: stored.command, sequenceNumber, entities: sourced.patches.length });
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** The record's new item, when it is an insert: anything else (a TTL deletion) is no news. */
const newImage = (record: DynamoDBRecord): Record<string, AttributeValue> | undefined => {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  return record.eventName === 'INSERT' && isNewEventImage(image) ? image : undefined;
};
