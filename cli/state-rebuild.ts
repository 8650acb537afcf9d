import type { EventReader } from '../functions/store/event-store.ts';
import { deltaOf } from '../functions/synced-view/delta.ts';
import type { StateStore } from '../functions/synced-view/state-store.ts';
import { mergePatches } from '../functions/synced-view/view.ts';

export interface RebuildCounts {
  readonly events: number;
  readonly removed: number;
  /** Entity writes: an entity touched by events of several pages is written once per page. */
  readonly written: number;
}

/** Entities written at once: enough to go fast, few enough not to throttle an on-demand table. */
const WRITES_AT_ONCE = 25;

/**
 * `npm run state -- --rebuild`: the view recomputed from every stored event (through the events
 * store's own listing, whatever its keys). The state table is cleared first, then each page of
 * events is merged in with the consumer's own merge: order does not matter to it, so what the stream
 * consumer projects during the rebuild is kept too, and memory holds one page, not the table.
 */
export async function rebuildState(events: EventReader, state: StateStore, sdkAppIds: readonly string[]): Promise<RebuildCounts> {
  const removed = await state.clear(sdkAppIds);
  let read = 0;
  let written = 0;
  for await (const page of events.pages({ sdkAppIds, limit: Number.POSITIVE_INFINITY })) {
    read += page.length;
    const entities = [...mergePatches(new Map(), page.flatMap(deltaOf)).values()];
    for (let start = 0; start < entities.length; start += WRITES_AT_ONCE) await state.apply(entities.slice(start, start + WRITES_AT_ONCE));
    written += entities.length;
  }
  return { events: read, removed, written };
}
