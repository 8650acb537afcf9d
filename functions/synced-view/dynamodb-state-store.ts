import { setTimeout as sleep } from 'node:timers/promises';
import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inParallel } from '../shared/in-parallel.ts';
import { untilProcessed } from '../shared/until-processed.ts';
import { type Entity, mergeEntities, sameEntity } from './lww.ts';
import { type EntityRef, type Patch, refId } from './patch.ts';
import {
  type GenerationPointer,
  generationLease,
  isLive,
  isPointerKey,
  type Lease,
  LeaseLostError,
  pointerKey,
  pointerOfItem,
  RebuildRefusedError,
  writtenGenerations,
} from './state-generations.ts';
import {
  earliestOf,
  entityOfItem,
  type Item,
  isCurrentLayout,
  isItemTooLarge,
  isRefusedContent,
  itemOf,
  keyOf,
  ownAttributes,
  partitionKeyOf,
  refOfItem,
  shownEntity,
  storedEntity,
} from './state-item.ts';
import type { GenerationBuild, OpenGenerationOptions, PatchFailure, SourcedPatches, StateStore } from './state-store.ts';
import { stateTable } from './state-table.ts';
import { groupView, userView } from './view.ts';

/** Tries of one entity's read-merge-write before giving up: only a hot entity under many writers needs more than one. */
const MAX_TRIES = 25;
/** Entity writes under way at once, per batch. */
const WRITES_AT_ONCE = 32;
/**
 * The most registers one UpdateItem sets: its expression stays far inside DynamoDB's 4 KB. More (only
 * a hostile group's attributes) go the read-merge-put way, which has no such limit.
 */
const MAX_REGISTERS_PER_UPDATE = 100;

export interface DynamoDbStateStoreOptions {
  /** The clock leases are read by (epoch ms). */
  readonly now?: () => number;
}

/** One entity's write in one generation: its sources' patches merged, and each source's own, should the write fail. */
interface EntityWrite {
  readonly ref: EntityRef;
  readonly generation: number;
  entity: Entity;
  readonly bySource: Map<string, Entity>;
}

/**
 * The state table (state-table.ts, state-item.ts): one item per entity, in generations
 * (state-generations.ts). A batch costs one read of its SDKAppID's generation pointer, then one
 * write per entity it changed:
 *
 * - An entity whose item holds nothing as new as the patch (the usual case: events come roughly in
 *   order) is written blind, with an UpdateItem that sets the patch's registers on condition that the
 *   item's `latest` stamp is older than all of them. No read: that condition makes the write the merge.
 * - Otherwise (an event late or repeated, a reset of a group's attributes) the condition fails and
 *   DynamoDB returns the item (ReturnValuesOnConditionCheckFailure; dynalite does not, so it is read):
 *   the patch is merged into it (lww.ts) and put on condition that its `version` did not move since.
 *   A lost race reads again; since merging is order-free, whoever writes last loses nothing.
 */
export class DynamoDbStateStore implements StateStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoDbStateStoreOptions = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#now = options.now ?? Date.now;
  }

  async apply(batch: readonly SourcedPatches[]): Promise<readonly PatchFailure[]> {
    const apps = [...new Set(batch.flatMap(({ patches }) => patches.map((patch) => patch.ref.sdkAppId)))];
    const pointers = await Promise.all(apps.map((app) => this.#pointer(app)));
    const now = this.#now();
    const generations = new Map(apps.map((app, index) => [app, writtenGenerations(pointers[index]!, now)]));
    return this.#write(batch, (app) => generations.get(app) ?? []);
  }

  /** The batch's entities written to the generations of their SDKAppID; the sources whose writes failed. */
  async #write(batch: readonly SourcedPatches[], generationsOf: (sdkAppId: string) => readonly number[]): Promise<readonly PatchFailure[]> {
    const writes = new Map<string, EntityWrite>();
    for (const { source, patches } of batch) {
      for (const { ref, entity } of patches) {
        for (const generation of generationsOf(ref.sdkAppId)) {
          const id = `${generation} ${refId(ref)}`;
          const write = writes.get(id);
          if (write === undefined) {
            writes.set(id, { ref, generation, entity, bySource: new Map([[source, entity]]) });
          } else {
            write.entity = mergeEntities(write.entity, entity);
            write.bySource.set(source, mergeEntities(write.bySource.get(source), entity));
          }
        }
      }
    }
    const failures = new Map<string, Error>();
    await inParallel(writes.values(), WRITES_AT_ONCE, async ({ ref, generation, entity, bySource }) => {
      try {
        await this.#merge(ref, generation, entity);
      } catch (error) {
        // What the table refuses is tried again one source at a time, so that the one that cannot be
        // written fails alone; a table that failed fails them all, without more calls to it.
        if (bySource.size === 1 || !isRefusedContent(error)) for (const source of bySource.keys()) failures.set(source, error as Error);
        else
          for (const [source, own] of bySource) {
            try {
              await this.#merge(ref, generation, own);
            } catch (alone) {
              failures.set(source, alone as Error);
            }
          }
      }
    });
    return [...failures].map(([source, error]) => ({ source, error, permanent: isRefusedContent(error) }));
  }

  async #merge(ref: EntityRef, generation: number, patch: Entity): Promise<void> {
    const stored = storedEntity(patch);
    const Key = keyOf(ref, generation);
    let item: Item | undefined;
    const registers = Object.entries(stored.registers);
    if (stored.resetAt === undefined && registers.length <= MAX_REGISTERS_PER_UPDATE) {
      const floor = earliestOf(stored) ?? stored.latest;
      const names: Record<string, string> = { '#pk': stateTable.partitionKey, '#latest': 'latest', '#t': 't', '#e': 'e', '#version': 'version' };
      const values: Record<string, unknown> = { ':latest': stored.latest, ':t': floor.t, ':e': floor.e, ':one': 1 };
      const sets = ['#latest = :latest'];
      const { [stateTable.partitionKey]: _pk, [stateTable.sortKey]: _sk, ...own } = ownAttributes(ref, generation);
      for (const [index, [name, value]] of [...Object.entries(own), ...registers].entries()) {
        names[`#a${index}`] = name;
        values[`:a${index}`] = value;
        sets.push(`#a${index} = :a${index}`);
      }
      try {
        await this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key,
            UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
            ConditionExpression: 'attribute_not_exists(#pk) OR #latest.#t < :t OR (#latest.#t = :t AND #latest.#e < :e)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) item = itemIn(error) ?? (await this.#get(Key));
        else if (isItemTooLarge(error)) item = await this.#get(Key);
        else throw error;
      }
    } else item = await this.#get(Key);

    for (let attempt = 1; ; attempt++) {
      const current = item === undefined ? undefined : entityOfItem(item);
      const merged = mergeEntities(current, stored);
      // A repeated delivery changes nothing: no write, no version.
      if (current !== undefined && isCurrentLayout(item!) && sameEntity(current, merged)) return;
      const version = item === undefined ? 0 : Number(item.version ?? 0);
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: itemOf(ref, generation, merged, version + 1),
            ConditionExpression: item === undefined ? 'attribute_not_exists(#pk)' : '#version = :version',
            ExpressionAttributeNames: item === undefined ? { '#pk': stateTable.partitionKey } : { '#version': 'version' },
            ExpressionAttributeValues: item === undefined ? undefined : { ':version': version },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_TRIES) throw error;
        await sleep(Math.random() * Math.min(100, 2 ** attempt));
        item = itemIn(error) ?? (await this.#get(Key));
      }
    }
  }

  async #get(Key: Item): Promise<Item | undefined> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key, ConsistentRead: true }));
    return Item;
  }

  async #pointerItem(sdkAppId: string): Promise<Item | undefined> {
    return this.#get(pointerKey(sdkAppId));
  }

  async #pointer(sdkAppId: string): Promise<GenerationPointer> {
    return pointerOfItem(await this.#pointerItem(sdkAppId));
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
    const { current } = await this.#pointer(sdkAppId);
    const owner = { sdkAppId, scope: 'group', id: groupId } as const;
    const items = await this.#items(partitionKeyOf(owner, current));
    return groupView(
      sdkAppId,
      groupId,
      items.map((item): Patch => ({ ref: refOfItem(owner, item), entity: shownEntity(entityOfItem(item)) })),
    );
  }

  async user(sdkAppId: string, account: string) {
    const { current } = await this.#pointer(sdkAppId);
    const item = await this.#get(keyOf({ sdkAppId, scope: 'user', id: account, part: 'presence' }, current));
    return userView(sdkAppId, account, item === undefined ? undefined : shownEntity(entityOfItem(item)));
  }

  /**
   * The ids of the groups the view's current generation holds anything of, for an app, as a Scan finds
   * them (each once, in no order): what a reconciliation compares with Tencent (functions/reconcile/).
   * Reads the whole table, projecting the keys alone. A group whose id was too long for a key (hashed)
   * is left out: its id is not in the table.
   */
  async *groups(sdkAppId: string): AsyncGenerator<string> {
    const { current } = await this.#pointer(sdkAppId);
    const prefix = partitionKeyOf({ sdkAppId, scope: 'group', id: '' }, current);
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

  async openGeneration(sdkAppIds: readonly string[], options: OpenGenerationOptions): Promise<GenerationBuild> {
    const opened = new Map<string, number>();
    try {
      for (const sdkAppId of sdkAppIds) opened.set(sdkAppId, await this.#lease(sdkAppId, options));
    } catch (error) {
      await Promise.all([...opened].map(([sdkAppId, generation]) => this.#release(sdkAppId, generation).catch(() => undefined)));
      throw error;
    }
    return new DynamoDbGenerationBuild(
      {
        write: (batch, generationsOf) => this.#write(batch, generationsOf),
        renew: (sdkAppId, generation, until) =>
          this.#onLease(sdkAppId, generation, 'SET #building.#until = :until', { '#until': 'until' }, { ':until': until }),
        makeCurrent: (sdkAppId, generation) => this.#onLease(sdkAppId, generation, 'SET #current = :generation REMOVE #building', { '#current': 'current' }),
        release: (sdkAppId, generation) => this.#release(sdkAppId, generation),
        removeOtherGenerations: (current) => this.#removeOtherGenerations(current),
      },
      opened,
      this.#now,
    );
  }

  /** Takes the lease of a new generation of one SDKAppID, or says who holds it. */
  async #lease(sdkAppId: string, { holder, abandoned }: OpenGenerationOptions): Promise<number> {
    for (;;) {
      const item = await this.#pointerItem(sdkAppId);
      const pointer = pointerOfItem(item);
      const now = this.#now();
      if (isLive(pointer.building, now) && !(abandoned?.(pointer.building) ?? false)) throw new RebuildRefusedError(sdkAppId, pointer.building);
      const generation = Math.max(pointer.current, pointer.highest, pointer.building?.generation ?? 0) + 1;
      const building: Lease = { generation, until: now + generationLease.durationMs, host: holder.host, pid: holder.pid, since: now };
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: { ...pointerKey(sdkAppId), sdkAppId, current: pointer.current, highest: generation, building, version: pointer.version + 1 },
            ConditionExpression: item === undefined ? 'attribute_not_exists(#pk)' : '#version = :version',
            ExpressionAttributeNames: item === undefined ? { '#pk': stateTable.partitionKey } : { '#version': 'version' },
            ExpressionAttributeValues: item === undefined ? undefined : { ':version': pointer.version },
          }),
        );
        return generation;
      } catch (error) {
        // Another rebuild moved the pointer between the read and the write: read it again.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  /** Updates the pointer on condition that `generation` is still the one being built; false when it is not. */
  async #onLease(sdkAppId: string, generation: number, update: string, names: Record<string, string>, values: Record<string, unknown> = {}): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: pointerKey(sdkAppId),
          UpdateExpression: `${update} ADD #version :one`,
          ConditionExpression: '#building.#generation = :generation',
          ExpressionAttributeNames: { '#building': 'building', '#generation': 'generation', '#version': 'version', ...names },
          ExpressionAttributeValues: { ':generation': generation, ':one': 1, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  #release(sdkAppId: string, generation: number): Promise<boolean> {
    return this.#onLease(sdkAppId, generation, 'REMOVE #building', {});
  }

  /** Removes the items of every generation of these SDKAppIDs but the current one; says how many. */
  async #removeOtherGenerations(current: ReadonlyMap<string, number>): Promise<number> {
    const { partitionKey, sortKey } = stateTable;
    let removed = 0;
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          ProjectionExpression: '#pk, #sk, sdkAppId, generation',
          ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
          ExclusiveStartKey: startKey,
        }),
      );
      const keys = (page.Items ?? [])
        .filter((item) => !isPointerKey(item[partitionKey]) && current.has(item.sdkAppId) && Number(item.generation ?? 0) !== current.get(item.sdkAppId))
        .map((item) => ({ [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] }));
      for (let i = 0; i < keys.length; i += 25) {
        await untilProcessed(
          keys.slice(i, i + 25).map((Key): Item => ({ DeleteRequest: { Key } })),
          async (requests) => {
            const result: { UnprocessedItems?: Record<string, Item[]> } = await this.#client.send(
              new BatchWriteCommand({ RequestItems: { [this.#tableName]: [...requests] } }),
            );
            return result.UnprocessedItems?.[this.#tableName] ?? [];
          },
          (count) => `${count} items of an earlier generation could not be deleted`,
        );
      }
      removed += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return removed;
  }
}

/** The item DynamoDB returned with a failed condition (ReturnValuesOnConditionCheckFailure), if it did. */
const itemIn = (error: ConditionalCheckFailedException): Item | undefined =>
  error.Item === undefined ? undefined : unmarshall(error.Item as Record<string, AttributeValue>);

/** What a generation build does to the table, through the store that opened it. */
interface GenerationTable {
  write(batch: readonly SourcedPatches[], generationsOf: (sdkAppId: string) => readonly number[]): Promise<readonly PatchFailure[]>;
  /** Each of these is false when the generation is no longer the one the pointer says is being built. */
  renew(sdkAppId: string, generation: number, until: number): Promise<boolean>;
  makeCurrent(sdkAppId: string, generation: number): Promise<boolean>;
  release(sdkAppId: string, generation: number): Promise<boolean>;
  removeOtherGenerations(current: ReadonlyMap<string, number>): Promise<number>;
}

/** A rebuild's generations, renewed every minute until swapped or abandoned. */
class DynamoDbGenerationBuild implements GenerationBuild {
  readonly generations: ReadonlyMap<string, number>;
  readonly #store: GenerationTable;
  readonly #now: () => number;
  readonly #renewed = new Map<string, number>();
  readonly #lost = new Map<string, string>();
  readonly #timer: NodeJS.Timeout;

  constructor(store: GenerationTable, generations: ReadonlyMap<string, number>, now: () => number) {
    this.generations = generations;
    this.#store = store;
    this.#now = now;
    const at = now();
    for (const sdkAppId of generations.keys()) this.#renewed.set(sdkAppId, at);
    this.#timer = setInterval(() => void this.#renew(), generationLease.renewEveryMs);
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    for (const [sdkAppId, generation] of this.generations) {
      if (this.#lost.has(sdkAppId)) continue;
      const at = this.#now();
      try {
        if (await this.#store.renew(sdkAppId, generation, at + generationLease.durationMs)) this.#renewed.set(sdkAppId, at);
        else this.#lost.set(sdkAppId, 'another rebuild took it over');
      } catch {
        // Tried again at the next renewal; the lease runs four more.
      }
    }
  }

  apply(batch: readonly SourcedPatches[]): Promise<readonly PatchFailure[]> {
    return this.#store.write(batch, (sdkAppId) => {
      const generation = this.generations.get(sdkAppId);
      return generation === undefined ? [] : [generation];
    });
  }

  async swap(): Promise<number> {
    clearInterval(this.#timer);
    const now = this.#now();
    for (const [sdkAppId] of this.generations) {
      const lost = this.#lost.get(sdkAppId);
      if (lost !== undefined) throw new LeaseLostError(sdkAppId, lost);
      // The consumer must have seen the lease live all along, by any clock within the skew of ours.
      if (now - this.#renewed.get(sdkAppId)! > generationLease.durationMs - generationLease.clockSkewMs) {
        throw new LeaseLostError(sdkAppId, `not renewed since ${new Date(this.#renewed.get(sdkAppId)!).toISOString()}`);
      }
    }
    const swapped = new Map<string, number>();
    let lost: LeaseLostError | undefined;
    for (const [sdkAppId, generation] of this.generations) {
      if (await this.#store.makeCurrent(sdkAppId, generation)) swapped.set(sdkAppId, generation);
      else lost ??= new LeaseLostError(sdkAppId, 'another rebuild took it over');
    }
    const removed = await this.#store.removeOtherGenerations(swapped);
    if (lost !== undefined) throw lost;
    return removed;
  }

  async abandon(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all([...this.generations].map(([sdkAppId, generation]) => this.#store.release(sdkAppId, generation)));
  }
}
