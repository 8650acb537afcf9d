/**
 * Nothing acknowledged is lost, whatever breaks mid-stream: the store stops and starts again, or the
 * store swallows its answers, on each kind of store (the store down and then `npm start` killed with
 * SIGKILL: npm-start-store-down-sigkill.test.ts; killed with its embedded store: npm-start-sigkill.test.ts). In each case a stream of distinct after-events
 * (and re-sends) goes through real HTTP, and at the end every acknowledged event is in the table exactly
 * once, nothing that was not acknowledged (or at least under way) is, and before-callbacks were answered
 * without waiting on storage. Each case prints its counts. Issue 17: every event the table holds also
 * reached the table's stream locally (the change log): it is at the forward target (IM_FORWARD_URL) and
 * in the synced view, after budget timeouts whose writes landed, store outages, and SIGKILLs.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { ReplayCounts } from '../../local/event-spool.ts';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../support/dynamodb-servers.ts';
import {
  AFTER_COMMAND,
  type Answer,
  audit,
  BEFORE_COMMAND,
  countBy,
  deliver,
  isAcknowledged,
  isOfRun,
  printCounts,
  runStream,
  runTag,
  scanTable,
  waitFor,
} from '../support/event-stream.ts';
import {
  allowedBefore,
  answeredUpTo,
  deliveriesOf,
  describeReplays,
  describeStream,
  expectClean,
  expectEachReplayReportedOnce,
  expectStreamed,
  inTable,
  ledger,
  policy,
  quietStream,
  refusedBefore,
  spooledEventIds,
  sumReplays,
} from '../support/fault-injection.ts';
import { startForwardTarget } from '../support/forward-target.ts';
import { SDK_APP_ID, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';
import { auditStream, stateStoreOn } from '../support/stream-audit.ts';
import { answerSwallowingProxy } from '../support/swallowing-proxy.ts';

const root = mkdtempSync(join(tmpdir(), 'fault-injection-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeEachKind('on %s', (kind) => {
  let server: DynamoDbServer;

  beforeAll(async () => {
    server = await startDynamoDb(kind, { dataDir: join(root, `${kind}-data`) });
  }, 120_000);
  afterAll(() => server?.close());

  test('the store stops mid-stream and starts again: every acknowledged event ends up in the table once; before-callbacks never wait', async () => {
    const seed = testSeed(`fault injection ${kind}: store outage mid-stream`);
    const tag = runTag(`outage-${kind}`);
    const deliveries = deliveriesOf(tag, 150, seededRandom(seed));
    const count = deliveries.length;
    // Stop at a third, while deliveries are under way; from `outageFrom` on, the store is surely down;
    // at two thirds, once all earlier answers are in, check the before-callbacks and start it again.
    const stopAt = Math.floor(count / 3);
    const outageFrom = stopAt + 8;
    const startAt = Math.floor((2 * count) / 3);

    const replays: ReplayCounts[] = [];
    const target = await startForwardTarget();
    const dataDir = join(root, `outage-${kind}`);
    const receiver: TestReceiver = await startTestReceiver({
      dynamodbEndpoint: server.endpoint,
      dataDir,
      replayIntervalMs: 200,
      settings: testSettings({ writeBudgetMs: 300, policy }),
      onReplay: (counts) => replays.push(counts),
      forwardUrl: target.url,
      stream: quietStream,
    });
    const answers: (Answer | undefined)[] = [];
    const gate = answeredUpTo(count);
    let stopping: Promise<void> | undefined;
    let outage: Promise<void> | undefined;
    let starting: Promise<void> | undefined;
    let before: { spooledBefore: string[]; spooledAfter: string[]; answers: Answer[] } | undefined;
    const timings: Record<string, number> = {};
    const t0 = Date.now();
    try {
      await runStream(
        count,
        4,
        async (index) => {
          answers[index] = await deliver(receiver.callbackUrl, SDK_APP_ID, AFTER_COMMAND, deliveries[index]!.body);
          gate.done(index);
        },
        {
          beforeEach: async (index) => {
            if (index >= stopAt)
              stopping ??= server.stop().then(() => {
                timings['store stopped after ms'] = Date.now() - t0;
              });
            if (index >= outageFrom) await stopping;
            if (index >= startAt) {
              outage ??= (async () => {
                await gate.before(startAt);
                // The store is down and nothing else is under way: before-callbacks are decided by the
                // policy alone, at once, and leave the spool as it is.
                // By event id: a replay running meanwhile (every 200 ms) moves lines, and puts back the same events.
                const spooledBefore = spooledEventIds(dataDir);
                const beforeAnswers = await Promise.all(
                  [refusedBefore, allowedBefore, refusedBefore].map((body) => deliver(receiver.callbackUrl, SDK_APP_ID, BEFORE_COMMAND, body)),
                );
                before = { spooledBefore, spooledAfter: spooledEventIds(dataDir), answers: beforeAnswers };
                timings['store started after ms'] = Date.now() - t0;
                // Not waited for: deliveries go on while it starts (DynamoDB Local takes seconds).
                starting = server.start();
              })();
              await outage;
            }
          },
        },
      );
      await starting;
      timings['stream done after ms'] = Date.now() - t0;
      timings['spool drained in ms'] = await waitFor('the spool is replayed', () => receiver.spool!.pending() === 0, 120_000, 100);
      await receiver.idle();
    } finally {
      // On a failure half-way, the store must run again for the next test.
      await stopping;
      await starting?.catch(() => undefined);
      if (starting === undefined) await server.start();
      await receiver.close();
      await target.down();
    }

    const { sent, acknowledged, maybe, statuses, answered } = ledger(deliveries, answers);
    const items = (await scanTable(server.client)).filter(isOfRun(tag));
    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    const records = receiver.records.filter((record) => record.command === AFTER_COMMAND && record.eventId !== undefined && sent.has(record.eventId));
    const outcomes = Object.fromEntries(countBy(records, (record) => record.outcome));
    const replayed = sumReplays(replays);
    const acknowledgedDeliveries = answers.filter((answer) => answer !== undefined && isAcknowledged(answer)).length;
    const streamed = await auditStream(target, stateStoreOn(server.client), SDK_APP_ID, tag, inTable(items, sent));
    printCounts(`[fault injection ${kind}] store outage mid-stream (seed ${seed})`, {
      sent: `${count} deliveries of ${sent.size} distinct events (${count - sent.size} re-sends); deliveries ${outageFrom}-${startAt - 1} with the store surely down`,
      acknowledged: `${acknowledgedDeliveries} (stored ${outcomes.stored ?? 0}, duplicate ${outcomes.duplicate ?? 0}, queued ${outcomes.queued ?? 0})`,
      '503s': statuses['503'] ?? 0,
      'no answer': count - answered + (statuses['no-answer'] ?? 0),
      'spool replays': describeReplays(replayed),
      'stored in table': `${result.stored} (acknowledged ${acknowledged.size}, missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length})`,
      'duplicates suppressed': `${acknowledgedDeliveries - result.stored} (live ${outcomes.duplicate ?? 0}, at replay ${replayed.duplicates})`,
      'before-callbacks in outage': before?.answers
        .map((answer) => `${answer.status} ${'answer' in answer ? answer.answer?.ErrorCode : '-'} in ${Math.round(answer.ms)} ms`)
        .join(', '),
      timings: JSON.stringify(timings),
      'stream (forward, view)': describeStream(streamed),
    });

    expect(answered).toBe(count);
    expect(statuses['no-answer']).toBeUndefined();
    expect(Object.keys(statuses).filter((status) => status !== '200' && status !== '503')).toEqual([]);
    // Every delivery while the store was surely down was acknowledged, and as spooled.
    for (let index = outageFrom; index < startAt; index += 1) expect(isAcknowledged(answers[index]!)).toBe(true);
    const outageDeliveries = countBy(deliveries.slice(outageFrom, startAt), (event) => event.eventId);
    for (const [eventId, times] of outageDeliveries) {
      expect(records.filter((record) => record.eventId === eventId && record.outcome === 'queued').length).toBeGreaterThanOrEqual(times);
    }
    // One record per delivery; every spooled one was replayed exactly once in the end.
    expect((outcomes.stored ?? 0) + (outcomes.duplicate ?? 0) + (outcomes.queued ?? 0)).toBe(acknowledgedDeliveries);
    expect(outcomes.failed ?? 0).toBe(statuses['503'] ?? 0);
    expect(replayed.stored + replayed.duplicates).toBe(outcomes.queued ?? 0);
    expect(replayed.torn).toBe(0);
    expectClean(result);
    expect(result.stored).toBe(acknowledged.size + result.maybeStored);
    expectStreamed(streamed);

    // Before-callbacks while the store was down: the policy's answers, at once, the spool untouched.
    expect(before!.answers.map((answer) => [answer.status, 'answer' in answer ? answer.answer : undefined])).toEqual([
      [200, { ActionStatus: 'OK', ErrorCode: 10101, ErrorInfo: 'operator not allowed' }],
      [200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }],
      [200, { ActionStatus: 'OK', ErrorCode: 10101, ErrorInfo: 'operator not allowed' }],
    ]);
    expect(before!.spooledAfter).toEqual(before!.spooledBefore);
    expect(before!.spooledBefore.length).toBeGreaterThan(0);
    expect(
      receiver.records
        .filter((record) => record.command === BEFORE_COMMAND)
        .map((record) => record.outcome)
        .sort(),
    ).toEqual(['allowed', 'refused', 'refused']);

    expectEachReplayReportedOnce(replayed);
  }, 300_000);

  test('the store swallows its answers mid-stream (writes land, no answer comes): acknowledged as spooled, stored once; before-callbacks answered within the write budget', async () => {
    const seed = testSeed(`fault injection ${kind}: store answers swallowed`);
    const tag = runTag(`hang-${kind}`);
    const deliveries = deliveriesOf(tag, 60, seededRandom(seed));
    const count = deliveries.length;
    const hangAt = 20;
    const hangFrom = hangAt + 4;
    const resumeAt = 48;
    const writeBudgetMs = 300;
    const proxy = await answerSwallowingProxy(server.endpoint);
    const replays: ReplayCounts[] = [];
    const target = await startForwardTarget();
    const receiver = await startTestReceiver({
      dynamodbEndpoint: proxy.endpoint,
      dataDir: join(root, `hang-${kind}`),
      replayIntervalMs: 200,
      settings: testSettings({ writeBudgetMs, policy }),
      onReplay: (counts) => replays.push(counts),
      forwardUrl: target.url,
      stream: quietStream,
    });
    const answers: (Answer | undefined)[] = [];
    const gate = answeredUpTo(count);
    let hanging: Promise<void> | undefined;
    let resumed: Promise<void> | undefined;
    let before: Answer[] = [];
    let drainMs: number;
    try {
      await runStream(
        count,
        4,
        async (index) => {
          answers[index] = await deliver(receiver.callbackUrl, SDK_APP_ID, AFTER_COMMAND, deliveries[index]!.body);
          gate.done(index);
        },
        {
          beforeEach: async (index) => {
            if (index >= hangAt) hanging ??= gate.before(hangFrom - 4).then(() => proxy.swallow(true));
            if (index >= hangFrom) await hanging;
            if (index >= resumeAt) {
              resumed ??= (async () => {
                // After-events are under way, each waiting out its write budget: before-callbacks now.
                await new Promise((done) => setTimeout(done, 50));
                before = await Promise.all([refusedBefore, allowedBefore].map((body) => deliver(receiver.callbackUrl, SDK_APP_ID, BEFORE_COMMAND, body)));
                await gate.before(resumeAt);
                proxy.swallow(false);
              })();
              await resumed;
            }
          },
        },
      );
      drainMs = await waitFor('the spool is replayed', () => receiver.spool!.pending() === 0, 120_000, 100);
      await receiver.idle();
    } finally {
      proxy.swallow(false);
      await receiver.close();
      await proxy.close();
      await target.down();
    }

    const { sent, acknowledged, maybe, statuses } = ledger(deliveries, answers);
    const items = (await scanTable(server.client)).filter(isOfRun(tag));
    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    const records = receiver.records.filter((record) => record.command === AFTER_COMMAND && record.eventId !== undefined && sent.has(record.eventId));
    const outcomes = Object.fromEntries(countBy(records, (record) => record.outcome));
    const replayed = sumReplays(replays);
    const hungAnswers = answers.slice(hangFrom, resumeAt) as Answer[];
    // Each write the budget gave up on landed: the spool's replay found it a duplicate, and it reached
    // the stream all the same (it was never forwarded nor projected before issue 17).
    const streamed = await auditStream(target, stateStoreOn(server.client), SDK_APP_ID, tag, inTable(items, sent));
    printCounts(`[fault injection ${kind}] store answers swallowed mid-stream (seed ${seed})`, {
      sent: `${count} deliveries of ${sent.size} distinct events; deliveries ${hangFrom}-${resumeAt - 1} with no answer from the store`,
      acknowledged: `${Object.values(answers).filter((answer) => answer !== undefined && isAcknowledged(answer)).length} (stored ${outcomes.stored ?? 0}, duplicate ${outcomes.duplicate ?? 0}, queued ${outcomes.queued ?? 0})`,
      '503s': statuses['503'] ?? 0,
      'spool replays': `${describeReplays(replayed)}; drained in ${drainMs} ms`,
      'stored in table': `${result.stored} (acknowledged ${acknowledged.size}, missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length})`,
      'after-events while hung': `${Math.round(Math.min(...hungAnswers.map((answer) => answer.ms)))}-${Math.round(Math.max(...hungAnswers.map((answer) => answer.ms)))} ms`,
      'before-callbacks while hung': before
        .map((answer) => `${answer.status} ${'answer' in answer ? answer.answer?.ErrorCode : '-'} in ${Math.round(answer.ms)} ms`)
        .join(', '),
      'stream (forward, view)': describeStream(streamed),
    });

    expect(statuses).toEqual({ 200: count });
    for (const answer of hungAnswers) {
      expect(isAcknowledged(answer)).toBe(true);
      // Each waited out its write budget before the spool took it.
      expect(answer.ms).toBeGreaterThanOrEqual(writeBudgetMs - 5);
    }
    for (const event of new Set(deliveries.slice(hangFrom, resumeAt))) {
      expect(records.filter((record) => record.eventId === event.eventId).map((record) => record.outcome)).toContain('queued');
    }
    // Each queued event was replayed once: found there (its write had landed before its answer was
    // lost), or stored by the replay (the write was still on its way when the budget aborted it, and
    // the abort reached the store first: a matter of the machine's speed, so either is right).
    expect({ replayed: replayed.stored + replayed.duplicates, torn: replayed.torn }).toEqual({ replayed: outcomes.queued, torn: 0 });
    expectClean(result);
    expect(result.stored).toBe(sent.size);
    expectStreamed(streamed);
    // The decisions came while the store hung, without waiting for it.
    expect(before.map((answer) => ('answer' in answer ? answer.answer?.ErrorCode : answer.status))).toEqual([10101, 0]);
    for (const answer of before) expect(answer.ms).toBeLessThan(writeBudgetMs);

    expectEachReplayReportedOnce(replayed);
  }, 300_000);
});
