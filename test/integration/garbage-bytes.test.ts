/**
 * Issue 17: bytes that are no HTTP request, on the local port, get the documented 400 40009
 * (docs/operations.md#answers-and-errors), not 405: llhttp calls anything that does not start with a method it knows
 * HPE_INVALID_METHOD, and what the bytes are decides (local/http-adapter.ts). A request line in a
 * method node:http does not know is still 405 40500, as any method but POST.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { portOf } from '../support/inspector-client.ts';
import { type SocketReply, sendBytes } from '../support/raw-http-client.ts';
import { startTestReceiver, type TestReceiver } from '../support/receiver.ts';
import { propertyParameters } from '../support/seed.ts';

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver({ inspector: {} });
});
afterAll(() => receiver.close());

const TIMEOUT_MS = 10_000;
const reply = async (bytes: Buffer | string): Promise<SocketReply> => {
  const answer = await sendBytes(portOf(receiver), Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1'), TIMEOUT_MS);
  if ('error' in answer) throw new Error(answer.error);
  return answer;
};
const tencent = (answer: SocketReply) => ({
  status: answer.status,
  contentType: answer.headers['content-type'],
  answer: JSON.parse(answer.body) as Record<string, unknown>,
});
const malformed = {
  status: 400,
  contentType: expect.stringMatching(/^application\/json/),
  answer: { ActionStatus: 'FAIL', ErrorCode: 40009, ErrorInfo: expect.stringMatching(/^the request is not valid HTTP/) },
};

/** The start of a TLS 1.2 ClientHello: what a client speaking https to the plain port sends first. */
const tlsHello = Buffer.from('16030100a5010000a10303', 'hex');

describe('bytes that are no HTTP request', () => {
  test.each([
    ['a TLS hello (https to the plain port)', tlsHello],
    ['a JSON body without a request line', '{"CallbackCommand":"Group.CallbackAfterCreateGroup"}\r\n\r\n'],
    ['words', 'hello world\r\n\r\n'],
    ['a lone word and a line end', 'GARBAGE\r\n\r\n'],
    ['NUL bytes', Buffer.alloc(16)],
  ])('%s: 400 40009', async (_case, bytes) => {
    expect(tencent(await reply(bytes))).toEqual(malformed);
  });

  test('whatever noise does not start as a request line: 400 40009', async () => {
    // A first byte no method starts with (methods are upper-case tokens; a line end before a request
    // is skipped, as HTTP allows), then anything.
    const noise = fc.tuple(
      fc.integer({ min: 0, max: 255 }).filter((byte) => (byte < 0x41 || byte > 0x5a) && byte !== 0x0a && byte !== 0x0d),
      fc.uint8Array({ minLength: 0, maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(noise, async ([first, rest]) => {
        expect(tencent(await reply(Buffer.concat([Buffer.of(first), rest])))).toEqual(malformed);
      }),
      propertyParameters('garbage-bytes', { numRuns: 30 }),
    );
  });
});

describe('a request line in a method node:http does not know', () => {
  test.each(['FOOBAR', 'post', 'BREW'])('%s /callback HTTP/1.1: 405 40500, Allow: POST', async (method) => {
    const answer = await reply(`${method} /callback?SdkAppid=1400000000 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}`);
    expect(tencent(answer)).toEqual({
      status: 405,
      contentType: expect.stringMatching(/^application\/json/),
      answer: { ActionStatus: 'FAIL', ErrorCode: 40500, ErrorInfo: expect.stringContaining('POST') },
    });
    expect(answer.headers.allow).toBe('POST');
  });
});
