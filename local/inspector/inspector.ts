import type { ServerResponse } from 'node:http';
import * as v from 'valibot';
import { CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import { commandRegistry } from '../../functions/commands/registry.ts';
import type { Settings } from '../../functions/shared/settings.ts';
import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';
import { payloadText } from '../../functions/store/stored-payload.ts';
import type { ReceivedBody } from '../http-adapter.ts';
import { CapturedCallbacks, MAX_KEPT } from './captured-callbacks.ts';
import { answer, answerJson, inspectorGuard, refuse } from './guard.ts';
import { type StateProvider, stateAnswer } from './inspector-requests.ts';
import type { FeedEvent, InspectorInfo } from './inspector-types.ts';
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
}

export interface InspectorOptions extends InspectorSetup {
  readonly settings: Settings;
  readonly tokens: readonly string[];
  readonly events: EventReader;
}

/** How many stored events a page is shown from before it opened, and in how many bytes at most. */
const STORED_SHOWN = 200;
const STORED_SHOWN_BYTES = MAX_BACKLOG_BYTES;

const ReplayRequest = v.object({ id: v.pipe(v.string(), v.maxLength(200)) });
const SampleRequest = v.object({ command: v.picklist([...commandRegistry.keys()], 'command is not one of the registry'), body: v.string() });

/**
 * The local inspector (docs/local.md#inspector): a page and its API on the callback port, beside the
 * callback route, which it never changes. It sees each callback through two taps the local server
 * gives it, the chain's log and the handler's answer, and the table's new events through onStored.
 * Its parts: the guard (guard.ts), the router (router.ts), what a replay sends (replay-store.ts), and
 * the routes below.
 */
export function createInspector(options: InspectorOptions) {
  const { settings, tokens } = options;
  let port = 0;
  const guard = inspectorGuard(() => port);
  const live = new LiveStream();
  const feed = new LiveStream();
  const signed = () => tokens.length > 0;
  const captured = new CapturedCallbacks({ port: () => port, signed, onCaptured: (callback) => live.send(liveEvents.callback, callback) });
  const replays = new ReplayStore({ captured, port: () => port, signed });
  let assets: Promise<PageAssets> | undefined;
  const pageAssets = () => (assets ??= buildPageAssets());

  const info = (): InspectorInfo => ({
    commands: [...commandRegistry.values()].map(({ command, family, kind, summary, example }) => ({ command, family, kind, summary, example })),
    tokenSet: signed(),
    stateProvider: options.stateOf !== undefined,
    policyRules: settings.policy.rules,
    sdkAppIds: settings.sdkAppIds,
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
    [routes.live]: (_request, response) =>
      live.open(
        response,
        captured.all().map((data) => ({ event: liveEvents.callback, data })),
      ),
    [routes.stored]: async (_request, response) => {
      try {
        // Newest first: the newest that fit, as the live stream's backlog.
        const events = await recentStoredEvents(options.events, settings.sdkAppIds, STORED_SHOWN);
        const shown = newestFitting([...events].reverse(), (event) => JSON.stringify(replays.fromTable(event)), STORED_SHOWN_BYTES, STORED_SHOWN).reverse();
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
      if (outgoing === undefined) return refuse(response, 404, `that callback is no longer kept (only the last ${MAX_KEPT} are), or was too large to keep`);
      await send(response, outgoing);
    },
    [routes.sample]: async (response, body) => {
      const parsed = v.safeParse(SampleRequest, body);
      if (!parsed.success)
        return refuse(response, 400, `a sample needs {"command": "<a registry command>", "body": "<JSON text>"}: ${parsed.issues[0].message}`);
      const { command, body: text } = parsed.output;
      const [sdkAppId = ''] = settings.sdkAppIds;
      await send(response, { method: 'POST', path: CALLBACK_PATH, query: tencentQuery(sdkAppId, command), body: Buffer.from(text), origin: 'sample' });
    },
  };

  const router = inspectorRouter({ gets, posts }, guard);

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
    /** A StoredEventListener: a spool replay's events show up as they reach the table. */
    onStored(event: StoredEvent) {
      live.send(liveEvents.stored, replays.fromTable(event));
      if (!feed.hasReaders) return;
      const { payloadEncoding: _encoding, ...fields } = event;
      feed.send(liveEvents.stored, { ...fields, payload: payloadText(event) } satisfies FeedEvent);
    },
    listening(listeningPort: number) {
      port = listeningPort;
    },
    close() {
      live.close();
      feed.close();
    },
  };
}

export type Inspector = ReturnType<typeof createInspector>;
