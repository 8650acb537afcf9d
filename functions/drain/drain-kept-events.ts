import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EventKey, EventStore, PutOutcome, StoredEvent } from '../store/event-store.ts';
import { parseKeptEvent } from '../store/kept-event.ts';

/**
 * An event a fallback kept, as it kept it (functions/store/kept-event.ts), with an id of its own. An SQS
 * message (its messageId and body) in AWS; a spool line (its place in the file, and the line) locally.
 */
export type KeptMessage = Pick<SQSRecord, 'messageId' | 'body'>;

/**
 * What became of one kept event: stored or found already there (a retry, a repeated replay); not
 * readable (a damaged message, a line torn by a crash mid-append); or not written, because the store
 * failed (`failed`) or had failed on an earlier one (`put-back`, untried).
 */
export type DrainOutcome = PutOutcome | 'unreadable' | 'failed' | 'put-back';

export interface DrainRecord {
  readonly level: 'INFO' | 'ERROR';
  readonly outcome: DrainOutcome;
  readonly eventId?: string;
  readonly messageId: string;
  readonly error?: string;
}

export interface DrainKeptEventsOptions {
  /** The table, written with the callback's own idempotent put. */
  readonly store: EventStore;
  /** One record per kept event. */
  readonly log: (record: DrainRecord) => void;
  /** How long each write may take, in ms (settings.ts, writeBudgetMs); without one, what the store's client allows. */
  readonly writeBudgetMs?: number;
  /**
   * After a write fails: `try-each` goes on with the next (SQS: a message the table refuses must not
   * hold the others back); `put-back` gives the rest back untried (the spool: its one local store is
   * down for all of them, and each would wait out its budget in vain).
   */
  readonly afterFailure: 'try-each' | 'put-back';
}

export interface DrainReport extends SQSBatchResponse {
  /** What became of each kept event, by its messageId. */
  readonly outcomes: ReadonlyMap<string, DrainOutcome>;
}

class DrainFailure extends Error {}

/**
 * The one drain of both fallbacks (functions/drain/handler.ts for the SQS queue, local/event-spool.ts
 * for the spool): each kept event is read back, checked (stored-event-schema.ts) and put through the
 * idempotent store, one after another, each on its own. Powertools' BatchProcessor reports the ones
 * that failed (`batchItemFailures`), for SQS to retry and then dead-letter, or the spool to keep.
 */
export function drainKeptEvents({ store, log, writeBudgetMs, afterFailure }: DrainKeptEventsOptions) {
  return async function drain(messages: readonly KeptMessage[], context?: Context): Promise<DrainReport> {
    const outcomes = new Map<string, DrainOutcome>();
    let storeFailed = false;
    const fail = (message: KeptMessage, outcome: DrainOutcome, error: string, eventId?: string): never => {
      outcomes.set(message.messageId, outcome);
      log({ level: 'ERROR', outcome, eventId, messageId: message.messageId, error });
      throw new DrainFailure(error);
    };

    async function drainOne(message: KeptMessage): Promise<void> {
      let event: StoredEvent;
      let key: EventKey | undefined;
      try {
        ({ event, key } = parseKeptEvent(message.body));
      } catch (error) {
        return fail(message, 'unreadable', (error as Error).message);
      }
      if (storeFailed && afterFailure === 'put-back') return fail(message, 'put-back', 'an earlier write failed', event.eventId);
      try {
        // At the key the callback's attempt computed, when the message carries it (kept-event.ts).
        const { outcome } = await store.put(event, { key, ...(writeBudgetMs === undefined ? {} : { signal: AbortSignal.timeout(writeBudgetMs) }) });
        outcomes.set(message.messageId, outcome);
        log({ level: 'INFO', outcome, eventId: event.eventId, messageId: message.messageId });
      } catch (error) {
        storeFailed = true;
        fail(message, 'failed', (error as Error).message, event.eventId);
      }
    }

    // One at a time, in order: `put-back` needs to know of an earlier failure, and a backlog should
    // not take the table's capacity from live callbacks. A batch that fails whole is still answered
    // (every item a failure), not thrown: that is what it is.
    const { batchItemFailures } = await processPartialResponse({ Records: messages } as SQSEvent, drainOne, new BatchProcessor(EventType.SQS), {
      ...(context === undefined ? {} : { context }),
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
    return { batchItemFailures, outcomes };
  };
}
