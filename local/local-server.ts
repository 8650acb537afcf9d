import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CallbackError } from '../functions/callback/callback-error.ts';
import { CALLBACK_PATH, type CallbackEvent, type CallbackResult, MAX_PAYLOAD_BYTES } from '../functions/callback/callback-event.ts';
import type { CallbackRecord } from '../functions/callback/callback-record.ts';
import { type CallbackHandler, createCallbackHandler, policyOptions } from '../functions/callback/chain.ts';
import { errorAnswer } from '../functions/callback/tencent-answer.ts';
import { LivePolicy } from '../functions/policy/live-policy.ts';
import { compilePolicy } from '../functions/policy/policy.ts';
import { keyRulesOf } from '../functions/shared/busy-accounts.ts';
import type { Settings } from '../functions/shared/settings.ts';
import { LOCAL_COUNTERS_TABLE_NAME } from '../functions/store/counters-table.ts';
import { DynamoDbEventStore } from '../functions/store/dynamodb-event-store.ts';
import { DynamoDbPolicyCounters } from '../functions/store/dynamodb-policy-counters.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { DynamoDbEventReader } from '../functions/store/read/dynamodb-event-reader.ts';
import { storedEventAt } from '../functions/store/read/table-items.ts';
import { browserMark, isLocalHost } from './browser-requests.ts';
import { ChangeLog } from './change-log.ts';
import { changeLoggingStore } from './change-logging-store.ts';
import { dataDirLayout } from './data-dir.ts';
import { connectStore, type EmbeddedStore, LOCAL_TABLE_NAME, startEmbeddedStore } from './embedded-store.ts';
import { EventSpool, type ReplayCounts } from './event-spool.ts';
import { answerClientError, answerConnect, lambdaContext, type ReceivedBody, toApiGatewayEvent, writeResult } from './http-adapter.ts';
import { MAX_REFUSED_BODY_BYTES } from './inspector/captured-callbacks.ts';
import { DeliveryRecords } from './inspector/forward-deliveries.ts';
import { createInspector, type InspectorSetup, type StateProvider } from './inspector/inspector.ts';
import { legacyOutboxSince, removeLegacyOutbox } from './legacy-outbox.ts';
import { type LocalStream, type StreamTuning, startLocalStream } from './local-stream.ts';
import { watchPolicyFile } from './policy-watch.ts';
import { recordLines } from './readable-record.ts';
import { checkDataDir, listenOn, reachStore } from './startup-checks.ts';

export interface LocalReceiverOptions {
  readonly settings: Settings;
  /** The file the policy setting named (`@path`): followed, each change checked and put in force (policy-watch.ts). Default: none. */
  readonly policyFile?: string;
  /** Where the policy watcher's one-line notes go. Default: console.log. */
  readonly say?: (line: string) => void;
  /** 0 picks a free port. */
  readonly port: number;
  /** The address the callback server listens on (HOST). Default: 127.0.0.1, this machine only. */
  readonly host?: string;
  /**
   * Told of the first callback whose Host is not this machine's name (through a tunnel, or from
   * elsewhere with HOST=0.0.0.0): npm start warns then when no token is set. Once per process.
   */
  readonly onForeignHost?: (host: string) => void;
  readonly dynamodbPort: number;
  /** Where the embedded store and the spool keep their data; omitted, the store lives in memory and there is no spool (tests). */
  readonly dataDir?: string;
  /** Use this DynamoDB API instead of the embedded store. Default: the embedded store. */
  readonly dynamodbEndpoint?: string;
  /** How often spooled events are replayed into the table, in ms. Default: 5000. */
  readonly replayIntervalMs?: number;
  /** Told what each replay did, when it did anything. Default: a line on stdout. */
  readonly onReplay?: (counts: ReplayCounts) => void;
  /** The callback tokens (IM_CALLBACK_TOKEN); none, no Sign is checked. */
  readonly tokens?: readonly string[];
  /** Writes each callback's record. Default: one readable line on stdout. */
  readonly log?: (record: CallbackRecord) => void;
  /**
   * Told of each event the change log takes (local/change-log.ts: once per event the table holds,
   * whether a callback, a retry or a spool replay put it there), once it is on disk. Must not throw.
   */
  readonly onStored?: readonly ((event: StoredEvent) => void)[];
  /** Serve the inspector's page at `/` (local/inspector/): `npm start` does. Default: off, only the callback route. */
  readonly inspector?: InspectorSetup;
  /** IM_FORWARD_URL: POST each stored after-event there, as the fan-out consumer reading the change log. Default: none. */
  readonly forwardUrl?: string;
  /** The stream consumers' backoff, the forward POST's timeout (tests), and who is told of outages. Default: local-stream.ts's, and stdout. */
  readonly stream?: StreamTuning;
}

export interface LocalReceiver {
  /** The URL to paste where Tencent's console would take the deployed one. */
  readonly callbackUrl: string;
  /** The inspector's page, when it is on. */
  readonly inspectorUrl?: string;
  readonly dynamodbEndpoint: string;
  readonly store: EmbeddedStore;
  /** Where events wait when the store cannot take them (with a dataDir only). */
  readonly spool?: EventSpool;
  /** The change log's consumers: the synced view, and forwarding to `forwardUrl` (with one only). */
  readonly stream: LocalStream;
  /** The synced view: `state.idle()` waits until every stored event is projected. */
  readonly state: LocalStream['state'];
  /**
   * Resolves once what an earlier run spooled is in the table (a replay stored all it found: at start
   * one runs, but a store slow or failing then may leave part of it for the next), the change log is
   * reconciled with the table, and every consumer has done every event appended so far; or once closed.
   */
  idle(): Promise<void>;
  /** Stops taking requests, finishes those under way, then closes the store. */
  close(): Promise<void>;
}

/**
 * Reads a request's body. Up to `keepBytes` (maxBodyBytes) it is kept whole; past that it is certain
 * to be refused, by the URL's checks or for its size, and the chain needs only its length
 * (http-adapter.ts), so only its first `headBytes` are kept (what the inspector shows of a refused
 * body) and the rest is counted and let go: a flood of 10 MB bodies holds no 10 MB anywhere.
 */
function readBody(request: IncomingMessage, keepBytes: number, headBytes: number): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let head: Buffer | undefined;
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (head === undefined && size <= keepBytes) chunks.push(chunk);
      // Copies of the head alone (concat cuts to the length given): no chunk read stays held.
      else if (head === undefined) {
        head = Buffer.concat([...chunks, chunk], Math.min(headBytes, size));
        chunks = [];
      } else if (head.length < headBytes) head = Buffer.concat([head, chunk], Math.min(headBytes, head.length + chunk.length));
    });
    request.on('end', () => resolve({ bytes: head ?? Buffer.concat(chunks), size }));
    request.on('error', reject);
  });
}

/** Told of each request the handler answered, with the body as received (the inspector's capture). */
type AnswerTap = (event: CallbackEvent, body: ReceivedBody, result: CallbackResult) => void;

function serve(handler: CallbackHandler, maxBodyBytes: number, tap?: AnswerTap, onRequest?: (request: IncomingMessage) => void) {
  return async function serveCallback(request: IncomingMessage, response: ServerResponse) {
    try {
      onRequest?.(request);
      // A web page aiming at 127.0.0.1 (or rebinding a name of its own to it): refused whatever it
      // sent, and none of its body is kept (browser-requests.ts). Tencent, tunnels and tools send no
      // such header. The body is still read to its end, so the answer reaches whoever is listening.
      const browser = browserMark(request.headers);
      if (browser !== undefined) {
        await readBody(request, 0, 0);
        const refused = new CallbackError(
          'browser-request',
          `a web browser sent this request (${browser}): only Tencent, or a tunnel or tool passing its callbacks on, may call back here`,
        );
        writeResult(response, errorAnswer(refused));
        return;
      }
      const body = await readBody(request, maxBodyBytes, MAX_REFUSED_BODY_BYTES);
      if (body.size > MAX_PAYLOAD_BYTES) {
        const tooLarge = new CallbackError('payload-too-large', `the body is over API Gateway's limit of ${MAX_PAYLOAD_BYTES} bytes`);
        writeResult(response, errorAnswer(tooLarge));
        return;
      }
      const event = toApiGatewayEvent(request, body);
      const result = await handler(event, lambdaContext(event.requestContext.requestId));
      writeResult(response, result);
      tap?.(event, body, result);
    } catch {
      // The client went away mid-request: there is nobody left to answer.
      response.destroy();
    }
  };
}

/** The synced view of a group or a user, of the first configured SDKAppID that has one. */
function stateOf(state: LocalStream['state'], sdkAppIds: readonly string[]): StateProvider {
  const { store } = state;
  return async (kind, id) => {
    for (const sdkAppId of sdkAppIds) {
      const view = kind === 'group' ? await store.group(sdkAppId, id) : await store.user(sdkAppId, id);
      if (view !== undefined) return view;
    }
    return undefined;
  };
}

/** `npm start`: the Lambda's handler behind node:http, over an embedded DynamoDB-compatible store. */
export async function startLocalReceiver(options: LocalReceiverOptions): Promise<LocalReceiver> {
  const { settings } = options;
  // The embedded store checks (and secures) DATA_DIR itself; the spool and the change log live there too.
  if (options.dataDir !== undefined && options.dynamodbEndpoint) checkDataDir(options.dataDir);
  // Every writer of the table keys events by the deployment's busy accounts, as in AWS (docs/key-design.md#busy-accounts).
  const rules = keyRulesOf(settings.busyAccounts);
  const store = options.dynamodbEndpoint
    ? await reachStore('DYNAMODB_ENDPOINT', options.dynamodbEndpoint, (endpoint) => connectStore(endpoint, rules))
    : await startEmbeddedStore({ dataDir: options.dataDir, port: options.dynamodbPort, rules });
  const table = new DynamoDbEventStore(store.client, LOCAL_TABLE_NAME, { rules });
  // What became of each event's forwarding: the forward consumer tells, the inspector shows (inspector/forward-deliveries.ts).
  const deliveries = new DeliveryRecords();
  // The table's stream, locally (docs/local.md#stream): every event the table holds, once, on disk
  // before the callback is answered; the synced view and forwarding consume it.
  const streamDir = options.dataDir === undefined ? undefined : join(options.dataDir, dataDirLayout.stream);
  const changeLog = new ChangeLog(streamDir);
  const legacyOutbox = options.dataDir === undefined ? undefined : join(options.dataDir, dataDirLayout.legacyForward);
  const stream = startLocalStream({
    log: changeLog,
    store,
    rules,
    tableName: LOCAL_TABLE_NAME,
    forwardUrl: options.forwardUrl,
    onForwardAttempt: deliveries.record,
    tuning: options.stream,
    reconcileSince: legacyOutbox === undefined ? undefined : legacyOutboxSince(legacyOutbox),
  });
  // The outbox of a version before the log: what waited in it is in the reconcile's window.
  if (legacyOutbox !== undefined) void stream.reconciled.then((appended) => appended !== undefined && removeLegacyOutbox(legacyOutbox));
  const { state } = stream;
  // The inspector sees each callback through the log and the handler's answer, and the table's new
  // events; it shows the synced view of a callback's group or user.
  const inspector =
    options.inspector &&
    createInspector({
      stateOf: stateOf(state, settings.sdkAppIds),
      ...options.inspector,
      settings,
      tokens: options.tokens ?? [],
      events: new DynamoDbEventReader(store.client, LOCAL_TABLE_NAME),
      dir: options.dataDir === undefined ? undefined : join(options.dataDir, dataDirLayout.inspector),
      ...(stream.forward === undefined ? {} : { forwarding: { url: stream.forward.url, deliveries } }),
    });
  for (const listener of [...(options.onStored ?? []), ...(inspector ? [inspector.onStored] : [])]) {
    changeLog.onRecord((record) => {
      try {
        listener(record.event);
      } catch (error) {
        console.error(`A listener of stored events failed on ${record.event.eventId}: ${(error as Error).message}`);
      }
    });
  }
  const events = changeLoggingStore(table, changeLog, (key, put) => storedEventAt(store.client, LOCAL_TABLE_NAME, key, put));
  const onReplay =
    options.onReplay ??
    ((counts) => console.log(`Spool replayed: ${counts.stored} stored, ${counts.duplicates} already there, ${counts.remaining} still waiting`));
  const spool = options.dataDir === undefined ? undefined : new EventSpool(join(options.dataDir, dataDirLayout.spool), { onReplay });
  let replaying: Promise<void> | undefined;
  // idle() waits for the spool no longer once the receiver closes.
  const closing = Promise.withResolvers<void>();
  const replay = () =>
    (replaying = spool!.replay(events, settings.writeBudgetMs).then(
      () => undefined,
      // The spool's own files failed (a full disk?): it stays as it is, for the next try.
      (error: Error) => console.error(`Spool replay failed: ${error.message}`),
    ));
  // At start, for what an earlier run spooled; then while running, for what this one spools.
  const replayTimer = spool && setInterval(() => void replay(), options.replayIntervalMs ?? 5_000);
  if (spool) void replay();

  const lines = options.log === undefined ? recordLines() : undefined;
  const log = options.log ?? lines!.write;
  // Rate and repeat-offender rules count in the embedded store, as the deployment's do in its table.
  const counters = new DynamoDbPolicyCounters(store.client, LOCAL_COUNTERS_TABLE_NAME);
  const policy = new LivePolicy({
    initial: settings.policy,
    compile: (next) => compilePolicy(next, policyOptions(settings, { counters })),
    deadlineMs: settings.policyDeadlineMs,
  });
  const unwatchPolicy =
    options.policyFile === undefined ? undefined : watchPolicyFile(options.policyFile, policy, options.say ?? ((line) => console.log(line)));
  const handler = createCallbackHandler({
    settings,
    store: events,
    fallback: spool,
    policy: () => policy.current(),
    tokens: () => options.tokens ?? [],
    log: inspector
      ? (record) => {
          inspector.log(record);
          log(record);
        }
      : log,
  });
  let port = 0;
  let foreignSeen = false;
  const onRequest =
    options.onForeignHost &&
    ((request: IncomingMessage) => {
      if (foreignSeen || isLocalHost(request.headers.host, port)) return;
      foreignSeen = true;
      options.onForeignHost!(String(request.headers.host ?? '').slice(0, 100));
    });
  const serveCallback = serve(handler, settings.maxBodyBytes, inspector?.answered, onRequest);
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const serving = inspector?.owns(request) ? inspector.serve(request, response) : serveCallback(request, response);
    const handled = serving.finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  server.on('clientError', answerClientError);
  server.on('connect', answerConnect);
  await listenOn(server, options.port, 'PORT', options.host).catch(async (error: unknown) => {
    clearInterval(replayTimer);
    await replaying;
    await stream.close();
    await changeLog.close();
    await store.close();
    throw error;
  });
  ({ port } = server.address() as AddressInfo);
  inspector?.listening(port);

  return {
    callbackUrl: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    ...(inspector ? { inspectorUrl: `http://127.0.0.1:${port}/` } : {}),
    dynamodbEndpoint: store.endpoint,
    store,
    spool,
    stream,
    state,
    async idle() {
      // Not the first replay alone: one that left events in the spool stores them only at a later
      // try, and the view and forwarding get them from there.
      if (spool) await Promise.race([spool.drained(), closing.promise]);
      await stream.idle();
    },
    async close() {
      closing.resolve();
      clearInterval(replayTimer);
      unwatchPolicy?.();
      inspector?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all(inFlight);
      server.closeAllConnections();
      await closed;
      await inspector?.flush();
      // A last try for what is spooled; whatever stays waits for the next start.
      if (spool) await replay();
      // What the consumers have not done stays in the log, for the next start.
      await stream.close();
      await changeLog.close();
      await lines?.close();
      await store.close();
    },
  };
}
