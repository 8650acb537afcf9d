import { readAgain } from '../../callback/after-events.ts';
import type { StoredEvent } from '../event-store.ts';
import { legacyEventOf } from './legacy-table.ts';

/**
 * An item of a table of an earlier key design as this version's receiver would store its event: the
 * definition reads the body again (after-events.ts `readAgain`: accounts by role, place, actor, time),
 * and its arrival, TTL, client IP and platform stay. What the migration copies (migrate-events.ts),
 * and what a listing reads from the old table while the copy has not reached it.
 */
export const eventOfOldItem = (item: Record<string, unknown>): StoredEvent => readAgain(legacyEventOf(item));
