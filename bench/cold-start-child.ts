/**
 * One cold start, in a fresh Node process: import the handler bundle and answer one callback, then
 * send the timings to the parent (protocol.ts) and exit. Compiled to JavaScript by bundle.ts (no type stripping
 * at start-up) and imports no Node built-in but node:fs, which Node's start-up has loaded already, so
 * the handler loads everything else it needs itself.
 *
 * Times are `performance.now()`, milliseconds since this process started (performance.timeOrigin).
 */
import { apiGatewayEvent, type CallbackKind, callbackBody, type LambdaHandler, lambdaContext, OK_ANSWER, traceHeader } from './callbacks.ts';
import { sendToParent } from './protocol.ts';

export interface ColdStartPlan {
  /** file: URL of the bundle, which exports `handler` as Lambda's `index.handler`. */
  readonly handlerUrl: string;
  readonly kind: CallbackKind;
  readonly sdkAppId: string;
  /** Makes an after-event's body unique, so it is stored rather than found to be a duplicate. */
  readonly delivery: string;
}

export interface ColdStartTimes {
  /** Process start to this script running: Node's own start-up, the same for every handler. */
  readonly scriptStartMs: number;
  /** Process start to the handler module evaluated. */
  readonly importedMs: number;
  /** Process start to the first answer: the primary figure. */
  readonly answeredMs: number;
  readonly statusCode: number | undefined;
  readonly answer: string | undefined;
}

const scriptStartMs = performance.now();
const plan = JSON.parse(process.argv[2] ?? '') as ColdStartPlan;
const requestId = `cold-${plan.delivery}`;
const event = apiGatewayEvent(plan.kind, plan.sdkAppId, callbackBody(plan.kind, plan.delivery), requestId);

const { handler } = (await import(plan.handlerUrl)) as { handler: LambdaHandler };
const importedMs = performance.now();
// A cold start's invocation is the first of its second: sampled.
process.env._X_AMZN_TRACE_ID = traceHeader(true);
const result = await handler(event, lambdaContext(requestId));
const answeredMs = performance.now();

const times: ColdStartTimes = { scriptStartMs, importedMs, answeredMs, statusCode: result.statusCode, answer: result.body };
sendToParent(times);
// Exit rather than wait: the real handler keeps a keep-alive connection to the store open.
process.exit(result.statusCode === 200 && result.body === OK_ANSWER ? 0 : 1);
