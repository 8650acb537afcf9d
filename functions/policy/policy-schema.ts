import * as v from 'valibot';
import type { CommandDefinition } from '../commands/definition.ts';
import { parsePath } from '../commands/field-path.ts';
import { beforeCommands, commandDefinition } from '../commands/registry.ts';
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

export const matcherNames = ['in', 'notIn', 'maxLength', 'pattern', 'containsAny'] as const;
export const actionNames = ['refuse', 'drop', 'mask', 'refuseMembers'] as const;

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

const RuleShape = v.strictObject({
  command: v.union(
    [v.string(), v.pipe(v.array(v.string()), v.minLength(1, 'command needs at least one name'))],
    'command must be a command name or a list of them',
  ),
  field: v.pipe(
    v.string(),
    v.nonEmpty('field must name a body field, such as "Name"'),
    v.check((field) => parsePath(field) !== undefined, 'field must be a path such as Name, MsgBody[].MsgContent.Text or PairList[].From_Account'),
  ),
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
  refuse: v.optional(RefusalSchema),
  /** `ErrorCode` 2: the message is dropped, the sender told it was sent. */
  drop: v.optional(v.literal(true, 'drop must be true')),
  /** Replace what containsAny or pattern found by this character, once per character found. */
  mask: v.optional(v.pipe(v.string(), v.check(oneCodePoint, 'mask must be one character, such as "*"'))),
  /** Refuse the listed accounts the rule matches, let the rest through. */
  refuseMembers: v.optional(v.literal(true, 'refuseMembers must be true')),
});

const RuleSchema = v.pipe(
  RuleShape,
  v.check((rule) => matcherNames.some((name) => rule[name] !== undefined), `a rule needs at least one matcher: ${matcherNames.join(', ')}`),
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
  return v.pipe(
    v.strictObject({
      rules: v.array(RuleSchema),
      onTimeout: v.optional(
        v.record(v.string(), TimeoutAnswerSchema, 'onTimeout must name before-callbacks and their answers, such as {"Group.CallbackBeforeSendMsg":"allow"}'),
      ),
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      dataset.value.rules.forEach((rule, index) => {
        const tooCostly = rule.pattern === undefined ? undefined : programSizeProblem(rule.pattern);
        if (tooCostly !== undefined) addIssue({ message: `${tooCostly} (rule ${index})`, path: pathTo(rule, ['rules', index, 'pattern']) });
        for (const command of commandsOf(rule)) {
          const definition = byName.get(command);
          if (definition === undefined) {
            addIssue({
              message: `command must be a before-callback: ${names} (not ${JSON.stringify(command)}; rule ${index})`,
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
        if (definition === undefined) {
          addIssue({ message: `onTimeout names a before-callback: ${names} (not ${JSON.stringify(command)})`, path: pathTo(answer, ['onTimeout', command]) });
          continue;
        }
        for (const problem of timeoutAnswerProblems(answer, definition)) {
          addIssue({ message: `onTimeout for ${command}: ${problem.message}`, path: pathTo(answer, ['onTimeout', command, ...problem.at]) });
        }
      }
    }),
  );
}

export const PolicySchema = policySchemaFor(beforeCommands.map(commandDefinition));

export type Policy = v.InferOutput<typeof PolicySchema>;

export const allowEverything: Policy = { rules: [] };
