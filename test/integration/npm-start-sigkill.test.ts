/**
 * Nothing acknowledged is lost when `npm start` (its embedded store included) is killed with SIGKILL
 * mid-stream, once or again and again under load, or when a 50 ms write budget makes writes land after
 * their answers: every acknowledged event is in the table exactly once, and (issue 17) every event the
 * table holds reaches the forward target and the synced view. The same with an external store that is
 * down at the kill is in fault-injection.test.ts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import type { ReplayCounts } from '../../local/event-spool.ts';
import {
  AFTER_COMMAND,
  type Answer,
  afterEvent,
  audit,
  countBy,
  deliver,
  isAcknowledged,
  isOfRun,
  printCounts,
  runStream,
  runTag,
  type StreamEvent,
  scanTable,
  waitFor,
} from '../support/event-stream.ts';
import {
  auditStreamOf,
  caughtUp,
  deliveriesOf,
  describeReplays,
  describeStream,
  eventsOf,
  expectClean,
  expectStreamed,
  inTable,
  killIfRunning,
  ledger,
  npmStart,
  npmStartEnvironment,
  printedOutcomes,
  printedReplays,
  quietStream,
  spoolOf,
  stopWithSigint,
  streamUntilKilled,
  sumReplays,
} from '../support/fault-injection.ts';
import { startForwardTarget } from '../support/forward-target.ts';
import type { Started } from '../support/processes.ts';
import { SDK_APP_ID, startTestReceiver, testSettings } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';
import { auditStream, type StreamAudit } from '../support/stream-audit.ts';

const root = mkdtempSync(join(tmpdir(), 'npm-start-sigkill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm start killed with SIGKILL mid-stream', () => {
  test('embedded store: after npm start again, every acknowledged event is in the table once', async () => {
    const seed = testSeed(`fault injection: SIGKILL of npm start`);
    const random = seededRandom(seed);
    const tag = runTag('sigkill');
    const dataDir = join(root, 'sigkill');
    const target = await startForwardTarget();
    const env = npmStartEnvironment(dataDir, target.url);
    const deliveries = deliveriesOf(tag, 150, random);
    const killAfter = 30 + Math.floor(random() * 90);

    const first = await npmStart(env);
    const { answers, exitCode, inFlightAtKill } = await streamUntilKilled(first, deliveries, killAfter).finally(() => killIfRunning(first));
    expect(exitCode).toBeNull();

    const { sent, acknowledged, maybe, statuses, answered } = ledger(deliveries, answers);
    const second = await npmStart(env);
    let items: StoredEvent[];
    let drainMs: number;
    let streamed: StreamAudit;
    try {
      drainMs = await waitFor('the spool is replayed', () => spoolOf(dataDir).pending() === 0, 120_000, 100);
      await waitFor('the restart caught up', () => caughtUp(second.output()), 120_000, 100);
      items = await eventsOf(env, tag);
      streamed = await auditStreamOf(second, target, tag, inTable(items, sent), maybe);
    } finally {
      expect(await stopWithSigint(second)).toBe(0);
      await target.down();
    }

    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    const acknowledgedDeliveries = answers.filter((answer) => answer !== undefined && isAcknowledged(answer)).length;
    printCounts(`[fault injection] SIGKILL of npm start (embedded dynalite; seed ${seed})`, {
      sent: `${answered} of ${deliveries.length} deliveries (${sent.size} distinct events planned); killed after acknowledgement ${killAfter}, ${inFlightAtKill} under way`,
      acknowledged: `${acknowledgedDeliveries} deliveries, ${acknowledged.size} distinct; printed before the kill: ${JSON.stringify(printedOutcomes(first.output()))}`,
      'no answer': `${statuses['no-answer'] ?? 0} (in flight at the kill), of which stored anyway ${result.maybeStored}`,
      'replayed at restart': JSON.stringify(printedReplays(second.output())),
      'stored in table': `${result.stored} (missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length}); spool drained in ${drainMs} ms`,
      'duplicates suppressed': acknowledgedDeliveries - (result.stored - result.maybeStored),
      'stream (forward, view)': describeStream(streamed),
    });

    expect(acknowledgedDeliveries).toBeGreaterThanOrEqual(killAfter);
    expect(Object.keys(statuses).filter((status) => status !== '200' && status !== 'no-answer')).toEqual([]);
    expect(statuses['no-answer'] ?? 0).toBeLessThanOrEqual(6);
    expectClean(result);
    expect(result.stored).toBe(acknowledged.size + result.maybeStored);
    expectStreamed(streamed);
  }, 300_000);
});

describe('npm start killed again and again under load, with IM_FORWARD_URL', () => {
  test('every acknowledged event, and every other the table holds, reaches the forward target and the synced view', async () => {
    const seed = testSeed('fault injection: repeated SIGKILLs under load');
    const random = seededRandom(seed);
    const tag = runTag('sigkills');
    const dataDir = join(root, 'sigkills');
    const target = await startForwardTarget();
    const env = npmStartEnvironment(dataDir, target.url);
    const events = Array.from({ length: 200 }, (_, seq) => afterEvent(SDK_APP_ID, tag, seq));
    const rounds = 4;
    const perRound = events.length / rounds;
    const deliveries: StreamEvent[] = [];
    const answers: (Answer | undefined)[] = [];
    const acknowledged = new Set<string>();
    const kills: string[] = [];
    let last: Started | undefined;
    let items: StoredEvent[] = [];
    let streamed: StreamAudit | undefined;
    try {
      for (let round = 0; round < rounds; round += 1) {
        // Tencent's retries of what was not acknowledged (refused, cut off by the kill, or never sent),
        // then new events, 16 at a time.
        const offered = events.slice(0, (round + 1) * perRound);
        const roundDeliveries = offered.filter((event) => !acknowledged.has(event.eventId));
        const killAfter = 20 + Math.floor(random() * (roundDeliveries.length - 40));
        const server = await npmStart(env);
        last = server;
        const {
          answers: roundAnswers,
          exitCode,
          inFlightAtKill,
        } = await streamUntilKilled(server, roundDeliveries, killAfter, { concurrency: 16 }).finally(() => killIfRunning(server));
        expect(exitCode).toBeNull();
        roundDeliveries.forEach((event, index) => {
          deliveries.push(event);
          answers.push(roundAnswers[index]);
          if (roundAnswers[index] !== undefined && isAcknowledged(roundAnswers[index]!)) acknowledged.add(event.eventId);
        });
        kills.push(`round ${round + 1}: ${roundDeliveries.length} to send, killed after acknowledgement ${killAfter} with ${inFlightAtKill} under way`);
      }

      const final = await npmStart(env);
      last = final;
      await waitFor('the restart caught up', () => caughtUp(final.output()), 60_000, 100);
      const { sent, maybe } = ledger(deliveries, answers);
      items = await eventsOf(env, tag);
      streamed = await auditStreamOf(final, target, tag, inTable(items, sent), maybe);
      expect(await stopWithSigint(final)).toBe(0);
    } finally {
      killIfRunning(last);
      await target.down();
    }

    const { sent, maybe, statuses } = ledger(deliveries, answers);
    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    printCounts(`[fault injection] npm start SIGKILLed ${rounds} times under load, with forwarding (seed ${seed})`, {
      kills: kills.join('; '),
      deliveries: `${answers.filter((answer) => answer !== undefined).length} answered: ${JSON.stringify(statuses)}`,
      acknowledged: `${acknowledged.size} distinct events of ${events.length}`,
      'stored in table': `${result.stored} (missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length}; unacknowledged but stored ${result.maybeStored})`,
      'stream (forward, view)': describeStream(streamed!),
    });

    expectClean(result);
    expect(result.stored).toBe(acknowledged.size + result.maybeStored);
    expectStreamed(streamed!);
  }, 300_000);
});

describe('a 50 ms write budget under 32-way load, with IM_FORWARD_URL', () => {
  test('events acknowledged as spooled whose writes landed anyway (a duplicate at replay) reach the forward target and the synced view', async () => {
    const seed = testSeed('fault injection: 50 ms write budget');
    const tag = runTag('budget-50');
    const deliveries = deliveriesOf(tag, 200, seededRandom(seed));
    const target = await startForwardTarget();
    const replays: ReplayCounts[] = [];
    const receiver = await startTestReceiver({
      dataDir: join(root, 'budget-50'),
      replayIntervalMs: 200,
      settings: testSettings({ writeBudgetMs: 50 }),
      onReplay: (counts) => replays.push(counts),
      forwardUrl: target.url,
      stream: quietStream,
    });
    const answers: (Answer | undefined)[] = [];
    let items: StoredEvent[];
    let streamed: StreamAudit;
    let sent: Map<string, string>;
    try {
      await runStream(deliveries.length, 32, async (index) => {
        answers[index] = await deliver(receiver.callbackUrl, SDK_APP_ID, AFTER_COMMAND, deliveries[index]!.body);
      });
      await waitFor('the spool is replayed', () => receiver.spool!.pending() === 0, 60_000, 100);
      await receiver.idle();
      sent = ledger(deliveries, answers).sent;
      items = (await scanTable(receiver.store.client)).filter(isOfRun(tag));
      streamed = await auditStream(target, receiver.state.store, SDK_APP_ID, tag, inTable(items, sent));
    } finally {
      await receiver.close();
      await target.down();
    }

    const { acknowledged, maybe, statuses } = ledger(deliveries, answers);
    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    const outcomes = Object.fromEntries(
      countBy(
        receiver.records.filter((record) => record.command === AFTER_COMMAND),
        (record) => record.outcome,
      ),
    );
    const replayed = sumReplays(replays);
    printCounts(`[fault injection] 50 ms write budget, 32 connections (seed ${seed})`, {
      answers: JSON.stringify(statuses),
      outcomes: `${JSON.stringify(outcomes)}: each queued one went to the spool when its write outlived the budget`,
      'spool replays': `${describeReplays(replayed)} (a duplicate: the write had landed after all)`,
      'stored in table': `${result.stored} (acknowledged ${acknowledged.size}, missing ${result.missing.length}, doubled ${result.doubled.length})`,
      'stream (forward, view)': describeStream(streamed),
    });

    expect(statuses).toEqual({ 200: deliveries.length });
    expectClean(result);
    expect(replayed.stored + replayed.duplicates).toBe(outcomes.queued ?? 0);
    expectStreamed(streamed);
    // A hang bound: on a busy machine every write outlives 50 ms, and each replay's first slow write puts the rest back.
  }, 300_000);
});
