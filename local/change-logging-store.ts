import type { EventKey, EventStore } from '../functions/store/event-store.ts';
import type { KeyedEvent } from '../functions/store/read/table-items.ts';
import type { ChangeLog } from './change-log.ts';

/** The event the table holds at a key, with its item's keys (functions/store/read/table-items.ts), or undefined. */
export type StoredEventAt = (key: EventKey, options: { readonly signal?: AbortSignal }) => Promise<KeyedEvent | undefined>;

/**
 * The events table, as local mode writes it: every put whose outcome leaves the event in the table
 * appends it to the change log (change-log.ts), whether the table took it now (`stored`) or had it
 * already (`duplicate`: a retry of Tencent's, a spool replay of a write whose answer was lost, a
 * write that landed after its budget gave up on it). The log keeps each event once, as the table
 * holds it, with the keys its item has (the indexer reads them): a duplicate the log does not have
 * yet is read back from the table, where the put says the first delivery is, since the delivery
 * that found it there was received later. The put returns only once the event is on the log's disk,
 * so what the callback acknowledges, and what a spool replay takes out of the spool, is on its way to
 * the stream's consumers. A log that cannot append fails the put: the callback's fallback then keeps
 * the event, and its replay appends it.
 */
export function changeLoggingStore(store: EventStore, log: ChangeLog, storedEventAt: StoredEventAt): EventStore {
  return {
    keyOf: (event) => store.keyOf(event),
    async put(event, options = {}) {
      const result = await store.put(event, options);
      if (result.outcome === 'stored' || log.has(event.eventId)) await log.append(event, result.key);
      else {
        const held = await storedEventAt(result.key, options);
        await log.append(held?.event ?? event, held?.key ?? result.key);
      }
      return result;
    },
  };
}
