import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { EventFilter, EventReader, EventStore, PutOutcome, StoredEvent } from './event-store.ts';
import { commandKey, eventsTable, groupKey, timeKey } from './events-table.ts';

type Item = Record<string, unknown>;

/** One client per process: it keeps its connections alive between invocations. */
export function documentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

function toItem(event: StoredEvent): Item {
  return {
    ...event,
    ...(event.groupId === undefined ? {} : { groupKey: groupKey(event.sdkAppId, event.groupId) }),
    commandKey: commandKey(event.sdkAppId, event.command),
    timeKey: timeKey(event.eventTime ?? event.receivedAt, event.eventId),
  };
}

function fromItem(item: Item): StoredEvent & { timeKey: string } {
  const { groupKey: _group, commandKey: _command, ...event } = item;
  return event as unknown as StoredEvent & { timeKey: string };
}

export class DynamoDbEventStore implements EventStore, EventReader {
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
          Item: toItem(event),
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

  /**
   * A group or a command is a Query on its index, newest first. With neither, the whole table is
   * scanned and sorted here: fine for a look at a small table, not meant for millions of events.
   */
  async list(filter: EventFilter): Promise<StoredEvent[]> {
    const events = filter.groupId !== undefined || filter.command !== undefined
      ? (await Promise.all(filter.sdkAppIds.map((sdkAppId) => this.#queryIndex(sdkAppId, filter)))).flat()
      : (await this.#scan()).filter((event) => filter.sdkAppIds.includes(event.sdkAppId));
    return events
      .sort((a, b) => (a.timeKey < b.timeKey ? 1 : a.timeKey > b.timeKey ? -1 : 0))
      .slice(0, filter.limit)
      .map(({ timeKey: _time, ...event }) => event);
  }

  async #queryIndex(sdkAppId: string, filter: EventFilter) {
    const { byGroup, byCommand } = eventsTable.indexes;
    const [index, key] = filter.groupId !== undefined
      ? [byGroup, groupKey(sdkAppId, filter.groupId)]
      : [byCommand, commandKey(sdkAppId, filter.command!)];
    const alsoCommand = filter.groupId !== undefined && filter.command !== undefined;
    const events: ReturnType<typeof fromItem>[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ...(alsoCommand ? { FilterExpression: '#command = :command' } : {}),
          ExpressionAttributeNames: { '#pk': index.partitionKey, ...(alsoCommand ? { '#command': 'command' } : {}) },
          ExpressionAttributeValues: { ':pk': key, ...(alsoCommand ? { ':command': filter.command } : {}) },
          ScanIndexForward: false,
          Limit: filter.limit,
          ExclusiveStartKey: startKey,
        }),
      );
      events.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && events.length < filter.limit);
    return events;
  }

  async #scan() {
    const events: ReturnType<typeof fromItem>[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(new ScanCommand({ TableName: this.#tableName, ExclusiveStartKey: startKey }));
      events.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return events;
  }
}
