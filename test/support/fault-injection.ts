/**
 * What the fault-injection tests share (test/integration/fault-injection.test.ts and
 * npm-start-sigkill.test.ts): the stream of distinct after-events with re-sends, the ledger of what was
 * acknowledged, the audit's verdict, the spool's replay reports, `npm start` killed mid-stream, and the
 * audit of the local stream (forward target and synced view).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { documentClient } from '../../functions/store/dynamodb-event-store.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { parseKeptEvent } from '../../functions/store/kept-event.ts';
import { localClient } from '../../local/embedded-store.ts';
import { EventSpool, type ReplayCounts } from '../../local/event-spool.ts';
import {
  AFTER_COMMAND,
  type Answer,
  afterEvent,
  type audit,
  BEFORE_COMMAND,
  countBy,
  deliver,
  isAcknowledged,
  isOfRun,
  runStream,
  type StreamEvent,
} from './event-stream.ts';
import type { ForwardTarget } from './forward-target.ts';
import { runScript, type Started, startScript } from './processes.ts';
import { SDK_APP_ID } from './receiver.ts';
import { auditStream, type StreamAudit, stateStoreOn } from './stream-audit.ts';

export const policy = {
  rules: [{ command: BEFORE_COMMAND, field: 'Operator_Account', in: ['spammer'], refuse: { code: 10101, info: 'operator not allowed' } }],
};
export const refusedBefore = JSON.stringify({ CallbackCommand: BEFORE_COMMAND, Operator_Account: 'spammer', Type: 'Community', Name: 'spam' });
export const allowedBefore = JSON.stringify({ CallbackCommand: BEFORE_COMMAND, Operator_Account: 'leckie', Type: 'Community', Name: 'fine' });

/** Distinct events, with a re-send of an earlier one after every 10th: what Tencent's retries look like. */
export function deliveriesOf(tag: string, distinct: number, random: () => number): StreamEvent[] {
  const events = Array.from({ length: distinct }, (_, seq) => afterEvent(SDK_APP_ID, tag, seq));
  return events.flatMap((event, seq) => (seq % 10 === 9 ? [event, events[Math.floor(random() * seq)]!] : [event]));
}

/** What was delivered and what came of it, by event id. */
export function ledger(deliveries: readonly StreamEvent[], answers: readonly (Answer | undefined)[]) {
  const sent = new Map(deliveries.map((event) => [event.eventId, event.body]));
  const acknowledged = new Set<string>();
  const maybe = new Set<string>();
  deliveries.forEach((event, index) => {
    const answer = answers[index];
    if (answer === undefined) return;
    if (isAcknowledged(answer)) acknowledged.add(event.eventId);
    else maybe.add(event.eventId);
  });
  for (const id of acknowledged) maybe.delete(id);
  const statuses = Object.fromEntries(
    countBy(
      answers.filter((answer) => answer !== undefined),
      (answer) => String(answer.status),
    ),
  );
  return { sent, acknowledged, maybe, statuses, answered: answers.filter((answer) => answer !== undefined).length };
}

export function expectClean(result: ReturnType<typeof audit>) {
  expect({ missing: result.missing, doubled: result.doubled, unexpected: result.unexpected, altered: result.altered }).toEqual({
    missing: [],
    doubled: [],
    unexpected: [],
    altered: [],
  });
}

/** The table's events of the run, each with the body sent under its id: what the stream must have carried. */
export const inTable = (items: readonly StoredEvent[], sent: ReadonlyMap<string, string>) =>
  new Map(items.map((item) => [item.eventId, sent.get(item.eventId)!]));

export function expectStreamed(result: StreamAudit) {
  expect({ notForwarded: result.notForwarded, notProjected: result.notProjected, forwardedUnexpected: result.forwardedUnexpected }).toEqual({
    notForwarded: [],
    notProjected: [],
    forwardedUnexpected: [],
  });
}

export const describeStream = (result: StreamAudit) =>
  `not forwarded ${result.notForwarded.length}, not projected ${result.notProjected.length}, forwarded again ${result.forwardedAgain} (at least once)`;

/** Stream consumers that retry quickly, and say nothing: the tests print their own counts. */
export const quietStream = { initialDelayMs: 50, maxDelayMs: 1_000, say: () => undefined };

/**
 * What the replays did, from `onReplay`: each replay's counts are one object, however many times it
 * is reported, so the distinct objects are the replays.
 */
export function sumReplays(reports: readonly ReplayCounts[]) {
  const replays = [...new Set(reports)];
  return {
    reports: reports.length,
    replays: replays.length,
    stored: replays.reduce((sum, counts) => sum + counts.stored, 0),
    duplicates: replays.reduce((sum, counts) => sum + counts.duplicates, 0),
    torn: replays.reduce((sum, counts) => sum + counts.torn, 0),
    reportedStoredAndDuplicates: reports.reduce((sum, counts) => sum + counts.stored + counts.duplicates, 0),
  };
}
export const describeReplays = (replayed: ReturnType<typeof sumReplays>) =>
  `${replayed.replays} replays: stored ${replayed.stored}, duplicates ${replayed.duplicates}, torn ${replayed.torn}; reported ${replayed.reports} times, adding up to ${replayed.reportedStoredAndDuplicates}`;

/**
 * Each replay is told once (PRODUCT BUG, local/local-server.ts: every replayIntervalMs tick
 * during a replay, and close(), attach another `onReplay` to the same replay, so one replay that
 * outlasts the interval is reported again and again and its counts, and the "Spool replayed" lines
 * of `npm start`, add up to several times what was replayed).
 */
export function expectEachReplayReportedOnce(replayed: ReturnType<typeof sumReplays>) {
  expect({ reports: replayed.reports, reportedStoredAndDuplicates: replayed.reportedStoredAndDuplicates }).toEqual({
    reports: replayed.replays,
    reportedStoredAndDuplicates: replayed.stored + replayed.duplicates,
  });
}

/** A gate that opens once every delivery before `index` has its answer. */
export function answeredUpTo(count: number) {
  const answered = Array.from({ length: count }, () => Promise.withResolvers<void>());
  return {
    done: (index: number) => answered[index]!.resolve(),
    before: (index: number) => Promise.all(answered.slice(0, index).map((gate) => gate.promise)),
  };
}

export const callbackUrlOf = (output: string) => /Callback URL\s+(\S+)/.exec(output)![1]!;
/**
 * The environment of an `npm start` under fault injection: free ports, a data directory, the test's
 * app, no token, forwarding to `forwardUrl`, and the embedded store unless `overrides` name another.
 */
export const npmStartEnvironment = (dataDir: string, forwardUrl: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PORT: '0',
  DYNAMODB_PORT: '0',
  DATA_DIR: dataDir,
  IM_SDKAPPIDS: SDK_APP_ID,
  DYNAMODB_ENDPOINT: '',
  IM_CALLBACK_TOKEN: '',
  IM_FORWARD_URL: forwardUrl,
  ...overrides,
});

export const npmStart = (env: NodeJS.ProcessEnv) => startScript('local/start.ts', env, 'Ctrl-C stops it.');
/** `npm start` says once when what an earlier run left has reached the view and the forward target (local/start.ts). */
export const caughtUp = (output: string) => /^Caught up: /m.test(output);

/** The run's events in the table, as `npm run events --json` lists them (whether or not npm start runs). */
export async function eventsOf(env: NodeJS.ProcessEnv, tag: string): Promise<StoredEvent[]> {
  const { stdout } = await runScript('cli/events.ts', ['--json', '--limit', '100000'], env);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .map((event) => ({ ...event, payload: JSON.stringify(event.payload) }) as unknown as StoredEvent)
    .filter(isOfRun(tag));
}

/** The stream audit of a running `npm start`: its view read through the DynamoDB API its banner names. */
export async function auditStreamOf(server: Started, target: ForwardTarget, tag: string, expected: ReadonlyMap<string, string>, maybe: ReadonlySet<string>) {
  const client = documentClient(localClient(/DynamoDB API\s+(\S+)/.exec(server.output())![1]!));
  try {
    return await auditStream(target, stateStoreOn(client), SDK_APP_ID, tag, expected, maybe);
  } finally {
    client.destroy();
  }
}
/** The outcomes `npm start` printed, one readable record per line: `<time> INFO  200 stored    <command> …`. */
export const printedOutcomes = (output: string) =>
  Object.fromEntries(countBy([...output.matchAll(/^\S+ \w+\s+(\d{3}) (\w+)/gm)], (match) => `${match[1]} ${match[2]}`));
export const printedReplays = (output: string) =>
  [...output.matchAll(/Spool replayed: (\d+) stored, (\d+) already there, (\d+) still waiting/g)].map((match) => ({
    stored: Number(match[1]),
    duplicates: Number(match[2]),
    remaining: Number(match[3]),
  }));

/** A server a failed test left running is killed, not left behind. */
export function killIfRunning(server: Started | undefined) {
  if (server !== undefined && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
}

export async function stopWithSigint(server: Started) {
  server.child.kill('SIGINT');
  return server.exited;
}

/**
 * Streams `deliveries` to `npm start` and SIGKILLs it right after the `killAfter`-th acknowledgement,
 * with other deliveries under way. Returns the answers: undefined for deliveries never sent.
 */
export async function streamUntilKilled(
  server: Started,
  deliveries: readonly StreamEvent[],
  killAfter: number,
  options: { beforeEach?: (index: number) => Promise<void>; concurrency?: number } = {},
) {
  const url = callbackUrlOf(server.output());
  const answers: (Answer | undefined)[] = [];
  let acknowledged = 0;
  let killed = false;
  let inFlightAtKill = 0;
  let inFlight = 0;
  await runStream(
    deliveries.length,
    options.concurrency ?? 6,
    async (index) => {
      inFlight += 1;
      const answer = await deliver(url, SDK_APP_ID, AFTER_COMMAND, deliveries[index]!.body);
      inFlight -= 1;
      answers[index] = answer;
      if (isAcknowledged(answer) && !killed) acknowledged += 1;
      if (!killed && acknowledged === killAfter) {
        killed = true;
        inFlightAtKill = inFlight;
        server.child.kill('SIGKILL');
      }
    },
    { beforeEach: options.beforeEach, stop: () => killed },
  );
  // The stream ran out before the kill (too few acknowledgements): a failure, but not a hang.
  if (!killed) server.child.kill('SIGKILL');
  const exitCode = await server.exited;
  return { answers, exitCode: killed ? exitCode : `never killed: ${acknowledged} acknowledged`, inFlightAtKill };
}

export const spoolOf = (dataDir: string) => new EventSpool(join(dataDir, 'spool'));

/**
 * The events waiting in a data directory's spool, by id, each once. Not a count of lines: a replay
 * puts what failed back into the spool before it removes the file it read, so for a moment (the
 * put-back's write and sync) the same events are in two files, and `pending()` counts them twice.
 */
export function spooledEventIds(dataDir: string): string[] {
  const folder = join(dataDir, 'spool');
  const ids = readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(folder, name), 'utf8').split('\n'))
    .flatMap((line) => {
      try {
        return [parseKeptEvent(line).event.eventId];
      } catch {
        // A line torn by a crash, or the blank between commits: never acknowledged, nothing waits.
        return [];
      }
    });
  return [...new Set(ids)].sort();
}
