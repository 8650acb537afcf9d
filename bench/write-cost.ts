import { itemBytes } from '../functions/shared/item-size.ts';
import { eventIdOf } from '../functions/store/event-id.ts';
import { itemOf } from '../functions/store/event-item.ts';
import { actorKey, eventKeyOf } from '../functions/store/event-keys.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { eventsTable } from '../functions/store/events-table.ts';
import { indexAttributes } from '../functions/store/legacy/legacy-keys.ts';
import { type IndexShape, indexesAt, eventsTable as secondDesign } from '../functions/store/legacy/legacy-table.ts';
import { messageBody } from './capacity-model.ts';

/**
 * What one event costs to write and keep, by DynamoDB's sizing rules: an item's size is its
 * attribute names plus values (strings in UTF-8, numbers about one byte per two digits); a write is
 * one unit per started KB, for the table and again for each index entry (each rounded up on its own);
 * each stored item and index entry also takes 100 bytes of overhead.
 */
export const ON_DEMAND_PRICE = {
  /** US dollars: on-demand write request units and standard-class storage (aws.amazon.com/dynamodb/pricing/on-demand/). */
  perMillionWriteUnits: 0.625,
  perGbMonth: 0.25,
  source:
    'US East (N. Virginia), standard table class, since the 1 November 2024 cut (AWS News Blog on on-demand pricing, updated 31 January 2025); not re-read live on 2026-12-01',
} as const;

const STORAGE_OVERHEAD_BYTES = 100;
/** One write unit per started KB. */
export const writeUnits = (bytes: number) => Math.ceil(bytes / 1_024);

export interface EventCost {
  readonly tableWriteUnits: number;
  readonly indexWriteUnits: number;
  readonly writeUnits: number;
  /** The item and its index entries, overhead included. */
  readonly storedBytes: number;
}

function costOf(item: Record<string, unknown>, indexes: readonly IndexShape[], tableKeys: readonly string[]): EventCost {
  const tableBytes = itemBytes(item);
  const entries = indexes
    .filter((index) => item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined)
    .map((index) => {
      const names = index.projection === 'ALL' ? Object.keys(item) : [...tableKeys, index.partitionKey, index.sortKey, ...index.projection];
      return itemBytes(Object.fromEntries(names.filter((name) => name in item).map((name) => [name, item[name]])));
    });
  const indexWriteUnits = entries.reduce((sum, bytes) => sum + writeUnits(bytes), 0);
  return {
    tableWriteUnits: writeUnits(tableBytes),
    indexWriteUnits,
    writeUnits: writeUnits(tableBytes) + indexWriteUnits,
    storedBytes: tableBytes + STORAGE_OVERHEAD_BYTES + entries.reduce((sum, bytes) => sum + bytes + STORAGE_OVERHEAD_BYTES, 0),
  };
}

/** A group message of `bodyBytes` as the receiver stores it (sender as its user). */
export function sampleMessage(bodyBytes = 1_024): StoredEvent {
  const payload = messageBody('@TGS#aLIVEROOM01', 'user12345', 1, bodyBytes);
  return {
    eventId: eventIdOf('1400000000', 'Group.CallbackAfterSendMsg', payload),
    command: 'Group.CallbackAfterSendMsg',
    kind: 'after',
    sdkAppId: '1400000000',
    groupId: '@TGS#aLIVEROOM01',
    groupIds: ['@TGS#aLIVEROOM01'],
    user: 'user12345',
    actor: 'user12345',
    busy: true,
    eventTime: 1_764_600_000_000,
    receivedAt: 1_764_600_000_120,
    clientIp: '203.0.113.10',
    optPlatform: 'RESTAPI',
    payload,
    valid: true,
    expiresAt: 1_772_376_000,
  };
}

/**
 * One event's cost in the third design (the item, its body compressed, and its `byActor` entry; the
 * digests' ~0.06 amortized units are written off the callback's path and not counted here), and in the
 * second, which deployed tables have today (the item and two spread index entries).
 */
export function eventCost(event: StoredEvent = sampleMessage()): { readonly now: EventCost; readonly before: EventCost } {
  const key = { ...eventKeyOf(event), ...(event.actor === undefined ? {} : { actorKey: actorKey(event.sdkAppId, event.actor, event.eventId, false) }) };
  const { byActor } = eventsTable;
  return {
    now: costOf(
      itemOf(event, key),
      [{ indexName: byActor.indexName, partitionKey: byActor.partitionKey, sortKey: byActor.sortKey, projection: byActor.include }],
      [eventsTable.partitionKey, eventsTable.sortKey],
    ),
    before: costOf({ ...event, ...indexAttributes(event) }, indexesAt(), [secondDesign.partitionKey]),
  };
}

/** A million such events: write units, storage and dollars at the on-demand prices above. */
export function perMillion(cost: EventCost) {
  const writeUnits = cost.writeUnits * 1_000_000;
  const storedGb = (cost.storedBytes * 1_000_000) / 1024 ** 3;
  return {
    writeUnits,
    writeDollars: (writeUnits / 1_000_000) * ON_DEMAND_PRICE.perMillionWriteUnits,
    storedGb,
    storageDollarsPerMonth: storedGb * ON_DEMAND_PRICE.perGbMonth,
  };
}
