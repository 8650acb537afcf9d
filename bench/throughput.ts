import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { type CallbackKind, callbackBody, callbackPathAndQuery, OK_ANSWER } from './callbacks.ts';
import { PROTOCOL_FD } from './protocol.ts';
import type { ThroughputServerKind } from './throughput-server.ts';

export interface ThroughputOptions {
  readonly connections: number;
  /** Seconds measured per run, after `warmupSeconds` unmeasured. */
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly env: Record<string, string>;
  readonly sdkAppId: string;
  readonly onRun?: (server: ThroughputServerKind, kind: CallbackKind) => void;
}

export interface ThroughputRun {
  /** Mean of autocannon's per-second samples. */
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Answers that were not 200 with the OK body, plus connection errors and timeouts. */
  readonly failures: number;
}

export interface ThroughputResult {
  readonly runs: Record<ThroughputServerKind, Record<CallbackKind, ThroughputRun>>;
  /** After-events the receiver stored, against the after-callbacks it acknowledged (warm-up included). */
  readonly receiverStored: number;
  readonly receiverAcknowledgedAfter: number;
}

const serverScript = fileURLToPath(new URL('throughput-server.ts', import.meta.url));

interface ServerProcess {
  readonly url: string;
  stop(): Promise<number>;
}

/** Starts throughput-server.ts and waits for the URL it listens on. */
async function startServer(kind: ThroughputServerKind, env: Record<string, string>): Promise<ServerProcess> {
  // stdout, the receiver's request log, goes to /dev/null: a log line is written per request, as with
  // `npm start`, but nobody reads it.
  const child = spawn(process.execPath, [serverScript, kind], { env, stdio: ['pipe', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdio[PROTOCOL_FD] as Readable })[Symbol.asyncIterator]();
  const nextLine = async <T>(): Promise<T> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${kind} server stopped: ${stderr}`);
    return JSON.parse(value as string) as T;
  };
  const { url } = await nextLine<{ url: string }>();
  return {
    url,
    async stop() {
      child.stdin!.end();
      const { stored } = await nextLine<{ stored: number }>();
      await new Promise((resolve) => child.once('close', resolve));
      return stored;
    },
  };
}

/**
 * One autocannon run at a fixed concurrency. After-callbacks carry autocannon's per-request id in a
 * field of their own, so every body differs and each is stored, not found to be a duplicate.
 */
async function load(url: string, kind: CallbackKind, options: ThroughputOptions): Promise<Result & { warmup?: Result }> {
  return autocannon({
    url: `${url}${callbackPathAndQuery(kind, options.sdkAppId)}`,
    method: 'POST',
    body: callbackBody(kind, '[<id>]'),
    idReplacement: kind === 'after',
    expectBody: OK_ANSWER,
    connections: options.connections,
    duration: options.durationSeconds,
    warmup: { connections: options.connections, duration: options.warmupSeconds },
  });
}

const acknowledged = (result: Result) => result['2xx'] - result.mismatches;

function summarizeRun(result: Result): ThroughputRun {
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.mismatches + result.errors + result.timeouts,
  };
}

/**
 * Throughput of the local receiver and of the bare server, for a before-callback and an
 * after-callback each. Both servers are up throughout (an idle one costs nothing) and each receiver
 * run is followed at once by the bare run it is compared with, so drift on a shared machine touches
 * both sides of a ratio alike.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const receiver = await startServer('receiver', options.env);
  const bare = await startServer('bare', options.env).catch(async (error: unknown) => {
    await receiver.stop();
    throw error;
  });
  const runs = { receiver: {}, bare: {} } as ThroughputResult['runs'];
  let receiverAcknowledgedAfter = 0;
  let receiverStored = 0;
  try {
    for (const kind of ['before', 'after'] as const) {
      for (const [name, server] of [
        ['receiver', receiver],
        ['bare', bare],
      ] as const) {
        options.onRun?.(name, kind);
        const result = await load(server.url, kind, options);
        runs[name][kind] = summarizeRun(result);
        if (name === 'receiver' && kind === 'after') {
          receiverAcknowledgedAfter = acknowledged(result) + (result.warmup ? acknowledged(result.warmup) : 0);
        }
      }
    }
  } finally {
    await bare.stop();
    receiverStored = await receiver.stop();
  }
  return { runs, receiverStored, receiverAcknowledgedAfter };
}
