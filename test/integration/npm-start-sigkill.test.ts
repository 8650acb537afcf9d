/**
 * Nothing acknowledged is lost when `npm start` (its embedded store included) is killed with SIGKILL
 * mid-stream: after `npm start` again, every acknowledged event is in the table exactly once. The
 * same with an external store that is down at the kill is in fault-injection.test.ts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { audit, isAcknowledged, isOfRun, printCounts, runTag, waitFor } from '../support/event-stream.ts';
import {
  deliveriesOf,
  expectClean,
  killIfRunning,
  ledger,
  npmStart,
  printedOutcomes,
  printedReplays,
  spoolOf,
  stopWithSigint,
  streamUntilKilled,
} from '../support/fault-injection.ts';
import { runScript } from '../support/processes.ts';
import { SDK_APP_ID } from '../support/receiver.ts';
import { seededRandom, testSeed } from '../support/seed.ts';

const root = mkdtempSync(join(tmpdir(), 'npm-start-sigkill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm start killed with SIGKILL mid-stream', () => {
  test('embedded store: after npm start again, every acknowledged event is in the table once', async () => {
    const seed = testSeed(`fault injection: SIGKILL of npm start`);
    const random = seededRandom(seed);
    const tag = runTag('sigkill');
    const dataDir = join(root, 'sigkill');
    const env = { PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir, IM_SDKAPPIDS: SDK_APP_ID, DYNAMODB_ENDPOINT: '', IM_CALLBACK_TOKEN: '' };
    const deliveries = deliveriesOf(tag, 150, random);
    const killAfter = 30 + Math.floor(random() * 90);

    const first = await npmStart(env);
    const { answers, exitCode, inFlightAtKill } = await streamUntilKilled(first, deliveries, killAfter).finally(() => killIfRunning(first));
    expect(exitCode).toBeNull();

    const second = await npmStart(env);
    let items: StoredEvent[];
    let drainMs: number;
    try {
      drainMs = await waitFor('the spool is replayed', () => spoolOf(dataDir).pending() === 0, 120_000, 100);
      const { stdout } = await runScript('cli/events.ts', ['--json', '--limit', '10000'], env);
      items = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .map((event) => ({ ...event, payload: JSON.stringify(event.payload) }) as unknown as StoredEvent)
        .filter(isOfRun(tag));
    } finally {
      expect(await stopWithSigint(second)).toBe(0);
    }

    const { sent, acknowledged, maybe, statuses, answered } = ledger(deliveries, answers);
    const result = audit(items, sent, acknowledged, maybe, SDK_APP_ID);
    const acknowledgedDeliveries = answers.filter((answer) => answer !== undefined && isAcknowledged(answer)).length;
    printCounts(`[fault injection] SIGKILL of npm start (embedded dynalite; seed ${seed})`, {
      sent: `${answered} of ${deliveries.length} deliveries (${sent.size} distinct events planned); killed after acknowledgement ${killAfter}, ${inFlightAtKill} under way`,
      acknowledged: `${acknowledgedDeliveries} deliveries, ${acknowledged.size} distinct; printed before the kill: ${JSON.stringify(printedOutcomes(first.output()))}`,
      'no answer': `${statuses['no-answer'] ?? 0} (in flight at the kill), of which stored anyway ${result.maybeStored}`,
      'replayed at restart': JSON.stringify(printedReplays(second.output())),
      'stored in table': `${result.stored} (missing ${result.missing.length}, doubled ${result.doubled.length}, unexpected ${result.unexpected.length}); spool drained in ${drainMs} ms`,
      'duplicates suppressed': acknowledgedDeliveries - (result.stored - result.maybeStored),
    });

    expect(acknowledgedDeliveries).toBeGreaterThanOrEqual(killAfter);
    expect(Object.keys(statuses).filter((status) => status !== '200' && status !== 'no-answer')).toEqual([]);
    expect(statuses['no-answer'] ?? 0).toBeLessThanOrEqual(6);
    expectClean(result);
    expect(result.stored).toBe(acknowledged.size + result.maybeStored);
  }, 240_000);
});
