/**
 * The store is down, then `npm start` is killed with SIGKILL, then both start again: the spool is
 * replayed at start, and every acknowledged event is in the table once and reached the forward target
 * and the synced view. What breaks here is npm start and its spool, not the store, so it runs on
 * dynalite alone; the store stopping and starting again on each kind is fault-injection.test.ts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type DynamoDbServer, startDynamoDb } from '../support/dynamodb-servers.ts';
import { audit, isAcknowledged, isOfRun, printCounts, runTag, scanTable, waitFor } from '../support/event-stream.ts';
import {
  caughtUp,
  deliveriesOf,
  describeStream,
  expectClean,
  expectStreamed,
  inTable,
  killIfRunning,
  ledger,
  npmStart,
  npmStartEnvironment,
  printedOutcomes,
  printedReplays,
  spoolOf,
  stopWithSigint,
  streamUntilKilled,
} from '../support/fault-injection.ts';
import { startForwardTarget } from '../support/forward-target.ts';
import type { Started } from '../support/processes.ts';
import { SDK_APP_ID } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';
import { auditStream, stateStoreOn } from '../support/stream-audit.ts';

const root = mkdtempSync(join(tmpdir(), 'npm-start-store-down-'));
let server: DynamoDbServer;
beforeAll(async () => {
  server = await startDynamoDb('dynalite', { dataDir: join(root, 'store') });
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('npm start over an external store', () => {
  test('store down, then npm start SIGKILLed, then both started again: the spool is replayed at start, every acknowledged event in the table once', async () => {
    const seed = testSeed('fault injection dynalite: store down, then SIGKILL');
    const random = seededRandom(seed);
    const tag = runTag('outage-sigkill-dynalite');
    const store = server;
    const dataDir = join(root, 'both');
    const target = await startForwardTarget();
    const env = npmStartEnvironment(dataDir, target.url, { DYNAMODB_ENDPOINT: store.endpoint, IM_WRITE_BUDGET_MS: '300' });
    const deliveries = deliveriesOf(tag, 120, random);
    const stopAt = 30;
    const outageFrom = stopAt + 8;
    // Killed with the store down, after 25 to 60 acknowledgements of spooled events.
    const killAfter = outageFrom + 25 + Math.floor(random() * 35);
    let stopping: Promise<void> | undefined;
    let first: Started | undefined;
    let second: Started | undefined;
    try {
      first = await npmStart(env);
      const { answers, exitCode, inFlightAtKill } = await streamUntilKilled(first, deliveries, killAfter, {
        beforeEach: async (index) => {
          if (index >= stopAt) stopping ??= store.stop();
          if (index >= outageFrom) await stopping;
        },
      });
      expect(exitCode).toBeNull();
      const pendingAtKill = spoolOf(dataDir).pending();

      await store.start();
      second = await npmStart(env);
      const restarted = second;
      const drainMs = await waitFor('the spool is replayed at start', () => spoolOf(dataDir).pending() === 0, 120_000, 100);
      await waitFor('the restart caught up', () => caughtUp(restarted.output()), 120_000, 100);
      second = undefined;
      expect(await stopWithSigint(restarted)).toBe(0);

      const { sent, acknowledged, maybe, statuses, answered } = ledger(deliveries, answers);
      const items = (await scanTable(store.client)).filter(isOfRun(tag));
      const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
      const acknowledgedDeliveries = answers.filter((answer) => answer !== undefined && isAcknowledged(answer)).length;
      const acknowledgedInOutage = answers.slice(outageFrom).filter((answer) => answer !== undefined && isAcknowledged(answer)).length;
      const replays = printedReplays(restarted.output());
      const streamed = await auditStream(target, stateStoreOn(store.client), SDK_APP_ID, tag, inTable(items, sent), maybe);
      printCounts(`[fault injection dynalite] store down, then npm start SIGKILLed, then both started again (seed ${seed})`, {
        sent: `${answered} of ${deliveries.length} deliveries; store stopped at ${stopAt}, surely down from ${outageFrom}; killed after acknowledgement ${killAfter}, ${inFlightAtKill} under way`,
        acknowledged: `${acknowledgedDeliveries} deliveries (${acknowledgedInOutage} with the store down), ${acknowledged.size} distinct; printed before the kill: ${JSON.stringify(printedOutcomes(first.output()))}`,
        '503s': statuses['503'] ?? 0,
        'no answer': `${statuses['no-answer'] ?? 0} (in flight at the kill), of which stored anyway ${result.maybeStored}`,
        'spool at the kill': `${pendingAtKill} events; drained in ${drainMs} ms after the restart`,
        'replayed at restart': JSON.stringify(replays),
        'stored in table': `${result.stored} (missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length})`,
        'duplicates suppressed': acknowledgedDeliveries - (result.stored - result.maybeStored),
        'stream (forward, view)': describeStream(streamed),
      });

      expect(Object.keys(statuses).filter((status) => status !== '200' && status !== '503' && status !== 'no-answer')).toEqual([]);
      expect(statuses['no-answer'] ?? 0).toBeLessThanOrEqual(6);
      expect(acknowledgedInOutage).toBeGreaterThanOrEqual(20);
      expect(pendingAtKill).toBeGreaterThanOrEqual(acknowledgedInOutage);
      // The restart replayed the spool into the table: what was acknowledged only as spooled is there.
      expect(replays.reduce((sum, counts) => sum + counts.stored + counts.duplicates, 0)).toBeGreaterThanOrEqual(acknowledgedInOutage);
      expectClean(result);
      expect(result.stored).toBe(acknowledged.size + result.maybeStored);
      expectStreamed(streamed);
    } finally {
      await target.down();
      killIfRunning(first);
      if (second !== undefined) await stopWithSigint(second);
      // On a failure half-way, the store must run again for the next test.
      await stopping;
      await store.start();
    }
  }, 300_000);
});
