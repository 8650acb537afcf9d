/**
 * Warm latency in one process: import the handler, warm it up, then time sequential invocations of a
 * before-callback and of an after-callback, and send the summaries to the parent (protocol.ts). Compiled to
 * JavaScript by bundle.ts, like the cold-start child.
 */
import {
  apiGatewayEvent,
  type CallbackKind,
  callbackBody,
  type LambdaHandler,
  LOGGED_INVOCATIONS,
  lambdaContext,
  OK_ANSWER,
  traceHeader,
} from './callbacks.ts';
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

/** What a handler wrote to stdout and stderr per callback of one kind (what CloudWatch Logs bills), after its warm-up. */
export interface LogOutput {
  readonly bytesPerCallback: number;
  readonly linesPerCallback: number;
  /** The last callback's output, to compare one handler's line with another's. */
  readonly sample: string;
}

export interface WarmLatencyTimes {
  /** Per invocation, in milliseconds, from the call to the settled answer. */
  readonly before: Summary;
  readonly after: Summary;
  /** Invocations that did not answer 200 OK. */
  readonly failures: number;
  readonly log: Record<CallbackKind, LogOutput>;
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

/**
 * Runs `count` invocations with stdout and stderr counted instead of written: the handler may write
 * through either (Powertools writes warnings and errors to stderr), and Lambda ships both.
 */
async function logged(kind: CallbackKind, count: number): Promise<LogOutput> {
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  let bytes = 0;
  let lines = 0;
  let sample = '';
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      bytes += Buffer.byteLength(text);
      lines += text.split('\n').length - 1;
      sample += text;
      return true;
    }) as typeof stream.write;
  }
  try {
    for (let i = 0; i < count; i++) {
      sample = '';
      await invoke(kind, 1);
    }
  } finally {
    streams.forEach((stream, index) => {
      stream.write = writes[index]!;
    });
  }
  return { bytesPerCallback: bytes / count, linesPerCallback: lines / count, sample };
}

await invoke('before', plan.warmup);
await invoke('after', plan.warmup);
const before = summarize(await invoke('before', plan.iterations));
const after = summarize(await invoke('after', plan.iterations));
const log = { before: await logged('before', LOGGED_INVOCATIONS), after: await logged('after', LOGGED_INVOCATIONS) };

const times: WarmLatencyTimes = { before, after, failures, log };
sendToParent(times);
process.exit(failures === 0 ? 0 : 1);
