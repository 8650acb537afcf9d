import type { BeforeAnswers, Body, CommandDefinition } from '../commands/definition.ts';
import { mapPath, type PathStep, parsePath, readPath, somePath, stepsWithin } from '../commands/field-path.ts';
import { comparable } from './comparable.ts';
import { allow, type Decision } from './decision.ts';
import type { DecisionClock } from './decision-clock.ts';
import { maskText, type TextMask } from './mask.ts';
import type { ValueMatcher } from './matchers.ts';
import type { Rule } from './policy-schema.ts';
import type { PolicyWords } from './policy-words.ts';
import { perItemList, splitList } from './rule-checks.ts';

/**
 * How one command's rules combine into a decision, from its definition's answers:
 * - the first `refuse` or `drop` rule that matches decides;
 * - otherwise every matching `mask` applies, in rule order (a rewritten `MsgBody`), and every matching
 *   `refuseMembers` adds its accounts; otherwise allow;
 * - a per-item command (`answers.perItem`) gets a result for each item instead: a rule on a field
 *   inside the list refuses the items it matches, a rule on another field every item, and each item
 *   keeps the code of the first rule that refused it.
 * An action the definition does not declare is skipped (the policy's load-time checks refuse it).
 * Each rule is reached through the decision's clock (decision-clock.ts), which stops a decision past
 * its deadline and remembers the rule it had reached.
 */

/** A rule once compiled (policy.ts): its place in the policy, its path and matchers, its action. */
export interface CompiledRule {
  readonly index: number;
  readonly rule: Rule;
  /** The path of `field`; none for a rule without one (its matcher then looks at the body and always holds). */
  readonly steps: readonly PathStep[];
  readonly matcher: ValueMatcher;
  /**
   * What else the body must pass once the field matched: no `unless` matches, and a `rate` rule's
   * counter is past its limit (read before the decision, stateful-rules.ts). Absent: nothing else.
   */
  readonly gate?: (body: Body) => boolean;
}

/** Whether the rule's gate lets the body through. */
const passes = ({ gate }: CompiledRule, body: Body) => gate === undefined || gate(body);

/** Whether any comparable value at the path matches all of the rule's matchers. */
const anyMatches = (from: unknown, steps: readonly PathStep[], matcher: ValueMatcher) => somePath(from, steps, matcher.matchesValue);

const firstText = (from: unknown, steps: readonly PathStep[]) =>
  readPath(from, steps)
    .map(comparable)
    .find((text) => text !== undefined);

export function decideForCommand(
  definition: CommandDefinition,
  rules: readonly CompiledRule[],
  clock: DecisionClock,
  words: PolicyWords,
): (body: Body) => Decision {
  const answers: BeforeAnswers = definition.answers ?? { refusalCodes: [] };
  const refusable = answers.refusalCodes.length > 0;
  if (answers.perItem !== undefined) return perItemPlan(answers.perItem, refusable ? rules.filter(({ rule }) => rule.refuse) : [], clock);
  const deciding = rules.filter(({ rule }) => (rule.refuse && refusable) || (rule.drop && answers.drop));
  const masking = answers.rewrite ? rules.filter(({ rule }) => rule.mask !== undefined) : [];
  const members =
    answers.refuseMembers === undefined
      ? undefined
      : membersPlan(
          answers.refuseMembers.accounts,
          rules.filter(({ rule }) => rule.refuseMembers),
          clock,
        );
  const masks = masking.length > 0 && answers.rewrite !== undefined ? maskPlan(parsePath(answers.rewrite.text)!, masking, clock, words) : undefined;

  return function decision(body) {
    // The lists the texts at each field have a word of, found once per field: a rule whose only
    // matcher is containsAny is then one lookup, however many such rules there are.
    const listsAt = new Map<string, Uint8Array>();
    const hasWords = (field: string, steps: readonly PathStep[], list: number) => {
      let found = listsAt.get(field);
      if (found === undefined) {
        const lists = new Uint8Array(words.lists);
        somePath(body, steps, (value) => {
          clock.check();
          const text = comparable(value);
          if (text !== undefined) for (const present of words.present(text).lists) lists[present] = 1;
          return false;
        });
        found = lists;
        listsAt.set(field, found);
      }
      return found[list] === 1;
    };
    for (const compiled of deciding) {
      const { index, rule, steps, matcher } = compiled;
      if (matcher.wordList === undefined) {
        clock.reach(index);
        if (!anyMatches(body, steps, matcher)) continue;
      } else {
        // One array read: the clock was looked at while the field's texts were scanned.
        clock.pass(index);
        if (!hasWords(rule.field!, steps, matcher.wordList)) continue;
      }
      if (!passes(compiled, body)) continue;
      return rule.refuse ? { action: 'refuse', code: rule.refuse.code, info: rule.refuse.info, rule: index } : { action: 'drop', rule: index };
    }
    return masks?.(body) ?? members?.(body) ?? allow;
  };
}

/**
 * Every matching mask applied to the original texts; `undefined` when none changed anything. A text
 * is scanned once for all the word lists: of the rules whose only matcher is `containsAny`, only
 * those whose list it has are looked at, so a thousand mask rules cost one scan and the few that apply.
 */
function maskPlan(maskSteps: readonly PathStep[], rules: readonly CompiledRule[], clock: DecisionClock, words: PolicyWords) {
  // The field the answer carries whole: the path's first (`MsgBody` of `MsgBody[].MsgContent.Text`).
  const bodyKey = maskSteps[0]!.key;
  const byList = new Map(rules.flatMap((compiled) => (compiled.matcher.wordList === undefined ? [] : [[compiled.matcher.wordList, compiled] as const])));
  const others = rules.filter(({ matcher }) => matcher.wordList === undefined);
  /** The rules that may mask a text, in rule order: the others, and those with a word in it. */
  const candidates = (text: string): readonly CompiledRule[] => {
    if (byList.size === 0) return rules;
    const found = words.present(text).lists.flatMap((list) => byList.get(list) ?? []);
    return found.length === 0 ? others : [...others, ...found].sort((a, b) => a.index - b.index);
  };
  return (body: Body): Decision | undefined => {
    // A gate (unless, rate) is the body's: looked at once, and only for a rule that matched a text.
    const gates = new Map<number, boolean>();
    const open = (compiled: CompiledRule) => {
      if (compiled.gate === undefined) return true;
      const known = gates.get(compiled.index);
      if (known !== undefined) return known;
      const passed = compiled.gate(body);
      gates.set(compiled.index, passed);
      return passed;
    };
    // Most messages match no mask: find that out without copying anything.
    const anyMask = somePath(body, maskSteps, (value) => {
      clock.check();
      const text = comparable(value);
      return (
        text !== undefined &&
        candidates(text).some((compiled) => {
          clock.reach(compiled.index);
          return compiled.matcher.matches(text) && open(compiled);
        })
      );
    });
    if (!anyMask) return undefined;
    const applied = new Set<number>();
    const rewritten = mapPath(body, maskSteps, (value) => {
      if (typeof value !== 'string') return value;
      const masks: TextMask[] = [];
      for (const compiled of candidates(value)) {
        const { index, rule, matcher } = compiled;
        clock.reach(index);
        if (!matcher.matches(value) || !open(compiled)) continue;
        const ranges = matcher.ranges(value);
        if (ranges.length === 0) continue;
        applied.add(index);
        masks.push({ ranges, character: rule.mask! });
      }
      return maskText(value, masks);
    }) as Body;
    if (rewritten === body) return undefined;
    return { action: 'rewrite', field: bodyKey, value: rewritten[bodyKey], rules: [...applied].sort((a, b) => a - b) };
  };
}

/** The accounts of the list that some rule matches, in request order, each once. */
function membersPlan(accounts: string, rules: readonly CompiledRule[], clock: DecisionClock) {
  const { list, inside: account } = splitList(accounts);
  const within = rules.map((compiled) => ({ ...compiled, inside: stepsWithin(compiled.steps, list) ?? [] }));
  return (body: Body): Decision | undefined => {
    const open = within.filter((compiled) => passes(compiled, body));
    if (open.length === 0) return undefined;
    const refused = new Set<string>();
    const applied = new Set<number>();
    for (const item of readPath(body, list)) {
      const matching = open.filter(({ index, inside, matcher }) => {
        clock.reach(index);
        return anyMatches(item, inside, matcher);
      });
      const name = firstText(item, account);
      if (matching.length === 0 || name === undefined) continue;
      refused.add(name);
      for (const { index } of matching) applied.add(index);
    }
    if (refused.size === 0) return undefined;
    return { action: 'refuseMembers', accounts: [...refused], rules: [...applied].sort((a, b) => a - b) };
  };
}

function perItemPlan(perItem: NonNullable<BeforeAnswers['perItem']>, rules: readonly CompiledRule[], clock: DecisionClock) {
  const list = perItemList(perItem.list);
  const account = parsePath(perItem.account) ?? [];
  const refusing = rules.map((compiled) => ({ ...compiled, inside: stepsWithin(compiled.steps, list) }));
  return (body: Body): Decision => {
    const items = readPath(body, list);
    const refusals: ({ code: number; info: string } | undefined)[] = items.map(() => undefined);
    const applied = new Set<number>();
    for (const compiled of refusing) {
      const { index, rule, steps, matcher, inside } = compiled;
      clock.reach(index);
      if (!passes(compiled, body)) continue;
      const wholeBody = inside === undefined && anyMatches(body, steps, matcher);
      items.forEach((item, at) => {
        if (refusals[at] !== undefined || !(wholeBody || (inside !== undefined && anyMatches(item, inside, matcher)))) return;
        refusals[at] = rule.refuse!;
        applied.add(index);
      });
    }
    if (applied.size === 0) return allow;
    return {
      action: 'perItem',
      items: items.map((item, at) => ({ account: firstText(item, account) ?? '', code: refusals[at]?.code ?? 0, info: refusals[at]?.info ?? '' })),
      rules: [...applied].sort((a, b) => a - b),
    };
  };
}
