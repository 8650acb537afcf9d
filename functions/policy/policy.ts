import type { Policy, Rule } from './policy-schema.ts';

import type { Body as DefinitionBody, CommandDefinition } from '../commands/definition.ts';
import { allow, type Decision } from './decision.ts';

type Body = Readonly<Record<string, unknown>>;
type Matcher = (value: string) => boolean;

/**
 * Only strings and numbers are compared: an absent field, or an object where a string was expected,
 * matches nothing, so a rule never refuses on data it cannot read (Tencent's own default is to allow).
 */
const comparable = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function compileRule(rule: Rule): (body: Body) => boolean {
  const matchers: Matcher[] = [];
  if (rule.in) {
    const refused = new Set(rule.in);
    matchers.push((value) => refused.has(value));
  }
  if (rule.notIn) {
    const allowed = new Set(rule.notIn);
    matchers.push((value) => !allowed.has(value));
  }
  if (rule.maxLength !== undefined) {
    const maxLength = rule.maxLength;
    matchers.push((value) => [...value].length > maxLength);
  }
  if (rule.pattern !== undefined) {
    const pattern = new RegExp(rule.pattern, 'u');
    matchers.push((value) => pattern.test(value));
  }
  return function ruleRefuses(body) {
    const value = comparable(body[rule.field]);
    return value !== undefined && matchers.every((matches) => matches(value));
  };
}

export type Decide = (definition: CommandDefinition, body: DefinitionBody) => Decision;

/** Compiles the rules once (regular expressions included), so a decision is a few lookups. */
export function compilePolicy(policy: Policy): Decide {
  const rulesByCommand = new Map<string, { refuses: (body: Body) => boolean; decision: Decision }[]>();
  for (const rule of policy.rules) {
    const compiled = { refuses: compileRule(rule), decision: { action: 'refuse', code: rule.refuse.code, info: rule.refuse.info, rule: policy.rules.indexOf(rule) } as const };
    rulesByCommand.set(rule.command, [...(rulesByCommand.get(rule.command) ?? []), compiled]);
  }
  return function decide(definition, body) {
    const refusal = rulesByCommand.get(definition.command)?.find((rule) => rule.refuses(body));
    return refusal ? refusal.decision : allow;
  };
}

/** Interim: the first edition's answers (allow or refuse); the second edition replaces this. */
export function answerFor(_definition: CommandDefinition, _body: DefinitionBody, decision: Decision): Record<string, unknown> {
  return decision.action === 'refuse'
    ? { ActionStatus: 'OK', ErrorCode: decision.code, ErrorInfo: decision.info }
    : { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };
}
