/**
 * What the reconciliation needs of the synced view (functions/synced-view/), as a port: the groups it
 * holds, a group as it shows it, and a way to write changes through the view's own order-proof merge.
 * The adapter is thin on purpose: the view's store owns its keys and its merge; this only turns the
 * reconciliation's changes into the view's patches (delta.ts `patchesOf`), stamped as it is told.
 */
import type { StateChange } from '../commands/projection.ts';
import { patchesOf } from '../synced-view/delta.ts';
import type { Stamp } from '../synced-view/lww.ts';
import type { StateStore } from '../synced-view/state-store.ts';
import type { GroupView } from '../synced-view/view.ts';

export interface ReconcileView {
  /** The ids of the groups the view holds anything of, each once. */
  groupIds(sdkAppId: string): AsyncIterable<string>;
  group(sdkAppId: string, groupId: string): Promise<GroupView | undefined>;
  /** Merges the changes into the view, every register stamped `stamp`: a later real event still wins. */
  write(sdkAppId: string, groupId: string, changes: readonly StateChange[], stamp: Stamp): Promise<void>;
}

/** The state store (DynamoDbStateStore, in AWS and locally) as the reconciliation's view. */
export function stateStoreView(store: Pick<StateStore, 'apply' | 'group'> & { groups(sdkAppId: string): AsyncIterable<string> }): ReconcileView {
  return {
    groupIds: (sdkAppId) => store.groups(sdkAppId),
    group: (sdkAppId, groupId) => store.group(sdkAppId, groupId),
    write: async (sdkAppId, groupId, changes, stamp) => {
      // One source, the group: its failure is the write's.
      const [failure] = await store.apply([{ source: `reconcile ${groupId}`, patches: patchesOf(changes, { sdkAppId, groupId }, stamp) }]);
      if (failure !== undefined) throw failure.error;
    },
  };
}
