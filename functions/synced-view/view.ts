import { type GroupProfile, memberFields, type PresenceFields, presenceFields, profileFields, seatFields, topicFields } from '../commands/projection.ts';
import { type Entity, mergeEntities, valueIn } from './lww.ts';
import { type Patch, refId } from './patch.ts';

/** A thing's values as the view shows them: removals and absent values left out. */
type Shown<Names extends readonly string[]> = { readonly [name in Names[number]]?: string };

/** What `npm run state -- --json` prints for a group: absent values are left out. */
export interface GroupView extends GroupProfile {
  readonly sdkAppId: string;
  readonly groupId: string;
  readonly members: readonly ({ readonly account: string } & Shown<typeof memberFields>)[];
  readonly topics: readonly ({ readonly topicId: string } & Shown<typeof topicFields>)[];
  readonly attributes: Readonly<Record<string, string>>;
  /** A live room's admins (docs/synced-view.md#live-rooms): present only when it has some. */
  readonly admins?: readonly string[];
  /** A live room's seats by index, in index order, an empty one without `account`: present only when it has some. */
  readonly seats?: readonly ({ readonly index: string } & {
    readonly account?: string;
    readonly takenDisabled?: boolean;
    readonly videoDisabled?: boolean;
    readonly audioDisabled?: boolean;
  })[];
  /** The latest event time (epoch ms) of a change applied to the group. */
  readonly updatedAt: number;
}

export interface UserView extends PresenceFields {
  readonly sdkAppId: string;
  readonly account: string;
  readonly updatedAt: number;
}

/** The shown values of some registers, in the order named, the absent ones left out. */
function values(entity: Entity | undefined, names: readonly string[]): Record<string, string | boolean> {
  const shown: Record<string, string | boolean> = {};
  for (const name of names) {
    const value = entity === undefined ? undefined : valueIn(entity, name);
    if (value !== undefined && value !== null) shown[name] = value;
  }
  return shown;
}

const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Whether a member or topic is there now: the latest word on it was not a removal. */
const present = (entity: Entity) => valueIn(entity, 'present') === true;

/** A group's view from every entity the store holds for it; `undefined` when it holds none. */
export function groupView(sdkAppId: string, groupId: string, entities: readonly Patch[]): GroupView | undefined {
  if (entities.length === 0) return undefined;
  const profile = entities.find(({ ref }) => ref.part === 'profile')?.entity;
  const attributes = entities.find(({ ref }) => ref.part === 'attributes')?.entity;
  const keyed = (part: 'member' | 'topic' | 'admin') =>
    entities
      .filter(({ ref, entity }) => ref.part === part && present(entity))
      .map(({ ref, entity }) => [ref.key!, entity] as [string, Entity])
      .sort(byKey);
  const admins = keyed('admin').map(([account]) => account);
  // Seats in the order of their index (a number), whatever the text sorts as.
  const seats = entities
    .filter(({ ref }) => ref.part === 'seat')
    .map(({ ref, entity }) => ({ index: ref.key!, ...values(entity, seatFields) }))
    .sort((a, b) => Number(a.index) - Number(b.index) || (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  return {
    sdkAppId,
    groupId,
    ...values(profile, profileFields),
    members: keyed('member').map(([account, entity]) => ({ account, ...values(entity, memberFields) })),
    topics: keyed('topic').map(([topicId, entity]) => ({ topicId, ...values(entity, topicFields) })),
    attributes: Object.fromEntries(
      Object.entries(values(attributes, Object.keys(attributes?.registers ?? {}).sort())).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
    ...(admins.length === 0 ? {} : { admins }),
    ...(seats.length === 0 ? {} : { seats }),
    updatedAt: Math.max(...entities.map(({ entity }) => entity.latest.t)),
  };
}

/** A user's view from their presence entity; `undefined` when there is none. */
export function userView(sdkAppId: string, account: string, presence: Entity | undefined): UserView | undefined {
  if (presence === undefined) return undefined;
  return { sdkAppId, account, ...values(presence, presenceFields), updatedAt: presence.latest.t };
}

/** The pure fold: patches merged into a map of entities by their ref (the model the stores follow). */
export function mergePatches(state: ReadonlyMap<string, Patch>, patches: Iterable<Patch>): Map<string, Patch> {
  const next = new Map(state);
  for (const patch of patches) {
    const id = refId(patch.ref);
    next.set(id, { ref: patch.ref, entity: mergeEntities(next.get(id)?.entity, patch.entity) });
  }
  return next;
}
