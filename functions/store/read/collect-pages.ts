import type { StoredEvent } from '../event-store.ts';

/** A listing's pages as one array: EventReader's `list`, for readers whose `pages` do the work. */
export async function collectPages(pages: AsyncIterable<readonly StoredEvent[]>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const page of pages) events.push(...page);
  return events;
}
