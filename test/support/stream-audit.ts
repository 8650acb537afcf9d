/**
 * Whether the table's stream reached its consumers: every event of a run that the table holds (and so
 * every acknowledged one) is at the forward target (test/support/forward-target.ts) and in the synced
 * view. The events are event-stream.ts's: each creates a group of its own, named after it.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import type { StateStore } from '../../functions/synced-view/state-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { countBy } from './event-stream.ts';
import type { ForwardTarget } from './forward-target.ts';

export interface StreamAudit {
  /** Expected (acknowledged, or in the table), never POSTed to the forward target. */
  readonly notForwarded: string[];
  /** Expected, with no group in the synced view. */
  readonly notProjected: string[];
  /** Forwarded more than once: allowed (at least once), counted. */
  readonly forwardedAgain: number;
  /** Of the run's events (`ofRun`), forwarded though neither expected nor possibly under way. */
  readonly forwardedUnexpected: string[];
}

/** The synced view of the local state table on `client`. */
export const stateStoreOn = (client: DynamoDBDocumentClient): StateStore => new DynamoDbStateStore(client, LOCAL_STATE_TABLE_NAME);

/**
 * Checks the forward target and the view against `expected` (event id → the body sent under it);
 * `maybe` may have been forwarded too (they were under way). Only the run's events count (`tag`,
 * event-stream.ts's runTag): a new change log reconciles with the table's last minutes, which may
 * hold other runs' events when the table is shared.
 */
export async function auditStream(
  target: ForwardTarget,
  state: StateStore,
  sdkAppId: string,
  tag: string,
  expected: ReadonlyMap<string, string>,
  maybe: ReadonlySet<string> = new Set(),
): Promise<StreamAudit> {
  const forwarded = countBy(
    target.received.filter((event) => String(event.detail.groupId).startsWith(`@TGS#${tag}#`)).map((event) => String(event.detail.eventId)),
    (id) => id,
  );
  const notProjected: string[] = [];
  const ids = [...expected.keys()];
  // A few reads at a time: the view is read through the same store the receiver writes.
  for (let start = 0; start < ids.length; start += 16) {
    await Promise.all(
      ids.slice(start, start + 16).map(async (id) => {
        const { GroupId, Name } = JSON.parse(expected.get(id)!) as { GroupId: string; Name: string };
        const group = await state.group(sdkAppId, GroupId);
        if (group?.name !== Name) notProjected.push(id);
      }),
    );
  }
  return {
    notForwarded: ids.filter((id) => !forwarded.has(id)),
    notProjected,
    forwardedAgain: [...forwarded.values()].reduce((sum, times) => sum + times - 1, 0),
    forwardedUnexpected: [...forwarded.keys()].filter((id) => !expected.has(id) && !maybe.has(id)),
  };
}
