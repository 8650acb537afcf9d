import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { documentClient, itemOf } from '../functions/store/dynamodb-event-store.ts';
import { eventKeyOf } from '../functions/store/event-keys.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { deltaOf } from '../functions/synced-view/delta.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import { projectStream } from '../functions/synced-view/project-stream.ts';
import { localClient } from '../local/embedded-store.ts';
import { ensureStateTable, LOCAL_STATE_TABLE_NAME } from '../local/local-state-table.ts';
import { whyNoDynamoDbLocal } from '../test/support/dynamodb-local-process.ts';
import { referenceFold, referenceGroup, referenceUser } from '../test/support/state-reference.ts';
import { type DynamoDbKind, startDynamoDb, withDynamoDbLocal } from './dynamodb-servers.ts';
import { issue19Today, type Row } from './report.ts';
import { stateMix, stateMixEvents } from './state-mix.ts';

/**
 * What the synced view costs per projected event (functions/synced-view/dynamodb-state-store.ts), on the
 * mix of bench/state-mix.ts fed to the state consumer as stream records: DynamoDB calls on dynalite
 * (local mode's store: every call is an SDK and HTTP round trip), and read and write units on
 * DynamoDB Local, which reports them by DynamoDB's own rules (ReturnConsumedCapacity). Counted, not
 * timed: the same on any machine.
 *
 * The stream is split into shards by event id, as the events table's stream is, and each shard's
 * records into batches of a given size; the shards' batches are projected in turn, so a group's
 * events reach the view slightly out of order, as concurrent consumers would bring them.
 */

/** Issue 19's targets. */
export const stateTargets = { callsPerEvent: 2, readUnitsPerEvent: 1 } as const;

const SHARDS = 4;
export const STATE_BATCH_SIZES = [1, 10, 100] as const;

export interface StateCost {
  readonly engine: DynamoDbKind;
  readonly batchSize: number;
  readonly events: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly callsPerEvent: number;
  readonly readUnitsPerEvent: number;
  /** Writes that failed their condition report no capacity: each is counted as one unit (the mix's items are under 1 KB). */
  readonly writeUnitsPerEvent: number;
  readonly failedConditions: number;
  /** Whether the view built equals a plain fold of the events (test/support/state-reference.ts) for the groups and users checked. */
  readonly viewMatches: boolean;
}

const shardOf = (event: StoredEvent) => createHash('sha256').update(event.eventId).digest()[0]! % SHARDS;

/** The shards' batches in the order a consumer per shard would take them, one round at a time. */
function batchesOf(events: readonly StoredEvent[], batchSize: number): StoredEvent[][] {
  const shards = Array.from({ length: SHARDS }, () => [] as StoredEvent[]);
  for (const event of events) shards[shardOf(event)]!.push(event);
  const batches: StoredEvent[][] = [];
  for (let start = 0; shards.some((shard) => start < shard.length); start += batchSize) {
    for (const shard of shards) if (start < shard.length) batches.push(shard.slice(start, start + batchSize));
  }
  return batches;
}

let sequence = 0;
const recordOf = (event: StoredEvent): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    NewImage: marshall(itemOf(event, eventKeyOf(event)), { removeUndefinedValues: true }) as never,
    SequenceNumber: String(++sequence).padStart(21, '0'),
  },
});

/** Counts every call and the capacity DynamoDB says it consumed. */
function counting(client: DynamoDBClient) {
  const calls: Record<string, number> = {};
  const units = { read: 0, write: 0, failedConditions: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      calls[operation] = (calls[operation] ?? 0) + 1;
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const isRead = /^(Get|Query|Scan|BatchGet)/.test(operation);
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
        units[isRead ? 'read' : 'write'] += consumed?.CapacityUnits ?? 0;
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          units.failedConditions += 1;
          units.write += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return { calls, units };
}

/** Each batch size on one server of the engine, each with an SDKAppID (so a generation pointer and partitions) of its own. */
async function measureEngine(engine: DynamoDbKind, seconds: number, onRun?: (engine: DynamoDbKind, batchSize: number) => void): Promise<StateCost[]> {
  const server = await startDynamoDb(engine);
  const base = localClient(server.endpoint);
  try {
    await ensureStateTable(base);
    const { calls, units } = counting(base);
    const state = new DynamoDbStateStore(documentClient(base), LOCAL_STATE_TABLE_NAME);
    const project = projectStream({ state, log: () => undefined });
    const runs: StateCost[] = [];
    for (const [index, batchSize] of STATE_BATCH_SIZES.entries()) {
      onRun?.(engine, batchSize);
      const events = stateMixEvents(`140000000${index}`, seconds);
      for (const name of Object.keys(calls)) delete calls[name];
      Object.assign(units, { read: 0, write: 0, failedConditions: 0 });
      for (const batch of batchesOf(events, batchSize)) {
        const { batchItemFailures } = await project({ Records: batch.map(recordOf) });
        if (batchItemFailures.length > 0) throw new Error(`the state consumer failed ${batchItemFailures.length} records of the mix`);
      }
      const counted = { ...calls };
      const { read, write, failedConditions } = units;
      runs.push({
        engine,
        batchSize,
        events: events.length,
        calls: counted,
        callsPerEvent: Object.values(counted).reduce((sum, count) => sum + count, 0) / events.length,
        readUnitsPerEvent: read / events.length,
        writeUnitsPerEvent: write / events.length,
        failedConditions,
        viewMatches: await matchesReference(state, events),
      });
    }
    return runs;
  } finally {
    base.destroy();
    await server.close();
  }
}

/** The live room, twenty small groups and fifty users, against the plain fold of the events. */
async function matchesReference(state: DynamoDbStateStore, events: readonly StoredEvent[]): Promise<boolean> {
  const fold = referenceFold(events);
  const sdkAppId = events[0]!.sdkAppId;
  const groups = ['@TGS#live', ...[...fold.groups.keys()].filter((id) => id !== '@TGS#live').slice(0, 20)];
  const users = [...fold.users.keys()].slice(0, 50);
  for (const groupId of groups) if (!isDeepStrictEqual(await state.group(sdkAppId, groupId), referenceGroup(sdkAppId, groupId, fold))) return false;
  for (const account of users) if (!isDeepStrictEqual(await state.user(sdkAppId, account), referenceUser(sdkAppId, account, fold))) return false;
  return true;
}

/** The design before issue 19, by its rules: a consistent GetItem and a PutItem per entity of each event, items under 1 KB. */
function perEntityDesign(events: readonly StoredEvent[]) {
  const entities = events.reduce((sum, event) => sum + deltaOf(event).length, 0) / events.length;
  return { callsPerEvent: 2 * entities, readUnitsPerEvent: entities, writeUnitsPerEvent: entities, entitiesPerEvent: entities };
}

export interface StateCostResult {
  readonly seconds: number;
  readonly mix: readonly { readonly name: string; readonly perSecond: number }[];
  readonly perEntityDesign: ReturnType<typeof perEntityDesign>;
  readonly runs: readonly StateCost[];
  readonly skipped?: string;
}

export async function measureStateCost(
  options: { seconds?: number; onRun?: (engine: DynamoDbKind, batchSize: number) => void } = {},
): Promise<StateCostResult> {
  // A fifth of a second of the mix: some 500 events, enough for its proportions, and about a minute on a busy machine.
  const seconds = options.seconds ?? 0.2;
  const dynamoDbLocalSkipReason = whyNoDynamoDbLocal();
  const engines: DynamoDbKind[] = dynamoDbLocalSkipReason === undefined ? ['dynalite', 'dynamodb-local'] : ['dynalite'];
  const runs: StateCost[] = [];
  for (const engine of engines) {
    const measure = () => measureEngine(engine, seconds, options.onRun);
    runs.push(...(await (engine === 'dynamodb-local' ? withDynamoDbLocal(measure) : measure())));
  }
  return {
    seconds,
    mix: stateMix.map(({ name, perSecond }) => ({ name, perSecond })),
    perEntityDesign: perEntityDesign(stateMixEvents('1400000000', seconds)),
    runs,
    ...(dynamoDbLocalSkipReason === undefined ? {} : { skipped: `read and write units not measured: DynamoDB Local cannot run (${dynamoDbLocalSkipReason})` }),
  };
}

/**
 * The bench's rows, against the per-entity design: calls locally at each batch size, read and write
 * units at the smallest and largest. The calls' target is for batches of ten or more, what a stream
 * under load delivers: an event alone in its batch costs the pointer's read and its own writes, a
 * little over 2 on this mix (the single-event row says so, without a target).
 */
export function stateRows(result: StateCostResult): Row[] {
  const before = result.perEntityDesign;
  const rows: Row[] = [];
  for (const run of result.runs) {
    if (run.engine === 'dynalite') {
      const targeted = run.batchSize >= 10;
      rows.push({
        metric: `state: DynamoDB calls per projected event, local, batches of ${run.batchSize}, vs per-entity`,
        unit: 'calls',
        real: run.callsPerEvent,
        floor: before.callsPerEvent,
        ratio: run.callsPerEvent / before.callsPerEvent,
        ...(targeted ? { target: `≤ ${stateTargets.callsPerEvent}`, met: run.callsPerEvent <= stateTargets.callsPerEvent } : {}),
        // Issue 19's row: the smallest batches its target is for.
        ...(run.batchSize === 10 ? { issue19: issue19Today.stateCalls } : {}),
      });
    }
    if (run.engine === 'dynamodb-local' && (run.batchSize === 1 || run.batchSize === 100)) {
      rows.push({
        metric: `state: read units per projected event, batches of ${run.batchSize}, vs per-entity`,
        unit: 'units',
        real: run.readUnitsPerEvent,
        floor: before.readUnitsPerEvent,
        ratio: run.readUnitsPerEvent / before.readUnitsPerEvent,
        target: `≤ ${stateTargets.readUnitsPerEvent}`,
        met: run.readUnitsPerEvent <= stateTargets.readUnitsPerEvent,
        // Issue 19's row: the worst case, an event alone in its batch.
        ...(run.batchSize === 1 ? { issue19: issue19Today.stateReadUnits } : {}),
      });
      rows.push({
        metric: `state: write units per projected event, batches of ${run.batchSize}, vs per-entity`,
        unit: 'units',
        real: run.writeUnitsPerEvent,
        floor: before.writeUnitsPerEvent,
        ratio: run.writeUnitsPerEvent / before.writeUnitsPerEvent,
      });
    }
  }
  return rows;
}

/** The runs as a small table of their own, every batch size and engine. */
export function formatStateCost(result: StateCostResult): string {
  const lines = result.runs.map(
    (run) =>
      `  ${run.engine.padEnd(14)} batches of ${String(run.batchSize).padStart(3)}: ${run.callsPerEvent.toFixed(2)} calls, ${run.readUnitsPerEvent.toFixed(2)} read and ${run.writeUnitsPerEvent.toFixed(2)} write units per event ` +
      `(${Object.entries(run.calls)
        .map(([operation, count]) => `${count} ${operation}`)
        .join(', ')}; ${run.failedConditions} conditions failed)${run.viewMatches ? '' : ' VIEW DIFFERS FROM THE REFERENCE'}`,
  );
  const before = result.perEntityDesign;
  return [
    `Synced view, ${result.runs[0]?.events ?? 0} projected events (${result.seconds} s of the mix: ${result.mix.map(({ name, perSecond }) => `${name} ${perSecond}/s`).join(', ')}):`,
    ...lines,
    `  per-entity design (a GetItem and a PutItem per entity, by rule): ${before.callsPerEvent.toFixed(2)} calls, ${before.readUnitsPerEvent.toFixed(2)} read and ${before.writeUnitsPerEvent.toFixed(2)} write units per event (${before.entitiesPerEvent.toFixed(2)} entities each)`,
    ...(result.skipped === undefined ? [] : [`  ${result.skipped}`]),
  ].join('\n');
}
