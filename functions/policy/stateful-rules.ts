import type { Body, CommandDefinition } from '../commands/definition.ts';
import { type PathStep, parsePath, readPath } from '../commands/field-path.ts';
import { comparable } from './comparable.ts';
import type { Decision } from './decision.ts';
import { durationMs } from './duration.ts';
import { CounterBudget, type PolicyCounters } from './policy-counters.ts';
import type { Rule } from './policy-schema.ts';
import { repeatSubjectOf } from './rule-checks.ts';

/**
 * Rate and repeat-offender rules (docs/policy.md#rate-rules): what they need from the counters is read
 * before the decision, which stays synchronous, and the refusals they count are written after it,
 * all under one budget per decision (`rateBudgetMs`). A counter that misses its budget or fails
 * makes its rule not match and is counted (`counterMisses`): a rate rule never stalls an answer and
 * never fails one.
 */

/** What the counters said for one decision: the rate rules past their limit, the rules whose subject is a repeat offender. */
export interface CounterState {
  readonly exceeded: ReadonlySet<number>;
  readonly penalized: ReadonlySet<number>;
}

export const noCounterState: CounterState = { exceeded: new Set(), penalized: new Set() };

/** A rule with a `rate` or an `after`, as a command's decision sees it. */
export interface StatefulRule {
  readonly index: number;
  readonly id: string;
  readonly rule: Rule;
  /** Whether the body is one the rule counts: its field matched and no `unless` did (evaluated on the decision's clock). */
  readonly counts: (body: Body) => boolean;
}

const firstValue = (body: Body, steps: readonly PathStep[] | undefined) =>
  steps === undefined
    ? undefined
    : readPath(body, steps)
        .map(comparable)
        .find((text) => text !== undefined && text !== '');

/** The stateful rules of a command, with their subjects' paths worked out once. */
export function statefulPlan(definition: CommandDefinition, rules: readonly StatefulRule[]) {
  return rules.map((stateful) => {
    const { rule } = stateful;
    const repeatPer = rule.after === undefined ? undefined : repeatSubjectOf(rule, definition);
    return {
      ...stateful,
      ratePer: rule.rate === undefined ? undefined : parsePath(rule.rate.per),
      rateWindowMs: rule.rate === undefined ? 0 : durationMs(rule.rate.window)!,
      repeatPer: repeatPer === undefined ? undefined : parsePath(repeatPer),
      repeatWindowMs: rule.after === undefined ? 0 : durationMs(rule.after.window)!,
      penaltyMs: rule.after === undefined ? 0 : durationMs(rule.after.then.for)!,
    };
  });
}

export type StatefulPlan = ReturnType<typeof statefulPlan>;

export interface CounterRound {
  readonly counters: PolicyCounters;
  readonly budgetMs: number;
  /** Epoch ms: which window a request falls in, whether a penalty still runs. */
  readonly at: number;
}

/**
 * A decision with counters: the rate rules that count this body are counted and the repeat
 * offenders looked up, at once; then the synchronous decision; then the refusals of the rules with
 * an `after` that refused (acting or shadow) are counted, and a subject refused `refusals` times is
 * punished for `then.for`. What misses the budget is counted on the decision.
 */
export async function decideWithCounters(
  plan: StatefulPlan,
  body: Body,
  round: CounterRound,
  eligible: (body: Body) => ReadonlySet<number>,
  decide: (state: CounterState) => Decision,
): Promise<Decision> {
  const { counters, at } = round;
  const budget = new CounterBudget(round.budgetMs);
  let misses = 0;
  const missed = () => {
    misses++;
  };
  try {
    const counting = eligible(body);
    const exceeded = new Set<number>();
    const penalized = new Set<number>();
    const reads: Promise<void>[] = [];
    for (const rule of plan) {
      const rate = rule.rule.rate;
      const rateSubject = rate === undefined || !counting.has(rule.index) ? undefined : firstValue(body, rule.ratePer);
      if (rate !== undefined && rateSubject !== undefined) {
        const limit = rate.limit;
        const request = { kind: 'rate' as const, rule: rule.id, subject: rateSubject, windowMs: rule.rateWindowMs, limit, shards: rate.shards ?? 1, at };
        reads.push(
          budget
            .run((signal) => counters.count(request, signal))
            .then((count) => {
              if (count > limit) exceeded.add(rule.index);
            }, missed),
        );
      }
      const repeatSubject = rule.rule.after === undefined ? undefined : firstValue(body, rule.repeatPer);
      if (repeatSubject !== undefined) {
        reads.push(
          budget
            .run((signal) => counters.penaltyUntil({ rule: rule.id, subject: repeatSubject }, signal))
            .then((until) => {
              if (until !== undefined && until > at) penalized.add(rule.index);
            }, missed),
        );
      }
    }
    await Promise.all(reads);
    const decision = decide({ exceeded, penalized });

    // The refusals a repeat rule counts: its own (not a penalty's), acting or shadow.
    const refusedBy = new Set<number>();
    if (!decision.penalty && (decision.action === 'refuse' || decision.action === 'drop')) refusedBy.add(decision.rule);
    for (const hit of decision.shadow ?? []) {
      if ((hit.would.action === 'refuse' || hit.would.action === 'drop') && !penalized.has(hit.rule.index)) refusedBy.add(hit.rule.index);
    }
    const writes: Promise<void>[] = [];
    for (const rule of plan) {
      const after = rule.rule.after;
      const subject = after === undefined || !refusedBy.has(rule.index) ? undefined : firstValue(body, rule.repeatPer);
      if (after === undefined || subject === undefined) continue;
      const request = { kind: 'refusals' as const, rule: rule.id, subject, windowMs: rule.repeatWindowMs, limit: after.refusals, at };
      writes.push(
        budget
          .run(async (signal) => {
            const refusals = await counters.count(request, signal);
            if (refusals >= after.refusals) await counters.punish({ rule: rule.id, subject, until: at + rule.penaltyMs }, signal);
          })
          .catch(missed),
      );
    }
    await Promise.all(writes);
    return misses === 0 ? decision : { ...decision, counterMisses: misses };
  } finally {
    budget.end();
  }
}
