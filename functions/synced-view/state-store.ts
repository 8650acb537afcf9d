import type { Patch } from './patch.ts';
import type { GroupView, UserView } from './view.ts';

/**
 * The port the projection writes through and the CLI reads through; dynamodb-state-store.ts is its
 * adapter (the state table, in AWS and locally).
 */
export interface StateStore {
  /** Merges each patch into what is stored. Concurrent calls on the same entity never lose an update. */
  apply(patches: readonly Patch[]): Promise<void>;
  group(sdkAppId: string, groupId: string): Promise<GroupView | undefined>;
  user(sdkAppId: string, account: string): Promise<UserView | undefined>;
  /** Removes every entity of these SDKAppIDs (a rebuild starts from nothing); says how many. */
  clear(sdkAppIds: readonly string[]): Promise<number>;
}
