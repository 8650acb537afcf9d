import type { Body, CommandDefinition } from '../commands/definition.ts';
import { parsePath, type PathStep } from '../commands/field-path.ts';
import { allow, type Decision } from './decision.ts';
import { compileMatchers, type ValueMatcher } from './matchers.ts';
import { commandsOf, type Policy, type Rule } from './policy-schema.ts';
import { decideForCommand } from './rule-plan.ts';

export { allow, type Decision } from './decision.ts';

/** A before-callback's decision: the definition says how the command may be answered. */
export type Decide = (definition: CommandDefinition, body: Body) => Decision;

/** A rule once compiled: its place in the policy, its path and matchers, its action. */
export interface CompiledRule {
  readonly index: number;
  readonly rule: Rule;
  readonly steps: readonly PathStep[];
  readonly matcher: ValueMatcher;
}

/**
 * Compiles the rules once (patterns, word lists), grouped by command. How a command's rules combine
 * (per item, members, masks) depends on its definition's answers, which the decision reads: the plan
 * for a definition is made the first time it is decided and kept.
 */
export function compilePolicy(policy: Policy): Decide {
  const byCommand = new Map<string, CompiledRule[]>();
  policy.rules.forEach((rule, index) => {
    const compiled: CompiledRule = { index, rule, steps: parsePath(rule.field) ?? [], matcher: compileMatchers(rule) };
    for (const command of commandsOf(rule)) byCommand.set(command, [...(byCommand.get(command) ?? []), compiled]);
  });
  const plans = new WeakMap<CommandDefinition, (body: Body) => Decision>();
  return function decide(definition, body) {
    let plan = plans.get(definition);
    if (plan === undefined) {
      const rules = byCommand.get(definition.command);
      plan = rules === undefined ? () => allow : decideForCommand(definition, rules);
      plans.set(definition, plan);
    }
    return plan(body);
  };
}
