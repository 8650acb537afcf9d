import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child-process.ts';
import { maskRuleCount, messageBytes, wordCount } from './policy-decision-input.ts';
import { type Summary, summarize } from './stats.ts';

/**
 * The policy's share of a before-callback (issue 9, "Speed"): a decision for a 2 KB message against
 * a 10,000-word list beside one NFKC + case-fold pass over the same text (foldText, what any
 * decision must do at least), and what compiling that list adds to a cold start; and the same
 * words as 1,000 mask rules (issue 17), which share one automaton and so should cost the same. Each run is a fresh
 * process (policy-decision-child.ts): its compile is a cold one, as in a new Lambda instance.
 */

export interface PolicyDecisionOptions {
  /** Fresh processes. */
  readonly runs: number;
  /** Timed decisions per process, after `warmup` untimed ones. */
  readonly iterations: number;
  readonly warmup: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface PolicyDecisionResult {
  readonly words: number;
  readonly messageBytes: number;
  /** Validating the policy (PolicySchema), cold, ms. */
  readonly parseMs: Summary;
  /** compilePolicy, cold, ms: wall time, and the CPU time of the process meanwhile (V8's threads included). */
  readonly compileMs: Summary;
  readonly compileCpuMs: Summary;
  /** The first decision after the compile, ms: the lazily built transitions it pays for. */
  readonly firstDecisionMs: Summary;
  /** Warm decisions, µs, every process's samples together. */
  readonly decisionUs: Summary;
  /** One fold pass over the message, µs, interleaved with the decisions. */
  readonly foldUs: Summary;
  /** The same words as this many mask rules of 10 words each. */
  readonly maskRules: number;
  /** Warm decisions of those mask rules, µs, and the fold pass beside them. */
  readonly maskRulesUs: Summary;
  readonly maskRulesFoldUs: Summary;
}

interface ChildTimes {
  readonly parseMs: number;
  readonly compileMs: number;
  readonly compileCpuMs: number;
  readonly firstDecisionMs: number;
  readonly decisionUs: number[];
  readonly foldUs: number[];
  readonly maskRulesUs: number[];
  readonly maskRulesFoldUs: number[];
}

const childScript = fileURLToPath(new URL('policy-decision-child.ts', import.meta.url));

export async function measurePolicyDecision({ runs, iterations, warmup, onProgress }: PolicyDecisionOptions): Promise<PolicyDecisionResult> {
  const results: ChildTimes[] = [];
  for (let run = 0; run < runs; run++) {
    const { value } = await runJsonChild<ChildTimes>(childScript, [String(iterations), String(warmup)], { PATH: process.env.PATH ?? '/usr/bin:/bin' });
    results.push(value);
    onProgress?.(run + 1, runs);
  }
  return {
    words: wordCount,
    messageBytes,
    parseMs: summarize(results.map((result) => result.parseMs)),
    compileMs: summarize(results.map((result) => result.compileMs)),
    compileCpuMs: summarize(results.map((result) => result.compileCpuMs)),
    firstDecisionMs: summarize(results.map((result) => result.firstDecisionMs)),
    decisionUs: summarize(results.flatMap((result) => result.decisionUs)),
    foldUs: summarize(results.flatMap((result) => result.foldUs)),
    maskRules: maskRuleCount,
    maskRulesUs: summarize(results.flatMap((result) => result.maskRulesUs)),
    maskRulesFoldUs: summarize(results.flatMap((result) => result.maskRulesFoldUs)),
  };
}
