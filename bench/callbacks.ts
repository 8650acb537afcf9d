import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { CALLBACK_PATH } from '../functions/callback/callback-event.ts';
import { seedCallbacks } from '../test/fixtures/seed-callbacks.ts';

/**
 * The requests the bench sends, as Tencent sends them, and the Lambda-side objects built from them.
 * Bundled into the child processes, so it imports nothing but data: a Node built-in loaded here
 * would be preloaded for the handler and hide part of its cold start.
 */

export type CallbackKind = 'before' | 'after';

/** One command of each kind, from the seed pages: a before-callback is decided, an after-event stored. */
export const benchCommands = {
  before: 'Group.CallbackBeforeCreateTopic',
  after: 'Group.CallbackAfterCreateGroup',
} as const satisfies Record<CallbackKind, keyof typeof seedCallbacks>;

/** Warm invocations of each kind whose log output is counted, after the timed ones (counting is not timed). */
export const LOGGED_INVOCATIONS = 200;

/** What every handler under test answers to these callbacks, byte for byte. */
export const OK_ANSWER = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';

/**
 * A callback body. After-events are stored once per distinct body (the event id hashes it), so each
 * one gets a distinct first field; `unique` must differ between calls that should each be stored.
 */
export function callbackBody(kind: CallbackKind, unique = ''): string {
  const seed = seedCallbacks[benchCommands[kind]];
  if (kind === 'before') return seed;
  return `{"BenchDelivery":${JSON.stringify(unique)},${seed.slice(seed.indexOf('{') + 1)}`;
}

/** The query string Tencent adds to the callback URL (docs/protocol.md#query-parameters). */
export function callbackQuery(kind: CallbackKind, sdkAppId: string): Record<string, string> {
  return {
    SdkAppid: sdkAppId,
    CallbackCommand: benchCommands[kind],
    contenttype: 'json',
    ClientIP: '10.1.2.3',
    OptPlatform: 'RESTAPI',
  };
}

export function callbackPathAndQuery(kind: CallbackKind, sdkAppId: string): string {
  return `${CALLBACK_PATH}?${new URLSearchParams(callbackQuery(kind, sdkAppId))}`;
}

/**
 * API Gateway's HTTP API (payload 2.0) event for a callback. Tencent posts without a text
 * Content-Type, so API Gateway hands the body over base64-encoded.
 */
export function apiGatewayEvent(kind: CallbackKind, sdkAppId: string, body: string, requestId: string): APIGatewayProxyEventV2 {
  const queryStringParameters = callbackQuery(kind, sdkAppId);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: `POST ${CALLBACK_PATH}`,
    rawPath: CALLBACK_PATH,
    rawQueryString: new URLSearchParams(queryStringParameters).toString(),
    headers: { 'content-length': String(Buffer.byteLength(body)), host: 'bench.execute-api.local', 'user-agent': 'bench' },
    queryStringParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.execute-api.local',
      domainPrefix: 'bench',
      http: { method: 'POST', path: CALLBACK_PATH, protocol: 'HTTP/1.1', sourceIp: '10.1.2.3', userAgent: 'bench' },
      requestId: apiGatewayRequestId(requestId),
      routeKey: `POST ${CALLBACK_PATH}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
}

/**
 * An API Gateway request id (16 characters, such as `cHvNfiEsIAMEJ0g=`) made from the bench's own:
 * the record carries it, so its length is part of the log bytes measured.
 */
const apiGatewayRequestId = (id: string) => Buffer.from(id).toString('base64').slice(-16).padStart(16, 'A');

/** Lambda's context, with the remaining-time clock middy uses to arm its early-timeout timer. */
export function lambdaContext(requestId: string, timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: 'bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/**
 * The X-Ray trace header Lambda puts in _X_AMZN_TRACE_ID before each invocation. Lambda's default
 * sampling takes the first request each second and 5% of the rest.
 */
export function traceHeader(sampled: boolean): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${seconds}-${hex(24)};Parent=${hex(16)};Sampled=${sampled ? 1 : 0}`;
}

/** The shape every handler under test has: the real chain, its prototypes and the floor. */
export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode?: number; body?: string }>;
