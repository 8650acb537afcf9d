import type { EventReader } from '../../functions/store/event-store.ts';
import { deltaOf } from '../../functions/state/delta.ts';
import type { StateStore } from '../../functions/state/state-store.ts';
import { mergePatches } from '../../functions/state/view.ts';

export interface RebuildCounts {
  readonly events: number;
  readonly removed: number;
  readonly written: number;
}

/** Entities written at once: enough to go fast, few enough not to throttle an on-demand table. */
const WRITES_AT_ONCE = 25;

/**
 * `npm run state -- --rebuild`: the view recomputed from every stored event (through the events
 * store's own listing, whatever its keys) and written in place of what the state table held. The
 * fold is the same merge the consumer does, so the result is what the stream would have made.
 */
export async function rebuildState(events: EventReader, state: StateStore, sdkAppIds: readonly string[]): Promise<RebuildCounts> {
  const stored = await events.list({ sdkAppIds, limit: Number.MAX_SAFE_INTEGER });
  const entities = [...mergePatches(new Map(), stored.flatMap(deltaOf)).values()];
  const removed = await state.clear(sdkAppIds);
  for (let start = 0; start < entities.length; start += WRITES_AT_ONCE) await state.apply(entities.slice(start, start + WRITES_AT_ONCE));
  return { events: stored.length, removed, written: entities.length };
}
