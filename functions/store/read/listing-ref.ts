import { MAX_KEY_TIME, time13 } from '../event-keys.ts';
import type { EventFilter } from '../event-store.ts';
import type { ItemKey } from './items-by-key.ts';

/**
 * One event as a listing's source finds it (docs/key-design.md#listings): its place in the listing
 * (`order`, the event's sort key, or its first arrival's for an untimed one: the same whichever way
 * it is reached, so a listing lists it once), where the event item is, and the item when the source
 * read it already.
 */
export interface Ref {
  readonly order: string;
  readonly key: ItemKey;
  readonly item?: Record<string, unknown>;
}

/** A source of refs, newest first. */
export type RefSource = AsyncIterator<Ref>;

/** `~` sorts after `#` and every hex digit: the end of a time's range. */
const END = '~';

/** A filter's time range as sort key bounds (both included): since included, until excluded. */
export function sortBounds(filter: Pick<EventFilter, 'since' | 'until'>, extraMs = 0): { lower: string; upper: string } {
  const until = filter.until === undefined ? MAX_KEY_TIME : Math.min(filter.until - 1 + extraMs, MAX_KEY_TIME);
  return { lower: time13(filter.since ?? 0), upper: `${time13(until)}#${END}` };
}

/** Whether a time is within a filter's range. */
export const withinRange = (time: number, filter: Pick<EventFilter, 'since' | 'until'>) =>
  (filter.since === undefined || time >= filter.since) && (filter.until === undefined || time < filter.until);
