/**
 * The reference the synced view is checked against: the stored events, once each, folded in time
 * order by plain assignment, the way one would by hand. No stamps, no registers, no tombstones: if
 * the merge model (functions/synced-view/) agrees with this for every order of delivery, it is right.
 */
import * as v from 'valibot';
import { subjectsOf } from '../../functions/commands/definition.ts';
import type { StateChange } from '../../functions/commands/projection.ts';
import { commandDefinition } from '../../functions/commands/registry.ts';
import { parseExactJson } from '../../functions/shared/exact-json.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { GroupView, UserView } from '../../functions/synced-view/view.ts';

type Fields = Record<string, string | boolean>;
interface Group {
  profile: Fields;
  members: Map<string, Fields>;
  topics: Map<string, Fields>;
  attributes: Map<string, string>;
  /** A live room's. */
  admins: Set<string>;
  seats: Map<string, Fields>;
  updatedAt: number;
}

const assign = (target: Fields, values: object) => {
  for (const [name, value] of Object.entries(values)) {
    if (value === null) delete target[name];
    else if (value !== undefined) target[name] = value as string | boolean;
  }
};

export function referenceFold(events: readonly StoredEvent[]) {
  const once = [...new Map(events.map((event) => [event.eventId, event])).values()];
  const time = (event: StoredEvent) => event.eventTime ?? event.receivedAt;
  once.sort((a, b) => time(a) - time(b) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const groups = new Map<string, Group>();
  const users = new Map<string, { fields: Fields; updatedAt: number }>();
  for (const event of once) {
    const definition = commandDefinition(event.command);
    const parsed = v.safeParse(definition.schema, parseExactJson(event.payload));
    if (definition.projection === undefined || !parsed.success) continue;
    const groupId = subjectsOf(definition, parsed.output).groupId;
    const changes: readonly StateChange[] = definition.projection(parsed.output, { optPlatform: event.optPlatform });
    for (const change of changes) {
      if (change.on === 'presence') {
        const user = users.get(change.account) ?? { fields: {}, updatedAt: 0 };
        assign(user.fields, change.set);
        user.updatedAt = time(event);
        users.set(change.account, user);
        continue;
      }
      if (groupId === undefined) continue;
      const group = groups.get(groupId) ?? {
        profile: {},
        members: new Map(),
        topics: new Map(),
        attributes: new Map(),
        admins: new Set<string>(),
        seats: new Map(),
        updatedAt: 0,
      };
      groups.set(groupId, group);
      group.updatedAt = time(event);
      if (change.on === 'group') assign(group.profile, change.set);
      if (change.on === 'member' || change.on === 'topic') {
        const things = change.on === 'member' ? group.members : group.topics;
        const id = change.on === 'member' ? change.account : change.topicId;
        if (change.removed) things.delete(id);
        else {
          const thing = things.get(id) ?? {};
          assign(thing, change.set ?? {});
          things.set(id, thing);
        }
      }
      if (change.on === 'admin') {
        if (change.removed) group.admins.delete(change.account);
        else group.admins.add(change.account);
      }
      if (change.on === 'seat') {
        const seat = group.seats.get(change.index) ?? {};
        assign(seat, change.set);
        group.seats.set(change.index, seat);
      }
      if (change.on === 'attributes') {
        if (change.reset) group.attributes.clear();
        for (const [key, value] of Object.entries(change.set ?? {})) {
          if (value === null) group.attributes.delete(key);
          else group.attributes.set(key, value);
        }
      }
    }
  }
  return { groups, users };
}

const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

export function referenceGroup(sdkAppId: string, groupId: string, fold: ReturnType<typeof referenceFold>): GroupView | undefined {
  const group = fold.groups.get(groupId);
  if (group === undefined) return undefined;
  return {
    sdkAppId,
    groupId,
    ...group.profile,
    members: sorted(group.members).map(([account, fields]) => ({ account, ...fields })),
    topics: sorted(group.topics).map(([topicId, fields]) => ({ topicId, ...fields })),
    attributes: Object.fromEntries(sorted(group.attributes)),
    ...(group.admins.size === 0 ? {} : { admins: [...group.admins].sort() }),
    ...(group.seats.size === 0 ? {} : { seats: [...group.seats].sort(([a], [b]) => Number(a) - Number(b)).map(([index, fields]) => ({ index, ...fields })) }),
    updatedAt: group.updatedAt,
  };
}

export function referenceUser(sdkAppId: string, account: string, fold: ReturnType<typeof referenceFold>): UserView | undefined {
  const user = fold.users.get(account);
  return user === undefined ? undefined : { sdkAppId, account, ...user.fields, updatedAt: user.updatedAt };
}
