import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { CALLBACK_PATH, type CallbackEvent, type CallbackResult } from '../../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../../functions/callback/callback-record.ts';
import { commandRegistry } from '../../functions/commands/registry.ts';
import type { Settings } from '../../functions/shared/settings.ts';
import type { EventReader, StoredEvent } from '../../functions/store/event-store.ts';
import type { ReceivedBody } from '../http-adapter.ts';
import { CapturedCallbacks, MAX_KEPT, MAX_KEPT_BYTES, MAX_REPLAYABLE_BYTES, storedCallback } from './captured-callbacks.ts';
import { answer, answerJson, crossSiteProblem, hostProblem, inspectorToken, refuse } from './guard.ts';
import { readJsonBody, type StateProvider, stateAnswer } from './inspector-requests.ts';
import type { InspectorInfo } from './inspector-types.ts';
import { LiveStream, MAX_BACKLOG_BYTES, newestFitting } from './live-stream.ts';
import { buildPageAssets, iconSvg, type PageAssets, pageHtml } from './page-assets.ts';
import { API_PREFIX, isInspectorPath, liveEvents, routes } from './routes.ts';
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
 */
export function createInspector(options: InspectorOptions) {
  const { settings, tokens } = options;
  const token = inspectorToken();
  const live = new LiveStream();
  let port = 0;
  const signed = () => tokens.length > 0;
  const captured = new CapturedCallbacks({ port: () => port, signed, onCaptured: (callback) => live.send(liveEvents.callback, callback) });
  // Events known only from the table, by their row id, for a replay; bounded like the captured ones,
  // in count and in bytes, and a body too large to replay is not kept.
  const storedOutgoing = new Map<string, OutgoingCallback>();
  let storedBytes = 0;
  const fromTable = (event: StoredEvent) => {
    const { shown, outgoing } = storedCallback(event, port, signed());
    if (outgoing.body.length <= MAX_REPLAYABLE_BYTES && !storedOutgoing.has(shown.id)) {
      storedOutgoing.set(shown.id, outgoing);
      storedBytes += outgoing.body.length;
    }
    while (storedOutgoing.size > MAX_KEPT || storedBytes > MAX_KEPT_BYTES) {
      const [oldest, dropped] = storedOutgoing.entries().next().value!;
      storedOutgoing.delete(oldest);
      storedBytes -= dropped.body.length;
    }
    return shown;
  };
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

  const gets: Record<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> | void> = {
    [routes.page]: async (_request, response) => {
      void pageAssets().catch(() => undefined);
      answer(response, 200, 'text/html; charset=utf-8', await pageHtml(token.value));
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
        const shown = newestFitting([...events].reverse(), (event) => JSON.stringify(fromTable(event)), STORED_SHOWN_BYTES, STORED_SHOWN).reverse();
        answer(response, 200, 'application/json; charset=utf-8', `[${shown.join(',')}]`);
      } catch (error) {
        refuse(response, 503, `the events table could not be read: ${(error as Error).message}`);
      }
    },
    [routes.state]: (_request, response, url) => stateAnswer(response, options.stateOf, url.searchParams),
  };

  const posts: Record<string, (response: ServerResponse, body: unknown) => Promise<void>> = {
    [routes.replay]: async (response, body) => {
      const parsed = v.safeParse(ReplayRequest, body);
      if (!parsed.success) return refuse(response, 400, 'a replay needs {"id": "<the row\'s id>"}');
      const outgoing = captured.outgoing(parsed.output.id) ?? storedOutgoing.get(parsed.output.id);
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

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://inspector');
    const host = hostProblem(request, port);
    if (host !== undefined) return refuse(response, 421, host);
    const get = gets[url.pathname];
    const post = posts[url.pathname];
    if (get === undefined && post === undefined)
      return refuse(response, 404, `the inspector has nothing at ${url.pathname.slice(0, 200)}: open ${routes.page}`);
    const method = get ? 'GET' : 'POST';
    if (request.method !== method) return refuse(response, 405, `use ${method} here`, { allow: method });
    // The page and its files may be reached from anywhere (a link); the API only from the page.
    const crossSite = url.pathname.startsWith(API_PREFIX) ? crossSiteProblem(request, port) : undefined;
    if (crossSite !== undefined) return refuse(response, 403, crossSite);
    if (get) return get(request, response, url);
    if (!token.matches(request))
      return refuse(response, 403, "this action needs the inspector's token: reload the inspector's page (each npm start makes a new one)");
    const body = await readJsonBody(request);
    if ('problem' in body) return refuse(response, body.status, body.problem);
    await post!(response, body.value);
  }

  return {
    /**
     * Its own prefix, and `GET /`: a POST to `/` is a callback URL set without its path, which the
     * callback route answers in Tencent's words (use POST /callback).
     */
    owns: (request: IncomingMessage) => {
      const path = new URL(request.url ?? '/', 'http://inspector').pathname;
      return isInspectorPath(path) && (path !== routes.page || request.method === 'GET');
    },
    async serve(request: IncomingMessage, response: ServerResponse) {
      try {
        await route(request, response);
      } catch (error) {
        if (!response.headersSent) refuse(response, 500, `the inspector failed: ${(error as Error).message}`);
        else response.destroy();
      }
    },
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
    onStored: (event: StoredEvent) => live.send(liveEvents.stored, fromTable(event)),
    listening(listeningPort: number) {
      port = listeningPort;
    },
    close: () => live.close(),
  };
}

export type Inspector = ReturnType<typeof createInspector>;
