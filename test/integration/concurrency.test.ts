/**
 * Concurrent deliveries through the local server, against both DynamoDB implementations: the same
 * body delivered N times at once is stored once (one `stored`, the rest `duplicate`), N different
 * bodies are stored N times, and a shuffled mix of both is stored once per body.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { type DynamoDbServer, describeEachKind, startDynamoDb } from '../support/dynamodb-servers.ts';
import { AFTER_COMMAND, afterEvent, countBy, deliver, isOfRun, printCounts, runTag, type StreamEvent, scanTable, shuffled } from '../support/event-stream.ts';
import { SDK_APP_ID, startTestReceiver, type TestReceiver, testSettings } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';

const N = 50;

describeEachKind('concurrent deliveries on %s', (kind) => {
  let server: DynamoDbServer;
  let receiver: TestReceiver;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `concurrency-${kind}-`));
    server = await startDynamoDb(kind);
    // The longest write budget Tencent's 2 s allow: a slow put on a busy machine must not turn a
    // duplicate into a spooled copy here (the fault-injection tests cover the spool).
    receiver = await startTestReceiver({
      dynamodbEndpoint: server.endpoint,
      dataDir,
      settings: testSettings({ writeBudgetMs: 1_900 }),
      onReplay: () => undefined,
    });
    // A JVM's first requests are slow: warm the path up before anything is timed or counted.
    const tag = runTag('warm-up');
    await Promise.all(Array.from({ length: 10 }, (_, seq) => deliver(receiver.callbackUrl, SDK_APP_ID, AFTER_COMMAND, afterEvent(SDK_APP_ID, tag, seq).body)));
  }, 120_000);

  afterAll(async () => {
    await receiver?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Delivers the bodies all at once; returns the answers and what the receiver and the table say. */
  async function deliverAtOnce(tag: string, deliveries: readonly StreamEvent[]) {
    const answers = await Promise.all(deliveries.map((event) => deliver(receiver.callbackUrl, SDK_APP_ID, AFTER_COMMAND, event.body)));
    const ids = new Set(deliveries.map((event) => event.eventId));
    const records = receiver.records.filter((record) => record.eventId !== undefined && ids.has(record.eventId));
    const items = (await scanTable(server.client)).filter(isOfRun(tag));
    return {
      statuses: Object.fromEntries(countBy(answers, (answer) => String(answer.status))),
      errorCodes: Object.fromEntries(countBy(answers, (answer) => ('answer' in answer ? String(answer.answer?.ErrorCode) : 'none'))),
      outcomes: Object.fromEntries(countBy(records, (record) => record.outcome)),
      perId: countBy(items, (item) => item.eventId),
      items,
    };
  }

  test(`${N} concurrent deliveries of the same body: all answered OK, stored once, ${N - 1} duplicates`, async () => {
    const tag = runTag('same');
    const event = afterEvent(SDK_APP_ID, tag, 0);
    const result = await deliverAtOnce(
      tag,
      Array.from({ length: N }, () => event),
    );
    printCounts(`[concurrency ${kind}] ${N} × the same body`, {
      sent: N,
      acknowledged: result.statuses['200'] ?? 0,
      outcomes: JSON.stringify(result.outcomes),
      'stored in table': result.items.length,
      'duplicates suppressed': result.outcomes.duplicate ?? 0,
    });
    expect(result.statuses).toEqual({ 200: N });
    expect(result.errorCodes).toEqual({ 0: N });
    expect(result.outcomes).toEqual({ stored: 1, duplicate: N - 1 });
    expect([...result.perId]).toEqual([[event.eventId, 1]]);
    expect(receiver.spool!.pending()).toBe(0);
  });

  test(`${N} concurrent different bodies: ${N} items`, async () => {
    const tag = runTag('different');
    const events = Array.from({ length: N }, (_, seq) => afterEvent(SDK_APP_ID, tag, seq));
    const result = await deliverAtOnce(tag, events);
    printCounts(`[concurrency ${kind}] ${N} different bodies`, {
      sent: N,
      acknowledged: result.statuses['200'] ?? 0,
      outcomes: JSON.stringify(result.outcomes),
      'stored in table': result.items.length,
    });
    expect(result.statuses).toEqual({ 200: N });
    expect(result.outcomes).toEqual({ stored: N });
    expect(result.items).toHaveLength(N);
    expect(new Set(result.perId.keys())).toEqual(new Set(events.map((event) => event.eventId)));
    expect(receiver.spool!.pending()).toBe(0);
  });

  test('10 bodies × 5 copies, shuffled, at once: 10 items, 40 duplicates', async () => {
    const tag = runTag('mixed');
    const seed = testSeed(`concurrency ${kind}: 10 bodies × 5 copies, shuffled`);
    const events = Array.from({ length: 10 }, (_, seq) => afterEvent(SDK_APP_ID, tag, seq));
    const deliveries = shuffled(
      events.flatMap((event) => Array.from({ length: 5 }, () => event)),
      seededRandom(seed),
    );
    const result = await deliverAtOnce(tag, deliveries);
    printCounts(`[concurrency ${kind}] 10 bodies × 5 copies, shuffled (seed ${seed})`, {
      sent: deliveries.length,
      acknowledged: result.statuses['200'] ?? 0,
      outcomes: JSON.stringify(result.outcomes),
      'stored in table': result.items.length,
      'duplicates suppressed': result.outcomes.duplicate ?? 0,
    });
    expect(result.statuses).toEqual({ 200: 50 });
    expect(result.outcomes).toEqual({ stored: 10, duplicate: 40 });
    expect(result.items).toHaveLength(10);
    expect([...result.perId.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(result.perId.keys())).toEqual(new Set(events.map((event) => event.eventId)));
    // Each body: exactly one delivery stored it, its four other copies were duplicates.
    for (const event of events) {
      const outcomes = receiver.records
        .filter((record) => record.eventId === event.eventId)
        .map((record) => record.outcome)
        .sort();
      expect(outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'stored']);
    }
    expect(receiver.spool!.pending()).toBe(0);
  });
});
