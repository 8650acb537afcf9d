/**
 * The live stream's reconnection time (local/inspector/live-stream.ts): what a page whose stream broke
 * waits before it connects again, sent as the stream's `retry` field. npm start keeps the default;
 * a test that restarts it under an open page shortens it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { LiveStream, RECONNECT_MS } from '../../../local/inspector/live-stream.ts';

let server: Server | undefined;
let stream: LiveStream | undefined;
afterEach(async () => {
  stream?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = stream = undefined;
});

/** The first frame a reader of `live` gets, over HTTP. */
async function firstFrame(live: LiveStream): Promise<string> {
  stream = live;
  server = createServer((_request, response) => live.open(response, []));
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
  await reader.cancel();
  return text.slice(0, text.indexOf('\n\n') + 2);
}

describe('the reconnection time', () => {
  test(`is ${RECONNECT_MS} ms unless told otherwise`, async () => {
    expect(await firstFrame(new LiveStream())).toBe(`retry: ${RECONNECT_MS}\n\n`);
  });

  test('is the one given', async () => {
    expect(await firstFrame(new LiveStream({ reconnectMs: 50 }))).toBe('retry: 50\n\n');
  });

  test.each([0, -1, 1.5, 60_001, Number.NaN])('%p is refused up front', (reconnectMs) => {
    expect(() => new LiveStream({ reconnectMs })).toThrow(new RangeError('reconnectMs must be a whole number of milliseconds from 1 to 60000'));
  });
});
