import type { Body } from '../commands/definition.ts';
import { memberFields, type StateChange, type StateValue, topicFields } from '../commands/projection.ts';
import { commandDefinition } from '../commands/registry.ts';
import { parseExactJson } from '../shared/exact-json.ts';
import type { StoredEvent } from '../store/event-store.ts';
import type { Register, Stamp } from './lww.ts';
import { type EntityRef, type Patch, refId } from './patch.ts';

/** The stamp that orders an event's changes: Tencent's `EventTime`, else when it arrived (topic callbacks send none). */
export function stampOf(event: StoredEvent): Stamp {
  // A stored event's time is in milliseconds whatever the family sends (after-events.ts converts).
  return { t: event.eventTime ?? event.receivedAt, e: event.eventId };
}

/** A removal writes a tombstone for every value, so a re-join starts afresh. */
const removal = (fields: readonly string[]): Record<string, StateValue> => Object.fromEntries([['present', false], ...fields.map((name) => [name, null])]);

function target(change: StateChange, sdkAppId: string, groupId: string | undefined): [EntityRef, Record<string, StateValue>] | undefined {
  const group = (part: EntityRef['part'], key?: string) =>
    groupId === undefined ? undefined : { sdkAppId, scope: 'group' as const, id: groupId, part, ...(key === undefined ? {} : { key }) };
  let ref: EntityRef | undefined;
  let values: Record<string, StateValue | undefined>;
  switch (change.on) {
    case 'group':
      [ref, values] = [group('profile'), { ...change.set }];
      break;
    case 'member':
      [ref, values] = [group('member', change.account), change.removed ? removal(memberFields) : { present: true, ...change.set }];
      break;
    case 'topic':
      [ref, values] = [group('topic', change.topicId), change.removed ? removal(topicFields) : { present: true, ...change.set }];
      break;
    case 'attributes':
      [ref, values] = [group('attributes'), { ...change.set }];
      break;
    case 'presence':
      [ref, values] = [{ sdkAppId, scope: 'user', id: change.account, part: 'presence' }, { ...change.set }];
      break;
    case 'admin':
      [ref, values] = [group('admin', change.account), change.removed ? removal([]) : { present: true }];
      break;
    case 'seat':
      [ref, values] = [group('seat', change.index), { ...change.set }];
      break;
  }
  if (ref === undefined) return undefined;
  return [ref, Object.fromEntries(Object.entries(values).filter((entry): entry is [string, StateValue] => entry[1] !== undefined))];
}

/**
 * What a stored event does to the view, by its command's projection: one patch per entity it
 * touches, each register stamped with the event. Events that failed their schema, and commands with
 * no projection, change nothing. Changes of one event to the same entity apply in their order.
 *
 * The event says what the callback worked out when it arrived: whether the body passed its schema
 * (`valid`), and the group it is about (`groupId`, whole). Neither is worked out again here; only
 * the body's fields are read, for the projection.
 */
export function deltaOf(event: StoredEvent): Patch[] {
  const definition = commandDefinition(event.command);
  if (definition.projection === undefined || !event.valid) return [];
  // Read as the callback read it: an account id past 2^53 stays its digits (docs/protocol.md#big-integers).
  const body = parseExactJson(event.payload) as Body;
  const changes = definition.projection(body, event.optPlatform === undefined ? {} : { optPlatform: event.optPlatform });
  return patchesOf(changes, { sdkAppId: event.sdkAppId, groupId: event.groupId }, stampOf(event));
}

/**
 * Changes to the view as patches, each register stamped: what an event's projection says (deltaOf),
 * or what a reconciliation read from Tencent (functions/reconcile/). One patch per entity touched;
 * changes to the same entity apply in their order.
 */
export function patchesOf(changes: readonly StateChange[], about: { readonly sdkAppId: string; readonly groupId?: string }, stamp: Stamp): Patch[] {
  const patches = new Map<string, { ref: EntityRef; registers: Record<string, Register>; reset: boolean }>();
  for (const change of changes) {
    const found = target(change, about.sdkAppId, about.groupId);
    if (found === undefined) continue;
    const [ref, values] = found;
    const id = refId(ref);
    const patch = patches.get(id) ?? { ref, registers: {}, reset: false };
    for (const [name, value] of Object.entries(values)) patch.registers[name] = { v: value, ...stamp };
    if (change.on === 'attributes' && change.reset) patch.reset = true;
    patches.set(id, patch);
  }
  return [...patches.values()].map(({ ref, registers, reset }) => ({
    ref,
    entity: { registers, ...(reset ? { resetAt: stamp } : {}), latest: stamp },
  }));
}
