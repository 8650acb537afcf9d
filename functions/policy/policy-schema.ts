import * as v from 'valibot';
import type { CommandDefinition } from '../commands/definition.ts';
import { parsePath } from '../commands/field-path.ts';
import { afterCommands, beforeCommands, commandDefinition } from '../commands/registry.ts';
import { durationMs, maxDuration } from './duration.ts';
import { patternProblem } from './linear-pattern.ts';
import { programSizeProblem } from './pattern-cost.ts';
import { ruleProblems, timeoutAnswerProblems } from './rule-checks.ts';

/**
 * The before-callback policy, one format for `cdk.json`, `-c policy=…` and `IM_POLICY`:
 *
 *   {"rules":[{"command":"Group.CallbackBeforeSendMsg","field":"MsgBody[].MsgContent.Text",
 *              "containsAny":["darn"],"mask":"*"}]}
 *
 * A rule names one or more before-callbacks, a field path, matchers that must all hold for some value
 * at the path, and one action. The first edition (one command, a top-level field, in/notIn/maxLength/
 * pattern, refuse) is this format too. What a rule may do depends on the command: those checks are
 * read from the registry's definitions (rule-checks.ts), so the schema is built from them.
 *
 * A decision has a deadline (`policyDeadlineMs`, decision-clock.ts); past it, a command answers its
 * `onTimeout`, `"allow"` (the default, as Tencent itself does on a timeout) or a refusal the command
 * accepts:
 *
 *   "onTimeout":{"Group.CallbackBeforeSendMsg":{"refuse":{"code":10101,"info":"try again"}}}
 *
 * A pattern whose RE2 program is too large is refused (pattern-cost.ts); its timed trial needs the
 * deadline, so the settings run it (settings.ts).
 */

/** The matchers on a field's values (`field`, and each `unless`). */
export const valueMatcherNames = ['in', 'notIn', 'maxLength', 'pattern', 'containsAny'] as const;
/** Every matcher a rule may have: the value matchers and `rate` (rate-rules.ts), which needs no `field`. */
export const matcherNames = [...valueMatcherNames, 'rate'] as const;
export const actionNames = ['refuse', 'drop', 'mask', 'refuseMembers', 'reply'] as const;

/** How a rule acts: `enforce` (the default) decides; `shadow` is evaluated, recorded and counted, and never changes an answer. */
export const ruleModes = ['enforce', 'shadow'] as const;

/**
 * A rule's id: what its record, its metrics and a backtest call it. Given, or its place in the policy
 * (`"0"`, `"1"`…), so a policy without ids still names its rules. Short and plain: it is a CloudWatch
 * dimension value.
 */
const ruleIdPattern = /^[A-Za-z0-9_.:-]{1,64}$/;
export const ruleIdOf = (rule: { readonly id?: string }, index: number): string => rule.id ?? String(index);

const RefusalSchema = v.strictObject({
  code: v.pipe(v.number(), v.integer('refuse.code must be a whole number')),
  info: v.optional(v.string(), ''),
});

const oneCodePoint = (text: string) => [...text].length === 1;

/** What a command answers past the deadline: `"allow"` or a refusal (checked against the command below). */
const TimeoutAnswerSchema = v.union(
  [v.literal('allow'), v.strictObject({ refuse: RefusalSchema })],
  'an onTimeout answer is "allow" or {"refuse":{"code":…,"info":"…"}}',
);

/** A value matcher's own fields: the same vocabulary for a rule's `field` and each of its `unless`. */
const valueMatchers = {
  /** The value is one of these. */
  in: v.optional(v.array(v.string())),
  /** The value is none of these. */
  notIn: v.optional(v.array(v.string())),
  /** The value is longer than this many characters (Unicode code points). */
  maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** The value matches this regular expression (JavaScript syntax, run by RE2 in linear time). */
  pattern: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (pattern) => patternProblem(pattern) === undefined,
        (issue) => patternProblem(issue.input as string)!,
      ),
    ),
  ),
  /** The value contains one of these words, after NFKC and case folding. */
  // One check for the whole list rather than one per word: lists run to tens of thousands of words,
  // validated at every cold start.
  containsAny: v.optional(
    v.pipe(
      v.array(v.string()),
      v.minLength(1, 'containsAny needs at least one word'),
      v.check((words) => !words.includes(''), 'containsAny words must not be empty'),
    ),
  ),
};

const fieldPath = v.pipe(
  v.string(),
  v.nonEmpty('field must name a body field, such as "Name"'),
  v.check((field) => parsePath(field) !== undefined, 'field must be a path such as Name, MsgBody[].MsgContent.Text or PairList[].From_Account'),
);

/** An exemption: the rule does not apply when some value at `field` matches all of these matchers. */
const ExemptionSchema = v.pipe(
  v.strictObject({ field: fieldPath, ...valueMatchers }),
  v.check(
    (exemption) => valueMatcherNames.some((name) => exemption[name] !== undefined),
    `an unless entry needs a field and at least one matcher: ${valueMatcherNames.join(', ')}`,
  ),
);

const Duration = v.pipe(
  v.string(),
  v.check((text) => durationMs(text) !== undefined, `a duration is a whole number and a unit, such as "10s", "5m", "1h" or "1d" (at most ${maxDuration})`),
);

/** `{"per":"From_Account","limit":5,"window":"10s"}`: matches once the subject at `per` passes `limit` requests in the window. */
const RateSchema = v.strictObject({
  per: fieldPath,
  limit: v.pipe(v.number(), v.integer('rate.limit must be a whole number'), v.minValue(1, 'rate.limit must be at least 1')),
  window: Duration,
  /**
   * Counters a subject's count is spread over (1–64, default 1): a room of 10,000 messages a second
   * needs 16 so that no counter item takes more than DynamoDB's 1,000 writes a second per partition;
   * the count is then approximate (counter-keys.ts, docs/policy.md#hot-keys).
   */
  shards: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1, 'rate.shards must be 1–64'), v.maxValue(64, 'rate.shards must be 1–64'))),
});

/** What a repeat offender gets, and for how long. */
const PenaltySchema = v.pipe(
  v.strictObject({ refuse: v.optional(RefusalSchema), drop: v.optional(v.literal(true, 'drop must be true')), for: Duration }),
  v.check((then) => (then.refuse === undefined) !== (then.drop === undefined), 'after.then needs exactly one of refuse or drop, and for'),
);

/** `{"refusals":3,"window":"1h","then":{…,"for":"1h"}}`: the rule's subject, refused that often, gets `then` for a while. */
const RepeatSchema = v.strictObject({
  /** Whose refusals count: a path of the body. Default: the command's actor's (its definition's `subjects.actor` role). */
  per: v.optional(fieldPath),
  refusals: v.pipe(v.number(), v.integer('after.refusals must be a whole number'), v.minValue(1, 'after.refusals must be at least 1')),
  window: Duration,
  // biome-ignore lint/suspicious/noThenProperty: the policy's JSON says "then" (issue 20's format); a parsed policy is data, never awaited.
  then: PenaltySchema,
});

export const RuleShape = v.strictObject({
  id: v.optional(v.pipe(v.string(), v.regex(ruleIdPattern, 'id must be 1–64 letters, digits or _ . : -'))),
  mode: v.optional(v.picklist(ruleModes, 'mode must be "enforce" or "shadow"')),
  command: v.union(
    [v.string(), v.pipe(v.array(v.string()), v.minLength(1, 'command needs at least one name'))],
    'command must be a command name or a list of them',
  ),
  /** The path the value matchers look at; not needed by a rule whose only matcher is `rate`. */
  field: v.optional(fieldPath),
  ...valueMatchers,
  /** The rule does not apply when any of these matches (the owner, an admin account…). */
  unless: v.optional(v.pipe(v.array(ExemptionSchema), v.minLength(1, 'unless needs at least one entry'))),
  rate: v.optional(RateSchema),
  /** Repeat offenders: refused this often by this rule, refused everything for a while. */
  after: v.optional(RepeatSchema),
  refuse: v.optional(RefusalSchema),
  /** `ErrorCode` 2: the message is dropped, the sender told it was sent. */
  drop: v.optional(v.literal(true, 'drop must be true')),
  /** Replace what containsAny or pattern found by this character, once per character found. */
  mask: v.optional(v.pipe(v.string(), v.check(oneCodePoint, 'mask must be one character, such as "*"'))),
  /** Refuse the listed accounts the rule matches, let the rest through. */
  refuseMembers: v.optional(v.literal(true, 'refuseMembers must be true')),
  /**
   * What an after-callback that Tencent reads the answer of replies (the chatbot's `RspData`): a
   * fixed text, or a template whose `{Path}` parts are the body's fields (reply-template.ts).
   */
  reply: v.optional(v.string()),
});

const RuleSchema = v.pipe(
  RuleShape,
  v.check(
    (rule) => rule.reply !== undefined || matcherNames.some((name) => rule[name] !== undefined),
    `a rule needs at least one matcher: ${matcherNames.join(', ')}`,
  ),
  v.check(
    (rule) => rule.field !== undefined || valueMatcherNames.every((name) => rule[name] === undefined),
    `a rule with ${valueMatcherNames.join(', ')} needs a field to look at`,
  ),
  v.check((rule) => actionNames.filter((name) => rule[name] !== undefined).length === 1, `a rule needs exactly one action: ${actionNames.join(', ')}`),
);

export type Rule = v.InferOutput<typeof RuleSchema>;

/** A rule's commands as a list. */
export const commandsOf = (rule: Pick<Rule, 'command'>): readonly string[] => (typeof rule.command === 'string' ? [rule.command] : rule.command);

/** An issue path valibot's `getDotPath` reads: `rules.3.refuse.code`. */
export const pathTo = (input: unknown, keys: readonly (string | number)[]) =>
  keys.map((key) => ({ type: typeof key === 'number' ? 'array' : 'object', origin: 'value', input, key, value: undefined })) as unknown as [
    v.IssuePathItem,
    ...v.IssuePathItem[],
  ];

/**
 * The policy schema for these before-callbacks: the settings use the registry's (`PolicySchema`);
 * tests build one for definitions of their own.
 */
export function policySchemaFor(definitions: readonly CommandDefinition[]) {
  const byName = new Map(definitions.map((definition) => [definition.command, definition]));
  const names = [...byName.keys()].join(', ');
  const beforeNames = definitions
    .filter((definition) => definition.kind === 'before')
    .map((definition) => definition.command)
    .join(', ');
  return v.pipe(
    v.strictObject({
      rules: v.array(RuleSchema),
      onTimeout: v.optional(
        v.record(v.string(), TimeoutAnswerSchema, 'onTimeout must name before-callbacks and their answers, such as {"Group.CallbackBeforeSendMsg":"allow"}'),
      ),
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const seen = new Map<string, number>();
      dataset.value.rules.forEach((rule, index) => {
        const id = ruleIdOf(rule, index);
        const earlier = seen.get(id);
        if (earlier !== undefined) {
          addIssue({
            message: `id ${JSON.stringify(id)} is rule ${earlier}'s already: ids name one rule each (rule ${index})`,
            path: pathTo(rule, ['rules', index, 'id']),
          });
        }
        seen.set(id, index);
        const patterns = [
          { pattern: rule.pattern, at: ['pattern'] },
          ...(rule.unless ?? []).map((exemption, entry) => ({ pattern: exemption.pattern, at: ['unless', entry, 'pattern'] })),
        ];
        for (const { pattern, at } of patterns) {
          const tooCostly = pattern === undefined ? undefined : programSizeProblem(pattern);
          if (tooCostly !== undefined) addIssue({ message: `${tooCostly} (rule ${index})`, path: pathTo(rule, ['rules', index, ...at]) });
        }
        for (const command of commandsOf(rule)) {
          const definition = byName.get(command);
          if (definition === undefined) {
            addIssue({
              message: `command must be a before-callback (or an after-callback whose answer carries a reply): ${names} (not ${JSON.stringify(command)}; rule ${index})`,
              path: pathTo(rule, ['rules', index, 'command']),
            });
            continue;
          }
          for (const problem of ruleProblems(rule, definition, definitions)) {
            addIssue({ message: `${problem.message} (rule ${index})`, path: pathTo(rule, ['rules', index, ...problem.at]) });
          }
        }
      });
      for (const [command, answer] of Object.entries(dataset.value.onTimeout ?? {})) {
        const definition = byName.get(command);
        if (definition === undefined || definition.kind !== 'before') {
          addIssue({
            message: `onTimeout names a before-callback: ${beforeNames} (not ${JSON.stringify(command)})`,
            path: pathTo(answer, ['onTimeout', command]),
          });
          continue;
        }
        for (const problem of timeoutAnswerProblems(answer, definition)) {
          addIssue({ message: `onTimeout for ${command}: ${problem.message}`, path: pathTo(answer, ['onTimeout', command, ...problem.at]) });
        }
      }
    }),
  );
}

/** The commands a policy may name: every before-callback, and the after-callbacks whose answer carries a reply. */
export const policyCommands: readonly CommandDefinition[] = [
  ...beforeCommands.map(commandDefinition),
  ...afterCommands.map(commandDefinition).filter((definition) => definition.replies !== undefined),
];

export const PolicySchema = policySchemaFor(policyCommands);

export type Policy = v.InferOutput<typeof PolicySchema>;

export const allowEverything: Policy = { rules: [] };
