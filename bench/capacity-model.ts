import { eventIdOf } from '../functions/store/event-id.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { indexAttributes } from '../functions/store/legacy/legacy-keys.ts';
import { eventsTable, type IndexShape, indexesAt, legacyIndexes } from '../functions/store/legacy/legacy-table.ts';

/**
 * The key design under load, computed rather than hoped for: a simulated traffic mix goes through the
 * real item builder (itemOf, so the real key functions) and every partition key's write rate is
 * counted, for the table and each index. The test (test/bench/capacity-model.test.ts) and
 * `npm run bench` both print it. Also what one event costs in write units and bytes, by DynamoDB's
 * sizing rules, before and after.
 */

export interface TrafficStream {
  readonly name: string;
  readonly command: string;
  readonly perSecond: number;
  /** The groups the events are spread over (none: one-to-one, presence). */
  readonly groups: number;
  /** The accounts that send or change. */
  readonly users: number;
}

/** The mix issue 12 names: one live room at 10,000/s, a thousand small groups, C2C at 5,000/s, presence. */
export const trafficMix: readonly TrafficStream[] = [
  { name: 'one live room', command: 'Group.CallbackAfterSendMsg', perSecond: 10_000, groups: 1, users: 50_000 },
  { name: '1,000 small groups', command: 'Group.CallbackAfterSendMsg', perSecond: 1_000, groups: 1_000, users: 10_000 },
  { name: 'one-to-one messages', command: 'C2C.CallbackAfterSendMsg', perSecond: 5_000, groups: 0, users: 100_000 },
  { name: 'presence changes', command: 'State.StateChange', perSecond: 2_000, groups: 0, users: 100_000 },
];

/** DynamoDB's write ceiling per partition key, and the share of it a key may take here: headroom for bursts. */
export const PARTITION_WRITES_PER_SECOND = 1_000;
export const HEADROOM_SHARE = 0.1;

const APP = '1400000000';
/** A 1 KB group message body, as Tencent sends one (the text padded to the size). */
export function messageBody(groupId: string, from: string, n: number, bytes = 1_024): string {
  const head = {
    CallbackCommand: 'Group.CallbackAfterSendMsg',
    GroupId: groupId,
    Type: 'AVChatRoom',
    From_Account: from,
    Operator_Account: from,
    Random: n,
    MsgSeq: n,
    MsgTime: 1_764_600_000 + n,
    OnlineOnlyFlag: 0,
  };
  const text = (fill: number) =>
    JSON.stringify({ ...head, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x'.repeat(fill) } }], EventTime: 1_764_600_000_000 + n });
  return text(Math.max(0, bytes - Buffer.byteLength(text(0))));
}

function eventOf(stream: TrafficStream, n: number, second: number): StoredEvent {
  const user = `user${(n * 7_919) % stream.users}`;
  const groupId = stream.groups === 0 ? undefined : `@TGS#${stream.name.length}${n % stream.groups}`;
  // Only the keys are counted here, so a short body will do: its id is hashed all the same.
  const payload = `{"n":${n},"s":"${stream.name}"}`;
  return {
    eventId: eventIdOf(APP, stream.command, payload),
    command: stream.command,
    kind: 'after',
    sdkAppId: APP,
    groupId,
    user,
    eventTime: 1_764_600_000_000 + second * 1_000,
    receivedAt: 1_764_600_000_000 + second * 1_000,
    payload,
    valid: true,
    expiresAt: 1_772_376_000,
  };
}

export interface KeyLoad {
  /** `table`, or the index's name. */
  readonly where: string;
  readonly keys: number;
  readonly hottestKey: string;
  readonly hottestPerSecond: number;
  /** The hottest key's rate over DynamoDB's per-key ceiling. */
  readonly shareOfLimit: number;
  /** The most writes any key took in any one second: hashing is even on average, not every second. */
  readonly peakInOneSecond: number;
}

/** Per-key write rates over `seconds` of the mix, for the table and each index of `indexes`. */
export function keyLoads(
  options: { seconds?: number; mix?: readonly TrafficStream[]; indexes?: readonly Omit<IndexShape, 'projection'>[]; legacy?: boolean } = {},
): KeyLoad[] {
  const { seconds = 10, mix = trafficMix, legacy = false } = options;
  const indexes = options.indexes ?? (legacy ? Object.values(legacyIndexes) : indexesAt());
  const counts = new Map<string, Map<string, number>>([['table', new Map()], ...indexes.map((index) => [index.indexName, new Map()] as const)]);
  const peaks = new Map<string, number>();
  let thisSecond = new Map<string, number>();
  const count = (where: string, key: unknown) => {
    if (typeof key !== 'string') return;
    const map = counts.get(where)!;
    map.set(key, (map.get(key) ?? 0) + 1);
    const slot = `${where}\n${key}`;
    const now = (thisSecond.get(slot) ?? 0) + 1;
    thisSecond.set(slot, now);
    if (now > (peaks.get(where) ?? 0)) peaks.set(where, now);
  };
  for (let second = 0; second < seconds; second += 1) {
    thisSecond = new Map();
    for (const stream of mix) {
      for (let i = 0; i < stream.perSecond; i += 1) {
        const event = eventOf(stream, second * stream.perSecond + i, second);
        const item = legacy ? legacyItemOf(event) : { ...event, ...indexAttributes(event) };
        count('table', item[eventsTable.partitionKey]);
        for (const index of indexes) count(index.indexName, item[index.partitionKey]);
      }
    }
  }
  return [...counts].map(([where, map]) => {
    const [hottestKey, hottest] = [...map].reduce((top, entry) => (entry[1] > top[1] ? entry : top), ['-', 0] as [string, number]);
    return {
      where,
      keys: map.size,
      hottestKey,
      hottestPerSecond: hottest / seconds,
      shareOfLimit: hottest / seconds / PARTITION_WRITES_PER_SECOND,
      peakInOneSecond: peaks.get(where) ?? 0,
    };
  });
}

/** The item the first design wrote: unspread keys (its test of the migration, and the "before" column). */
export function legacyItemOf(event: StoredEvent): Record<string, unknown> {
  return {
    ...event,
    ...(event.groupId === undefined ? {} : { [legacyIndexes.byGroup.partitionKey]: `${event.sdkAppId}#${event.groupId}` }),
    [legacyIndexes.byCommand.partitionKey]: `${event.sdkAppId}#${event.command}`,
    timeKey: `${new Date(event.eventTime ?? event.receivedAt).toISOString()}#${event.eventId}`,
  };
}

/** The model as a table: what the capacity test and `npm run bench` print. */
export function formatKeyLoads(loads: readonly KeyLoad[], legacy: readonly KeyLoad[] = []): string {
  const rows = [...loads, ...legacy.map((load) => ({ ...load, where: `${load.where} (first design)` }))];
  const line = (cells: string[]) => [cells[0]!.padEnd(24), ...cells.slice(1).map((cell) => cell.padStart(12))].join(' ').trimEnd();
  return [
    line(['where', 'keys written', 'hottest /s', 'of 1,000/s', 'peak in 1 s']),
    ...rows.map((load) =>
      line([load.where, String(load.keys), load.hottestPerSecond.toFixed(1), `${(load.shareOfLimit * 100).toFixed(1)}%`, String(load.peakInOneSecond)]),
    ),
  ].join('\n');
}
