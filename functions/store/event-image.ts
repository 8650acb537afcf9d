import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import * as v from 'valibot';
import { eventOf, itemOf } from './event-item.ts';
import type { StoredEvent, WrittenKey } from './event-store.ts';
import { attributes as at } from './events-table.ts';
import { StoredEventSchema } from './stored-event-schema.ts';

type Image = Record<string, AttributeValue>;
type LambdaImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/**
 * Whether a stream record's new image is news for the table's consumers: an event (only events have a
 * body), and not one the migration copied (`m`), which the old table's stream already published. The
 * mappings' filters say the same (infra/stream-consumer.ts, `eventImageFilter`); this checks again,
 * because filters are configuration. Pointers, digests, markers and progress items are none of it.
 */
export const isNewEventImage = (image: Image | undefined): image is Image => image?.[at.body]?.B !== undefined && image[at.mark]?.BOOL !== true;

/**
 * A stored event from an events-table item as DynamoDB Streams carries it (the record's NewImage),
 * checked like a fallback's message: a damaged image fails on its own. The table's keys are read back
 * into the event (event-item.ts), so readers see the event, not the table's layout: both stream
 * consumers read images through this.
 */
export function storedEventFromImage(image: Image): StoredEvent {
  return v.parse(StoredEventSchema, eventOf(unmarshall(image)));
}

/** A stream's position for records made outside DynamoDB Streams (local mode): unique, so each batch's digest items are its own. */
export interface StreamPosition {
  readonly source: string;
  readonly sequenceNumber: string;
}

/**
 * The stream record DynamoDB Streams carries for a new event item (`INSERT`, NEW_IMAGE), made from the
 * event and the keys its put wrote (put's `key`): for local mode, where a store's listeners (and the
 * stream helper's log) stand in for the table's stream. The image is the item the put wrote
 * (event-item.ts), so the consumers' code reads it exactly as it reads the real stream's.
 */
export function streamRecordOf(event: StoredEvent, key: WrittenKey, position: StreamPosition): DynamoDBRecord {
  return streamRecordOfItem(itemOf(event, key), position);
}

/** The same for an event item read from the table (the reindex: functions/store/reindex-events.ts). */
export function streamRecordOfItem(item: Record<string, unknown>, position: StreamPosition): DynamoDBRecord {
  return {
    eventID: position.sequenceNumber,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    eventSourceARN: position.source,
    dynamodb: {
      // The SDK's AttributeValue and aws-lambda's describe the same JSON.
      Keys: marshall({ [at.partition]: item[at.partition], [at.sort]: item[at.sort] }) as unknown as LambdaImage,
      NewImage: marshall(item, { removeUndefinedValues: true }) as unknown as LambdaImage,
      SequenceNumber: position.sequenceNumber,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}
