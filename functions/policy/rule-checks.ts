import type { CodeRange, CommandDefinition } from '../commands/definition.ts';
import { formatPath, type PathStep, parsePath, stepsWithin } from '../commands/field-path.ts';
import { templateFields } from './reply-template.ts';
import { checkSchemaPath } from './schema-path.ts';

/**
 * What a rule may ask of a command, checked when the policy loads against the command's definition:
 * the field must be in its schema, the action among the answers it declares, a refusal code in its
 * family's range. Nothing here knows a command by name: all of it is read from the definition.
 */

/** The matchers that find what a mask replaces (the others only say whether a text is masked). */
export const maskFinders = ['containsAny', 'pattern'] as const;

/** The parts of a rule these checks read. */
export interface CheckedRule {
  readonly field?: string;
  readonly unless?: readonly { readonly field: string }[];
  readonly rate?: { readonly per: string };
  readonly after?: { readonly per?: string; readonly then: { readonly refuse?: { readonly code: number }; readonly drop?: true } };
  readonly reply?: string;
  readonly mode?: string;
  readonly containsAny?: readonly string[];
  readonly pattern?: string;
  readonly refuse?: { readonly code: number };
  readonly drop?: true;
  readonly mask?: string;
  readonly refuseMembers?: true;
}

export interface RuleProblem {
  /** The rule's key the problem is about, for the path (`rules.0.refuse.code`). */
  readonly at: readonly (string | number)[];
  readonly message: string;
}

/** `1 (the client gets 10016) or 10100–10200` */
export function formatCodes(ranges: readonly CodeRange[], refusedClientError?: number): string {
  const single = (code: number) => (code === 1 && refusedClientError !== undefined ? `1 (the client gets ${refusedClientError})` : String(code));
  const parts = ranges.map(({ min, max }) => (min === max ? single(min) : `${min}–${max}`));
  return parts.length <= 1 ? (parts[0] ?? 'none') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

const withinCodes = (code: number, ranges: readonly CodeRange[]) => ranges.some(({ min, max }) => code >= min && code <= max);

/** Why a command cannot give this refusal, the same words for a rule's `refuse` and an `onTimeout`'s. */
function refusalProblems(code: number, definition: CommandDefinition): RuleProblem[] {
  const { command } = definition;
  const answers = definition.answers ?? { refusalCodes: [] };
  if (answers.refusalCodes.length === 0) return [{ at: ['refuse'], message: `${command} cannot be refused` }];
  if (!withinCodes(code, answers.refusalCodes)) {
    return [
      { at: ['refuse', 'code'], message: `refuse.code must be ${formatCodes(answers.refusalCodes, answers.refusedClientError)} for ${command}, not ${code}` },
    ];
  }
  return [];
}

/** What a command's `onTimeout` may answer: allow, or a refusal its definition accepts. */
export function timeoutAnswerProblems(answer: 'allow' | { readonly refuse: { readonly code: number } }, definition: CommandDefinition): RuleProblem[] {
  return answer === 'allow' ? [] : refusalProblems(answer.refuse.code, definition);
}

/** The list steps of a path (up to its last `[]`) and the steps inside each element. */
export function splitList(path: string): { list: PathStep[]; inside: PathStep[] } {
  const steps = parsePath(path) ?? [];
  const last = steps.findLastIndex((step) => step.each);
  return { list: steps.slice(0, last + 1), inside: steps.slice(last + 1) };
}

/** A per-item command's list, as steps ending in `[]`. */
export function perItemList(list: string): PathStep[] {
  const steps = parsePath(list) ?? [];
  const last = steps.at(-1);
  return last === undefined || last.each ? steps : [...steps.slice(0, -1), { key: last.key, each: true }];
}

/** Which commands of `among` can take an action, for telling the operator where it does apply. */
const able = (among: readonly CommandDefinition[], can: (definition: CommandDefinition) => boolean) =>
  among
    .filter(can)
    .map((definition) => definition.command)
    .join(', ') || 'none';

/** Why a path of a rule (its `field`, an `unless` field, `rate.per`…) is not one the command's body has. */
function pathProblems(path: string, at: readonly (string | number)[], definition: CommandDefinition, name = 'field'): RuleProblem[] {
  const { command } = definition;
  const steps = parsePath(path);
  if (steps === undefined) return [{ at, message: `${name} ${JSON.stringify(path)} is not a path such as Name or MsgBody[].MsgContent.Text` }];
  switch (checkSchemaPath(definition.schema, steps)) {
    case 'missing':
      return [{ at, message: `${name} ${JSON.stringify(path)} is not in ${command}'s body` }];
    case 'not-comparable':
      return [
        {
          at,
          message: `${name} ${JSON.stringify(path)} of ${command} is a list or an object: rules compare strings and numbers, e.g. ${path}[] or a field inside`,
        },
      ];
    case 'ok':
      return [];
  }
}

/**
 * Whose refusals an `after` counts: its `per`, else the account of the command's actor (its
 * definition's `subjects.actor` role: a message's sender, a request's operator), at the role's first
 * path when Tencent's pages spell it more than one way.
 */
export function repeatSubjectOf(rule: Pick<CheckedRule, 'after'>, definition: CommandDefinition): string | undefined {
  if (rule.after?.per !== undefined) return rule.after.per;
  const { actor, accounts } = definition.subjects;
  const paths = actor === undefined ? undefined : accounts[actor];
  return typeof paths === 'string' ? paths : paths?.[0];
}

export function ruleProblems(rule: CheckedRule, definition: CommandDefinition, among: readonly CommandDefinition[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const { command } = definition;
  const answers = definition.answers ?? { refusalCodes: [] };
  if (rule.reply !== undefined || definition.replies !== undefined) return replyProblems(rule, definition, among);
  const steps = rule.field === undefined ? [] : parsePath(rule.field);
  if (steps === undefined) return [{ at: ['field'], message: `field ${JSON.stringify(rule.field)} is not a path such as Name or MsgBody[].MsgContent.Text` }];
  if (rule.field !== undefined) problems.push(...pathProblems(rule.field, ['field'], definition));
  for (const [entry, exemption] of (rule.unless ?? []).entries()) problems.push(...pathProblems(exemption.field, ['unless', entry, 'field'], definition));
  if (rule.rate !== undefined) problems.push(...pathProblems(rule.rate.per, ['rate', 'per'], definition, 'rate.per'));
  if (rule.after !== undefined) {
    const per = repeatSubjectOf(rule, definition);
    if (per === undefined) problems.push({ at: ['after'], message: `after needs a per: ${command} names no actor whose refusals would count` });
    else problems.push(...pathProblems(per, ['after', 'per'], definition, 'after.per'));
    if (rule.refuse === undefined && rule.drop === undefined) problems.push({ at: ['after'], message: 'after counts refusals: its rule must refuse or drop' });
    if (answers.perItem !== undefined) problems.push({ at: ['after'], message: `${command} answers per item: after is for commands refused whole` });
    const then = rule.after.then;
    if (then.refuse !== undefined)
      problems.push(...refusalProblems(then.refuse.code, definition).map((problem) => ({ ...problem, at: ['after', 'then', ...problem.at] })));
    if (then.drop !== undefined && !answers.drop) problems.push({ at: ['after', 'then', 'drop'], message: `${command} cannot drop` });
  }

  if (rule.refuse !== undefined) problems.push(...refusalProblems(rule.refuse.code, definition));
  if (rule.drop !== undefined && !answers.drop) {
    problems.push({ at: ['drop'], message: `${command} cannot drop (drop is for ${able(among, (d) => d.answers?.drop === true)})` });
  }
  if (rule.mask !== undefined) {
    if (!answers.rewrite)
      problems.push({ at: ['mask'], message: `${command} cannot mask (mask is for ${able(among, (d) => d.answers?.rewrite !== undefined)})` });
    else if (rule.field !== undefined && rule.field !== answers.rewrite.text)
      problems.push({ at: ['field'], message: `a mask rule's field must be ${answers.rewrite.text}, not ${JSON.stringify(rule.field)}` });
    if (maskFinders.every((finder) => rule[finder] === undefined)) {
      problems.push({ at: ['mask'], message: `a mask rule needs ${maskFinders.join(' or ')} to say what to mask` });
    }
  }
  if (rule.refuseMembers !== undefined) {
    const members = answers.refuseMembers;
    if (members === undefined) {
      problems.push({
        at: ['refuseMembers'],
        message: `${command} cannot refuse members (refuseMembers is for ${able(among, (d) => d.answers?.refuseMembers !== undefined)})`,
      });
    } else if (rule.field === undefined || stepsWithin(steps, splitList(members.accounts).list) === undefined) {
      problems.push({
        at: ['field'],
        message: `a refuseMembers rule's field must be ${members.accounts} or another field of ${formatPath(splitList(members.accounts).list)}, not ${JSON.stringify(rule.field)}`,
      });
    }
  }
  return problems;
}

/**
 * A reply rule, or a rule on a command that replies: only commands declaring `replies` take `reply`,
 * and they take nothing else (they are after-callbacks: the event is stored whatever the policy says).
 */
function replyProblems(rule: CheckedRule, definition: CommandDefinition, among: readonly CommandDefinition[]): RuleProblem[] {
  const { command } = definition;
  if (definition.replies === undefined) {
    return [{ at: ['reply'], message: `${command} cannot reply (reply is for ${able(among, (d) => d.replies !== undefined)})` }];
  }
  if (rule.reply === undefined) return [{ at: ['command'], message: `${command} is answered by reply rules only: it is stored whatever a rule says` }];
  const problems: RuleProblem[] = [];
  if (rule.mode === 'shadow') problems.push({ at: ['mode'], message: 'a reply rule cannot be a shadow: it decides no answer a shadow could leave alone' });
  if (rule.field !== undefined) problems.push(...pathProblems(rule.field, ['field'], definition));
  for (const [entry, exemption] of (rule.unless ?? []).entries()) problems.push(...pathProblems(exemption.field, ['unless', entry, 'field'], definition));
  if (rule.rate !== undefined || rule.after !== undefined) {
    problems.push({ at: [rule.rate === undefined ? 'after' : 'rate'], message: 'a reply rule keeps no counters: rate and after are for before-callbacks' });
  }
  for (const path of templateFields(rule.reply)) problems.push(...pathProblems(path, ['reply'], definition, 'reply field'));
  return problems;
}
