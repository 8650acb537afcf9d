/**
 * Warm latency in one process: import the handler, warm it up, then time sequential invocations of a
 * before-callback and of an after-callback, and send the summaries to the parent (protocol.ts). Compiled to
 * JavaScript by bundle.ts, like the cold-start child.
 */
import { apiGatewayEvent, type CallbackKind, callbackBody, type LambdaHandler, lambdaContext, OK_ANSWER, traceHeader } from './callbacks.ts';
import { sendToParent } from './protocol.ts';
import { type Summary, summarize } from './stats.ts';

export interface WarmLatencyPlan {
  readonly handlerUrl: string;
  readonly sdkAppId: string;
  /** Untimed invocations of each kind first, so the JIT has compiled the hot paths. */
  readonly warmup: number;
  readonly iterations: number;
  /** Prefix of the unique after-event bodies. */
  readonly delivery: string;
}

export interface WarmLatencyTimes {
  /** Per invocation, in milliseconds, from the call to the settled answer. */
  readonly before: Summary;
  readonly after: Summary;
  /** Invocations that did not answer 200 OK. */
  readonly failures: number;
}

const plan = JSON.parse(process.argv[2] ?? '') as WarmLatencyPlan;
const { handler } = (await import(plan.handlerUrl)) as { handler: LambdaHandler };
let failures = 0;
let sequence = 0;

/** Times `count` invocations; building each event and context is left out of the timing. */
async function invoke(kind: CallbackKind, count: number): Promise<Float64Array> {
  const durations = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const requestId = `warm-${plan.delivery}-${sequence++}`;
    const event = apiGatewayEvent(kind, plan.sdkAppId, callbackBody(kind, requestId), requestId);
    const context = lambdaContext(requestId);
    // As the runtime does before each invocation; one in twenty sampled, like Lambda's 5%.
    process.env._X_AMZN_TRACE_ID = traceHeader(sequence % 20 === 0);
    const start = performance.now();
    const result = await handler(event, context);
    durations[i] = performance.now() - start;
    if (result.statusCode !== 200 || result.body !== OK_ANSWER) failures++;
  }
  return durations;
}

await invoke('before', plan.warmup);
await invoke('after', plan.warmup);
const before = summarize(await invoke('before', plan.iterations));
const after = summarize(await invoke('after', plan.iterations));

const times: WarmLatencyTimes = { before, after, failures };
sendToParent(times);
process.exit(failures === 0 ? 0 : 1);
