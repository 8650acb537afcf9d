import { itemBytes } from '../functions/shared/item-size.ts';
import { ActorHeat, RECEIVER_HEAT_THRESHOLD, WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../functions/store/actor-heat.ts';
import { derivedItems } from '../functions/store/derived-items.ts';
import { eventIdOf } from '../functions/store/event-id.ts';
import { itemOf } from '../functions/store/event-item.ts';
import { actorKey, eventKeyOf } from '../functions/store/event-keys.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { attributes as at, eventsTable } from '../functions/store/events-table.ts';
import { legacyIndexes } from '../functions/store/legacy/legacy-table.ts';

/**
 * The key design under load, computed rather than hoped for: a simulated traffic mix goes through the
 * real key functions (eventKeyOf for the table, actorKey for `byActor`) and the real adaptive decision
 * (ActorHeat, one per simulated receiver instance, as each Lambda instance keeps its own), and every
 * partition key's write rate is counted. The fan-out's indexer stage then writes its derived items
 * (derivedItems: pointers and digests, docs/key-design.md#the-indexer) from the same events in stream
 * batches of 100, with its own whole-traffic heat, and their keys are counted too: over the mix's
 * first 3,600 events only (36 batches, a fifth of a second), as the indexer costs ~0.2 ms an event to
 * simulate and writes at the same rates every second. The test
 * (test/bench/capacity-model.test.ts) and `npm run bench` both print it.
 */

export interface TrafficStream {
  readonly name: string;
  readonly command: string;
  readonly perSecond: number;
  /** The groups the events are spread over (none: one-to-one, presence). */
  readonly groups: number;
  /** The accounts that send or change. */
  readonly users: number;
  /** A live room: its definition's busy rule spreads it over its wide keys. */
  readonly live?: boolean;
}

/** The mix issue 12 names: one live room at 10,000/s, a thousand small groups, C2C at 5,000/s, presence. */
export const trafficMix: readonly TrafficStream[] = [
  { name: 'one live room', command: 'Group.CallbackAfterSendMsg', perSecond: 10_000, groups: 1, users: 50_000, live: true },
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
  // Words drawn in a fixed pseudo-random order: a chat text compresses about as people's do, not as 'xxx…' would.
  const words = 'the red packet is here come and open it quick before the live show ends tonight see you at eight thanks so much for the gift'.split(' ');
  const prose = (fill: number) => {
    let text = '';
    for (let r = n + 1; text.length < fill; ) {
      r = (Math.imul(r, 1_103_515_245) + 12_345) >>> 0;
      text += `${words[r % words.length]} `;
    }
    return text.slice(0, fill);
  };
  const text = (fill: number) =>
    JSON.stringify({ ...head, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: prose(fill) } }], EventTime: 1_764_600_000_000 + n });
  return text(Math.max(0, bytes - Buffer.byteLength(text(0))));
}

/** Receiver instances the mix keeps busy: 18,000/s at ~15 ms each is ~270 concurrent Lambdas. */
export const RECEIVER_INSTANCES = 270;

/**
 * An event of the stream as the domain event carries it: a group message's place is its group and its
 * actor the sender; a one-to-one message's place its receiver; a presence change's place its account,
 * with no actor. Arrivals spread evenly over the second.
 */
function eventOf(stream: TrafficStream, n: number, second: number): StoredEvent {
  const user = `user${(n * 7_919) % stream.users}`;
  const groupId = stream.groups === 0 ? undefined : `@TGS#${stream.name.length}${n % stream.groups}`;
  const at = 1_764_600_000_000 + second * 1_000 + Math.floor(((n % stream.perSecond) * 1_000) / stream.perSecond);
  const presence = stream.command === 'State.StateChange';
  // Whom a one-to-one message goes to: anyone of 100,000 (a bot answers many people).
  const receiver = `peer${(n * 104_729 + 1) % 100_000}`;
  // The body's fields that name subjects, as Tencent sends them (the indexer reads them by the command's
  // definition); no message text: only keys are counted.
  const payload =
    groupId !== undefined
      ? `{"GroupId":"${groupId}","Type":"${stream.live === true ? 'AVChatRoom' : 'Public'}","From_Account":"${user}","EventTime":${at},"Random":${n}}`
      : presence
        ? `{"EventTime":${at},"Info":{"Action":"Login","To_Account":"${user}","Reason":"Register"},"Random":${n}}`
        : `{"From_Account":"${user}","To_Account":"${receiver}","MsgTime":${Math.floor(at / 1_000)},"MsgRandom":${n}}`;
  return {
    eventId: eventIdOf(APP, stream.command, payload),
    command: stream.command,
    kind: 'after',
    sdkAppId: APP,
    groupId,
    user,
    actor: presence ? undefined : user,
    placeAccount: groupId === undefined ? (presence ? user : receiver) : undefined,
    busy: stream.live === true,
    eventTime: at,
    receivedAt: at,
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

/** What the fan-out's indexer wrote for the mix (derived-items.ts), beside the events. */
export interface DerivedLoad {
  readonly events: number;
  readonly pointers: number;
  readonly digests: number;
  /** Their write units per event: one per started KB of each item (they carry no index key). */
  readonly writeUnitsPerEvent: number;
}

export interface KeyModel {
  readonly loads: KeyLoad[];
  /** The actors some receiver instance spread wide. */
  readonly widened: readonly string[];
  /** The indexer's items (none for the first design, which had none). */
  readonly derived?: DerivedLoad;
}

/** The fan-out consumer's stream batch (infra/stream-consumer.ts `batchSize`). */
export const STREAM_BATCH = 100;
/** How many of the mix's first events the indexer is simulated over: 36 batches. */
export const DERIVED_SAMPLE = 3_600;

/** Which instance takes the n-th request: Lambda routes requests to instances in no order; a multiplicative hash. */
const instanceOf = (n: number, instances: number) => (Math.imul(n + 1, 2_654_435_761) >>> 0) % instances;

/**
 * Per-key write rates over `seconds` of the mix: the table (its place keys) and `byActor` (the actor's
 * keys, narrow or wide as the instance that took the event decided); or, `legacy`, the first design's
 * unspread indexes, for comparison.
 */
export function keyModel(
  options: { seconds?: number; mix?: readonly TrafficStream[]; legacy?: boolean; instances?: number; derivedEvents?: number } = {},
): KeyModel {
  const { seconds = 10, mix = trafficMix, legacy = false, instances = RECEIVER_INSTANCES, derivedEvents = DERIVED_SAMPLE } = options;
  const perSecond = mix.reduce((sum, stream) => sum + stream.perSecond, 0);
  const derivedWheres = new Set(['pointers', 'digests']);
  // The derived items' rates are over the part of a second their sample spans.
  const secondsOf = (where: string) => (derivedWheres.has(where) ? Math.min(derivedEvents, perSecond) / perSecond : seconds);
  const wheres = legacy
    ? ['table', ...Object.values(legacyIndexes).map((index) => index.indexName)]
    : ['table', eventsTable.byActor.indexName, 'pointers', 'digests'];
  const counts = new Map<string, Map<string, number>>(wheres.map((where) => [where, new Map()]));
  const heats = Array.from({ length: instances }, () => new ActorHeat({ threshold: RECEIVER_HEAT_THRESHOLD }));
  const widened = new Set<string>();
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
  // The indexer: its own heat (it sees the whole traffic), a batch's items written together.
  const indexerHeat = new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD });
  const derived = { events: 0, pointers: 0, digests: 0, writeUnits: 0 };
  /** The first second's sampled items, with their arrival: the stream hands them over in time order. */
  const sample: { at: number; item: Record<string, unknown> }[] = [];
  const index = (batch: Record<string, unknown>[]) => {
    const items = derivedItems(batch, `shard-0\n${derived.events}`, { heat: indexerHeat });
    derived.events += batch.length;
    for (const [where, list] of [
      ['pointers', items.pointers],
      ['digests', items.digests],
    ] as const) {
      for (const item of list) {
        count(where, item[at.partition]);
        derived.writeUnits += Math.ceil(itemBytes(item) / 1_024);
      }
      derived[where] += list.length;
    }
  };
  let n = 0;
  for (let second = 0; second < seconds; second += 1) {
    thisSecond = new Map();
    for (const stream of mix) {
      for (let i = 0; i < stream.perSecond; i += 1) {
        const event = eventOf(stream, second * stream.perSecond + i, second);
        n += 1;
        if (legacy) {
          const item = legacyItemOf(event);
          count('table', item.eventId);
          for (const index of Object.values(legacyIndexes)) count(index.indexName, item[index.partitionKey]);
          continue;
        }
        const key = eventKeyOf(event);
        count('table', key.partitionKey);
        let actor: string | undefined;
        if (event.actor !== undefined) {
          const wide = heats[instanceOf(n, instances)]!.observe(event.actor, event.receivedAt);
          if (wide) widened.add(event.actor);
          actor = actorKey(event.sdkAppId, event.actor, event.eventId, wide);
          count(eventsTable.byActor.indexName, actor);
        }
        // Each stream's first events of the first second, its share of the sample: they span the same moment.
        if (second > 0 || i >= (derivedEvents * stream.perSecond) / perSecond) continue;
        sample.push({ at: event.receivedAt, item: itemOf(event, actor === undefined ? key : { ...key, actorKey: actor }) });
      }
    }
    if (second === 0) {
      sample.sort((a, b) => a.at - b.at);
      for (let start = 0; start < sample.length; start += STREAM_BATCH) index(sample.slice(start, start + STREAM_BATCH).map(({ item }) => item));
    }
  }
  const loads = [...counts].map(([where, map]) => {
    const [hottestKey, hottest] = [...map].reduce((top, entry) => (entry[1] > top[1] ? entry : top), ['-', 0] as [string, number]);
    return {
      where,
      keys: map.size,
      hottestKey,
      hottestPerSecond: hottest === 0 ? 0 : hottest / secondsOf(where),
      shareOfLimit: hottest === 0 ? 0 : hottest / secondsOf(where) / PARTITION_WRITES_PER_SECOND,
      peakInOneSecond: peaks.get(where) ?? 0,
    };
  });
  if (legacy) return { loads, widened: [...widened] };
  const { writeUnits, ...written } = derived;
  return { loads, widened: [...widened], derived: { ...written, writeUnitsPerEvent: writeUnits / Math.max(1, derived.events) } };
}

/** The per-key loads alone. */
export const keyLoads = (options: Parameters<typeof keyModel>[0] = {}): KeyLoad[] => keyModel(options).loads;

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
