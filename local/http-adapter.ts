import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import { CallbackError } from '../functions/callback/callback-error.ts';
import { CALLBACK_METHOD, type CallbackEvent, type CallbackResult } from '../functions/callback/callback-event.ts';
import { errorAnswer } from '../functions/callback/tencent-answer.ts';

/** A request's body as the local server read it (local-server.ts). */
export interface ReceivedBody {
  /** All of it, or only its start when it was too large to keep (then shorter than `size`). */
  readonly bytes: Buffer;
  /** How many bytes came. */
  readonly size: number;
}

export const isWhole = (body: ReceivedBody): boolean => body.bytes.length === body.size;

/**
 * The base64 text of `size` zero bytes, for a body the local server did not keep (it is over
 * maxBodyBytes). The chain reads nothing of such a body but its length: limit-body-size.ts refuses
 * it, after the URL's checks and before anything parses it, naming the length. So the chain answers
 * this stand-in as it would the body, to the byte count in ErrorInfo, without its bytes in memory.
 */
function standInBase64(size: number): string {
  const rest = size % 3;
  return 'A'.repeat(Math.floor(size / 3) * 4) + (rest === 1 ? 'AA==' : rest === 2 ? 'AAA=' : '');
}

/** Strict, and keeping a byte-order mark, as the chain's parser decodes (parse-json-body.ts): the text is exactly the bytes. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as the event carries it. API Gateway base64-encodes a body without a text Content-Type,
 * which is how Tencent posts, and the chain decodes it (parse-json-body.ts); a body that is UTF-8 text
 * goes here as that text, the same characters the chain would decode, without encoding it to base64
 * for the chain to decode two steps later (issue 19). One that is not UTF-8 goes base64-encoded, so
 * the chain answers it as it would in AWS; one not kept whole goes as its stand-in.
 */
function eventBody(body: ReceivedBody): { body: string; isBase64Encoded: boolean } {
  if (!isWhole(body)) return { body: standInBase64(body.size), isBase64Encoded: true };
  try {
    return { body: strictUtf8.decode(body.bytes), isBase64Encoded: false };
  } catch {
    return { body: body.bytes.toString('base64'), isBase64Encoded: true };
  }
}

/**
 * Translates between node:http and API Gateway's HTTP API (payload 2.0), so `npm start` runs the very
 * handler Lambda runs (the body: eventBody above).
 */
export function toApiGatewayEvent(request: IncomingMessage, body: ReceivedBody): CallbackEvent {
  const url = new URL(`http://local${(request.url ?? '/').startsWith('/') ? request.url : '/'}`);
  // A Map, not an object: `__proto__` or `constructor` in a query must stay plain names.
  const query = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const earlier = query.get(name);
    query.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const queryStringParameters = Object.fromEntries(query);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const requestId = randomUUID();
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...eventBody(body),
  } as CallbackEvent;
}

export function lambdaContext(requestId: string): Context {
  return {
    awsRequestId: requestId,
    functionName: 'tencent-im-callbacks-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:tencent-im-callbacks-local',
    memoryLimitInMB: '512',
    logGroupName: 'local',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as unknown as Context;
}

export function writeResult(response: ServerResponse, result: CallbackResult): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.body ?? '');
}

/** Writes an answer on a bare socket, for requests node:http gives up on before any handler runs. */
function answerOnSocket(socket: Duplex, error: CallbackError): void {
  const { statusCode = 400, headers = {}, body = '' } = errorAnswer(error);
  const head = [`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  socket.end(`${[...head, `content-length: ${Buffer.byteLength(body)}`, 'connection: close'].join('\r\n')}\r\n\r\n${body}`);
}

/**
 * A request line whose method node:http does not know (`FOO /callback HTTP/1.1`): a method token
 * (RFC 9110 §9.1, a token of RFC 9110 §5.6.2), a space, a target, a space, an HTTP version.
 */
const REQUEST_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [^\s]+ HTTP\/\d\.\d\r?\n/;

/**
 * llhttp says HPE_INVALID_METHOD of anything that does not start with a method it knows: a request in
 * a method it does not know (405, as for any method but POST) and bytes that are no HTTP request at
 * all (a TLS hello on the plain port, a JSON body without a request line, noise), which are 400. What
 * the bytes are decides: they are in the error's rawPacket.
 */
const isRequestLine = (error: Error & { rawPacket?: Buffer }) =>
  error.rawPacket !== undefined && REQUEST_LINE.test(error.rawPacket.subarray(0, 16 * 1024).toString('latin1'));

/**
 * node:http's own refusals (an unparsable request line, headers over 16 KB, an unknown method) would
 * answer with a bare status and no body; these answer in Tencent's format like everything else.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const reason =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new CallbackError('headers-too-large', 'the request line and headers are over 16 KB')
      : error.code === 'HPE_INVALID_METHOD' && isRequestLine(error)
        ? new CallbackError('method-not-allowed', `the method is not allowed: Tencent calls back with ${CALLBACK_METHOD}`, {
            headers: { allow: CALLBACK_METHOD },
          })
        : new CallbackError('malformed-request', `the request is not valid HTTP (${error.code ?? 'parse error'})`);
  answerOnSocket(socket, reason);
}

/** CONNECT asks for a tunnel, which node:http hands over raw: refuse it like any other method. */
export function answerConnect(_request: IncomingMessage, socket: Duplex): void {
  answerOnSocket(
    socket,
    new CallbackError('method-not-allowed', `CONNECT is not allowed: Tencent calls back with ${CALLBACK_METHOD}`, { headers: { allow: CALLBACK_METHOD } }),
  );
}
