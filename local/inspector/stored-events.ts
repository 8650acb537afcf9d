import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';

/**
 * The stored events a page shows from before it opened, newest first. The one call into the events
 * store's listing port (`pages`), so a change of that port changes this function only.
 */
export async function recentStoredEvents(reader: EventReader, sdkAppIds: readonly string[], limit: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const page of reader.pages({ sdkAppIds, limit })) {
    events.push(...page);
    if (events.length >= limit) break;
  }
  return events.slice(0, limit);
}
