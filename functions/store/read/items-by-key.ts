import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { attributes as at } from '../events-table.ts';

type Item = Record<string, unknown>;

/** BatchGetItem's ceiling per request. */
export const BATCH_GET_KEYS = 100;
/** Tries of one BatchGetItem's unprocessed keys, backing off up to a second each: about 20 s. */
const BATCH_GET_ATTEMPTS = 25;

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
  let pending: Item[] = [...new Map(keys.map((key) => [keyText(key.partitionKey, key.sortKey), key])).values()].map((key) => ({
    [at.partition]: key.partitionKey,
    [at.sort]: key.sortKey,
  }));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt >= BATCH_GET_ATTEMPTS)
      throw new Error(`${pending.length} items could not be read after ${BATCH_GET_ATTEMPTS} tries: the table is throttling reads`);
    if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
    const { Responses, UnprocessedKeys } = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
    for (const item of Responses?.[tableName] ?? []) found.set(keyText(item[at.partition], item[at.sort]), item);
    pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
  }
  return found;
}

export const itemKeyText = (key: ItemKey) => keyText(key.partitionKey, key.sortKey);
