import { setTimeout as sleep } from 'node:timers/promises';
import { EntryPublisher } from '../functions/fan-out/entry-publisher.ts';
import { fanOutRecords } from '../functions/fan-out/fan-out-records.ts';
import { indexRecords } from '../functions/fan-out/index-records.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../functions/store/actor-heat.ts';
import { DynamoDbDerivedItemWriter } from '../functions/store/derived-item-writer.ts';
import { documentClient } from '../functions/store/dynamodb-event-store.ts';
import type { KeyRules } from '../functions/store/event-keys.ts';
import { eventsReceivedSince } from '../functions/store/read/table-items.ts';
import { DynamoDbStateStore } from '../functions/synced-view/dynamodb-state-store.ts';
import { projectStream } from '../functions/synced-view/project-stream.ts';
import type { StateStore, StateWriter } from '../functions/synced-view/state-store.ts';
import { type ChangeLog, LOOK_BACK_MS } from './change-log.ts';
import { type EmbeddedStore, localClient } from './embedded-store.ts';
import { forwardSend } from './forward-publisher.ts';
import type { DeliveryAttempt } from './inspector/forward-deliveries.ts';
import { LOCAL_STATE_TABLE_NAME } from './local-state-table.ts';
import { seqOf } from './stream-record.ts';
import { type RunnerNews, StreamRunner } from './stream-runner.ts';

/** The event bus named in the fan-out's entries locally: there is none, the entries are POSTed. */
const LOCAL_BUS = 'local';

/**
 * The view consumer gathers records this long before projecting fewer than a full batch, as a stream
 * is polled a few times a second: under load one batch then holds many events, and the state store
 * writes each thing they change once (functions/synced-view/project-stream.ts). Measured with 10
 * connections of after-callbacks: about 40% less CPU per callback than projecting each as it comes.
 * Forwarding gains nothing from it (a POST per event either way) and has none.
 */
const VIEW_BATCH_WINDOW_MS = 250;

export interface StreamTuning {
  /** The first wait after a consumer's failed batch, doubled each time (with jitter). @default 200 */
  readonly initialDelayMs?: number;
  /** The longest wait between two tries. @default 30000 */
  readonly maxDelayMs?: number;
  /**
   * The first wait before the forward consumer POSTs a failed entry again within its batch, doubled
   * each time, with jitter (EntryPublisher's baseDelayMs). Each of the batch's PutEvents calls behind
   * the failed POST, held back, waits out its retries too. @default 100
   */
  readonly forwardRetryDelayMs?: number;
  /**
   * How long the synced view's consumer gathers records before projecting fewer than a full batch.
   * Every idle() after a write waits it out: tests not about batching pass a millisecond or two.
   * @default VIEW_BATCH_WINDOW_MS
   */
  readonly viewBatchWindowMs?: number;
  /** How long one POST to IM_FORWARD_URL may take before it counts as failed. @default 10000 */
  readonly forwardTimeoutMs?: number;
  /** Told when a consumer starts failing, when it recovers, and what the reconcile found. @default a line on stdout */
  readonly say?: (line: string) => void;
}

export interface LocalStreamOptions {
  readonly log: ChangeLog;
  /** The events table's store: the reconcile reads it; the view's state table is beside it. */
  readonly store: EmbeddedStore;
  readonly tableName: string;
  /** IM_FORWARD_URL: with one, the fan-out consumer POSTs each event there. */
  readonly forwardUrl?: string;
  /** Told of each POST to IM_FORWARD_URL, for the inspector's deliveries (inspector/forward-deliveries.ts). @default nobody */
  readonly onForwardAttempt?: (attempt: DeliveryAttempt) => void;
  readonly tuning?: StreamTuning;
  /** Where the reconcile at start looks back to, when the log cannot say (a new log). @default LOOK_BACK_MS ago */
  readonly reconcileSince?: number;
  /** The deployment's key rules (its busy accounts): the indexer points at the keys the receiver wrote. @default none */
  readonly rules?: KeyRules;
}

export interface LocalStream {
  /** The synced view: where it is kept, to read it, and `idle()`, which waits until every stored event is projected. */
  readonly state: { readonly store: StateStore; idle(): Promise<void> };
  /** The forwarding consumer, with IM_FORWARD_URL. */
  readonly forward?: { readonly url: string; pending(): number };
  /** Resolves with how many events the reconcile at start found in the table and not in the log; undefined when closed before it was done. */
  readonly reconciled: Promise<number | undefined>;
  /** The indexer: `idle()` waits until every stored event is in the listings that read derived items. */
  readonly index: { idle(): Promise<void> };
  /** Resolves once the reconcile is done and every consumer has done every record appended so far. */
  idle(): Promise<void>;
  /** Stops the consumers (a POST under way is abandoned: redelivered at the next start) and writes their offsets. */
  close(): Promise<void>;
}

/**
 * Events the table holds that the log does not: written by a process that died before it could
 * append them (between the table's write and the log's fsync), or written by a version of local mode
 * that had no log. They were received at most a write budget before their write, which was at most a
 * group commit before the log's last record: LOOK_BACK_MS before that covers them with room to spare.
 */
async function reconcile(log: ChangeLog, store: EmbeddedStore, tableName: string, since: number): Promise<number> {
  let appended = 0;
  for await (const page of eventsReceivedSince(store.client, tableName, since)) {
    const missing = page.filter(({ event }) => !log.has(event.eventId));
    await Promise.all(missing.map(({ event, key }) => log.append(event, key)));
    appended += missing.length;
  }
  return appended;
}

/**
 * The state table as the local view consumer writes it. A failure the table will only repeat (what the
 * patches would make is over DynamoDB's item limit) is said and passed over, as the event source
 * mapping hands such a record to the failure queue once its retries are spent; any other failure is
 * the runner's to retry, for as long as it takes.
 */
function passingOverPermanent(state: StateWriter, log: ChangeLog, say: (line: string) => void): StateWriter {
  return {
    async apply(batch) {
      const failures = await state.apply(batch);
      for (const { source, error } of failures.filter((failure) => failure.permanent)) {
        const event = log.read(seqOf(source) - 1, 1)[0]?.event;
        say(`The synced view cannot project ${event?.eventId ?? source} (${event?.command ?? 'record'}): ${error.message}; passed over`);
      }
      return failures.filter((failure) => !failure.permanent);
    },
  };
}

/**
 * Local mode's stream consumers (docs/local.md#stream): the change log read by the same code the
 * Lambda functions run on the table's stream, each consumer from its own offset (stream-runner.ts).
 * The synced view's is functions/synced-view/project-stream.ts over the local state table; the
 * fan-out's is functions/fan-out/fan-out-records.ts, its EntryPublisher's PutEvents replaced by a POST
 * to IM_FORWARD_URL (forward-publisher.ts). At start, the table's recent writes are reconciled with the
 * log, so an event whose append a crash cut off reaches the consumers too.
 */
export function startLocalStream(options: LocalStreamOptions): LocalStream {
  const { log, store, tableName, forwardUrl, tuning = {} } = options;
  const say = tuning.say ?? ((line: string) => console.log(line));
  const backoff = { initialDelayMs: tuning.initialDelayMs, maxDelayMs: tuning.maxDelayMs };
  const closing = new AbortController();

  const stateClient = documentClient(localClient(store.endpoint, { sign: store.checksSignatures }));
  const state = new DynamoDbStateStore(stateClient, LOCAL_STATE_TABLE_NAME);
  let viewError: string | undefined;
  const view = new StreamRunner({
    name: 'view',
    log,
    tableName,
    handler: projectStream({
      state: passingOverPermanent(state, log, say),
      log: (record) => {
        if (record.level === 'ERROR') viewError = record.error;
      },
    }),
    ...backoff,
    batchWindowMs: tuning.viewBatchWindowMs ?? VIEW_BATCH_WINDOW_MS,
    report: (news) => say(newsLine(news, 'The synced view', viewError)),
  });

  let forwardError: string | undefined;
  const forwarder =
    forwardUrl === undefined
      ? undefined
      : new StreamRunner({
          name: 'forward',
          log,
          tableName,
          handler: fanOutRecords({
            publisher: new EntryPublisher({
              ...(tuning.forwardRetryDelayMs === undefined ? {} : { baseDelayMs: tuning.forwardRetryDelayMs }),
              signal: closing.signal,
              send: forwardSend({
                url: forwardUrl,
                timeoutMs: tuning.forwardTimeoutMs,
                signal: closing.signal,
                onFailure: (reason) => (forwardError = reason),
                onAttempt: options.onForwardAttempt,
              }),
            }),
            eventBusName: LOCAL_BUS,
            count: () => undefined,
            // Said once per outage by the runner, not once per record and try.
            logFailure: () => undefined,
          }),
          ...backoff,
          report: (news) => say(newsLine(news, `Forwarding to ${forwardUrl}`, forwardError)),
        });
  // The fan-out consumer's indexer stage (functions/fan-out/index-records.ts): pointers and digests,
  // which the app-wide, per-command and per-account listings read. In AWS it runs in the fan-out's
  // Lambda before publishing; here it is a consumer of its own, since forwarding is optional and may
  // fail for long (an unreachable IM_FORWARD_URL), and listings must not wait on it. A batch it fails
  // is thrown whole and tried again, as Lambda retries it: its items are keyed to make that harmless.
  let indexError: string | undefined;
  const index = indexRecords({
    writer: new DynamoDbDerivedItemWriter(store.client, tableName),
    heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
    rules: options.rules,
  });
  const indexer = new StreamRunner({
    name: 'index',
    log,
    tableName,
    handler: async (event) => {
      try {
        await index(event.Records);
      } catch (error) {
        indexError = (error as Error).message;
        throw error;
      }
      return undefined;
    },
    ...backoff,
    report: (news) => say(newsLine(news, 'The indexer (app-wide and per-account listings)', indexError)),
  });
  const runners = [view, indexer, ...(forwarder ? [forwarder] : [])];

  const since = (log.lastAppendedAt() ?? options.reconcileSince ?? Date.now()) - LOOK_BACK_MS;
  const reconciled = (async () => {
    for (let delay = 1_000; ; delay = Math.min(delay * 2, 30_000)) {
      try {
        const appended = await reconcile(log, store, tableName, since);
        if (appended > 0) say(`Reconciled: ${appended} events in the table were not in the change log; appended now, for the view, the indexer and forwarding`);
        return appended;
      } catch (error) {
        if (closing.signal.aborted) return undefined;
        say(`The reconcile with the table failed (${(error as Error).message}); trying again`);
        await sleep(delay, undefined, { signal: closing.signal }).catch(() => undefined);
      }
    }
  })();

  /** Until the reconcile is done and these runners have done every record, however many are appended meanwhile. */
  const idleOf = (waitFor: readonly StreamRunner[]) => async () => {
    for (;;) {
      await reconciled;
      await log.settled();
      const end = log.end();
      await Promise.all(waitFor.map((runner) => runner.idle()));
      if (log.end() === end || closing.signal.aborted) return;
    }
  };
  const idle = idleOf(runners);

  return {
    state: { store: state, idle: idleOf([view]) },
    index: { idle: idleOf([indexer]) },
    ...(forwarder ? { forward: { url: forwardUrl!, pending: () => forwarder.pending() } } : {}),
    reconciled,
    idle,
    async close() {
      closing.abort();
      await reconciled;
      await Promise.all(runners.map((runner) => runner.close()));
      stateClient.destroy();
    },
  };
}

function newsLine(news: RunnerNews, who: string, error: string | undefined): string {
  if (news.type === 'recovered') return `${who} works again after ${Math.round(news.afterMs / 1000)} s; ${news.pending} events waiting`;
  return `${who} failed (${news.error ?? error ?? `${news.failed} events`}); retrying with backoff, ${news.pending} events waiting`;
}
