import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { indexAttributes } from './event-keys.ts';
import type { EventStore, PutOutcome, StoredEvent } from './event-store.ts';
import { eventsTable } from './events-table.ts';

type Item = Record<string, unknown>;

/** One client per process: it keeps its connections alive between invocations. */
export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * The item a put writes: the event and its index keys (event-keys.ts). What the definition read of
 * the body (accounts, groups, place, actor, busy, a time from another field) is not written yet: the
 * body holds it, and this key design does not use it.
 */
export function itemOf(event: StoredEvent): Item {
  const {
    accounts: _accounts,
    groupIds: _groupIds,
    actor: _actor,
    placeAccount: _placeAccount,
    busy: _busy,
    bodyTime: _bodyTime,
    timeField: _timeField,
    ...kept
  } = event;
  return { ...kept, ...indexAttributes(event) };
}

export { eventOf } from './events-table.ts';

/** The events table's write side: one conditional put per event. Listings are read/dynamodb-event-reader.ts. */
export class DynamoDbEventStore implements EventStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async put(event: StoredEvent, options: { readonly signal?: AbortSignal } = {}): Promise<PutOutcome> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: itemOf(event),
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': eventsTable.partitionKey },
        }),
        { abortSignal: options.signal },
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }
}
