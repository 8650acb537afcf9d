/**
 * `npm run bench`: how the callback function's cold start, warm latency and local throughput compare
 * with a floor measured beside them, and how big the deployed bundle is. Prints a table and writes
 * bench/results.json. Loopback only; stops by itself in two to four minutes.
 *
 * `--candidate name=path/to/handler.ts` (repeatable) also bundles and cold-starts another handler
 * entry, e.g. a change to functions/callback/handler.ts drafted under bench/.out/, to measure it first.
 * `--only policy` measures only the policy rows (policy-decision.ts) and updates just those in
 * bench/results.json, in a few seconds. `--only policy-state` measures what shadow and rate rules add
 * to a decision and how fast a backtest evaluates (policy-state.ts), its rows alone, in under a minute.
 *
 * `--only keys` prints just the events table's capacity model (bench/key-capacity.ts), in a second,
 * and refreshes only its rows in bench/results.json. `--only lambda` measures only the callback
 * function (issue 19's figures, sizes, cold starts, warm latency, the cost per million) and refreshes
 * only those rows.
 *
 * `--only local` measures only the local server's throughput rows (throughput.ts), in about a minute,
 * and refreshes only those rows and the `throughput` section. `--only store` measures the events
 * table's listings (listing-cost.ts) and write units (write-units.ts) beside the second key design,
 * in under a minute, and refreshes only those rows and `storeCost`.
 *
 * The report starts with issue 19's table of targets, its rows in the issue's order, each with the
 * figure, its reference measured in the same run, the ratio, the target and the issue's "Today".
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_TABLE_NAME, startEmbeddedStore } from '../local/embedded-store.ts';
import { whyNoDynamoDbLocal } from '../test/support/dynamodb-local-process.ts';
import { type Bundles, buildBundles, buildChildScripts, type Candidate } from './bundle.ts';
import { costBeforeIssue19, costPerMillion, PRICES, storeUnits } from './callback-cost.ts';
import { measureColdStarts } from './cold-start.ts';
import { withDynamoDbLocal } from './dynamodb-servers.ts';
import { startFallbackQueue } from './fallback-queue.ts';
import { measureKeyCapacity } from './key-capacity.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { type ListingCostResult, listingRows, measureListingCost } from './listing-cost.ts';
import { repoRoot, resultsFile } from './paths.ts';
import { measurePolicyDecision, type PolicyDecisionResult } from './policy-decision.ts';
import { measurePolicyState, policyStateRows } from './policy-state.ts';
import { formatTable, issue19Rows, lambdaRows, localServerRows, policyRows, type Row, targets } from './report.ts';
import { formatStateCost, measureStateCost, type StateCostResult, stateRows } from './state-cost.ts';
import { round } from './stats.ts';
import { countStoredEvents } from './stored-events.ts';
import { measureThroughput, type ThroughputResult } from './throughput.ts';
import { measureWarmLatency } from './warm-latency.ts';
import { formatWriteUnits, measureWriteUnits, type WriteUnitsResult, writeUnitsRows } from './write-units.ts';
import { startXrayDaemonStub } from './xray-daemon.ts';

const parameters = {
  coldStartRuns: 20,
  warmIterations: 10_000,
  warmWarmup: 500,
  connections: 10,
  throughputSeconds: 5,
  throughputWarmupSeconds: 1,
  timeLimitSeconds: 300,
  policyRuns: 9,
  policyIterations: 5_000,
  policyWarmup: 1_000,
  policyStateIterations: 3_000,
  backtestMessages: 50_000,
};

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const elapsed = () => (performance.now() - started) / 1000;
/** Progress goes to stderr, so stdout carries only the report. */
const progress = (message: string) => process.stderr.write(`[${elapsed().toFixed(0).padStart(3)} s] ${message}\n`);

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

type LambdaMeasurements = Awaited<ReturnType<typeof measureLambda>>;

/** Cold starts and warm latency of the bundles, in child processes, over a store on loopback. */
async function measureLambda(bundles: Bundles, childScripts: { coldStart: string; warmLatency: string }) {
  // The store the Lambda children write to: dynalite on loopback, as `npm start` runs it.
  const store = await startEmbeddedStore({ port: 0 });
  const xrayDaemon = await startXrayDaemonStub();
  const fallbackQueue = await startFallbackQueue();
  try {
    const { env, functionVariables, dropped } = lambdaEnvironment(bundles.deployedFunction, {
      storeEndpoint: store.endpoint,
      tableName: LOCAL_TABLE_NAME,
      xrayDaemonAddress: xrayDaemon.address,
      sqsEndpoint: fallbackQueue.endpoint,
      fallbackQueueUrl: fallbackQueue.queueUrl,
    });
    const sdkAppId = env.IM_SDKAPPIDS?.split(',')[0];
    if (!sdkAppId) throw new Error('the deployed function has no IM_SDKAPPIDS');
    const { byName } = bundles;
    const both = ['before', 'after'] as const;

    progress(`cold starts: ${parameters.coldStartRuns} fresh processes per handler and callback…`);
    let lastShown = performance.now();
    const cold = await measureColdStarts({
      scenarios: [
        { bundle: byName.deployed, kinds: both },
        { bundle: byName.floor, kinds: both },
        { bundle: byName.documentClient, kinds: both },
        { bundle: byName.externalSdk, kinds: both },
        ...bundles.candidates.map((bundle) => ({ bundle, kinds: both })),
        // Answers both alike: its before-callbacks tell what loading the built-ins costs the floor.
        { bundle: byName.floorWithoutBuiltins, kinds: ['before'] as const },
      ],
      runs: parameters.coldStartRuns,
      childScript: childScripts.coldStart,
      env,
      sdkAppId,
      onProgress: (done, total) => {
        if (done === total || performance.now() - lastShown > 15_000) {
          lastShown = performance.now();
          progress(`  ${done}/${total} processes`);
        }
      },
    });

    progress(`warm latency: ${parameters.warmIterations.toLocaleString('en-US')} calls of each callback per handler…`);
    const warm = await measureWarmLatency({
      bundles: [byName.deployed, byName.floor, byName.handWritten],
      iterations: parameters.warmIterations,
      warmup: parameters.warmWarmup,
      childScript: childScripts.warmLatency,
      env,
      sdkAppId,
    });

    const expected = cold.afterEventsStored + warm.afterEventsStored;
    const stored = await countStoredEvents(store.client, LOCAL_TABLE_NAME);
    const queued = await fallbackQueue.queued();
    return {
      coldStart: cold.results,
      warmLatency: warm.results,
      functionVariables,
      sdkAppId,
      dropped,
      traceSegments: xrayDaemon.received(),
      storeCheck: {
        name: 'every after-callback answered by a real handler was stored (or queued, when the table was slow)',
        ok: stored + queued === expected,
        detail: `${stored} stored, ${queued} queued, ${expected} expected`,
      } satisfies Check,
    };
  } finally {
    await fallbackQueue.close();
    await xrayDaemon.close();
    await store.close();
  }
}

/** The local server against its floors, as `npm start` runs it: the deployment's settings. */
function measureLocalServer(lambda: Pick<LambdaMeasurements, 'functionVariables' | 'sdkAppId'>): Promise<ThroughputResult> {
  progress(`local server throughput: ${parameters.connections} connections, ${parameters.throughputSeconds} s per run…`);
  return measureThroughput({
    connections: parameters.connections,
    durationSeconds: parameters.throughputSeconds,
    warmupSeconds: parameters.throughputWarmupSeconds,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...lambda.functionVariables },
    sdkAppId: lambda.sdkAppId,
    onRun: (server, kind) => progress(`  ${server}, ${kind}-callbacks`),
  });
}

/** The first line's top-level keys, sorted: what a line says, whatever its values. */
function keysOfLine(output: string): string {
  try {
    return Object.keys(JSON.parse(output.split('\n')[0] ?? '') as object)
      .sort()
      .join(',');
  } catch {
    return `not JSON: ${output.slice(0, 80)}`;
  }
}

/** What must hold for the Lambda figures to mean anything. */
function lambdaChecks(bundles: Bundles, lambda: LambdaMeasurements): Check[] {
  const real = lambda.warmLatency[bundles.byName.deployed.name]!.log.before.sample;
  const byHand = lambda.warmLatency[bundles.byName.handWritten.name]!.log.before.sample;
  return [
    {
      name: "the handlers' build (infra/build/handler-bundles.ts) rebuilds the deployed asset byte for byte",
      ok: bundles.sameOptionsAsDeployed !== 'different',
      detail: {
        identical: 'identical',
        different: 'they differ: the asset cdk synth stages is not what npm run build makes of these sources',
        'sources changed': 'not told: the handler sources changed during synth',
      }[bundles.sameOptionsAsDeployed],
    },
    {
      name: "the hand-written before-callback writes the receiver's line: the same fields",
      ok: keysOfLine(real) === keysOfLine(byHand),
      detail: keysOfLine(real) === keysOfLine(byHand) ? keysOfLine(real) : `receiver ${keysOfLine(real)}; by hand ${keysOfLine(byHand)}`,
    },
    lambda.storeCheck,
  ];
}

/** What must hold for the figures to mean anything; a failed check fails the run. */
function checksOf(bundles: Bundles, lambda: LambdaMeasurements, throughput: ThroughputResult, totalSeconds: number): Check[] {
  const { receiverStored, receiverForwarded, receiverAcknowledgedAfter } = throughput;
  const loadFailures = Object.values(throughput.runs)
    .flatMap((runs) => Object.values(runs))
    .reduce((sum, run) => sum + run.failures, 0);
  return [
    ...lambdaChecks(bundles, lambda),
    {
      name: 'the local server stored each after-callback it acknowledged',
      // Requests still in flight when autocannon stops (warm-up and run) are stored but not counted.
      ok: receiverStored >= receiverAcknowledgedAfter && receiverStored <= receiverAcknowledgedAfter + 2 * parameters.connections,
      detail: `${receiverStored} stored, ${receiverAcknowledgedAfter} acknowledged`,
    },
    {
      name: 'the local server forwarded each after-event it stored (its change log, at least once)',
      ok: receiverForwarded >= receiverStored,
      detail: `${receiverForwarded} forwarded, ${receiverStored} stored`,
    },
    { name: 'every load-test request was answered 200 OK', ok: loadFailures === 0, detail: `${loadFailures} not` },
    { name: `the bench ran within ${parameters.timeLimitSeconds} s`, ok: totalSeconds <= parameters.timeLimitSeconds, detail: `${totalSeconds.toFixed(0)} s` },
  ];
}

/**
 * A million stored after-events at this run's after-callback duration and log bytes, and before
 * issue 19 at that commit's (bench/callback-cost.ts).
 */
function costOf(bundles: Bundles, lambda: LambdaMeasurements, store?: StoreCost) {
  const deployed = lambda.warmLatency[bundles.byName.deployed.name]!;
  // The 1 KB message's write units as DynamoDB Local reported them in this run, where it ran; else the store's arithmetic.
  const measured = store?.writeUnits?.bodies[0]?.now.total;
  const inputs = {
    durationMs: deployed.after.p50,
    memoryMb: bundles.deployedFunction.memorySize,
    functionLogBytes: deployed.log.after.bytesPerCallback,
    ...storeUnits(),
    ...(measured === undefined ? {} : { writeUnits: measured }),
    writeUnitsSource: measured === undefined ? 'computed (bench/write-cost.ts)' : 'measured on DynamoDB Local',
  };
  return { inputs, now: costPerMillion(inputs), before: costPerMillion(costBeforeIssue19) };
}

/** Rounds the raw timings for the JSON: more digits than a shared machine can justify are noise. */
const roundNumbers = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? round(value, 4) : value);

function measurePolicy(): Promise<PolicyDecisionResult> {
  progress(`policy decision: ${parameters.policyRuns} fresh processes, ${parameters.policyIterations.toLocaleString('en-US')} decisions each…`);
  return measurePolicyDecision({ runs: parameters.policyRuns, iterations: parameters.policyIterations, warmup: parameters.policyWarmup });
}

interface Measured {
  readonly bundles: Bundles;
  readonly lambda: LambdaMeasurements;
  readonly cost: ReturnType<typeof costOf>;
  readonly throughput: ThroughputResult;
  readonly policy: PolicyDecisionResult;
  readonly stateCost: StateCostResult;
  readonly storeCost: StoreCost;
}

/** Each bundle's files (the entry and its chunks) and the built-ins the deployed one loads: results.json's `bundles` and `builtins`. */
const bundleSections = (bundles: Bundles) => ({
  bundles: Object.fromEntries(
    [...Object.values(bundles.byName), ...bundles.candidates].map(({ name, description, bytes, gzipBytes, files }) => [
      name,
      { description, bytes, gzipBytes, files },
    ]),
  ),
  builtins: bundles.builtins,
});

function writeResults({ bundles, lambda, cost, throughput, policy, stateCost, storeCost }: Measured, rows: Row[], checks: Check[], totalSeconds: number) {
  const { deployedFunction } = bundles;
  const results = {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      // Other work on a shared machine moves absolute times: the ratios are what to compare.
      loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
    },
    totalSeconds,
    parameters,
    targets,
    deployedFunction: {
      path: deployedFunction.path,
      runtime: deployedFunction.runtime,
      architectures: deployedFunction.architectures,
      memorySize: deployedFunction.memorySize,
      variablesWithoutLocalValue: lambda.dropped,
    },
    traceSegmentsReceived: lambda.traceSegments,
    ...bundleSections(bundles),
    rows,
    checks,
    coldStart: lambda.coldStart,
    warmLatency: lambda.warmLatency,
    costPerMillion: { ...cost, beforeIssue19: costBeforeIssue19 },
    throughput,
    policyDecision: policy,
    stateCost,
    storeCost,
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
}

const isPolicyRow = (row: Row) => row.metric.startsWith('policy ');

/** `--only policy`: the policy rows, replacing only those (and the policy section) in results.json. */
async function policyOnly(): Promise<number> {
  const policy = await measurePolicy();
  const rows = policyRows(policy);
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  const results = {
    ...previous,
    targets: { ...(previous.targets as object), ...targets },
    rows: [...((previous.rows as Row[] | undefined) ?? []).filter((row) => !isPolicyRow(row)), ...rows],
    policyDecision: { measuredAt: new Date().toISOString(), loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] }, ...policy },
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
  const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
  console.log(`\nTencent IM callback receiver, policy bench (Node ${process.version}, ${cpus().length} CPUs, ${load})\n`);
  console.log(formatTable(rows));
  console.log(
    `\nDecision: ${parameters.policyIterations.toLocaleString('en-US')} warm decisions in each of ${parameters.policyRuns} processes, ` +
      'each beside one NFKC + case-fold pass over the same text. Compile: each process once, cold.',
  );
  console.log(`\nUpdated the policy rows of ${relative(repoRoot, resultsFile)}`);
  return rows.every((row) => row.met !== false) ? 0 : 1;
}

/** `--only policy-state`: shadow and rate rules' share of a decision, and the backtest's rate; its rows alone in results.json. */
async function policyStateOnly(): Promise<number> {
  progress(
    `policy state: ${parameters.policyStateIterations.toLocaleString('en-US')} decisions of each kind, a backtest of ${parameters.backtestMessages.toLocaleString('en-US')} messages…`,
  );
  const result = await measurePolicyState({
    iterations: parameters.policyStateIterations,
    warmup: parameters.policyWarmup,
    backtestMessages: parameters.backtestMessages,
  });
  const rows = policyStateRows(result);
  const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  const results = {
    ...previous,
    rows: [...((previous.rows as Row[] | undefined) ?? []).filter((row) => !row.metric.startsWith('policy state:')), ...rows],
    policyState: { measuredAt: new Date().toISOString(), loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] }, ...result },
  };
  writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
  const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
  console.log(`\nTencent IM callback receiver, policy state bench (Node ${process.version}, ${cpus().length} CPUs, ${load})\n`);
  console.log(formatTable(rows));
  console.log(
    `\nDecisions: warm, in this process, interleaved with the same decision without the rule; dynalite runs on the embedded store's thread. ` +
      `Backtest: messages made in memory, so its rate is the evaluation's; memory grew ${result.backtest.rssGrowthMb} MB (RSS) from a tenth of them to the end.`,
  );
  console.log(`\nUpdated the policy state rows of ${relative(repoRoot, resultsFile)}`);
  return 0;
}

/** The cost row's parts, now and before issue 19, in dollars per million stored after-events. */
function costTable(cost: ReturnType<typeof costOf>): string {
  const labels = {
    api: 'API Gateway (HTTP API)',
    lambdaRequests: 'Lambda requests',
    lambdaDuration: `Lambda duration (${cost.inputs.memoryMb} MB, ${Math.ceil(cost.inputs.durationMs)} ms billed; before ${Math.ceil(costBeforeIssue19.durationMs)} ms)`,
    dynamoDbWrites: `DynamoDB writes (${cost.inputs.writeUnits} units, ${cost.inputs.writeUnitsSource}, and the indexer's ${(cost.inputs.indexerWriteUnits ?? 0).toFixed(2)}; before ${costBeforeIssue19.writeUnits})`,
    dynamoDbReads: `DynamoDB reads (${cost.inputs.readUnits} units; before ${costBeforeIssue19.readUnits})`,
    functionLogs: `the function's log lines (${cost.inputs.functionLogBytes.toFixed(0)} B; before ${costBeforeIssue19.functionLogBytes.toFixed(0)} B)`,
    platformLogs: "Lambda's START, END and REPORT lines",
    traces: 'X-Ray traces (5% sampled)',
    total: 'total',
  } as const;
  const width = Math.max(...Object.values(labels).map((label) => label.length));
  return (Object.keys(labels) as (keyof typeof labels)[])
    .map((part) => `  ${labels[part].padEnd(width)}  $${cost.now[part].toFixed(3).padStart(6)}  $${cost.before[part].toFixed(3).padStart(6)}`)
    .join('\n');
}

function printReport(rows: Row[], checks: Check[], dropped: string[], totalSeconds: number, cost: ReturnType<typeof costOf>) {
  const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
  console.log(`\nTencent IM callback receiver, bench (Node ${process.version}, ${cpus().length} CPUs, ${load}, ${totalSeconds.toFixed(0)} s)\n`);
  console.log(`Issue 19's targets, each against its reference measured in this run:\n\n${formatTable(issue19Rows(rows))}\n\nEvery row:\n`);
  console.log(formatTable(rows));
  console.log(`\nA million stored 1 KB after-events (now, before issue 19 at ${costBeforeIssue19.commit}; ${PRICES.source}):\n${costTable(cost)}`);
  console.log(
    `\nCold start: process start to first answer, ${parameters.coldStartRuns} processes each. Warm: ` +
      `${parameters.warmIterations.toLocaleString('en-US')} sequential calls in one process. Local server: autocannon, ` +
      `${parameters.connections} connections, ${parameters.throughputSeconds} s, as npm start runs (data directory, view and forwarding on); ` +
      'before-callbacks against a bare node:http server, after-callbacks against one that appends each body to a file and fsyncs it.',
  );
  if (dropped.length > 0) console.log(`Left unset (deploy-time values with no local stand-in): ${dropped.join(', ')}`);
  console.log('\nChecks:');
  for (const check of checks) console.log(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name} (${check.detail})`);
  console.log(`\nWrote ${relative(repoRoot, resultsFile)}`);
}

/**
 * The parts that run alone, updating only their own rows of results.json: policy and keys in seconds,
 * policy-state in under a minute, the local server's and the synced view's in about a minute, lambda
 * in a few minutes.
 */
const parts = ['policy', 'policy-state', 'keys', 'local', 'state', 'store', 'lambda'] as const;

function argumentsOfRun(): { candidates: Candidate[]; only?: (typeof parts)[number] } {
  const { values } = parseArgs({ options: { candidate: { type: 'string', multiple: true }, only: { type: 'string' } } });
  const only = parts.find((part) => part === values.only);
  if (values.only !== undefined && only === undefined) throw new Error(`--only ${values.only}: the parts that run alone are ${parts.join(', ')}`);
  const candidates = (values.candidate ?? []).map((argument) => {
    const [name, entry] = argument.split('=', 2);
    if (!name || !entry || !/^[\w-]+$/.test(name)) throw new Error(`--candidate ${argument}: expected name=path/to/handler.ts`);
    return { name, entry };
  });
  return { candidates, ...(only === undefined ? {} : { only }) };
}

/** The key design alone: its rows replace their predecessors in results.json, nothing else is touched. */
function runKeysOnly(): number {
  const keys = measureKeyCapacity();
  console.log(`\nEvents table keys under the traffic mix (computed, not timed)\n\n${formatTable(keys.rows)}\n\n${keys.text}`);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows?: Row[]; keyCapacity?: unknown };
    results.rows = [...(results.rows ?? []).filter((row) => !row.metric.startsWith('keys:')), ...keys.rows];
    results.keyCapacity = { loads: keys.loads, firstDesign: keys.legacy, cost: keys.cost };
    writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    console.log(`\nUpdated the key rows of ${relative(repoRoot, resultsFile)}`);
  }
  return keys.rows.every((row) => row.met !== false) ? 0 : 1;
}

const isLocalServerRow = (row: Row) => row.metric.startsWith('local server');

/** `--only local`: the local server's rows, replacing only those (and the throughput section) in results.json. */
async function localOnly(): Promise<number> {
  progress("synthesizing the stack (cdk.json app), for the deployed function's settings…");
  const bundles = await buildBundles([]);
  try {
    const { functionVariables } = lambdaEnvironment(bundles.deployedFunction, {
      storeEndpoint: 'http://127.0.0.1:1',
      tableName: LOCAL_TABLE_NAME,
      xrayDaemonAddress: '127.0.0.1:1',
    });
    const sdkAppId = functionVariables.IM_SDKAPPIDS?.split(',')[0];
    if (!sdkAppId) throw new Error('the deployed function has no IM_SDKAPPIDS');
    const throughput = await measureLocalServer({ functionVariables, sdkAppId });
    const rows = localServerRows(throughput);
    const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
    const results = {
      ...previous,
      targets: { ...(previous.targets as object), ...targets },
      rows: [...((previous.rows as Row[] | undefined) ?? []).filter((row) => !isLocalServerRow(row)), ...rows],
      throughput: { measuredAt: new Date().toISOString(), loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] }, ...throughput },
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    const load = `load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
    console.log(`\nTencent IM callback receiver, local server bench (Node ${process.version}, ${cpus().length} CPUs, ${load})\n`);
    console.log(formatTable(rows));
    console.log(
      `\nStored ${throughput.receiverStored} and forwarded ${throughput.receiverForwarded} of ${throughput.receiverAcknowledgedAfter} acknowledged after-callbacks.`,
    );
    console.log(`\nUpdated the local server rows of ${relative(repoRoot, resultsFile)}`);
    return rows.every((row) => row.met !== false) ? 0 : 1;
  } finally {
    bundles.cleanUp();
  }
}

function measureState(): Promise<StateCostResult> {
  progress('synced view: the state mix through the consumer, on dynalite and DynamoDB Local…');
  return measureStateCost({ onRun: (engine, batchSize) => progress(`  ${engine}, batches of ${batchSize}`) });
}

/** The synced view alone: its rows replace their predecessors in results.json, with its section. */
async function runStateOnly(): Promise<number> {
  const state = await measureState();
  const rows = stateRows(state);
  console.log(`\nSynced view per projected event (counted, not timed)\n\n${formatTable(rows)}\n\n${formatStateCost(state)}`);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows?: Row[]; stateCost?: unknown };
    results.rows = [...(results.rows ?? []).filter((row) => !row.metric.startsWith('state:')), ...rows];
    results.stateCost = state;
    writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    console.log(`\nUpdated the synced view rows of ${relative(repoRoot, resultsFile)}`);
  }
  return rows.every((row) => row.met !== false) && state.runs.every((run) => run.viewMatches) ? 0 : 1;
}

interface StoreCost {
  readonly listing: ListingCostResult;
  readonly writeUnits?: WriteUnitsResult;
  /** Why write units were not measured (DynamoDB Local cannot run here). */
  readonly writeUnitsSkipped?: string;
}

/** `work` with one DynamoDB Local for every part that starts one, where Java 17 runs; else as it is (those parts say they skipped it). */
const withSharedDynamoDbLocal = <T>(work: () => Promise<T>): Promise<T> => (whyNoDynamoDbLocal() === undefined ? withDynamoDbLocal(work) : work());

/** The events table's rows: listings on dynalite in this process, write units on DynamoDB Local. */
async function measureStore(): Promise<StoreCost> {
  progress('listings: the same 5,000 events in the current and the second key design, on dynalite…');
  const listing = await measureListingCost((step) => progress(`  ${step}`));
  const noJava = whyNoDynamoDbLocal();
  if (noJava !== undefined) return { listing, writeUnitsSkipped: `write units not measured: DynamoDB Local cannot run (${noJava})` };
  progress('write units: realistic bodies on DynamoDB Local (ReturnConsumedCapacity INDEXES)…');
  return { listing, writeUnits: await measureWriteUnits() };
}

const storeRows = (store: StoreCost): Row[] => [...listingRows(store.listing), ...(store.writeUnits === undefined ? [] : writeUnitsRows(store.writeUnits))];
const isStoreRow = (row: Row) => row.metric.startsWith('listing:') || row.metric.startsWith('write units');

const storeChecks = (store: StoreCost): Check[] => [
  {
    name: 'both designs listed 50 events of the app and the quiet group’s five',
    ok: store.listing.complete,
    detail: store.listing.complete ? 'yes' : 'a listing stopped short',
  },
  ...(store.writeUnits === undefined
    ? []
    : [
        {
          name: 'a retried delivery (a failed conditional put) stored nothing',
          ok: store.writeUnits.bodies.every((body) => body.retryStoredNothing),
          detail: `${store.writeUnits.bodies.filter((body) => body.retryStoredNothing).length} of ${store.writeUnits.bodies.length} bodies`,
        },
      ]),
];

const formatStoreCost = (store: StoreCost) => (store.writeUnits === undefined ? (store.writeUnitsSkipped ?? '') : formatWriteUnits(store.writeUnits));

/** `--only store`: the listing and write-unit rows, replacing only those (and `storeCost`) in results.json. */
async function storeOnly(): Promise<number> {
  const store = await withSharedDynamoDbLocal(measureStore);
  const rows = storeRows(store);
  const checks = storeChecks(store);
  console.log(`\nEvents table: listings and write units, each against the second key design in this run\n\n${formatTable(rows)}\n\n${formatStoreCost(store)}`);
  console.log('\nChecks:');
  for (const check of checks) console.log(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name} (${check.detail})`);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows?: Row[]; storeCost?: unknown };
    results.rows = [...(results.rows ?? []).filter((row) => !isStoreRow(row)), ...rows];
    results.storeCost = { measuredAt: new Date().toISOString(), loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] }, ...store };
    writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    console.log(`\nUpdated the listing and write-unit rows of ${relative(repoRoot, resultsFile)}`);
  }
  return rows.every((row) => row.met !== false) && checks.every((check) => check.ok) ? 0 : 1;
}

/**
 * `--only lambda`: the callback function's rows (issue 19's figures, sizes, cold starts, warm
 * latency, the cost), replacing only those, and their sections, in results.json.
 */
async function lambdaOnly(candidates: Candidate[]): Promise<number> {
  progress('synthesizing the stack (cdk.json app) and bundling the variants…');
  const bundles = await buildBundles(candidates);
  try {
    const lambda = await measureLambda(bundles, await buildChildScripts());
    const cost = costOf(bundles, lambda);
    const rows = lambdaRows({ bundles, coldStart: lambda.coldStart, warmLatency: lambda.warmLatency, cost });
    const checks = lambdaChecks(bundles, lambda);
    const previous = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
    const kept = ((previous.rows as Row[] | undefined) ?? []).filter(
      (row) => isPolicyRow(row) || row.metric.startsWith('keys:') || isLocalServerRow(row) || row.metric.startsWith('state:') || isStoreRow(row),
    );
    const results = {
      ...previous,
      targets: { ...(previous.targets as object), ...targets },
      ...bundleSections(bundles),
      rows: [...rows, ...kept],
      lambdaMeasuredAt: new Date().toISOString(),
      lambdaLoadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
      coldStart: lambda.coldStart,
      warmLatency: lambda.warmLatency,
      costPerMillion: { ...cost, beforeIssue19: costBeforeIssue19 },
      lambdaChecks: checks,
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    printReport(rows, checks, lambda.dropped, elapsed(), cost);
    return checks.every((check) => check.ok) ? 0 : 1;
  } finally {
    bundles.cleanUp();
  }
}

async function main(): Promise<number> {
  const { candidates, only } = argumentsOfRun();
  if (only === 'policy') return policyOnly();
  if (only === 'keys') return runKeysOnly();
  if (only === 'policy-state') return policyStateOnly();
  if (only === 'local') return localOnly();
  if (only === 'state') return runStateOnly();
  if (only === 'store') return storeOnly();
  if (only === 'lambda') return lambdaOnly(candidates);
  progress('synthesizing the stack (cdk.json app) and bundling the variants…');
  const bundles = await buildBundles(candidates);
  try {
    const lambda = await measureLambda(bundles, await buildChildScripts());
    const throughput = await measureLocalServer(lambda);
    const policy = await measurePolicy();
    const totalSeconds = elapsed();
    // Counted (the listings' times aside), outside the timed parts' limit; one DynamoDB Local for both.
    const { state, store } = await withSharedDynamoDbLocal(async () => ({ state: await measureState(), store: await measureStore() }));
    const cost = costOf(bundles, lambda, store);
    const keys = measureKeyCapacity();
    const rows = [
      ...lambdaRows({ bundles, coldStart: lambda.coldStart, warmLatency: lambda.warmLatency, cost }),
      ...localServerRows(throughput),
      ...policyRows(policy),
      ...storeRows(store),
      ...keys.rows,
      ...stateRows(state),
    ];
    const checks = [
      ...checksOf(bundles, lambda, throughput, totalSeconds),
      {
        name: 'the synced view the state mix built equals a plain fold of its events',
        ok: state.runs.every((run) => run.viewMatches),
        detail: `${state.runs.filter((run) => run.viewMatches).length} of ${state.runs.length} runs`,
      },
      ...storeChecks(store),
    ];
    writeResults({ bundles, lambda, cost, throughput, policy, stateCost: state, storeCost: store }, rows, checks, totalSeconds);
    printReport(rows, checks, lambda.dropped, totalSeconds, cost);
    console.log(`\nEvents table keys under the traffic mix:\n${keys.text}`);
    console.log(`\n${formatStateCost(state)}`);
    console.log(`\n${formatStoreCost(store)}`);
    return checks.every((check) => check.ok) ? 0 : 1;
  } finally {
    bundles.cleanUp();
  }
}

process.exitCode = await main();
