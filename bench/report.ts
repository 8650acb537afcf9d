import type { Bundle, Bundles } from './bundle.ts';
import { type CostBreakdown, costBeforeIssue19 } from './callback-cost.ts';
import type { CallbackKind } from './callbacks.ts';
import type { ColdStartResults } from './cold-start.ts';
import type { PolicyDecisionResult } from './policy-decision.ts';
import type { ThroughputResult } from './throughput.ts';
import type { WarmLatencyResults } from './warm-latency.ts';

/**
 * The table the bench prints and the rows results.json keeps. Ratios are what is tracked: absolute
 * times on a shared machine drift, a handler's cost relative to the floor measured beside it less so.
 */

export type Unit = 'bytes' | 'ms' | 'µs' | 'req/s' | 'writes/s' | 'units' | 'calls' | 'queries' | 'lines' | 'USD';

export interface Target {
  /** `max`: the ratio must not exceed `ratio`; `min`: it must reach it. */
  readonly bound: 'max' | 'min';
  readonly ratio: number;
}

export interface Row {
  readonly metric: string;
  readonly unit: Unit;
  readonly real: number;
  readonly floor: number;
  /** real / floor; null where a ratio means nothing (sizes). */
  readonly ratio: number | null;
  /** A ratio bound, or a bound said in words (`≤ 100/s`) that `met` was computed against. */
  readonly target?: Target | string;
  readonly met?: boolean;
  /** A row of issue 19's table of targets: its place there, and the figure the issue measured before ("Today"). */
  readonly issue19?: Issue19Place;
}

export interface Issue19Place {
  /** The row of the issue's table, from 1 (the app-wide listing) to 10 (the cost). */
  readonly order: number;
  readonly today: string;
}

/** The issue's "Today" column, row by row: what each figure was when it was filed. */
export const issue19Today = {
  appListingQueries: { order: 1, today: '2,899 queries' },
  appListingTime: { order: 1.5, today: '2.0 s' },
  quietGroupQueries: { order: 2, today: '128 queries' },
  writeUnits: { order: 3, today: '4 units' },
  stateCalls: { order: 4, today: '5.5–9 calls' },
  stateReadUnits: { order: 4.5, today: '~4 units' },
  localAfter: { order: 5, today: '0.047×' },
  localBefore: { order: 6, today: '0.37×' },
  warmBefore: { order: 7, today: '~59×' },
  logBytes: { order: 8, today: '~0.9 KB in 3 lines' },
  logLines: { order: 8.5, today: '3 lines' },
  coldStart: { order: 9, today: '1.46×' },
  cost: { order: 10, today: "the README's figures" },
} as const satisfies Record<string, Issue19Place>;

/** Issue 19's rows of a run, in the order of its table. */
export const issue19Rows = (rows: readonly Row[]): Row[] => rows.filter((row) => row.issue19 !== undefined).sort((a, b) => a.issue19!.order - b.issue19!.order);

/** What a callback may write to CloudWatch Logs without DEBUG, in bytes (issue 19). */
export const LOG_BYTES_BUDGET = 512;

/** The issues' targets. */
export const targets = {
  /** Issue 19: against the hand-written handler making the same checks and writing the same one line. */
  warmBeforeP50VsHandWritten: { bound: 'max', ratio: 3 },
  /** Issue 19: against LOG_BYTES_BUDGET, and one line. */
  logBytesPerCallback: { bound: 'max', ratio: 1 },
  logLinesPerCallback: { bound: 'max', ratio: 1 },
  /** Issue 19: against a bundle holding only the DynamoDB document client (document-client-floor.ts). */
  coldStartBeforeVsDocumentClient: { bound: 'max', ratio: 1.1 },
  /** Issue 19: against the receiver before it (callback-cost.ts `costBeforeIssue19`). */
  costPerMillion: { bound: 'max', ratio: 0.6 },
  /** Issue 19: against a bare node:http server. */
  throughputBefore: { bound: 'min', ratio: 0.6 },
  /** Issue 19: with the synced view and forwarding on, against a server that appends each body to a file and fsyncs it. */
  throughputAfter: { bound: 'min', ratio: 0.25 },
  policyDecisionP99: { bound: 'max', ratio: 3 },
  /** Against the 15 ms budget itself: the row's floor is the budget. */
  policyCompile: { bound: 'max', ratio: 1 },
} as const satisfies Record<string, Target>;

export function compared(metric: string, unit: Unit, real: number, floor: number, target?: Target): Row {
  const ratio = real / floor;
  const met = target === undefined ? undefined : target.bound === 'max' ? ratio <= target.ratio : ratio >= target.ratio;
  return { metric, unit, real, floor, ratio, target, met };
}

const µs = (ms: number) => ms * 1000;

export interface Measurements {
  readonly bundles: Bundles;
  readonly coldStart: ColdStartResults;
  readonly warmLatency: WarmLatencyResults;
  readonly throughput: ThroughputResult;
  /** Per million stored after-events: as measured in this run, and before issue 19. */
  readonly cost: { readonly now: CostBreakdown; readonly before: CostBreakdown };
}

/** Issue 19's figures, each against what it is measured beside in the same run. */
function lambdaIssue19Rows({ bundles, coldStart, warmLatency, cost }: Omit<Measurements, 'throughput'>): Row[] {
  const { byName } = bundles;
  const deployed = warmLatency[byName.deployed.name]!;
  const cold = (kind: CallbackKind, target?: Target) =>
    compared(
      `cold start, ${kind}, p50 (floor: the DynamoDB document client alone)`,
      'ms',
      coldStart[byName.deployed.name]![kind]!.answered.p50,
      coldStart[byName.documentClient.name]![kind]!.answered.p50,
      target,
    );
  const logBytes = (kind: CallbackKind) => ({
    ...compared(
      `log, ${kind}, bytes per callback (floor: the ${LOG_BYTES_BUDGET}-byte budget)`,
      'bytes',
      deployed.log[kind].bytesPerCallback,
      LOG_BYTES_BUDGET,
      targets.logBytesPerCallback,
    ),
    issue19: issue19Today.logBytes,
  });
  const logLines = (kind: CallbackKind) => ({
    ...compared(`log, ${kind}, lines per callback (floor: one)`, 'lines', deployed.log[kind].linesPerCallback, 1, targets.logLinesPerCallback),
    issue19: issue19Today.logLines,
  });
  return [
    {
      ...compared(
        'warm, before, p50 (floor: the checks and the line by hand)',
        'µs',
        µs(deployed.before.p50),
        µs(warmLatency[byName.handWritten.name]!.before.p50),
        targets.warmBeforeP50VsHandWritten,
      ),
      issue19: issue19Today.warmBefore,
    },
    logBytes('before'),
    logBytes('after'),
    logLines('before'),
    logLines('after'),
    { ...cold('before', targets.coldStartBeforeVsDocumentClient), issue19: issue19Today.coldStart },
    cold('after'),
    {
      ...compared(
        `cost per million stored 1 KB after-events (floor: before issue 19, ${costBeforeIssue19.commit})`,
        'USD',
        cost.now.total,
        cost.before.total,
        targets.costPerMillion,
      ),
      issue19: { ...issue19Today.cost, today: `${issue19Today.cost.today} ($${cost.before.total.toFixed(2)})` },
    },
  ];
}

/** The local server's rows (`npm start` under autocannon, as it runs: data directory, view and forwarding on). */
export function localServerRows(throughput: ThroughputResult): Row[] {
  const served = (kind: CallbackKind, label: string, floor: number, target: Target) =>
    compared(`local server, ${kind}${label}`, 'req/s', throughput.runs.receiver[kind].requestsPerSecond, floor, target);
  return [
    {
      ...served('before', ' (floor: bare node:http)', throughput.runs.bare.before.requestsPerSecond, targets.throughputBefore),
      issue19: issue19Today.localBefore,
    },
    {
      ...served('after', ', view and forwarding on (floor: append + fsync)', throughput.runs['append-fsync'].after.requestsPerSecond, targets.throughputAfter),
      issue19: issue19Today.localAfter,
    },
  ];
}

/** Every Lambda row: issue 19's figures first, then sizes, cold starts and warm latency against the bare floor. */
export function lambdaRows(measurements: Omit<Measurements, 'throughput'>): Row[] {
  const { bundles, coldStart, warmLatency } = measurements;
  const { byName } = bundles;
  const size = (bundle: Bundle, label: string, target?: Row['target']): Row[] => [
    { metric: `bundle, ${label}`, unit: 'bytes', real: bundle.bytes, floor: byName.floor.bytes, ratio: null, target },
    { metric: `bundle gzipped, ${label}`, unit: 'bytes', real: bundle.gzipBytes, floor: byName.floor.gzipBytes, ratio: null },
  ];
  const atImport = (bundle: Bundle) => bundle.files.filter((file) => file.loadedAtImport).reduce((sum, file) => sum + file.bytes, 0);
  const cold = (bundle: Bundle, label: string, kind: CallbackKind, statistic: 'p50' | 'p90', target?: Target) =>
    compared(
      `cold start, ${kind}, ${statistic}${label}`,
      'ms',
      coldStart[bundle.name]![kind]!.answered[statistic],
      coldStart[byName.floor.name]![kind]!.answered[statistic],
      target,
    );
  const warm = (kind: CallbackKind, statistic: 'p50' | 'p99', target?: Target) =>
    compared(`warm, ${kind}, ${statistic}`, 'µs', µs(warmLatency.deployed![kind][statistic]), µs(warmLatency.floor![kind][statistic]), target);
  const alternative = (bundle: Bundle, label: string): Row[] => [
    ...size(bundle, label),
    cold(bundle, `, ${label}`, 'before', 'p50'),
    cold(bundle, `, ${label}`, 'after', 'p50'),
  ];

  return [
    ...lambdaIssue19Rows(measurements),
    ...size(byName.deployed, 'deployed', 'smallest justified'),
    { metric: 'bundle loaded at import, deployed', unit: 'bytes', real: atImport(byName.deployed), floor: atImport(byName.floor), ratio: null },
    cold(byName.deployed, '', 'before', 'p50'),
    cold(byName.deployed, '', 'before', 'p90'),
    cold(byName.deployed, '', 'after', 'p50'),
    cold(byName.deployed, '', 'after', 'p90'),
    warm('before', 'p50'),
    warm('before', 'p99'),
    compared(
      'warm, before, p99 (floor: the checks and the line by hand)',
      'µs',
      µs(warmLatency.deployed!.before.p99),
      µs(warmLatency[byName.handWritten.name]!.before.p99),
    ),
    warm('after', 'p50'),
    warm('after', 'p99'),
    // What the deployed function would be with the SDK from the runtime, and any candidates.
    ...alternative(byName.externalSdk, 'SDK external'),
    ...bundles.candidates.flatMap((candidate) => alternative(candidate, candidate.name)),
    // How much of the floor is loading the built-ins; what the DynamoDB client alone costs.
    cold(byName.floorWithoutBuiltins, ', floor w/o built-ins', 'before', 'p50'),
    cold(byName.documentClient, ', the DynamoDB document client alone', 'before', 'p50'),
  ];
}

/** The policy bench's rows (policy-decision.ts): decisions against one fold pass, the compile against its budget. */
export function policyRows(policy: PolicyDecisionResult): Row[] {
  const what = `${(policy.messageBytes / 1024).toFixed(0)} KB vs ${policy.words.toLocaleString('en-US')} words`;
  return [
    compared(`policy decision, ${what}, p50 (floor: one fold pass)`, 'µs', policy.decisionUs.p50, policy.foldUs.p50),
    compared(`policy decision, ${what}, p99 (floor: one fold pass)`, 'µs', policy.decisionUs.p99, policy.foldUs.p99, targets.policyDecisionP99),
    // The same words as 1,000 mask rules: one automaton, so about the same cost (issue 17).
    compared(
      `policy decision, ${(policy.messageBytes / 1024).toFixed(0)} KB vs ${policy.maskRules.toLocaleString('en-US')} mask rules of those words, p99 (floor: one fold pass)`,
      'µs',
      policy.maskRulesUs.p99,
      policy.maskRulesFoldUs.p99,
      targets.policyDecisionP99,
    ),
    compared(
      `policy compile, ${policy.words.toLocaleString('en-US')} words, cold, p50 (floor: the 15 ms budget)`,
      'ms',
      policy.compileMs.p50,
      15,
      targets.policyCompile,
    ),
    // CPU time counts V8's background threads (GC, compilers) too: it runs above wall time here.
    compared(`policy compile, ${policy.words.toLocaleString('en-US')} words, cold, CPU time, p50 (floor: the 15 ms budget)`, 'ms', policy.compileCpuMs.p50, 15),
    compared(`policy first decision after it, p50 (floor: the 15 ms budget)`, 'ms', policy.firstDecisionMs.p50, 15),
    compared(`policy validation (PolicySchema), cold, p50 (floor: the 15 ms budget)`, 'ms', policy.parseMs.p50, 15),
  ];
}

const decimals: Record<Unit, number> = { bytes: 0, ms: 1, µs: 1, 'req/s': 0, 'writes/s': 1, units: 2, calls: 2, queries: 0, lines: 2, USD: 2 };
const formatValue = (value: number, unit: Unit) =>
  `${value.toLocaleString('en-US', { minimumFractionDigits: decimals[unit], maximumFractionDigits: decimals[unit] })} ${unit}`;

function formatTarget(target: Row['target']): string {
  if (target === undefined) return '';
  if (typeof target === 'string') return target;
  return `${target.bound === 'max' ? '≤' : '≥'} ${target.ratio}×`;
}

export function formatTable(rows: readonly Row[]): string {
  const withToday = rows.some((row) => row.issue19 !== undefined);
  const header = ['metric', 'real', 'floor', 'ratio', 'target', 'met?', ...(withToday ? ['issue 19 today'] : [])];
  const cells = rows.map((row) => [
    row.metric,
    formatValue(row.real, row.unit),
    formatValue(row.floor, row.unit),
    row.ratio === null ? '' : `${row.ratio < 0.01 ? row.ratio.toFixed(4) : row.ratio.toFixed(2)}×`,
    formatTarget(row.target),
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
    ...(withToday ? [row.issue19?.today ?? ''] : []),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]!.length)));
  // Text left-aligned, numbers right-aligned.
  const align = (line: string[]) =>
    line
      .map((cell, column) => (column === 0 || column >= 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [align(header), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.map(align)].join('\n');
}
