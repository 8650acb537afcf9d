import type { Policy, Rule } from './policy-schema.ts';

export interface Decision {
  /** 0 allows; 1 or 10100–10200 refuses (protocol.md §4). */
  readonly code: number;
  readonly info: string;
}

export const allow: Decision = { code: 0, info: '' };

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

export type Decide = (command: string, body: Body) => Decision;

/** Compiles the rules once (regular expressions included), so a decision is a few lookups. */
export function compilePolicy(policy: Policy): Decide {
  const rulesByCommand = new Map<string, { refuses: (body: Body) => boolean; decision: Decision }[]>();
  for (const rule of policy.rules) {
    const compiled = { refuses: compileRule(rule), decision: { code: rule.refuse.code, info: rule.refuse.info } };
    rulesByCommand.set(rule.command, [...(rulesByCommand.get(rule.command) ?? []), compiled]);
  }
  return function decide(command, body) {
    const refusal = rulesByCommand.get(command)?.find((rule) => rule.refuses(body));
    return refusal ? refusal.decision : allow;
  };
}
