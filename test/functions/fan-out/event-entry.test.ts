import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, test } from '@jest/globals';
import { EntryPublisher } from '../../../functions/fan-out/entry-publisher.ts';
import { entrySize, eventDetail, eventEntry, MAX_ENTRY_BYTES } from '../../../functions/fan-out/event-entry.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';

const stored = (body: string, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  eventId: '0123456789abcdef0123456789abcdef',
  command: 'Group.CallbackAfterSendMsg',
  kind: 'after',
  sdkAppId: '1400000000',
  groupId: '@TGS#g',
  receivedAt: 1_700_000_000_123,
  payload: body,
  valid: true,
  expiresAt: 1_800_000_000,
  ...extra,
});

describe('eventEntry', () => {
  test('counts an entry as EventBridge does: UTF-8 bytes, 14 for a time', () => {
    expect(entrySize({ Source: 'tencent.im', DetailType: 'ab', Detail: '{"x":"é"}' })).toBe(10 + 2 + 10);
    expect(entrySize({ Source: 'tencent.im', DetailType: 'ab', Detail: '{}', Time: new Date(), Resources: ['arn:x'] })).toBe(10 + 2 + 2 + 14 + 5);
  });

  test('carries the subjects the item has, the user too when the item has one, and leaves the rest out', () => {
    const detail = eventDetail(stored('{"GroupId":"@TGS#g"}', { user: 'jared', eventTime: 5 }));
    expect(detail).toEqual({
      eventId: '0123456789abcdef0123456789abcdef',
      sdkAppId: '1400000000',
      command: 'Group.CallbackAfterSendMsg',
      kind: 'after',
      groupId: '@TGS#g',
      user: 'jared',
      eventTime: 5,
      receivedAt: 1_700_000_000_123,
      body: { GroupId: '@TGS#g' },
    });
    expect(Object.keys(eventDetail(stored('{}', { groupId: undefined })))).not.toContain('groupId');
  });

  test('decodes a gzip-stored body; omits a body that would make the entry too large, by the byte', () => {
    const overhead = (text: string) => entrySize(eventEntry(stored(JSON.stringify({ T: text })), 'bus').entry) - text.length;
    const fits = 'x'.repeat(MAX_ENTRY_BYTES - overhead(''));
    expect(eventEntry(stored(JSON.stringify({ T: fits })), 'bus').bodyOmitted).toBe(false);
    const { entry, bodyOmitted } = eventEntry(stored(JSON.stringify({ T: `${fits}x` })), 'bus');
    expect(bodyOmitted).toBe(true);
    expect(JSON.parse(entry.Detail!)).toMatchObject({ bodyOmitted: true });
    expect(JSON.parse(entry.Detail!).body).toBeUndefined();
    // Multi-byte characters count as their bytes.
    expect(eventEntry(stored(JSON.stringify({ T: 'é'.repeat(fits.length / 2 + 1) })), 'bus').bodyOmitted).toBe(true);
  });

  test('leaves out ids too long for an entry of their own (the item keeps them whole), and only then', () => {
    const long = 'g'.repeat(MAX_ENTRY_BYTES);
    const { entry, bodyOmitted } = eventEntry(stored(JSON.stringify({ GroupId: long }), { groupId: long, user: 'jared' }), 'bus');
    expect(bodyOmitted).toBe(true);
    expect(entrySize(entry)).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
    expect(JSON.parse(entry.Detail!)).toEqual(expect.not.objectContaining({ groupId: expect.anything(), user: expect.anything(), body: expect.anything() }));
    expect(JSON.parse(entry.Detail!)).toMatchObject({ eventId: '0123456789abcdef0123456789abcdef', bodyOmitted: true });
    // Ids that fit once the body is out stay.
    const half = 'g'.repeat(MAX_ENTRY_BYTES / 2);
    const detail = JSON.parse(eventEntry(stored(JSON.stringify({ GroupId: half, Name: half }), { groupId: half }), 'bus').entry.Detail!);
    expect(detail).toMatchObject({ groupId: half, bodyOmitted: true });
  });
});

describe('EntryPublisher', () => {
  const entryOf = (n: number, bytes = 10): PutEventsRequestEntry => ({
    Source: 'tencent.im',
    DetailType: 'T',
    Detail: JSON.stringify({ n, pad: 'p'.repeat(bytes) }),
  });

  test('splits calls at 10 entries and at 256 KB, one call after another, in order', async () => {
    const calls: PutEventsRequestEntry[][] = [];
    const publisher = new EntryPublisher({
      send: async (entries) => {
        calls.push(entries);
        return { Entries: entries.map(() => ({ EventId: 'id' })) };
      },
    });
    const big = 100 * 1024;
    await Promise.all([...Array.from({ length: 12 }, (_, n) => publisher.publish(entryOf(n))), ...[12, 13, 14].map((n) => publisher.publish(entryOf(n, big)))]);
    expect(calls.map((call) => call.map((entry) => JSON.parse(entry.Detail!).n))).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 11, 12, 13], [14]]);
    for (const call of calls) expect(call.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(MAX_ENTRY_BYTES);
  });

  test('retries a call that threw, then gives up after maxAttempts with the reason', async () => {
    let tries = 0;
    const retried: number[] = [];
    const publisher = new EntryPublisher({
      maxAttempts: 3,
      baseDelayMs: 1,
      onRetry: (n) => retried.push(n),
      send: async () => {
        tries += 1;
        throw new Error('socket hang up');
      },
    });
    await expect(publisher.publish(entryOf(1))).rejects.toThrow(/PutEvents failed 3 times: socket hang up/);
    expect([tries, retried]).toEqual([3, [1, 1]]);
    expect(() => new EntryPublisher({ maxAttempts: 0, send: async () => ({}) })).toThrow(/maxAttempts/);
    expect(() => new EntryPublisher({ baseDelayMs: -1, send: async () => ({}) })).toThrow(/baseDelayMs/);
  });

  test('stops at once when its signal is aborted during a wait between retries, the entries rejected, no call made after', async () => {
    const stop = new AbortController();
    let tries = 0;
    const publisher = new EntryPublisher({
      // A wait of up to an hour: only the abort ends it within the test's time.
      baseDelayMs: 3_600_000,
      signal: stop.signal,
      onRetry: () => stop.abort(),
      send: async () => {
        tries += 1;
        throw new Error('connect ECONNREFUSED');
      },
    });
    await expect(publisher.publish(entryOf(1))).rejects.toThrow('publishing stopped after PutEvents failed once: connect ECONNREFUSED');
    expect(tries).toBe(1);
  });
});
