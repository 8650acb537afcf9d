import { createHash } from 'node:crypto';
import { clipUtf8 } from '../shared/clip.ts';
import { itemBytes } from '../shared/item-size.ts';
import { keyPart } from '../store/key-part.ts';
import { compareStamps, type Entity, laterStamp, type Register, type Stamp } from './lww.ts';
import type { EntityRef, Part } from './patch.ts';
import { stateTable } from './state-table.ts';

// The document client's items: attributes of any type, read back through this module's own checks.
// biome-ignore lint/suspicious/noExplicitAny: the SDK's item type is Record<string, any>
export type Item = Record<string, any>;

/**
 * What DynamoDB holds, and what the view keeps of what it cannot
 * (docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html).
 */
export const stateLimits = {
  /** DynamoDB's: a partition key's UTF-8. */
  partitionKeyBytes: 2_048,
  /** DynamoDB's: a sort key's UTF-8 (`member#` and a 512-character account may take 1,543). */
  sortKeyBytes: 1_024,
  /** DynamoDB's: an item, names and values. A bigger one is not written, and the error says why. */
  itemBytes: 400 * 1_024,
  /**
   * A value longer than this is cut to it, and the register says how long it was (`cut`). Tencent's
   * longest values (a group attribute's) are a few KB: only a hostile sender's are cut.
   */
  valueBytes: 4_096,
  /**
   * A register's name (a group attribute's key) longer than this is hashed in the attribute's name,
   * and the register keeps it cut (`name`) with its length (`nameBytes`). DynamoDB Local fails on
   * attribute names of tens of KB, and a name counts in the item's size.
   */
  registerNameBytes: 255,
} as const;

/**
 * A register as the table keeps it: the model's (lww.ts), and what the store cut to make it fit. The
 * merge carries these marks with the register they belong to.
 */
export interface StoredRegister extends Register {
  /** The value's length in UTF-8 bytes before it was cut to `stateLimits.valueBytes`. */
  readonly cut?: number;
  /** A name too long for the item (its attribute is named by its hash): its start, and its length. */
  readonly name?: string;
  readonly nameBytes?: number;
}

/** An entity as the table keeps it: registers by their attribute's name (`r:<name>`, or `h:<hash>`). */
export type StoredEntity = Entity<StoredRegister>;

/** The item's own attributes; every other is a register, named `r:` or `h:` so that none can clash. */
const NAMED = 'r:';
const HASHED = 'h:';

/**
 * Where an entity's items are (state-table.ts): its partition key in a generation of the view
 * (state-generations.ts). Generation 0, the view before any rebuild, has no mark.
 */
export function partitionKeyOf(owner: Pick<EntityRef, 'sdkAppId' | 'scope' | 'id'>, generation: number): string {
  const { text, hashed } = keyPart(owner.id);
  return `${owner.scope === 'group' ? 'G' : 'U'}${hashed ? 'H' : ''}#${owner.sdkAppId}${generation === 0 ? '' : `:${generation}`}#${text}`;
}

/** The sort key, and the member's or topic's id when the key holds its hash instead. */
function sortKeyOf(ref: Pick<EntityRef, 'part' | 'key'>): { readonly sk: string; readonly key?: string } {
  if (ref.key === undefined) return { sk: ref.part };
  const { text, hashed } = keyPart(ref.key, stateLimits.sortKeyBytes - Buffer.byteLength(`${ref.part}H#`));
  return hashed ? { sk: `${ref.part}H#${text}`, key: ref.key } : { sk: `${ref.part}#${text}` };
}

export const keyOf = (ref: EntityRef, generation: number) => ({
  [stateTable.partitionKey]: partitionKeyOf(ref, generation),
  [stateTable.sortKey]: sortKeyOf(ref).sk,
});

/** What the item says besides its registers: whose it is, and (hashed) which member or topic. */
export function ownAttributes(ref: EntityRef, generation: number): Item {
  const { key } = sortKeyOf(ref);
  const kept = key === undefined ? undefined : clipUtf8(key, stateLimits.valueBytes);
  return {
    ...keyOf(ref, generation),
    sdkAppId: ref.sdkAppId,
    ...(generation === 0 ? {} : { generation }),
    ...(key === undefined ? {} : { key: kept, ...(kept === key ? {} : { keyBytes: Buffer.byteLength(key) }) }),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A register's attribute: its name, or the name's hash when too long to be one. */
const attributeOf = (name: string) => (Buffer.byteLength(name) <= stateLimits.registerNameBytes ? `${NAMED}${name}` : `${HASHED}${sha256(name)}`);

function storedRegister(name: string, register: Register): StoredRegister {
  const { v } = register;
  const valueBytes = typeof v === 'string' ? Buffer.byteLength(v) : 0;
  const nameBytes = Buffer.byteLength(name);
  return {
    ...register,
    ...(valueBytes > stateLimits.valueBytes ? { v: clipUtf8(v as string, stateLimits.valueBytes), cut: valueBytes } : {}),
    ...(nameBytes > stateLimits.registerNameBytes ? { name: clipUtf8(name, stateLimits.registerNameBytes), nameBytes } : {}),
  };
}

/** A patch's entity as the table would keep it: names made attributes, long values cut and marked. */
export function storedEntity(entity: Entity): StoredEntity {
  const registers: Record<string, StoredRegister> = {};
  for (const [name, register] of Object.entries(entity.registers)) registers[attributeOf(name)] = storedRegister(name, register);
  return { registers, ...(entity.resetAt === undefined ? {} : { resetAt: entity.resetAt }), latest: entity.latest };
}

/** The view's entity of a stored one: its registers by their names again (a hashed one's cut name). */
export function shownEntity(stored: StoredEntity): Entity {
  const registers: Record<string, Register> = {};
  for (const [attribute, register] of Object.entries(stored.registers)) {
    registers[attribute.startsWith(NAMED) ? attribute.slice(NAMED.length) : (register.name ?? attribute)] = register;
  }
  return { ...stored, registers };
}

/**
 * An item's entity. Items written before generations (a `registers` map, `updatedAt`, no `latest`)
 * read the same: the next write of each puts it in today's layout.
 */
export function entityOfItem(item: Item): StoredEntity {
  const registers: Record<string, StoredRegister> = {};
  for (const [attribute, value] of Object.entries(item)) if (attribute.startsWith(NAMED) || attribute.startsWith(HASHED)) registers[attribute] = value;
  for (const [name, register] of Object.entries((item.registers ?? {}) as Record<string, Register>))
    registers[attributeOf(name)] ??= storedRegister(name, register);
  const resetAt = item.resetAt as Stamp | undefined;
  const latest =
    (item.latest as Stamp | undefined) ??
    [...Object.values(registers), ...(resetAt === undefined ? [] : [resetAt])].reduce<Stamp>((a, b) => laterStamp(a, { t: b.t, e: b.e }), {
      t: Number(item.updatedAt ?? 0),
      e: '',
    });
  return { registers, ...(resetAt === undefined ? {} : { resetAt }), latest };
}

/** Whether an item is in today's layout (has `latest`): an older one is written anew even when nothing changed. */
export const isCurrentLayout = (item: Item): boolean => item.latest !== undefined && item.registers === undefined;

/** The whole item of an entity, to put; it says DynamoDB's limit when it is over it, rather than fail on it. */
export function itemOf(ref: EntityRef, generation: number, entity: StoredEntity, version: number): Item {
  const item: Item = {
    ...ownAttributes(ref, generation),
    version,
    latest: entity.latest,
    ...(entity.resetAt === undefined ? {} : { resetAt: entity.resetAt }),
    ...entity.registers,
  };
  const bytes = itemBytes(item);
  if (bytes > stateLimits.itemBytes) throw new StateItemTooLargeError(ref, bytes);
  return item;
}

/** An entity DynamoDB cannot hold even with its long values cut: its event is not projected, and this says why. */
export class StateItemTooLargeError extends Error {
  constructor(ref: EntityRef, bytes: number) {
    const what = ref.key === undefined ? ref.part : `${ref.part} ${clipUtf8(ref.key, 64)}`;
    super(
      `the ${what} of ${ref.scope} ${clipUtf8(ref.id, 64)} would take ${Math.ceil(bytes / 1_024)} KB, over DynamoDB's ${stateLimits.itemBytes / 1_024} KB item limit (values are cut to ${stateLimits.valueBytes} bytes, but there are too many)`,
    );
    this.name = 'StateItemTooLargeError';
  }
}

/** Whether a write failed on what it would store, not on the table: trying it again would fail again. */
export const isRefusedContent = (error: unknown): boolean =>
  error instanceof StateItemTooLargeError || (error instanceof Error && error.name === 'ValidationException');

/** DynamoDB's refusal of an item over its size limit (the same words from AWS, DynamoDB Local and dynalite). */
export const isItemTooLarge = (error: unknown): boolean => error instanceof Error && /item size .*exceeded/i.test(error.message);

/** An item's entity ref, of the group or user whose items were read. */
export function refOfItem(owner: Pick<EntityRef, 'sdkAppId' | 'scope' | 'id'>, item: Item): EntityRef {
  const sk = String(item[stateTable.sortKey]);
  const cut = sk.indexOf('#');
  if (cut < 0) return { ...owner, part: sk as Part };
  // `key` since generations; `wholeKey` before.
  const whole = (item.key ?? item.wholeKey) as string | undefined;
  const hashed = sk[cut - 1] === 'H' && whole !== undefined;
  return { ...owner, part: (hashed ? sk.slice(0, cut - 1) : sk.slice(0, cut)) as Part, key: hashed ? whole : sk.slice(cut + 1) };
}

/**
 * The stamp every register and reset of a patch is newer than, or undefined when it has none (it
 * then only dates the entity). An item whose `latest` is older holds nothing the patch could lose
 * to: writing the patch's registers over it is the whole merge (dynamodb-state-store.ts).
 */
export function earliestOf(entity: Entity<Register>): Stamp | undefined {
  let earliest: Stamp | undefined;
  for (const stamp of [...Object.values(entity.registers), ...(entity.resetAt === undefined ? [] : [entity.resetAt])]) {
    if (earliest === undefined || compareStamps(stamp, earliest) < 0) earliest = { t: stamp.t, e: stamp.e };
  }
  return earliest;
}
