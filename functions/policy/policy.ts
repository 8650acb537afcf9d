import type { Body, CommandDefinition } from '../commands/definition.ts';
import { type PathStep, parsePath, somePath } from '../commands/field-path.ts';
import { type ActingDecision, allow, type Decision, type RuleRef, type ShadowHit } from './decision.ts';
import { DecisionClock, defaultDeadlineMs, PastDeadline } from './decision-clock.ts';
import { compileMatchers, type ValueMatcher } from './matchers.ts';
import { measuredCostPerKb, type TrialTimes } from './pattern-cost.ts';
import { defaultRateBudgetMs, type PolicyCounters } from './policy-counters.ts';
import { commandsOf, type Policy, type Rule, ruleIdOf } from './policy-schema.ts';
import { PolicyWords, type WordCounts } from './policy-words.ts';
import { fillTemplate } from './reply-template.ts';
import { ruleDimension } from './rule-dimension.ts';
import { type CompiledRule, decideForCommand } from './rule-plan.ts';
import { ruleSummary } from './rule-summary.ts';
import { type CounterState, decideWithCounters, noCounterState, type StatefulRule, statefulPlan } from './stateful-rules.ts';

export { allow, type Decision } from './decision.ts';

/** A before-callback's decision: the definition says how the command may be answered. With counters, it may wait on them (within `rateBudgetMs`). */
export type Decide = (definition: CommandDefinition, body: Body) => Decision | Promise<Decision>;

/**
 * A compiled policy. Called as a function it decides at once, without counters (a rate or repeat
 * rule then matches only as `state` says: tests, the bench); `decide` reads and writes the counters
 * when the command has such rules; `reply` is an after-callback's reply, when a rule gives one.
 */
export interface CompiledPolicy {
  (definition: CommandDefinition, body: Body, state?: CounterState): Decision;
  readonly decide: Decide;
  /** The acknowledgement's reply fields for an after-callback that declares `replies`, or `undefined`: no rule replied. */
  readonly reply: (definition: CommandDefinition, body: Body) => Readonly<Record<string, string>> | undefined;
  /** What the word automaton has done (tests, bench). */
  readonly words: () => WordCounts;
  /** The rules by place, as decisions name them. */
  readonly rules: readonly RuleRef[];
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
  /** Where rate and repeat rules count (policy-counters.ts). Default: none, so such rules never match. */
  readonly counters?: PolicyCounters;
  /** How long the counters may take per decision, ms (`rateBudgetMs`). Default: 50. */
  readonly rateBudgetMs?: number;
  /** The time counters' windows and penalties are on, epoch ms. Default: `Date.now`. */
  readonly wallClock?: () => number;
}

/** A rule with no `field` (only `rate`): it looks at no value, so its field always matches. */
const anyBody: ValueMatcher = { matches: () => true, matchesValue: () => true, ranges: () => [] };

/** The rules a decision names, as refs: the one that decided, or those that changed the answer. */
function decidingRules(decision: ActingDecision): readonly number[] {
  switch (decision.action) {
    case 'refuse':
    case 'drop':
      return [decision.rule];
    case 'rewrite':
    case 'refuseMembers':
    case 'perItem':
      return decision.rules;
    case 'allow':
    case 'timedOut':
      return [];
  }
}

/** A repeat offender's penalty (`after.then`), in the rule's name. */
function penaltyOf(rule: Rule, index: number): ActingDecision {
  const then = rule.after!.then;
  return then.refuse === undefined ? { action: 'drop', rule: index } : { action: 'refuse', code: then.refuse.code, info: then.refuse.info, rule: index };
}

/** What one command's rules compile to, made the first time the command is decided. */
interface CommandPlan {
  readonly acting: (body: Body) => Decision;
  readonly shadows: readonly { readonly ref: RuleRef; readonly rule: Rule; readonly plan: (body: Body) => Decision }[];
  /** Acting rules with an `after`, in rule order: the first whose subject is a repeat offender answers. */
  readonly penalties: readonly { readonly index: number; readonly rule: Rule }[];
  readonly stateful: ReturnType<typeof statefulPlan>;
  /** Every rule of the command, acting and shadow, as metric dimensions. */
  readonly evaluated: readonly string[];
}

/**
 * Compiles the rules once (patterns; every `containsAny`, the rules' and their exemptions', into one
 * automaton, policy-words.ts), grouped by command. How a command's rules combine (per item, members,
 * masks) depends on its definition's answers, which the decision reads: the plan for a definition is
 * made the first time it is decided and kept. A decision past its deadline stops where it is and
 * answers the command's `onTimeout` (or allow), naming the rule it had reached.
 *
 * Shadow rules (`mode: "shadow"`) are each decided alone after the acting rules, on what is left of
 * the deadline: what they would have done is noted on the decision, never answered, and one that
 * would pass the deadline is skipped and counted rather than turning the answer into a timeout.
 */
export function compilePolicy(policy: Policy, options: PolicyOptions = {}): CompiledPolicy {
  const {
    deadlineMs = defaultDeadlineMs,
    now = () => performance.now(),
    patternCost = measuredCostPerKb,
    counters,
    rateBudgetMs = defaultRateBudgetMs,
    wallClock = Date.now,
  } = options;
  const clock = new DecisionClock(now, deadlineMs);
  const refs: RuleRef[] = policy.rules.map((rule, index) => {
    const id = ruleIdOf(rule, index);
    return { id, index, dimension: ruleDimension(id, index), rule: ruleSummary(rule) };
  });

  // Every word list, a rule's and its exemptions', in one automaton: keyed `3` and `3.0`, `3.1`….
  const listed = policy.rules.flatMap((rule, index) => [
    ...(rule.containsAny === undefined ? [] : [{ key: `${index}`, words: rule.containsAny }]),
    ...(rule.unless ?? []).flatMap((exemption, entry) =>
      exemption.containsAny === undefined ? [] : [{ key: `${index}.${entry}`, words: exemption.containsAny }],
    ),
  ]);
  const words = new PolicyWords(
    listed.map((list) => list.words),
    clock,
  );
  const listOf = new Map(listed.map(({ key }, list) => [key, list]));
  const context = (key: string) => ({ clock, words, list: listOf.get(key), patternCost });

  // The counters' answers for the decision under way: decisions are synchronous, so one is enough.
  let counterState: CounterState = noCounterState;

  const acting = new Map<string, CompiledRule[]>();
  const shadow = new Map<string, CompiledRule[]>();
  const stateful = new Map<string, StatefulRule[]>();
  const add = <T>(into: Map<string, T[]>, command: string, item: T) => into.set(command, [...(into.get(command) ?? []), item]);
  policy.rules.forEach((rule, index) => {
    const steps: PathStep[] = rule.field === undefined ? [] : (parsePath(rule.field) ?? []);
    const matcher = rule.field === undefined ? anyBody : compileMatchers(rule, context(`${index}`));
    const exemptions = (rule.unless ?? []).map((exemption, entry) => ({
      steps: parsePath(exemption.field) ?? [],
      matcher: compileMatchers(exemption, context(`${index}.${entry}`)),
    }));
    const exempt = (body: Body) => exemptions.some(({ steps: at, matcher: exemption }) => somePath(body, at, exemption.matchesValue));
    const gate =
      exemptions.length === 0 && rule.rate === undefined
        ? undefined
        : (body: Body) => (rule.rate === undefined || counterState.exceeded.has(index)) && !exempt(body);
    const compiled: CompiledRule = { index, rule, steps, matcher, ...(gate === undefined ? {} : { gate }) };
    for (const command of commandsOf(rule)) {
      add(rule.mode === 'shadow' ? shadow : acting, command, compiled);
      if (rule.rate !== undefined || rule.after !== undefined) {
        add(stateful, command, { index, id: refs[index]!.id, rule, counts: (body) => somePath(body, steps, matcher.matchesValue) && !exempt(body) });
      }
    }
  });

  const plans = new WeakMap<CommandDefinition, CommandPlan>();
  const planFor = (definition: CommandDefinition): CommandPlan => {
    let plan = plans.get(definition);
    if (plan === undefined) {
      const { command } = definition;
      const rules = acting.get(command) ?? [];
      const shadows = shadow.get(command) ?? [];
      plan = {
        acting: rules.length === 0 ? () => allow : decideForCommand(definition, rules, clock, words),
        shadows: shadows.map((compiled) => ({ ref: refs[compiled.index]!, rule: compiled.rule, plan: decideForCommand(definition, [compiled], clock, words) })),
        penalties: rules.filter(({ rule }) => rule.after !== undefined).map(({ index, rule }) => ({ index, rule })),
        stateful: statefulPlan(definition, stateful.get(command) ?? []),
        evaluated: [...rules, ...shadows].sort((a, b) => a.index - b.index).map(({ index }) => refs[index]!.dimension),
      };
      plans.set(definition, plan);
    }
    return plan;
  };

  const decideNow = (definition: CommandDefinition, body: Body, state: CounterState = noCounterState): Decision => {
    const plan = planFor(definition);
    if (plan.evaluated.length === 0) return allow;
    counterState = state;
    clock.start();
    try {
      let decision: Decision;
      const penalty = plan.penalties.find(({ index }) => state.penalized.has(index));
      if (penalty !== undefined) decision = { ...penaltyOf(penalty.rule, penalty.index), penalty: true };
      else {
        try {
          decision = plan.acting(body);
        } catch (error) {
          if (!(error instanceof PastDeadline)) throw error;
          decision = { action: 'timedOut', rule: clock.rule, answer: policy.onTimeout?.[definition.command] ?? 'allow' };
        }
      }
      const hits: ShadowHit[] = [];
      let skipped = 0;
      for (const { ref, rule, plan: alone } of plan.shadows) {
        if (decision.action === 'timedOut') {
          skipped++;
          continue;
        }
        if (rule.after !== undefined && state.penalized.has(ref.index)) {
          hits.push({ rule: ref, would: penaltyOf(rule, ref.index) });
          continue;
        }
        try {
          const would = alone(body);
          if (would.action !== 'allow') hits.push({ rule: ref, would });
        } catch (error) {
          if (!(error instanceof PastDeadline)) throw error;
          skipped++;
        }
      }
      const matched = decidingRules(decision).map((index) => refs[index]!);
      return {
        ...decision,
        evaluated: plan.evaluated,
        ...(matched.length > 0 ? { matched } : {}),
        ...(hits.length > 0 ? { shadow: hits } : {}),
        ...(skipped > 0 ? { shadowSkipped: skipped } : {}),
      };
    } finally {
      words.clear();
      counterState = noCounterState;
    }
  };

  /** The stateful rules that count this body: their field matched and no exemption did. */
  const countingRules = (plan: CommandPlan) => (body: Body) => {
    const counting = new Set<number>();
    clock.start();
    try {
      for (const rule of plan.stateful) if (rule.counts(body)) counting.add(rule.index);
    } catch (error) {
      // Out of time already: the decision itself will say so; nothing more is counted.
      if (!(error instanceof PastDeadline)) throw error;
    } finally {
      words.clear();
    }
    return counting;
  };

  const decide: Decide = (definition, body) => {
    const plan = planFor(definition);
    if (plan.stateful.length === 0 || counters === undefined) return decideNow(definition, body);
    return decideWithCounters(plan.stateful, body, { counters, budgetMs: rateBudgetMs, at: wallClock() }, countingRules(plan), (state) =>
      decideNow(definition, body, state),
    );
  };

  const reply = (definition: CommandDefinition, body: Body) => {
    const field = definition.replies?.answerField;
    const rules = acting.get(definition.command);
    if (field === undefined || rules === undefined) return undefined;
    clock.start();
    try {
      const replying = rules.find((compiled) => somePath(body, compiled.steps, compiled.matcher.matchesValue) && (compiled.gate?.(body) ?? true));
      return replying === undefined ? undefined : { [field]: fillTemplate(replying.rule.reply!, body) };
    } catch (error) {
      // A reply past the deadline is the default one: the event is stored all the same.
      if (!(error instanceof PastDeadline)) throw error;
      return undefined;
    } finally {
      words.clear();
    }
  };

  return Object.assign(decideNow, { decide, reply, words: () => words.counts, rules: refs });
}
