import { deltaOf } from '../../functions/state/delta.ts';
import type { StateStore } from '../../functions/state/state-store.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { StoredEventListener } from './notifying-store.ts';

export interface LocalStateFeed {
  /** For notifyingStore: each newly stored event is projected into the state table, off the callback's path. */
  readonly listener: StoredEventListener;
  /** Resolves once every event handed over so far is in the state table (tests, and before the store closes). */
  idle(): Promise<void>;
}

/**
 * Local mode's stand-in for the state consumer (functions/state/handler.ts): dynalite has no
 * streams, so the same projection runs when the store says it took an event. The callback never
 * waits for it; a failure is logged, and `npm run state -- --rebuild` repairs what it missed.
 */
export function localStateFeed(state: StateStore, log: (message: string) => void = console.error): LocalStateFeed {
  const pending = new Set<Promise<void>>();
  // async, so that a body that cannot be projected fails into the catch below, not into the store.
  const project = async (event: StoredEvent) => state.apply(deltaOf(event));
  return {
    listener(event) {
      const projected = project(event)
        .catch((error: Error) => log(`The synced view missed ${event.eventId} (${event.command}): ${error.message}; npm run state -- --rebuild repairs it`))
        .finally(() => pending.delete(projected));
      pending.add(projected);
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
