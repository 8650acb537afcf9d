import type { EventStore, StoredEvent } from '../functions/store/event-store.ts';

/** Called once the table holds a new event; it must not throw, and is not awaited by the callback. */
export type StoredEventListener = (event: StoredEvent) => void;

/**
 * The local stand-in for the events table's stream: every event the table took for the first time
 * is handed to the listeners (the state projection, the forwarder, the inspector), whether it came
 * from a callback or a spool replay. A duplicate is not news, as a stream would not carry it either.
 */
export function notifyingStore(store: EventStore, listeners: readonly StoredEventListener[]): EventStore {
  if (listeners.length === 0) return store;
  return {
    async put(event, options) {
      const outcome = await store.put(event, options);
      if (outcome === 'stored') {
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            console.error(`A listener of stored events failed on ${event.eventId}: ${(error as Error).message}`);
          }
        }
      }
      return outcome;
    },
  };
}
