import type { ServerResponse } from 'node:http';
import * as v from 'valibot';
import { CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import { commandDefinition, commandRegistry } from '../../functions/commands/registry.ts';
import { EVENT_SOURCE } from '../../functions/fan-out/event-schema.ts';
import { isObject } from '../../functions/shared/is-object.ts';
import type { Settings } from '../../functions/shared/settings.ts';
import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';
import { happeningNow } from '../example-now.ts';
import type { ReceivedBody } from '../http-adapter.ts';
import { CapturedCallbacks, keptCount } from './captured-callbacks.ts';
import { DeployedEventSchema, MAX_DEPLOYED_BYTES } from './deployed-events.ts';
import type { ForwardDeliveries } from './forward-deliveries.ts';
import { answer, answerJson, inspectorGuard, refuse } from './guard.ts';
import { type StateProvider, stateAnswer } from './inspector-requests.ts';
import type { DeliveryNews, FeedEvent, InspectedCallback, InspectorInfo } from './inspector-types.ts';
import { KeptFile } from './kept-file.ts';
import { LiveStream, MAX_BACKLOG_BYTES, newestFitting } from './live-stream.ts';
import { buildPageAssets, iconSvg, type PageAssets, pageHtml } from './page-assets.ts';
import { ReplayStore } from './replay-store.ts';
import { inspectorRouter, type RouteTable } from './router.ts';
import { liveEvents, routes } from './routes.ts';
import { recentStoredEvents } from './stored-events.ts';
import { type OutgoingCallback, sendCallback, tencentQuery } from './tencent-request.ts';

export type { StateProvider };

/** What a caller may give the inspector: the synced view to show (npm start gives the local state table's). */
export interface InspectorSetup {
  /** The synced state of a group or a user, shown in the detail pane; undefined when there is none. */
  readonly stateOf?: StateProvider;
  /**
   * How long a page whose live stream broke waits before it reconnects, in ms (live-stream.ts).
   * Default: RECONNECT_MS; tests that restart npm start under an open page shorten it.
   */
  readonly reconnectMs?: number;
  /**
   * How many callbacks are kept (captured-callbacks.ts), 1 to MAX_KEPT. Default: MAX_KEPT; a test
   * proves the bound on a few.
   */
  readonly keep?: number;
}

export interface InspectorOptions extends InspectorSetup {
  readonly settings: Settings;
  readonly tokens: readonly string[];
  readonly events: EventReader;
  /** Where the callbacks are kept across restarts (DATA_DIR/inspector); omitted, in memory only (tests). */
  readonly dir?: string;
  /** Where stored events are forwarded (IM_FORWARD_URL), and what became of each: shown beside it. */
  readonly forwarding?: { readonly url: string; readonly deliveries: ForwardDeliveries };
}

/** How many stored events a page is shown from before it opened, and in how many bytes at most. */
const STORED_SHOWN = 200;
const STORED_SHOWN_BYTES = MAX_BACKLOG_BYTES;

const ReplayRequest = v.object({ id: v.pipe(v.string(), v.maxLength(200)) });
const SampleRequest = v.object({
  command: v.picklist([...commandRegistry.keys()], 'command is not one of the registry'),
  body: v.string(),
  /** Set the body's time fields to the moment it is sent (example-now.ts). Default: sent as written. */
  now: v.optional(v.boolean(), false),
});

/** A sample's body with its time fields at now, when it is a JSON object; else as written (to see it refused). */
function sampleBody(command: string, text: string, now: boolean): string {
  if (!now) return text;
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) ? JSON.stringify(happeningNow(commandDefinition(command), body)) : text;
  } catch {
    return text;
  }
}

/**
 * The local inspector (docs/local.md#inspector): a page and its API on the callback port, beside the
 * callback route, which it never changes. It sees each callback through two taps the local server
 * gives it, the chain's log and the handler's answer, and the table's new events through onStored (the
 * change log's, once each is on disk).
 * It also shows a deployed receiver's events, posted by `npx tencent-im listen --inspector` (deployed-events.ts).
 * Its parts: the guard (guard.ts), the router (router.ts), what a replay sends (replay-store.ts), and
 * the routes below.
 */
export function createInspector(options: InspectorOptions) {
  const { settings, tokens } = options;
  let port = 0;
  const guard = inspectorGuard(() => port);
  const keep = keptCount(options.keep);
  const live = new LiveStream({ reconnectMs: options.reconnectMs });
  const feed = new LiveStream({ reconnectMs: options.reconnectMs });
  const signed = () => tokens.length > 0;
  let kept: KeptFile | undefined;
  const captured = new CapturedCallbacks({
    keep,
    port: () => port,
    signed,
    onCaptured: (callback) => live.send(liveEvents.callback, callback),
    onChange: () => kept?.changed(),
  });
  if (options.dir !== undefined) kept = new KeptFile(options.dir, () => captured.entries());
  options.forwarding?.deliveries.onChange((eventId, deliveries) => live.send(liveEvents.delivery, { eventId, deliveries } satisfies DeliveryNews));
  const replays = new ReplayStore({ keep, captured, port: () => port, signed });
  /** A row as a page that opens now gets it: with what became of its event's forwarding so far. */
  const withDeliveries = <T extends InspectedCallback>(row: T): T => {
    const eventId = row.record.eventId;
    const deliveries = eventId === undefined ? [] : (options.forwarding?.deliveries.deliveriesOf(eventId) ?? []);
    return deliveries.length === 0 ? row : { ...row, deliveries };
  };
  let assets: Promise<PageAssets> | undefined;
  const pageAssets = () => (assets ??= buildPageAssets());

  const info = (): InspectorInfo => ({
    commands: [...commandRegistry.values()].map(({ command, family, kind, summary, example }) => ({ command, family, kind, summary, example })),
    tokenSet: signed(),
    stateProvider: options.stateOf !== undefined,
    policyRules: settings.policy.rules,
    sdkAppIds: settings.sdkAppIds,
    ...(options.forwarding ? { forwardUrl: options.forwarding.url } : {}),
  });

  async function send(response: ServerResponse, outgoing: OutgoingCallback) {
    try {
      answerJson(response, 200, await sendCallback(port, outgoing, tokens));
    } catch (error) {
      refuse(response, 502, `the callback route could not be reached: ${(error as Error).message}`);
    }
  }

  const gets: RouteTable['gets'] = {
    [routes.page]: async (_request, response) => {
      void pageAssets().catch(() => undefined);
      answer(response, 200, 'text/html; charset=utf-8', await pageHtml(guard.token));
    },
    [routes.script]: async (_request, response) => answer(response, 200, 'text/javascript; charset=utf-8', (await pageAssets()).script),
    [routes.style]: async (_request, response) => answer(response, 200, 'text/css; charset=utf-8', (await pageAssets()).style),
    [routes.icon]: (_request, response) => answer(response, 200, 'image/svg+xml', iconSvg),
    [routes.info]: (_request, response) => answerJson(response, 200, info()),
    // The page asks again after npm start restarted (a new process, a new token): no reload needed.
    [routes.token]: (_request, response) => answerJson(response, 200, { token: guard.token }),
    [routes.deliveries]: (_request, response, url) => {
      const eventId = url.searchParams.get('eventId') ?? '';
      if (!/^[0-9a-f]{32}$/.test(eventId)) return refuse(response, 400, 'ask for ?eventId=<a stored event id>');
      answerJson(response, 200, { deliveries: options.forwarding?.deliveries.deliveriesOf(eventId) ?? [] });
    },
    [routes.live]: (_request, response) =>
      live.open(
        response,
        captured.all().map((data) => ({ event: liveEvents.callback, data: withDeliveries(data) })),
      ),
    [routes.stored]: async (_request, response) => {
      try {
        // Newest first: the newest that fit, as the live stream's backlog.
        const events = await recentStoredEvents(options.events, settings.sdkAppIds, STORED_SHOWN);
        const shown = newestFitting(
          [...events].reverse(),
          (event) => JSON.stringify(withDeliveries(replays.fromTable(event))),
          STORED_SHOWN_BYTES,
          STORED_SHOWN,
        ).reverse();
        answer(response, 200, 'application/json; charset=utf-8', `[${shown.join(',')}]`);
      } catch (error) {
        refuse(response, 503, `the events table could not be read: ${(error as Error).message}`);
      }
    },
    [routes.state]: (_request, response, url) => stateAnswer(response, options.stateOf, url.searchParams),
    // New events only: a reader wanting what came before lists it from the table.
    [routes.feed]: (_request, response) => feed.open(response, []),
  };

  const posts: RouteTable['posts'] = {
    [routes.replay]: async (response, body) => {
      const parsed = v.safeParse(ReplayRequest, body);
      if (!parsed.success) return refuse(response, 400, 'a replay needs {"id": "<the row\'s id>"}');
      const outgoing = replays.outgoing(parsed.output.id);
      if (outgoing === undefined) return refuse(response, 404, `that callback is no longer kept (only the last ${keep} are), or was too large to keep`);
      await send(response, outgoing);
    },
    [routes.sample]: async (response, body) => {
      const parsed = v.safeParse(SampleRequest, body);
      if (!parsed.success)
        return refuse(response, 400, `a sample needs {"command": "<a registry command>", "body": "<JSON text>"}: ${parsed.issues[0].message}`);
      const { command, body: text, now } = parsed.output;
      const [sdkAppId = ''] = settings.sdkAppIds;
      const bytes = Buffer.from(sampleBody(command, text, now));
      await send(response, { method: 'POST', path: CALLBACK_PATH, query: tencentQuery(sdkAppId, command), body: bytes, origin: 'sample' });
    },
  };

  const tools: RouteTable['tools'] = {
    [routes.deployed]: {
      maxBytes: MAX_DEPLOYED_BYTES,
      post: async (response, body) => {
        const parsed = v.safeParse(DeployedEventSchema, body);
        if (!parsed.success) {
          const [issue] = parsed.issues;
          const where = v.getDotPath(issue) ?? 'the event';
          return refuse(response, 400, `a deployed event is one of the bus's (source ${EVENT_SOURCE}), as listen receives it: ${where}: ${issue.message}`);
        }
        // The open pages get it; with none, nothing is made of it (listen has printed it already).
        const pages = live.readers;
        if (pages > 0) live.send(liveEvents.deployed, replays.fromBus(parsed.output));
        answerJson(response, 200, { pages });
      },
    },
  };

  const router = inspectorRouter({ gets, posts, tools }, guard);

  return {
    owns: router.owns,
    serve: router.serve,
    /** The chain's log, tapped (the local server still writes the record as before). */
    log: (record: CallbackRecord) => captured.record(record),
    answered(event: CallbackEvent, body: ReceivedBody, result: CallbackResult) {
      try {
        captured.answered(event, body, result);
      } catch (error) {
        // The callback was answered already: a capture that fails costs a row, never the answer.
        console.error(`The inspector could not keep request ${event.requestContext.requestId}: ${(error as Error).message}`);
      }
    },
    /** Told of each event the change log takes: a spool replay's events show up as they reach the table, on a page that is open. */
    onStored(event: StoredEvent) {
      if (live.hasReaders) live.send(liveEvents.stored, replays.fromTable(event));
      if (!feed.hasReaders) return;
      feed.send(liveEvents.stored, event satisfies FeedEvent);
    },
    listening(listeningPort: number) {
      port = listeningPort;
      // What an earlier npm start on this DATA_DIR kept: its curls need this port.
      if (kept !== undefined) captured.restore(kept.load());
    },
    /** Ends the streams, so the server can close. */
    close() {
      live.close();
      feed.close();
    },
    /** Writes what is kept, once the requests under way have been captured. */
    flush: async () => kept?.close(),
  };
}

export type Inspector = ReturnType<typeof createInspector>;
