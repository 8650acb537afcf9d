import type { Body, CommandDefinition } from '../commands/definition.ts';
import { parsePath } from '../commands/field-path.ts';
import { allow, type Decision } from './decision.ts';
import { DecisionClock, defaultDeadlineMs, PastDeadline } from './decision-clock.ts';
import { compileMatchers } from './matchers.ts';
import { measuredCostPerKb, type TrialTimes } from './pattern-cost.ts';
import { commandsOf, type Policy } from './policy-schema.ts';
import { PolicyWords, type WordCounts } from './policy-words.ts';
import { type CompiledRule, decideForCommand } from './rule-plan.ts';

export { allow, type Decision } from './decision.ts';

/** A before-callback's decision: the definition says how the command may be answered. */
export type Decide = (definition: CommandDefinition, body: Body) => Decision;

/** A compiled policy: its decision, and what its word automaton has done (tests, bench). */
export interface CompiledPolicy extends Decide {
  readonly words: () => WordCounts;
}

export interface PolicyOptions {
  /** How long a decision may take, ms (`policyDeadlineMs`). Default: 100. */
  readonly deadlineMs?: number;
  /** The clock, ms. Default: `performance.now`. */
  readonly now?: () => number;
  /**
   * What a pattern costs per KB of text, to test and to find. Default: its load-time trial on this
   * machine (pattern-cost.ts); tests give their own, since no outcome may depend on machine speed.
   */
  readonly patternCost?: (pattern: string) => TrialTimes;
}

/**
 * Compiles the rules once (patterns; every `containsAny` into one automaton, policy-words.ts),
 * grouped by command. How a command's rules combine (per item, members, masks) depends on its
 * definition's answers, which the decision reads: the plan for a definition is made the first time
 * it is decided and kept. A decision past its deadline stops where it is and answers the command's
 * `onTimeout` (or allow), naming the rule it had reached.
 */
export function compilePolicy(policy: Policy, options: PolicyOptions = {}): CompiledPolicy {
  const { deadlineMs = defaultDeadlineMs, now = () => performance.now(), patternCost = measuredCostPerKb } = options;
  const clock = new DecisionClock(now, deadlineMs);
  const listed = policy.rules.flatMap((rule, index) => (rule.containsAny === undefined ? [] : [{ index, words: rule.containsAny }]));
  const words = new PolicyWords(
    listed.map((list) => list.words),
    clock,
  );
  const listOf = new Map(listed.map(({ index }, list) => [index, list]));

  const byCommand = new Map<string, CompiledRule[]>();
  policy.rules.forEach((rule, index) => {
    const matcher = compileMatchers(rule, { clock, words, list: listOf.get(index), patternCost });
    const compiled: CompiledRule = { index, rule, steps: parsePath(rule.field) ?? [], matcher };
    for (const command of commandsOf(rule)) byCommand.set(command, [...(byCommand.get(command) ?? []), compiled]);
  });
  const plans = new WeakMap<CommandDefinition, (body: Body) => Decision>();
  const decide = (definition: CommandDefinition, body: Body): Decision => {
    let plan = plans.get(definition);
    if (plan === undefined) {
      const rules = byCommand.get(definition.command);
      plan = rules === undefined ? () => allow : decideForCommand(definition, rules, clock, words);
      plans.set(definition, plan);
    }
    clock.start();
    try {
      return plan(body);
    } catch (error) {
      if (!(error instanceof PastDeadline)) throw error;
      return { action: 'timedOut', rule: clock.rule, answer: policy.onTimeout?.[definition.command] ?? 'allow' };
    } finally {
      words.clear();
    }
  };
  return Object.assign(decide, { words: () => words.counts });
}
