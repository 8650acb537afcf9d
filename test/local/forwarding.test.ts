import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { EventEnvelopeSchema } from '../../functions/fan-out/event-schema.ts';
import { waitFor } from '../support/event-stream.ts';
import { type ForwardTarget, startForwardTarget } from '../support/forward-target.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver } from '../support/receiver.ts';

// Issue 11, locally: IM_FORWARD_URL makes the local receiver POST each stored after-event, as
// EventBridge would deliver it, at least once, in storage order per group, retried while the target
// fails. Issue 17: it is the fan-out consumer (functions/fan-out/) reading the change log, so every
// event the table holds is forwarded, however it got there.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'forward-'));
  dirs.push(dir);
  return dir;
};
let receiver: TestReceiver | undefined;
let target: ForwardTarget | undefined;
afterEach(async () => {
  await receiver?.close();
  await target?.down();
  receiver = target = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The tests are about what is delivered, in what order, not when: a failed POST is tried again within
// milliseconds, in its batch and by the runner (by default, 100 ms doubling in the batch, then 200 ms
// doubling to 30 s between batches), so eleven failures in a row cost a fraction of a second, not three;
// and idle() waits for the view's 1 ms batch window, not 250 ms.
const fast = { initialDelayMs: 5, maxDelayMs: 20, forwardRetryDelayMs: 1, viewBatchWindowMs: 1, say: () => undefined };
/** How often a test looks again for what it waits for (waitFor's default is 100 ms). */
const POLL_MS = 10;
const body = (group: string, n: number) =>
  JSON.stringify({
    CallbackCommand: 'Group.CallbackAfterGroupInfoChanged',
    GroupId: group,
    Name: `${group} ${n}`,
    Operator_Account: 'leckie',
    EventTime: 1_670_574_414_000 + n,
  });

describe('forwarding stored events to IM_FORWARD_URL', () => {
  test('sends each as EventBridge would deliver it; not before-callbacks, not repeated deliveries', async () => {
    target = await startForwardTarget();
    receiver = await startTestReceiver({ forwardUrl: target.url, dataDir: tempDir(), stream: fast });
    const sent = body('@TGS#shape', 1);
    await post(receiver, { command: 'Group.CallbackAfterGroupInfoChanged', body: sent });
    await post(receiver, { command: 'Group.CallbackAfterGroupInfoChanged', body: sent });
    await post(receiver, {
      command: 'Group.CallbackBeforeCreateTopic',
      body: JSON.stringify({ CallbackCommand: 'Group.CallbackBeforeCreateTopic', Name: 'x' }),
    });
    await waitFor('one event forwarded', () => target!.received.length === 1, 60_000, POLL_MS);
    // Nothing else comes: the forward consumer has nothing left to send, and has sent one event.
    await waitFor('nothing left to forward', () => receiver!.stream.forward!.pending() === 0, 60_000, POLL_MS);
    expect(target.received).toHaveLength(1);

    const [stored] = await storedEvents(receiver);
    const [event] = target.received;
    expect(v.safeParse(EventEnvelopeSchema, event).success).toBe(true);
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Group.CallbackAfterGroupInfoChanged',
      source: 'tencent.im',
      account: '000000000000',
      time: new Date(stored!.receivedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'local',
      resources: [],
      detail: {
        eventId: stored!.eventId,
        sdkAppId: '1400000000',
        command: 'Group.CallbackAfterGroupInfoChanged',
        kind: 'after',
        groupId: '@TGS#shape',
        user: stored!.user,
        eventTime: 1_670_574_414_001,
        receivedAt: stored!.receivedAt,
        body: JSON.parse(sent),
      },
    });
    expect(receiver.stream.forward!.pending()).toBe(0);
  });

  test('a target that is down, then fails, then recovers gets every event, in storage order per group', async () => {
    target = await startForwardTarget();
    await target.down();
    receiver = await startTestReceiver({ forwardUrl: target.url, dataDir: tempDir(), stream: fast });
    const groups = ['@TGS#a', '@TGS#b', '@TGS#c'];
    for (let n = 0; n < 8; n += 1) {
      for (const group of groups)
        expect((await post(receiver, { command: 'Group.CallbackAfterGroupInfoChanged', body: body(group, n) })).answer.ErrorCode).toBe(0);
    }
    expect(receiver.stream.forward!.pending()).toBe(24);

    // Up, but failing: 503 for the first ten tries, then a 500, then it takes them.
    let tries = 0;
    target.answer = () => (++tries <= 10 ? 503 : tries === 11 ? 500 : 200);
    await target.up();
    await waitFor('all 24 forwarded', () => target!.received.length === 24, 60_000, POLL_MS);
    // Each failed POST held back the events behind it: none was sent out of turn, none twice.
    expect(target.attempts()).toBe(24 + 11);
    for (const group of groups) {
      const names = target.received.filter((event) => event.detail.groupId === group).map((event) => event.detail.body.Name);
      expect(names).toEqual(Array.from({ length: 8 }, (_, n) => `${group} ${n}`));
    }
    expect(new Set(target.received.map((event) => event.detail.eventId)).size).toBe(24);
    // The last POST answered is not yet the consumer's offset moved past it: idle() is.
    await receiver.idle();
    expect(receiver.stream.forward!.pending()).toBe(0);
  });

  test('what waits is kept across a stop and delivered by the next start, from the change log on disk', async () => {
    target = await startForwardTarget();
    target.answer = () => 503;
    const dataDir = tempDir();
    receiver = await startTestReceiver({ forwardUrl: target.url, dataDir, stream: fast });
    for (let n = 0; n < 3; n += 1) await post(receiver, { command: 'Group.CallbackAfterGroupInfoChanged', body: body('@TGS#kept', n) });
    await waitFor('a try', () => target!.attempts() > 0, 60_000, POLL_MS);
    await receiver.close();
    target.answer = () => 200;
    receiver = await startTestReceiver({ forwardUrl: target.url, dataDir, stream: fast });
    await waitFor('all 3 forwarded after the restart', () => target!.received.length === 3, 60_000, POLL_MS);
    expect(target.received.map((event) => event.detail.body.Name)).toEqual(['@TGS#kept 0', '@TGS#kept 1', '@TGS#kept 2']);
    await receiver.idle();
    expect(receiver.stream.forward!.pending()).toBe(0);
  });
});

describe('IM_FORWARD_URL', () => {
  test('is read from the environment, and must be an http(s) URL', async () => {
    const { localSettingsFromEnvironment } = await import('../../local/local-settings.ts');
    expect(localSettingsFromEnvironment({ IM_FORWARD_URL: 'http://127.0.0.1:8080/events' }).IM_FORWARD_URL).toBe('http://127.0.0.1:8080/events');
    expect(localSettingsFromEnvironment({}).IM_FORWARD_URL).toBeUndefined();
    expect(() => localSettingsFromEnvironment({ IM_FORWARD_URL: 'ftp://example.com/x' })).toThrow(/IM_FORWARD_URL/);
    expect(() => localSettingsFromEnvironment({ IM_FORWARD_URL: 'not a url' })).toThrow(/IM_FORWARD_URL/);
  });
});
