import * as v from 'valibot';
import { beforeCommands } from '../commands/registry.ts';

/**
 * The before-callback policy, one format for `cdk.json`, `-c policy=…` and `IM_POLICY`:
 *
 *   {"rules":[{"command":"Group.CallbackBeforeCreateTopic","field":"Operator_Account",
 *              "in":["spammer"],"refuse":{"code":10101,"info":"operator not allowed"}}]}
 *
 * A rule refuses when every matcher it names holds for the body's `field`; the first rule that
 * refuses wins; no refusal means allow (`ErrorCode: 0`), which is also what Tencent does on a timeout.
 */

const isRefusalCode = (code: number) => code === 1 || (code >= 10100 && code <= 10200);

const isRegExp = (pattern: string) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

const RefusalSchema = v.strictObject({
  code: v.pipe(
    v.number(),
    v.integer(),
    v.check(isRefusalCode, 'refuse.code must be 1 (the client gets 10016) or 10100–10200 (passed to the client)'),
  ),
  info: v.optional(v.string(), ''),
});

const matchers = ['in', 'notIn', 'maxLength', 'pattern'] as const;

export const RuleSchema = v.pipe(
  v.strictObject({
    command: v.picklist(beforeCommands as [string, ...string[]], `command must be a before-callback: ${beforeCommands.join(', ')}`),
    field: v.pipe(v.string(), v.nonEmpty('field must name a body field, such as "Name"')),
    /** Refuse when the field's value is one of these. */
    in: v.optional(v.array(v.string())),
    /** Refuse when the field's value is none of these. */
    notIn: v.optional(v.array(v.string())),
    /** Refuse when the value is longer than this many characters (Unicode code points). */
    maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    /** Refuse when the value matches this regular expression (JavaScript syntax, Unicode mode). */
    pattern: v.optional(v.pipe(v.string(), v.check(isRegExp, 'pattern must be a valid regular expression'))),
    refuse: RefusalSchema,
  }),
  v.check(
    (rule) => matchers.some((matcher) => rule[matcher] !== undefined),
    `a rule needs at least one matcher: ${matchers.join(', ')}`,
  ),
);

export const PolicySchema = v.strictObject({
  rules: v.array(RuleSchema),
});

export type Policy = v.InferOutput<typeof PolicySchema>;
export type Rule = v.InferOutput<typeof RuleSchema>;

export const allowEverything: Policy = { rules: [] };
