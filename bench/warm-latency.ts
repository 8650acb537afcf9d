import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundle.ts';
import { LOGGED_INVOCATIONS } from './callbacks.ts';
import { runJsonChild } from './child-process.ts';
import type { WarmLatencyPlan, WarmLatencyTimes } from './warm-latency-child.ts';

export interface WarmLatencyOptions {
  readonly bundles: readonly Bundle[];
  readonly iterations: number;
  readonly warmup: number;
  readonly childScript: string;
  readonly env: Record<string, string>;
  readonly sdkAppId: string;
}

/** By bundle name. */
export type WarmLatencyResults = Record<string, WarmLatencyTimes>;

/**
 * Warm latency: one process per bundle, run one after another so they never compete for the CPU.
 * Every invocation of a real handler's after-callback is stored.
 */
export async function measureWarmLatency(options: WarmLatencyOptions): Promise<{ results: WarmLatencyResults; afterEventsStored: number }> {
  const results: WarmLatencyResults = {};
  let afterEventsStored = 0;
  for (const bundle of options.bundles) {
    const plan: WarmLatencyPlan = {
      handlerUrl: pathToFileURL(bundle.runFile).href,
      sdkAppId: options.sdkAppId,
      warmup: options.warmup,
      iterations: options.iterations,
      delivery: `${Date.now().toString(36)}-${bundle.name}`,
    };
    const { value } = await runJsonChild<WarmLatencyTimes>(options.childScript, [JSON.stringify(plan)], {
      ...options.env,
      // Lambda's /var/task: the X-Ray SDK takes it as the sign that it runs in Lambda.
      LAMBDA_TASK_ROOT: dirname(bundle.runFile),
    });
    results[bundle.name] = value;
    if (bundle.storesEvents) afterEventsStored += options.warmup + options.iterations + LOGGED_INVOCATIONS;
  }
  return { results, afterEventsStored };
}
