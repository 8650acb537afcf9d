import type { Entity } from './lww.ts';

/** Which thing of the view an entity is: the state table's keys are made from this (dynamodb-state-store.ts). */
/** A live room's admins and seats are parts of the group its room id names (docs/synced-view.md#live-rooms). */
export type Part = 'profile' | 'member' | 'topic' | 'attributes' | 'presence' | 'admin' | 'seat';

export interface EntityRef {
  readonly sdkAppId: string;
  /** A group's things, or a user's presence. */
  readonly scope: 'group' | 'user';
  /** The group id, or the user's account. */
  readonly id: string;
  readonly part: Part;
  /** The member's or admin's account, the topic's id, the seat's index; absent for the other parts. */
  readonly key?: string;
}

/** What one event does to one entity: merged into what the view holds (mergeEntities). */
export interface Patch {
  readonly ref: EntityRef;
  readonly entity: Entity;
}

/** One string per entity, for maps and for grouping a batch's patches. */
export const refId = (ref: EntityRef): string => JSON.stringify([ref.sdkAppId, ref.scope, ref.id, ref.part, ref.key ?? '']);
