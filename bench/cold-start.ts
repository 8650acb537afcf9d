import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundle.ts';
import type { CallbackKind } from './callbacks.ts';
import { runJsonChild } from './child-process.ts';
import type { ColdStartPlan, ColdStartTimes } from './cold-start-child.ts';
import { type Summary, summarize } from './stats.ts';

/** A bundle and the callbacks whose cold start is measured with it. */
export interface ColdStartScenario {
  readonly bundle: Bundle;
  readonly kinds: readonly CallbackKind[];
}

export interface ColdStartOptions {
  readonly scenarios: readonly ColdStartScenario[];
  /** Measured processes per bundle and kind. */
  readonly runs: number;
  readonly childScript: string;
  readonly env: Record<string, string>;
  readonly sdkAppId: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ColdStartResult {
  /** Process start to the first answer, measured inside the child: the primary figure. */
  readonly answered: Summary;
  /** Process start to the handler module evaluated. */
  readonly imported: Summary;
  /** The handler's share: from the child script running to the first answer. */
  readonly importAndFirstAnswer: Summary;
  /** spawn() to the answer's arrival, seen from the parent: adds process creation and the pipe. */
  readonly wall: Summary;
  /** Each run's `answered`, in run order: runs of different scenarios with one index ran together. */
  readonly answeredSamples: number[];
}

/** By bundle name, then callback kind. */
export type ColdStartResults = Record<string, Partial<Record<CallbackKind, ColdStartResult>>>;

interface Sample {
  readonly times: ColdStartTimes;
  readonly wallMs: number;
}

function summarizeSamples(samples: readonly Sample[]): ColdStartResult {
  return {
    answered: summarize(samples.map(({ times }) => times.answeredMs)),
    imported: summarize(samples.map(({ times }) => times.importedMs)),
    importAndFirstAnswer: summarize(samples.map(({ times }) => times.answeredMs - times.scriptStartMs)),
    wall: summarize(samples.map(({ wallMs }) => wallMs)),
    answeredSamples: samples.map(({ times }) => times.answeredMs),
  };
}

/**
 * Cold starts: for each run, a fresh Node process per scenario and callback kind, one after another.
 * The scenarios take turns rather than running in blocks, so drift on a shared machine spreads over
 * all of them alike; the first round only warms the file cache and is left out.
 */
export async function measureColdStarts(options: ColdStartOptions): Promise<{ results: ColdStartResults; afterEventsStored: number }> {
  const { scenarios, runs } = options;
  const cases = scenarios.flatMap(({ bundle, kinds }) => kinds.map((kind) => ({ bundle, kind, samples: [] as Sample[] })));
  const total = (runs + 1) * cases.length;
  let done = 0;
  let afterEventsStored = 0;
  const runTag = Date.now().toString(36);

  for (let run = 0; run <= runs; run++) {
    for (const { bundle, kind, samples } of cases) {
      const plan: ColdStartPlan = {
        handlerUrl: pathToFileURL(bundle.runFile).href,
        kind,
        sdkAppId: options.sdkAppId,
        delivery: `${runTag}-${bundle.name}-${run}`,
      };
      const { value, wallMs } = await runJsonChild<ColdStartTimes>(options.childScript, [JSON.stringify(plan)], {
        ...options.env,
        // Lambda's /var/task: the X-Ray SDK takes it as the sign that it runs in Lambda.
        LAMBDA_TASK_ROOT: dirname(bundle.runFile),
      });
      if (kind === 'after' && bundle.storesEvents) afterEventsStored++;
      if (run > 0) samples.push({ times: value, wallMs });
      options.onProgress?.(++done, total);
    }
  }

  const results: ColdStartResults = {};
  for (const { bundle, kind, samples } of cases) results[bundle.name] = { ...results[bundle.name], [kind]: summarizeSamples(samples) };
  return { results, afterEventsStored };
}
