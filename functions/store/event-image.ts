import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as v from 'valibot';
import type { StoredEvent } from './event-store.ts';
import { eventOf } from './events-table.ts';
import { StoredEventSchema } from './stored-event-schema.ts';

/**
 * A stored event from an events-table item as DynamoDB Streams carries it (the record's NewImage),
 * checked like a fallback's message: a damaged image fails on its own. The table's index keys that
 * ride along (of every key design) are left out, so readers see the event, not the table's layout:
 * both stream consumers read images through this.
 */
export function storedEventFromImage(image: Record<string, AttributeValue>): StoredEvent {
  return v.parse(StoredEventSchema, eventOf(unmarshall(image)));
}
