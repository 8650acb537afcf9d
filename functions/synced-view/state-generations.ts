import type { Item } from './state-item.ts';
import { stateTable } from './state-table.ts';

/**
 * Generations of the view, so that a rebuild never leaves it half made (docs/synced-view.md#rebuild).
 * Each SDKAppID has one small pointer item naming its current generation, whose items the view reads
 * and the consumer writes. A rebuild opens a new generation beside it under a lease: while the lease
 * runs, the consumer writes every change to both, so events that arrive during the rebuild are in
 * the new one too; the rebuild fills it from the stored events and makes it current in one write of
 * the pointer, then removes the older generations' items. The consumer reads the pointer once per
 * batch (one strongly consistent read of a few dozen bytes), never once per entity.
 *
 * Why that is enough: an event reaches the consumer only once it is stored, and the consumer reads
 * the pointer after its records arrive. So an event stored after the lease was taken is written to
 * the new generation by the consumer, and one stored before is read by the rebuild.
 */
export interface GenerationPointer {
  /** The generation the view is read from; 0 before any rebuild (the items' keys then carry none). */
  readonly current: number;
  /** The highest generation ever opened: a new one is never one an abandoned rebuild left items in. */
  readonly highest: number;
  readonly building?: Lease;
  /** Counts the pointer's writes: each is conditional on the one it read. */
  readonly version: number;
}

/** Who is building which generation, until when (epoch ms): the lease lapses if its holder dies. */
export interface Lease {
  readonly generation: number;
  readonly until: number;
  readonly host: string;
  readonly pid: number;
  /** When the rebuild started (epoch ms). */
  readonly since: number;
}

/** Who holds a lease: where the refusal of a second rebuild sends the user. */
export type LeaseHolder = Pick<Lease, 'host' | 'pid'>;

export const generationLease = {
  /**
   * How long a lease runs unless renewed. A rebuild that dies leaves the consumer writing twice for
   * at most this long, and a new rebuild waiting as long (at once on the same host: its pid is gone).
   */
  durationMs: 5 * 60_000,
  /** How often the rebuild renews it: four renewals may fail before it lapses. */
  renewEveryMs: 60_000,
  /**
   * The clocks of the rebuild and of the consumer may differ by this much: the rebuild makes its
   * generation current only while its lease has at least this long to run by its own clock.
   */
  clockSkewMs: 60_000,
} as const;

/** The pointer's item: its own partition, apart from every group's and user's (`V` is no scope's mark). */
export const pointerKey = (sdkAppId: string) => ({ [stateTable.partitionKey]: `V#${sdkAppId}`, [stateTable.sortKey]: 'generation' });

export const isPointerKey = (pk: unknown): boolean => typeof pk === 'string' && pk.startsWith('V#');

/** An app without a pointer has never been rebuilt: its view is generation 0. */
export const NO_POINTER: GenerationPointer = { current: 0, highest: 0, version: 0 };

export function pointerOfItem(item: Item | undefined): GenerationPointer {
  if (item === undefined) return NO_POINTER;
  return {
    current: Number(item.current ?? 0),
    highest: Number(item.highest ?? item.current ?? 0),
    ...(item.building === undefined ? {} : { building: item.building as Lease }),
    version: Number(item.version ?? 0),
  };
}

export const isLive = (lease: Lease | undefined, now: number): lease is Lease => lease !== undefined && lease.until > now;

/** The generations a change must reach: the current one, and the one a live rebuild is building. */
export const writtenGenerations = (pointer: GenerationPointer, now: number): number[] =>
  isLive(pointer.building, now) && pointer.building.generation !== pointer.current ? [pointer.current, pointer.building.generation] : [pointer.current];

/** A second rebuild while one holds the lease: says who holds it and until when, in one line. */
export class RebuildRefusedError extends Error {
  readonly lease: Lease;
  constructor(sdkAppId: string, lease: Lease) {
    super(
      `a rebuild of SDKAppID ${sdkAppId} is already under way (${lease.host}, pid ${lease.pid}, since ${new Date(lease.since).toISOString()}): let it finish, or if it died, run again after ${new Date(lease.until).toISOString()}, when its lease lapses`,
    );
    this.name = 'RebuildRefusedError';
    this.lease = lease;
  }
}

/** The rebuild lost its lease (renewals failed or came too late): its generation is not made current. */
export class LeaseLostError extends Error {
  constructor(sdkAppId: string, why: string) {
    super(`the rebuild of SDKAppID ${sdkAppId} lost its lease (${why}): the view was left as it was; run the rebuild again`);
    this.name = 'LeaseLostError';
  }
}
