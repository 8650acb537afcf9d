import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keyPart } from '../store/key-part.ts';
import { type Entity, mergeEntities, sameEntity } from './lww.ts';
import type { EntityRef, Part, Patch } from './patch.ts';
import type { StateStore } from './state-store.ts';
import { stateTable } from './state-table.ts';
import { groupView, userView } from './view.ts';

// The document client's items: attributes of any type, read back through the adapter's own checks.
// biome-ignore lint/suspicious/noExplicitAny: the SDK's item type is Record<string, any>
type Item = Record<string, any>;

/**
 * The keys of an entity (state-table.ts). An id too long for a key (a hostile sender's: key-part.ts)
 * is there as its hash, marked where no id reaches (`GH`, `UH`, `memberH`…); the item keeps a hashed
 * member's or topic's id whole, for the view to show.
 */
function pkOf(ref: Pick<EntityRef, 'sdkAppId' | 'scope' | 'id'>): string {
  const { text, hashed } = keyPart(ref.id);
  return `${ref.scope === 'group' ? 'G' : 'U'}${hashed ? 'H' : ''}#${ref.sdkAppId}#${text}`;
}

function skOf(ref: Pick<EntityRef, 'part' | 'key'>): { readonly sk: string; readonly wholeKey?: string } {
  if (ref.key === undefined) return { sk: ref.part };
  const { text, hashed } = keyPart(ref.key);
  return hashed ? { sk: `${ref.part}H#${text}`, wholeKey: ref.key } : { sk: `${ref.part}#${text}` };
}

/** The attribute that holds a member's or topic's id whole when the sort key holds its hash. */
const WHOLE_KEY = 'wholeKey';

/** An item's entity, of the group or user whose items were read. */
function refOf(owner: Pick<EntityRef, 'sdkAppId' | 'scope' | 'id'>, item: Item): EntityRef {
  const sk = String(item[stateTable.sortKey]);
  const cut = sk.indexOf('#');
  if (cut < 0) return { ...owner, part: sk as Part };
  const hashed = typeof item[WHOLE_KEY] === 'string';
  const part = (hashed ? sk.slice(0, cut - 1) : sk.slice(0, cut)) as Part;
  return { ...owner, part, key: hashed ? item[WHOLE_KEY] : sk.slice(cut + 1) };
}

const entityOf = (item: Item): Entity => ({
  registers: item.registers ?? {},
  ...(item.resetAt === undefined ? {} : { resetAt: item.resetAt }),
  updatedAt: item.updatedAt,
});

/** Tries of one entity's read-merge-write before giving up: only a hot entity under many writers needs more than one. */
const MAX_TRIES = 25;

/**
 * The state table (state-table.ts): one item per entity, merged with optimistic versioning. A write
 * reads the item, merges the patch in (lww.ts), and puts it on condition that nobody wrote it since;
 * a lost race reads again. Since merging is order-free, whoever writes last loses nothing.
 */
export class DynamoDbStateStore implements StateStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async apply(patches: readonly Patch[]): Promise<void> {
    await Promise.all(patches.map((patch) => this.#merge(patch)));
  }

  async #merge({ ref, entity }: Patch): Promise<void> {
    const { sk, wholeKey } = skOf(ref);
    const Key = { [stateTable.partitionKey]: pkOf(ref), [stateTable.sortKey]: sk };
    for (let attempt = 1; ; attempt++) {
      const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key, ConsistentRead: true }));
      const stored = Item === undefined ? undefined : entityOf(Item);
      const merged = mergeEntities(stored, entity);
      // A repeated delivery changes nothing: no write, no version.
      if (stored !== undefined && sameEntity(stored, merged)) return;
      const version = Item === undefined ? 0 : Number(Item.version);
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              ...Key,
              ...(wholeKey === undefined ? {} : { [WHOLE_KEY]: wholeKey }),
              sdkAppId: ref.sdkAppId,
              version: version + 1,
              updatedAt: merged.updatedAt,
              registers: merged.registers,
              resetAt: merged.resetAt,
            },
            ConditionExpression: Item === undefined ? 'attribute_not_exists(#pk)' : '#version = :version',
            ExpressionAttributeNames: Item === undefined ? { '#pk': stateTable.partitionKey } : { '#version': 'version' },
            ExpressionAttributeValues: Item === undefined ? undefined : { ':version': version },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_TRIES) throw error;
        await sleep(Math.random() * Math.min(100, 2 ** attempt));
      }
    }
  }

  async #items(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': stateTable.partitionKey },
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  async group(sdkAppId: string, groupId: string) {
    const owner = { sdkAppId, scope: 'group', id: groupId } as const;
    const items = await this.#items(pkOf(owner));
    return groupView(
      sdkAppId,
      groupId,
      items.map((item) => ({ ref: refOf(owner, item), entity: entityOf(item) })),
    );
  }

  async user(sdkAppId: string, account: string) {
    const [item] = await this.#items(pkOf({ sdkAppId, scope: 'user', id: account }));
    return userView(sdkAppId, account, item === undefined ? undefined : entityOf(item));
  }

  /**
   * The ids of the groups the view holds anything of, for an app, as a Scan finds them (each once, in
   * no order): what a reconciliation compares with Tencent (functions/reconcile/). Reads the whole
   * table, projecting the keys alone. A group whose id was too long for a key (hashed) is left out:
   * its id is not in the table.
   */
  async *groups(sdkAppId: string): AsyncGenerator<string> {
    const prefix = pkOf({ sdkAppId, scope: 'group', id: '' });
    const seen = new Set<string>();
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          ProjectionExpression: '#pk',
          FilterExpression: 'begins_with(#pk, :prefix)',
          ExpressionAttributeNames: { '#pk': stateTable.partitionKey },
          ExpressionAttributeValues: { ':prefix': prefix },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const groupId = String(item[stateTable.partitionKey]).slice(prefix.length);
        if (groupId === '' || seen.has(groupId)) continue;
        seen.add(groupId);
        yield groupId;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  async clear(sdkAppIds: readonly string[]): Promise<number> {
    let removed = 0;
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          ProjectionExpression: '#pk, #sk, sdkAppId',
          ExpressionAttributeNames: { '#pk': stateTable.partitionKey, '#sk': stateTable.sortKey },
          ExclusiveStartKey: startKey,
        }),
      );
      const { partitionKey, sortKey } = stateTable;
      const keys = (page.Items ?? [])
        .filter((item) => sdkAppIds.includes(item.sdkAppId))
        .map((item) => ({ [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] }));
      for (let i = 0; i < keys.length; i += 25) {
        let requests: Item[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        // What a throttled table leaves unprocessed is sent again, backing off as the merges do.
        for (let attempt = 0; requests !== undefined && requests.length > 0; attempt += 1) {
          if (attempt > 0) await sleep(Math.min(1_000, 25 * 2 ** attempt));
          const result: { UnprocessedItems?: Record<string, Item[]> } = await this.#client.send(
            new BatchWriteCommand({ RequestItems: { [this.#tableName]: requests } }),
          );
          requests = result.UnprocessedItems?.[this.#tableName];
        }
      }
      removed += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return removed;
  }
}
