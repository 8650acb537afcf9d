import type { StateValue } from '../commands/projection.ts';

/**
 * The merge model of the synced view: a last-writer-wins map, a CRDT. Every value is a register
 * stamped with the event that wrote it; of two registers the later stamp wins, by `(time, eventId)`.
 * A removal is a register holding `null` (a tombstone), so an older add that arrives late loses to
 * it. Merging is commutative, associative and idempotent: events merged in any order, any number of
 * times, or all at once, give the same state.
 */
export interface Stamp {
  /** The event's `EventTime` (epoch ms), or when it arrived when Tencent sends none. */
  readonly t: number;
  /** The event's id: two events of the same millisecond are still ordered, the same way everywhere. */
  readonly e: string;
}

export interface Register extends Stamp {
  readonly v: StateValue;
}

/**
 * One thing the view keeps (a group's profile, a member, a topic, a group's attributes, a user's
 * presence): its registers by name, and `resetAt`, before which every register counts as removed
 * (a group's attributes cleared or reset all at once). A store may keep more in a register (what it
 * cut to fit, state-item.ts): `R` carries it through the merge untouched.
 */
export interface Entity<R extends Register = Register> {
  readonly registers: Readonly<Record<string, R>>;
  readonly resetAt?: Stamp;
  /**
   * The latest stamp merged into it, registers or not (an event that changes no value still dates
   * the thing): its time is the view's `updatedAt`, and a store can tell from it alone whether a
   * patch is newer than everything it holds (dynamodb-state-store.ts writes those without reading).
   */
  readonly latest: Stamp;
}

export const compareStamps = (a: Stamp, b: Stamp): number => (a.t !== b.t ? a.t - b.t : a.e < b.e ? -1 : a.e > b.e ? 1 : 0);

/** Equal stamps mean the same event, so the same value; the value breaks the tie anyway, to stay a lattice. */
function later<R extends Register>(a: R, b: R): R {
  const order = compareStamps(a, b);
  if (order !== 0) return order > 0 ? a : b;
  return JSON.stringify(a.v) >= JSON.stringify(b.v) ? a : b;
}

export const laterStamp = <S extends Stamp | undefined>(a: S, b: S): S => (a === undefined ? b : b === undefined ? a : compareStamps(a, b) >= 0 ? a : b);

export function mergeEntities<R extends Register>(a: Entity<R> | undefined, b: Entity<R>): Entity<R> {
  if (a === undefined) return b;
  const registers: Record<string, R> = { ...a.registers };
  for (const [name, register] of Object.entries(b.registers)) {
    const mine = registers[name];
    registers[name] = mine === undefined ? register : later(mine, register);
  }
  const resetAt = laterStamp(a.resetAt, b.resetAt);
  // What a reset made invisible can go: anything older that arrives later is invisible too. This
  // keeps a group's attributes item from growing with every key it ever had.
  if (resetAt !== undefined) {
    for (const [name, register] of Object.entries(registers)) if (compareStamps(register, resetAt) < 0) delete registers[name];
  }
  return { registers, ...(resetAt === undefined ? {} : { resetAt }), latest: laterStamp(a.latest, b.latest) };
}

/** A register's value as the view shows it: absent when removed, or written before the entity's reset. */
export function valueIn(entity: Entity, name: string): StateValue | undefined {
  const register = entity.registers[name];
  if (register === undefined || register.v === null) return undefined;
  if (entity.resetAt !== undefined && compareStamps(register, entity.resetAt) < 0) return undefined;
  return register.v;
}

/** Whether two entities hold the same merge state: a write that changes nothing can be skipped. */
export const sameEntity = <R extends Register>(a: Entity<R>, b: Entity<R>): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const canonical = (entity: Entity<Register>) => ({
  r: Object.entries(entity.registers).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  s: entity.resetAt ?? null,
  l: entity.latest,
});
