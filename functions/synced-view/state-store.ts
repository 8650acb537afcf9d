import type { Patch } from './patch.ts';
import type { Lease, LeaseHolder } from './state-generations.ts';
import type { GroupView, UserView } from './view.ts';

/** One event's patches (deltaOf), named by `source` (a stream record, an event id) so a failure can say which. */
export interface SourcedPatches {
  readonly source: string;
  readonly patches: readonly Patch[];
}

/** A source whose patches could not all be written, and why; its other entities may be in. */
export interface PatchFailure {
  readonly source: string;
  readonly error: Error;
  /**
   * The table refuses what the patches would make (an item over DynamoDB's limit even with its values
   * cut): writing them again will fail again. Otherwise the table failed (out of reach, throttled),
   * and a later try may do.
   */
  readonly permanent: boolean;
}

export interface StateWriter {
  /**
   * Merges a batch of events' patches into the view. The patches of one entity are merged first and
   * the entity written once, so a burst to one group or user costs one write per thing it changed.
   * Concurrent calls never lose an update. Resolves with the sources whose patches could not all be
   * written (each alone, so one bad event does not fail its neighbours); rejects when none could be
   * (the table out of reach). Applying a source again is harmless: merging is idempotent.
   */
  apply(batch: readonly SourcedPatches[]): Promise<readonly PatchFailure[]>;
}

/** A rebuild's new generation of the view, leased for as long as the rebuild runs (state-generations.ts). */
export interface GenerationBuild extends StateWriter {
  /** The generation opened, per SDKAppID. `apply` writes only to it; the consumer writes to it too meanwhile. */
  readonly generations: ReadonlyMap<string, number>;
  /** Makes it the view, then removes every older generation's items; says how many went. Fails, leaving the view as it was, if the lease was lost. */
  swap(): Promise<number>;
  /** Gives it up: the view stays as it was; its items go with the next rebuild's swap. */
  abandon(): Promise<void>;
}

export interface OpenGenerationOptions {
  /** Who rebuilds, for a second rebuild's refusal to name. */
  readonly holder: LeaseHolder;
  /** Whether a live lease is one its holder can no longer renew (its process is gone): taken over rather than refused. */
  readonly abandoned?: (lease: Lease) => boolean;
}

/**
 * The port the projection writes through and the CLI reads through; dynamodb-state-store.ts is its
 * adapter (the state table, in AWS and locally).
 */
export interface StateStore extends StateWriter {
  group(sdkAppId: string, groupId: string): Promise<GroupView | undefined>;
  user(sdkAppId: string, account: string): Promise<UserView | undefined>;
  /** A new generation for a rebuild of these SDKAppIDs; RebuildRefusedError while another rebuild holds one. */
  openGeneration(sdkAppIds: readonly string[], options: OpenGenerationOptions): Promise<GenerationBuild>;
}
