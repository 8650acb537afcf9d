import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isNewEventImage, storedEventFromImage } from '../store/event-image.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { deltaOf } from './delta.ts';
import type { StateStore } from './state-store.ts';

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
  readonly state: StateStore;
  readonly log: (record: StreamRecordLog) => void;
}

/**
 * The state consumer: each new item of the events table's stream is projected into the state table.
 * Records are independent (the merge does not care about order), so a failing one is reported alone
 * (partial batch response) and Lambda retries from it, bisecting the batch, then hands it to the
 * on-failure destination; the others are done. Only inserted events carry news: a TTL deletion is no
 * change to a group, and the table's derived items (functions/store/event-image.ts) are none.
 */
export function projectStream({ state, log }: ProjectStreamOptions) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const project = async (record: DynamoDBRecord) => {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    const image = record.dynamodb?.NewImage;
    // Only new events: not the table's other items (pointers, digests, markers) nor the migration's copies.
    if (record.eventName !== 'INSERT' || !isNewEventImage(image as Record<string, AttributeValue> | undefined)) {
      log({ level: 'DEBUG', outcome: 'skipped', sequenceNumber });
      return;
    }
    let event: StoredEvent | undefined;
    try {
      event = storedEventFromImage(image as unknown as Record<string, AttributeValue>);
      const patches = deltaOf(event);
      await state.apply(patches);
      log({ level: 'DEBUG', outcome: 'projected', eventId: event.eventId, command: event.command, sequenceNumber, entities: patches.length });
    } catch (error) {
      log({ level: 'ERROR', outcome: 'failed', eventId: event?.eventId, command: event?.command, sequenceNumber, error: (error as Error).message });
      throw error;
    }
  };
  return (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, project, processor, { context, throwOnFullBatchFailure: false });
}
