import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';

/**
 * The stored events a page shows from before it opened, newest first. The one call into the events
 * store's listing API, so a change of that API changes this function only.
 */
export const recentStoredEvents = (reader: EventReader, sdkAppIds: readonly string[], limit: number): Promise<StoredEvent[]> =>
  reader.list({ sdkAppIds, limit });
