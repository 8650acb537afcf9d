import { setTimeout as sleep } from 'node:timers/promises';
import type { EventReader, StoredEvent } from '../functions/store/event-store.ts';
import { deltaOf } from '../functions/synced-view/delta.ts';
import type { Lease, LeaseHolder } from '../functions/synced-view/state-generations.ts';
import type { SourcedPatches, StateStore } from '../functions/synced-view/state-store.ts';

/** An event the rebuild could not project, and why: it is left out, and listed. */
export interface SkippedEvent {
  readonly eventId: string;
  readonly command: string;
  readonly reason: string;
}

export interface RebuildReport {
  /** Stored events read. */
  readonly events: number;
  readonly skipped: readonly SkippedEvent[];
  /** The generation each SDKAppID's view is now. */
  readonly generations: ReadonlyMap<string, number>;
  /** Items of the older generations removed once the new one was the view. */
  readonly removed: number;
}

/**
 * How long a rebuild of a deployed view waits after taking its lease: a global secondary index shows a
 * write within a second or so (DynamoDB's documentation calls it eventually consistent), and the
 * listing reads through them.
 */
export const INDEX_SETTLE_MS = 2_000;

export interface RebuildOptions {
  readonly holder: LeaseHolder;
  /** Whether a live lease's holder is gone (a rebuild on this host that died): taken over, not refused. */
  readonly abandoned?: (lease: Lease) => boolean;
  /**
   * How long to wait, once the lease is taken, before listing: a deployed events table's indexes are
   * eventually consistent, and an event stored just before the lease must be in the listing (the
   * consumer writes only events stored after it to the new generation). The local store needs none.
   */
  readonly settleMs?: number;
  /** Called after each page is written (a test runs the consumer there, as it would run meanwhile). */
  readonly afterPage?: () => Promise<void>;
}

/**
 * `npm run state -- --rebuild`: the view recomputed from every stored event (through the events
 * store's own listing, whatever its keys), into a new generation (state-generations.ts) that becomes
 * the view only once it is complete; until then, and if the rebuild fails, the view stays as it was.
 * It can run while events arrive: the consumer writes them to the new generation too. Each page of
 * events is merged in with the consumer's own merge, so memory holds one page, not the table.
 *
 * An event that cannot be projected (its body no longer parses, its group's attributes would pass
 * DynamoDB's item limit even cut) is skipped, counted and listed, never a reason to stop. A failure
 * of the table itself (out of reach, throttled past the SDK's retries) stops the rebuild: rebuilding
 * without those events would lose them from the view.
 */
export async function rebuildState(events: EventReader, state: StateStore, sdkAppIds: readonly string[], options: RebuildOptions): Promise<RebuildReport> {
  const build = await state.openGeneration(sdkAppIds, { holder: options.holder, abandoned: options.abandoned });
  try {
    if ((options.settleMs ?? 0) > 0) await sleep(options.settleMs);
    let read = 0;
    const skipped: SkippedEvent[] = [];
    const skip = (event: StoredEvent, error: Error) => skipped.push({ eventId: event.eventId, command: event.command, reason: error.message });
    for await (const page of events.pages({ sdkAppIds, limit: Number.POSITIVE_INFINITY })) {
      read += page.length;
      const batch: SourcedPatches[] = [];
      const byId = new Map<string, StoredEvent>();
      for (const event of page) {
        try {
          batch.push({ source: event.eventId, patches: deltaOf(event) });
          byId.set(event.eventId, event);
        } catch (error) {
          skip(event, error as Error);
        }
      }
      for (const { source, error, permanent } of await build.apply(batch)) {
        if (!permanent) throw error;
        skip(byId.get(source)!, error);
      }
      await options.afterPage?.();
    }
    const removed = await build.swap();
    return { events: read, skipped, generations: build.generations, removed };
  } catch (error) {
    await build.abandon().catch(() => undefined);
    throw error;
  }
}
