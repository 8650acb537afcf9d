import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { deliver, isAcknowledged, waitFor } from '../support/event-stream.ts';
import { startForwardTarget } from '../support/forward-target.ts';
import { startScript } from '../support/processes.ts';

// Issue 11, locally: with IM_FORWARD_URL, an event acknowledged to Tencent is forwarded even when
// `npm start` is SIGKILLed before the target took it: the change log is on disk before the answer.

const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-forward-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SDK_APP_ID = '1400000123';
const COMMAND = 'Group.CallbackAfterGroupInfoChanged';
const body = (group: string, n: number) =>
  JSON.stringify({ CallbackCommand: COMMAND, GroupId: group, Name: `${group} ${n}`, EventTime: 1_670_574_414_000 + n });
const callbackUrlOf = (output: string) => /Callback URL\s+(\S+)/.exec(output)![1]!;

describe('npm start with IM_FORWARD_URL', () => {
  test('SIGKILLed with deliveries pending: the next start delivers every acknowledged event, in order per group', async () => {
    const target = await startForwardTarget();
    try {
      target.answer = () => 503;
      const env = {
        PORT: '0',
        DYNAMODB_PORT: '0',
        DATA_DIR: dataDir,
        IM_SDKAPPIDS: SDK_APP_ID,
        IM_FORWARD_URL: target.url,
        DYNAMODB_ENDPOINT: '',
        IM_CALLBACK_TOKEN: '',
      };
      const first = await startScript('local/start.ts', env, 'Ctrl-C stops it.');
      expect(first.output()).toMatch(new RegExp(`Forwarding\\s+${target.url} \\(0 events waiting\\)`));
      const acknowledged: string[] = [];
      for (let n = 0; n < 10; n += 1) {
        for (const group of ['@TGS#x', '@TGS#y']) {
          const answer = await deliver(callbackUrlOf(first.output()), SDK_APP_ID, COMMAND, body(group, n));
          expect(isAcknowledged(answer)).toBe(true);
          acknowledged.push(`${group} ${n}`);
        }
      }
      await waitFor('the forwarder tried the target', () => target.attempts() > 0, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(target.received).toHaveLength(0);

      target.answer = () => 200;
      const second = await startScript('local/start.ts', env, 'Ctrl-C stops it.');
      expect(second.output()).toMatch(/Forwarding\s+\S+ \(\d+ events waiting\)/);
      await waitFor('all 20 forwarded after the restart', () => target.received.length >= 20, 60_000);
      const names = target.received.map((event) => event.detail.body.Name as string);
      // At least once: every acknowledged event, each group's in the order stored.
      expect(new Set(names)).toEqual(new Set(acknowledged));
      for (const group of ['@TGS#x', '@TGS#y']) {
        expect(names.filter((name) => name.startsWith(group))).toEqual(acknowledged.filter((name) => name.startsWith(group)));
      }
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      await target.down();
    }
  });
});
