/**
 * `npx tencent-im events --follow`: each event the npm start on DATA_DIR stores, as it stores it, the
 * way `stripe logs tail` follows. It reads the receiver's feed (server-sent events, local/inspector/
 * routes.ts) rather than polling the table, so nothing is missed by time (an event whose EventTime is
 * old is still new to the table) and nothing is read twice. npm start not running yet, or
 * restarted: it waits, and says so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventFilter, StoredEvent } from '../functions/store/event-store.ts';
import type { FeedEvent } from '../local/inspector/inspector-types.ts';
import { liveEvents, routes } from '../local/inspector/routes.ts';
import { runningReceiver } from '../local/running-receiver.ts';

/** How often it looks for an npm start that is not (or no longer) there. */
const WAIT_MS = 500;

/** Whether an event passes the listing's filters (the ones that make sense for new events). */
export function matchesFilter(event: StoredEvent, filter: Pick<EventFilter, 'sdkAppIds' | 'groupId' | 'command' | 'user'>): boolean {
  return (
    filter.sdkAppIds.includes(event.sdkAppId) &&
    (filter.groupId === undefined || event.groupId === filter.groupId) &&
    (filter.command === undefined || event.command === filter.command) &&
    (filter.user === undefined || event.user === filter.user)
  );
}

/** The `data:` of each frame of the named event, as frames arrive. */
async function* frames(body: ReadableStream<Uint8Array>, name: string): AsyncGenerator<string> {
  let buffer = '';
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    const parts = buffer.split('\n\n');
    buffer = parts.pop()!;
    for (const part of parts) {
      const event = /^event: (.*)$/m.exec(part)?.[1];
      const data = /^data: (.*)$/m.exec(part)?.[1];
      if (event === name && data !== undefined) yield data;
    }
  }
}

export interface FollowOptions {
  readonly dataDir: string;
  readonly signal: AbortSignal;
  /** Told what happens to the connection (stderr). */
  readonly note: (line: string) => void;
}

/** Every event stored from now on, until `signal` aborts; across restarts of npm start. */
export async function* followEvents({ dataDir, signal, note }: FollowOptions): AsyncGenerator<StoredEvent> {
  let waiting = false;
  let wasConnected = false;
  while (!signal.aborted) {
    const running = runningReceiver(dataDir);
    if (running?.inspectorUrl === undefined) {
      if (!waiting) note(`Waiting for npm start on DATA_DIR=${dataDir}…`);
      waiting = true;
      await sleep(WAIT_MS, undefined, { signal }).catch(() => undefined);
      continue;
    }
    let response: Response;
    try {
      response = await fetch(new URL(routes.feed, running.inspectorUrl), { signal });
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
    } catch {
      await sleep(WAIT_MS, undefined, { signal }).catch(() => undefined);
      continue;
    }
    waiting = false;
    note(
      wasConnected
        ? `npm start is back at ${running.callbackUrl}: following again (what was stored meanwhile: npx tencent-im events --since …).`
        : `Following the events npm start at ${running.callbackUrl} stores (Ctrl-C stops).`,
    );
    wasConnected = true;
    try {
      for await (const data of frames(response.body, liveEvents.stored)) {
        const event = JSON.parse(data) as FeedEvent;
        yield event;
      }
    } catch {
      // The connection went (npm start stopped, or Ctrl-C): look again, unless aborted.
    }
    if (!signal.aborted) note('npm start went away; waiting for it to come back…');
  }
}
