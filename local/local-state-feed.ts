import { setTimeout as sleep } from 'node:timers/promises';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { deltaOf } from '../functions/synced-view/delta.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import type { StateStore } from '../functions/synced-view/state-store.ts';
import { localClient } from './embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from './local-state-table.ts';
import type { StoredEventListener } from './notifying-store.ts';

/** Tries of one event's projection while running: about 40 s in all, as long as a store restart takes. */
const RETRIES = 12;
const delayMs = (attempt: number) => Math.min(100 * 2 ** attempt, 5_000);

export interface LocalStateFeed {
  /** Where the view is kept, to read it (the inspector's state pane). */
  readonly store?: StateStore;
  /** For notifyingStore: each newly stored event is projected into the state table, off the callback's path. */
  readonly listener: StoredEventListener;
  /** Resolves once every event handed over so far is in the state table (or reported missed). */
  idle(): Promise<void>;
  /** Stops waiting between tries: each projection under way gets one last try, then idle() resolves. */
  close(): Promise<void>;
}

/**
 * Local mode's stand-in for the state consumer (functions/synced-view/handler.ts): dynalite has no
 * streams, so the same projection runs when the store says it took an event. The callback never
 * waits for it. A store that just went down usually comes back (the spool's replays count on it
 * too), so a failed projection is tried again, as the stream's retries do in AWS; after the last
 * try it is logged, and `npm run state -- --rebuild` repairs what the view missed.
 */
export function localStateFeed(state: StateStore, log: (message: string) => void = console.error): LocalStateFeed {
  const pending = new Set<Promise<void>>();
  const closing = new AbortController();
  const project = async (event: StoredEvent) => {
    const batch = [{ source: event.eventId, patches: deltaOf(event) }];
    for (let attempt = 1; ; attempt++) {
      try {
        const [failure] = await state.apply(batch);
        if (failure !== undefined) throw failure.error;
        return;
      } catch (error) {
        if (attempt >= RETRIES || closing.signal.aborted) throw error;
        await sleep(delayMs(attempt), undefined, { signal: closing.signal }).catch(() => undefined);
      }
    }
  };
  const idle = async () => {
    while (pending.size > 0) await Promise.all(pending);
  };
  return {
    listener(event) {
      const projected = project(event)
        .catch((error: Error) => log(`The synced view missed ${event.eventId} (${event.command}): ${error.message}; npm run state -- --rebuild repairs it`))
        .finally(() => pending.delete(projected));
      pending.add(projected);
    },
    idle,
    async close() {
      closing.abort();
      await idle();
    },
  };
}

/**
 * The feed of the local store at `endpoint`, on a DynamoDB client of its own: the projection's
 * requests never queue in front of the callback's writes. Closing it closes the client too.
 */
export function localStoreStateFeed(endpoint: string): LocalStateFeed {
  const client = documentClient(localClient(endpoint));
  const store = new DynamoDbStateStore(client, LOCAL_STATE_TABLE_NAME);
  const feed = localStateFeed(store);
  return { ...feed, store, close: () => feed.close().finally(() => client.destroy()) };
}
