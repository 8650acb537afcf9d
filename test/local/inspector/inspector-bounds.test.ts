/**
 * Issue 17: what the inspector keeps of a body, and what it leaves a reader to take, are bounded by
 * bytes (local/inspector/captured-callbacks.ts, live-stream.ts): a refused body keeps its first
 * 4 KB, an accepted one over 8 MiB its first 256 KB, both marked as cut and not replayable; a large
 * body stays out of its curl; a reader that does not read is cut off rather than buffered for.
 */

import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MAX_REFUSED_BODY_BYTES, MAX_REPLAYABLE_BYTES, MAX_SHOWN_CHARS } from '../../../local/inspector/captured-callbacks.ts';
import type { InspectedCallback } from '../../../local/inspector/inspector-types.ts';
import { MAX_UNSENT_BYTES } from '../../../local/inspector/live-stream.ts';
import { routes } from '../../../local/inspector/routes.ts';
import { MAX_CURL_BODY_BYTES } from '../../../local/inspector/tencent-request.ts';
import { action, liveUntil, pageToken, portOf } from '../../support/inspector-client.ts';
import { post, startTestReceiver, type TestReceiver, testSettings } from '../../support/receiver.ts';

let receiver: TestReceiver;
let token: string;
beforeAll(async () => {
  // API Gateway's own limit, so an accepted body can pass 8 MiB.
  receiver = await startTestReceiver({ settings: testSettings({ maxBodyBytes: 10 * 1024 * 1024 }), inspector: {} });
  token = await pageToken(receiver);
});
afterAll(() => receiver.close());

const BEFORE = 'Group.CallbackBeforeCreateTopic';
let sent = 0;
/** A before-callback (answered, never stored) of about `bytes` bytes, padded with `fill`, and its marker. */
function beforeCallback(bytes: number, fill = 'y') {
  const marker = `bounds-${++sent}`;
  const head = JSON.stringify({ CallbackCommand: BEFORE, GroupId: marker, Operator_Account: 'leckie', Name: 'n', Pad: '' }).slice(0, -2);
  const pad = fill.repeat(Math.max(0, Math.floor((bytes - Buffer.byteLength(head) - 2) / Buffer.byteLength(fill))));
  return { marker, body: `${head}${pad}"}` };
}

/** The live row of the callback whose record names `marker` (read from a page's stream). */
async function rowOf(marker: string): Promise<InspectedCallback> {
  const { seen } = await liveUntil(receiver, (callbacks) => callbacks.some((callback) => callback.record.groupId === marker && callback.source === 'live'));
  return seen.find((callback) => callback.record.groupId === marker && callback.source === 'live')!;
}

/** The live row of a refused callback, by its body's size: the chain read nothing else of it. */
async function rowOfSize(bytes: number): Promise<InspectedCallback> {
  const { seen } = await liveUntil(receiver, (callbacks) => callbacks.some((callback) => callback.bodyBytes === bytes));
  return seen.find((callback) => callback.bodyBytes === bytes)!;
}

describe('what a row keeps of its body', () => {
  test('an accepted body over 8 MiB: its first 256 KB, marked as cut, not replayable, read from body.json by its curl', async () => {
    const { marker, body } = beforeCallback(MAX_REPLAYABLE_BYTES + 1024);
    expect(await post(receiver, { command: BEFORE, body })).toMatchObject({ status: 200, answer: { ActionStatus: 'OK' } });
    const row = await rowOf(marker);
    expect(row).toMatchObject({
      bodyBytes: Buffer.byteLength(body),
      bodyClipped: true,
      replayable: false,
      cut: expect.stringContaining(`over ${MAX_REPLAYABLE_BYTES} bytes`),
    });
    expect(row.body).toBe(body.slice(0, MAX_SHOWN_CHARS));
    expect(row.curl).toMatch(
      /^# The inspector kept only the start of the body \(\d+ bytes\): put all of it in body\.json first\.\ncurl -s '[^']+' --data-binary @body\.json$/,
    );
    expect(await action(receiver, routes.replay, { id: row.id }, token)).toMatchObject({ status: 404 });
  });

  test('a refused body of a few KB is kept whole, and can be replayed', async () => {
    const { body } = beforeCallback(MAX_REFUSED_BODY_BYTES - 100);
    expect((await post(receiver, { command: BEFORE, body, sdkAppId: '1400000999' })).status).toBe(403);
    const row = await rowOfSize(Buffer.byteLength(body));
    expect(row).toMatchObject({ body, bodyClipped: false, replayable: true, answer: { status: 403 } });
    expect(row.cut).toBeUndefined();
    expect(await action(receiver, routes.replay, { id: row.id }, token)).toMatchObject({ status: 200, body: { status: 403 } });
  });

  test('a larger refused body: only its first 4 KB', async () => {
    const { body } = beforeCallback(64 * 1024);
    expect((await post(receiver, { command: BEFORE, body, sdkAppId: '1400000999' })).status).toBe(403);
    const row = await rowOfSize(Buffer.byteLength(body));
    expect(row).toMatchObject({ bodyClipped: true, replayable: false, cut: expect.stringContaining(`first ${MAX_REFUSED_BODY_BYTES} bytes`) });
    expect(row.body).toBe(body.slice(0, MAX_REFUSED_BODY_BYTES));
    expect(await action(receiver, routes.replay, { id: row.id }, token)).toMatchObject({ status: 404 });
  });

  test('a body over 256 KB, kept whole and replayable, is not written into its curl', async () => {
    const { marker, body } = beforeCallback(MAX_CURL_BODY_BYTES + 1024);
    expect((await post(receiver, { command: BEFORE, body })).status).toBe(200);
    const row = await rowOf(marker);
    expect(row).toMatchObject({ replayable: true, bodyBytes: Buffer.byteLength(body) });
    expect(row.curl).toMatch(/^# Too large to write here: the body \(\d+ bytes\): put it in body\.json first\.\n/);
    expect(row.curl.length).toBeLessThan(2048);
    expect(await action(receiver, routes.replay, { id: row.id }, token)).toMatchObject({ status: 200, body: { status: 200 } });
  });
});

/**
 * What the kernel may hold of a connection on its own, both ends together: on loopback, up to the
 * sender's tcp_wmem and the receiver's tcp_rmem maxima (Linux).
 */
function kernelBufferBytes(): number {
  const most = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/).at(-1));
  return most('/proc/sys/net/ipv4/tcp_rmem') + most('/proc/sys/net/ipv4/tcp_wmem');
}

describe('the live stream', () => {
  test(`cuts off a reader that leaves more than ${MAX_UNSENT_BYTES / 1024 / 1024} MiB unread, and serves the next one`, async () => {
    const port = portOf(receiver);
    // A page that stopped reading: the request is sent, nothing is read until the flood is over.
    const stalled = connect(port, '127.0.0.1');
    stalled.pause();
    let closed = false;
    stalled.on('close', () => (closed = true));
    stalled.write(`GET ${routes.live} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    // Rows of three-byte characters: each frame carries 256 K of them, about 768 KB. Enough of them
    // to fill what the kernel takes and the bound after it, half as much again.
    const frameBytes = 3 * MAX_SHOWN_CHARS;
    const frames = Math.ceil((1.5 * (MAX_UNSENT_BYTES + kernelBufferBytes())) / frameBytes);
    const { body } = beforeCallback(frameBytes + 1024, '€');
    for (let n = 0; n < frames; n++) expect((await post(receiver, { command: BEFORE, body })).status).toBe(200);
    // Now read what it was sent: the stream ends short of all the frames (kept for it, they would all come).
    let received = 0;
    await new Promise<void>((resolve) => {
      stalled.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= frames * frameBytes) resolve();
      });
      stalled.on('close', () => resolve());
      if (closed) resolve();
      stalled.resume();
    });
    stalled.destroy();
    expect(received).toBeLessThan(frames * frameBytes);
    expect(closed).toBe(true);
    // A page that reads is served as before.
    const small = beforeCallback(100);
    expect((await post(receiver, { command: BEFORE, body: small.body })).status).toBe(200);
    expect((await rowOf(small.marker)).body).toBe(small.body);
  }, 120_000);
});
