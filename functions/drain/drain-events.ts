import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { EventStore } from '../store/event-store.ts';
import { parseStoredEvent } from '../store/stored-event-schema.ts';

export interface DrainRecord {
  readonly level: 'INFO' | 'ERROR';
  readonly outcome: 'stored' | 'duplicate' | 'failed';
  readonly eventId?: string;
  readonly messageId: string;
  readonly error?: string;
}

export interface DrainEventsOptions {
  /** The table, written with the callback's own idempotent put. */
  readonly store: EventStore;
  /** One record per message. */
  readonly log: (record: DrainRecord) => void;
}

/**
 * Drains the fallback queue into the table. A message that fails is reported back on its own
 * (partial batch response), so SQS retries it and, after its last try, moves it to the dead-letter
 * queue; the rest of the batch is done.
 */
export function drainEvents({ store, log }: DrainEventsOptions) {
  return async function drainEventsHandler(event: SQSEvent): Promise<SQSBatchResponse> {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records) {
      let eventId: string | undefined;
      try {
        const stored = parseStoredEvent(message.body);
        eventId = stored.eventId;
        log({ level: 'INFO', outcome: await store.put(stored), eventId, messageId: message.messageId });
      } catch (error) {
        batchItemFailures.push({ itemIdentifier: message.messageId });
        log({ level: 'ERROR', outcome: 'failed', eventId, messageId: message.messageId, error: (error as Error).message });
      }
    }
    return { batchItemFailures };
  };
}
