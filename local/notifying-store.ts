import type { EventStore, StoredEvent, WrittenKey } from '../functions/store/event-store.ts';

/**
 * Called once the table holds a new event, with the keys the put wrote (the local indexer builds the
 * stream's record from them); it must not throw, and is not awaited by the callback.
 */
export type StoredEventListener = (event: StoredEvent, key: WrittenKey) => void;

/**
 * The local stand-in for the events table's stream: every event the table took for the first time
 * is handed to the listeners (the state projection, the forwarder, the inspector), whether it came
 * from a callback or a spool replay. A duplicate is not news, as a stream would not carry it either.
 */
export function notifyingStore(store: EventStore, listeners: readonly StoredEventListener[]): EventStore {
  if (listeners.length === 0) return store;
  return {
    keyOf: (event) => store.keyOf(event),
    async put(event, options) {
      const result = await store.put(event, options);
      if (result.outcome === 'stored') {
        for (const listener of listeners) {
          try {
            listener(event, result.key);
          } catch (error) {
            console.error(`A listener of stored events failed on ${event.eventId}: ${(error as Error).message}`);
          }
        }
      }
      return result;
    },
  };
}
