import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ActorHeat } from '../store/actor-heat.ts';
import type { DerivedItemWriter } from '../store/derived-item-writer.ts';
import { derivedItems } from '../store/derived-items.ts';
import { isNewEventImage } from '../store/event-image.ts';
import type { KeyRules } from '../store/event-keys.ts';

export interface IndexRecordsOptions {
  readonly writer: DerivedItemWriter;
  readonly rules?: KeyRules;
  /** The indexer's own view of which accounts are named fast (a whole-traffic threshold). */
  readonly heat?: ActorHeat;
}

export interface IndexCounts {
  /** Event records indexed. */
  readonly events: number;
  /** Pointer and digest items written. */
  readonly items: number;
  /** Event images that could not be read: the publishing stage fails their records on their own. */
  readonly unreadable: number;
}

/**
 * The indexer: the stage of the stream consumer that runs before publishing (docs/key-design.md#the-indexer).
 * It writes the batch's derived items (pointers for the accounts and groups an event names beyond its
 * own keys, digest entries for the app-wide and per-command listings) through `writer`, once for the
 * whole batch. A failure rejects, and the stream tries the batch again (bisected): the items are keyed
 * so that doing it again is harmless. It reads only new events, as the publishing stage does.
 *
 * A function of stream records: the fan-out's Lambda runs it on the table's stream, local mode on the
 * records its store hands over (local/local-indexer.ts).
 */
export function indexRecords(options: IndexRecordsOptions) {
  return async function index(records: readonly DynamoDBRecord[]): Promise<IndexCounts> {
    const events = records.filter(
      (record) => record.eventName === 'INSERT' && isNewEventImage(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined),
    );
    if (events.length === 0) return { events: 0, items: 0, unreadable: 0 };
    // The batch's identity: the same records give the same digest items when the batch is tried again.
    const first = events[0]!;
    const chunk = `${first.eventSourceARN ?? ''}\n${first.dynamodb?.SequenceNumber ?? ''}`;
    const images = events.map((record) => unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>));
    const derived = derivedItems(images, chunk, { rules: options.rules, heat: options.heat });
    await options.writer.write(derived);
    return { events: events.length, items: derived.pointers.length + derived.digests.length, unreadable: derived.unreadable };
  };
}
