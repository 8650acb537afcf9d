import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { indexAttributes } from '../functions/store/legacy/legacy-keys.ts';
import { indexesAt, eventsTable as secondDesign } from '../functions/store/legacy/legacy-table.ts';
import { ensureTable } from '../local/ensure-table.ts';

/**
 * The events table of the second key design (functions/store/legacy/legacy-table.ts), which deployed
 * tables had before issue 19, built beside the current one: the bench writes and lists the same events
 * in both, so each figure has its reference measured in the same run.
 */
export async function ensureSecondDesignTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const indexes = indexesAt();
  const keyNames = [secondDesign.partitionKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  await ensureTable(client, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set(keyNames)].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: secondDesign.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: index.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
    })),
  });
}

/**
 * The item the second design's receiver wrote for an event: what it knew of it (its body as text, no
 * accounts by role, no body time), and its index keys (legacy-keys.ts). What the migration, local
 * mode's upgrade and the bench's reference read.
 */
export function secondDesignItem(event: StoredEvent): Record<string, unknown> {
  const known: StoredEvent = {
    eventId: event.eventId,
    command: event.command,
    kind: event.kind,
    sdkAppId: event.sdkAppId,
    ...(event.groupId === undefined ? {} : { groupId: event.groupId }),
    ...(event.user === undefined ? {} : { user: event.user }),
    ...(event.eventTime === undefined ? {} : { eventTime: event.eventTime }),
    receivedAt: event.receivedAt,
    payload: event.payload,
    valid: event.valid,
    expiresAt: event.expiresAt,
  };
  return { ...known, ...indexAttributes(known) };
}

/** The second design's conditional put: one item per event id. */
export const secondDesignCondition = { ConditionExpression: 'attribute_not_exists(eventId)' } as const;
