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
  /**
   * Each callback against its floor: a before-callback against the bare server, an after-callback
   * against the append-fsync one (throughput-server.ts).
   */
  readonly runs: {
    readonly receiver: Record<CallbackKind, ThroughputRun>;
    readonly bare: { readonly before: ThroughputRun };
    readonly 'append-fsync': { readonly after: ThroughputRun };
  };
  /** After-events the receiver stored, and forwarded, against the after-callbacks it acknowledged (warm-up included). */
  readonly receiverStored: number;
  readonly receiverForwarded: number;
  readonly receiverAcknowledgedAfter: number;
}

/** The floor each callback is compared with. */
export const floorOf = { before: 'bare', after: 'append-fsync' } as const satisfies Record<CallbackKind, ThroughputServerKind>;

const serverScript = fileURLToPath(new URL('throughput-server.ts', import.meta.url));

interface ServerProcess {
  readonly url: string;
  stop(): Promise<{ stored: number; forwarded: number }>;
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
      const counts = await nextLine<{ stored: number; forwarded: number }>();
      await new Promise((resolve) => child.once('close', resolve));
      return counts;
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
 * Throughput of the local receiver and of its floors, for a before-callback and an after-callback
 * each. Every server is up throughout (an idle one costs nothing) and each receiver run is followed
 * at once by the floor run it is compared with, so drift on a shared machine touches both sides of a
 * ratio alike.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const servers = new Map<ThroughputServerKind, ServerProcess>();
  const runs = { receiver: {}, bare: {}, 'append-fsync': {} } as Record<ThroughputServerKind, Partial<Record<CallbackKind, ThroughputRun>>>;
  let receiverAcknowledgedAfter = 0;
  let counts = { stored: 0, forwarded: 0 };
  try {
    for (const kind of ['receiver', 'bare', 'append-fsync'] as const) servers.set(kind, await startServer(kind, options.env));
    for (const kind of ['before', 'after'] as const) {
      for (const name of ['receiver', floorOf[kind]] as const) {
        options.onRun?.(name, kind);
        const result = await load(servers.get(name)!.url, kind, options);
        runs[name][kind] = summarizeRun(result);
        if (name === 'receiver' && kind === 'after') {
          receiverAcknowledgedAfter = acknowledged(result) + (result.warmup ? acknowledged(result.warmup) : 0);
        }
      }
    }
  } finally {
    for (const [kind, server] of servers) {
      const stopped = await server.stop();
      if (kind === 'receiver') counts = stopped;
    }
  }
  return {
    runs: runs as ThroughputResult['runs'],
    receiverStored: counts.stored,
    receiverForwarded: counts.forwarded,
    receiverAcknowledgedAfter,
  };
}
