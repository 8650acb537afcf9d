import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { untilProcessed } from '../../shared/until-processed.ts';
import { attributes as at } from '../events-table.ts';

type Item = Record<string, unknown>;

/** BatchGetItem's ceiling per request. */
export const BATCH_GET_KEYS = 100;

export interface ItemKey {
  readonly partitionKey: string;
  readonly sortKey: string;
}

const keyText = (partitionKey: unknown, sortKey: unknown) => `${partitionKey}\n${sortKey}`;

/**
 * The items at these keys (at most BATCH_GET_KEYS), by `partitionKey\nsortKey`; one deleted meanwhile
 * (TTL) is simply not there. DynamoDB leaves keys unprocessed when throttled: they are asked for
 * again, backing off, and given up on rather than hung on.
 */
export async function itemsByKey(client: DynamoDBDocumentClient, tableName: string, keys: readonly ItemKey[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const pending: Item[] = [...new Map(keys.map((key) => [keyText(key.partitionKey, key.sortKey), key])).values()].map((key) => ({
    [at.partition]: key.partitionKey,
    [at.sort]: key.sortKey,
  }));
  await untilProcessed(
    pending,
    async (keys) => {
      const { Responses, UnprocessedKeys } = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys] } } }));
      for (const item of Responses?.[tableName] ?? []) found.set(keyText(item[at.partition], item[at.sort]), item);
      return (UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    },
    (count) => `${count} items could not be read`,
  );
  return found;
}

export const itemKeyText = (key: ItemKey) => keyText(key.partitionKey, key.sortKey);
