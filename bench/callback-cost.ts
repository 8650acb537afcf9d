import { keyModel } from './capacity-model.ts';
import { eventCost, ON_DEMAND_PRICE } from './write-cost.ts';

/**
 * What a million stored 1 KB after-events cost, request by request: API Gateway, Lambda at the
 * measured duration and memory, DynamoDB's write and read units, the log bytes CloudWatch Logs
 * ingests, and the traces X-Ray records. Per-event costs only: storage, custom metrics (billed a
 * month per metric, not per event) and data transfer are left out.
 */

/** US East (N. Virginia) list prices, in US dollars. */
export const PRICES = {
  /** HTTP API, first 300 million requests a month (aws.amazon.com/api-gateway/pricing/). */
  apiPerMillionRequests: 1.0,
  /** arm64 (aws.amazon.com/lambda/pricing/); duration is billed per started millisecond. */
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecond: 0.0000133334,
  /** Standard class, the first tier of Lambda's (vended) logs (aws.amazon.com/cloudwatch/pricing/). */
  logsPerGbIngested: 0.5,
  /** Traces recorded, past the 100,000 free a month (aws.amazon.com/xray/pricing/). */
  xrayPerMillionTraces: 5.0,
  dynamoDbPerMillionWriteUnits: ON_DEMAND_PRICE.perMillionWriteUnits,
  /** On-demand read request units, same source as the write units (bench/write-cost.ts). */
  dynamoDbPerMillionReadUnits: 0.125,
  source:
    'list prices as docs/security.md#sizing quotes them (API Gateway, Lambda arm64, CloudWatch Logs, X-Ray) and bench/write-cost.ts (DynamoDB); not re-read live',
} as const;

/**
 * Lambda samples one request a second and 5% of the rest for X-Ray, and cannot be told otherwise
 * (docs.aws.amazon.com/lambda/latest/dg/services-xray.html); at the 10,000 requests a second the
 * receiver is sized for (docs/security.md), that is 5%.
 */
export const TRACED_SHARE = 0.05;

/**
 * The lines Lambda itself writes per invocation in its text log format (START, END, REPORT, and the
 * REPORT's XRAY part when the request was traced), with a request id's 36 characters and typical
 * figures: billed like the function's own lines, the same before and after any change to the handler.
 */
export function platformLogBytes(tracedShare = TRACED_SHARE): number {
  const requestId = '8f5a9b3e-2c4d-4e6f-8a1b-3c5d7e9f1a2b';
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST\n`,
    `END RequestId: ${requestId}\n`,
    `REPORT RequestId: ${requestId}\tDuration: 4.21 ms\tBilled Duration: 5 ms\tMemory Size: 512 MB\tMax Memory Used: 96 MB\t\n`,
  ];
  const xray = 'XRAY TraceId: 1-6750b3c1-0a1b2c3d4e5f60718293a4b5\tSegmentId: 0a1b2c3d4e5f6071\tSampled: true\t\n';
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0) + tracedShare * Buffer.byteLength(xray);
}

/**
 * The store's units for a stored 1 KB event, from its own write-cost arithmetic (bench/write-cost.ts
 * over functions/store's item and indexes: the third key design, 2 write units), the fan-out
 * indexer's digests and pointers per event (bench/capacity-model.ts, off the callback's path but
 * billed all the same), and read units on its way in (none: the put is conditional, nothing is read).
 */
export const storeUnits = (): Pick<CostInputs, 'writeUnits' | 'indexerWriteUnits' | 'readUnits'> => ({
  writeUnits: eventCost().now.writeUnits,
  // One second of the mix is enough: the indexer is simulated over its first events either way.
  indexerWriteUnits: keyModel({ seconds: 1 }).derived?.writeUnitsPerEvent ?? 0,
  readUnits: 0,
});

export interface CostInputs {
  /** The after-callback's warm duration, ms (p50), billed per started millisecond. */
  readonly durationMs: number;
  readonly memoryMb: number;
  /** What the function writes per after-callback, bytes (its record line, and the EMF metrics). */
  readonly functionLogBytes: number;
  readonly writeUnits: number;
  /** The fan-out indexer's write units per event (its digests and pointers); none before issue 19, whose byApp entry is in its writeUnits. */
  readonly indexerWriteUnits?: number;
  readonly readUnits: number;
}

export interface CostBreakdown {
  readonly api: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly dynamoDbWrites: number;
  readonly dynamoDbReads: number;
  readonly functionLogs: number;
  readonly platformLogs: number;
  readonly traces: number;
  readonly total: number;
}

/** Dollars per million stored after-events. */
export function costPerMillion(inputs: CostInputs): CostBreakdown {
  const million = 1_000_000;
  const gb = 1024 ** 3;
  const billedSeconds = Math.ceil(inputs.durationMs) / 1000;
  const parts = {
    api: PRICES.apiPerMillionRequests,
    lambdaRequests: PRICES.lambdaPerMillionRequests,
    lambdaDuration: million * (inputs.memoryMb / 1024) * billedSeconds * PRICES.lambdaPerGbSecond,
    dynamoDbWrites: (inputs.writeUnits + (inputs.indexerWriteUnits ?? 0)) * PRICES.dynamoDbPerMillionWriteUnits,
    dynamoDbReads: inputs.readUnits * PRICES.dynamoDbPerMillionReadUnits,
    functionLogs: ((million * inputs.functionLogBytes) / gb) * PRICES.logsPerGbIngested,
    platformLogs: ((million * platformLogBytes()) / gb) * PRICES.logsPerGbIngested,
    traces: TRACED_SHARE * PRICES.xrayPerMillionTraces,
  };
  return { ...parts, total: Object.values(parts).reduce((sum, value) => sum + value, 0) };
}

/**
 * The receiver before issue 19 (commit 342962c: three lines per callback through Powertools Logger
 * and Metrics, the X-Ray SDK loaded at every cold start), measured by this bench on that commit
 * (`--only lambda`, 2026-12-06, load average 12 to 21 on 2 cores): the cost row's floor, so its ratio
 * says what the issue's changes save at the same prices.
 */
export const costBeforeIssue19: CostInputs & { readonly commit: string } = {
  commit: '342962c',
  // The after-callback's warm p50 against dynalite on loopback.
  durationMs: 8.3,
  memoryMb: 512,
  // Three lines: the record (with Powertools' timestamp, sampling_rate and xray_trace_id) and two EMF documents.
  functionLogBytes: 1113,
  writeUnits: 4,
  readUnits: 0,
};
