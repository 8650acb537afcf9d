import * as v from 'valibot';
import { trialProblem } from './pattern-cost.ts';
import { type Policy, PolicySchema } from './policy-schema.ts';

/**
 * A policy document checked as every place that takes one checks it: `npm start` and its file
 * watcher, synth, the AppConfig validator, the receiver's AppConfig refresh, the backtest. The
 * schema (paths, codes, actions against each command's definition) and the timed trial of each
 * pattern against the deadline (pattern-cost.ts). Each problem names the rule and the reason:
 * `rules.3.field: field "Nmae" is not in Group.CallbackBeforeCreateTopic's body (rule 3)`.
 */
export type PolicyLoad = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly problems: readonly string[] };

/** Each pattern's timed trial (the rule's and its exemptions'), as `[path, message]`. */
export function patternTrialProblems(policy: Policy, deadlineMs: number): { readonly path: (string | number)[]; readonly message: string }[] {
  return policy.rules.flatMap((rule, index) =>
    [
      ...(rule.pattern === undefined ? [] : [{ pattern: rule.pattern, use: rule.mask === undefined ? ('test' as const) : ('find' as const), at: ['pattern'] }]),
      ...(rule.unless ?? []).flatMap((exemption, entry) =>
        exemption.pattern === undefined ? [] : [{ pattern: exemption.pattern, use: 'test' as const, at: ['unless', entry, 'pattern'] }],
      ),
    ].flatMap(({ pattern, use, at }) => {
      const problem = trialProblem(pattern, use, deadlineMs);
      return problem === undefined ? [] : [{ path: ['rules', index, ...at], message: `${problem} (rule ${index})` }];
    }),
  );
}

/** The document (JSON text, or what JSON.parse made of it), checked whole. */
export function loadPolicy(document: unknown, deadlineMs: number): PolicyLoad {
  let parsed = document;
  if (typeof document === 'string' || document instanceof Uint8Array) {
    try {
      parsed = JSON.parse(typeof document === 'string' ? document : new TextDecoder().decode(document));
    } catch (error) {
      return { ok: false, problems: [`the policy is not valid JSON (${(error as Error).message})`] };
    }
  }
  const result = v.safeParse(PolicySchema, parsed);
  if (!result.success) return { ok: false, problems: result.issues.map((issue) => `${v.getDotPath(issue) ?? 'policy'}: ${issue.message}`) };
  const trials = patternTrialProblems(result.output, deadlineMs);
  if (trials.length > 0) return { ok: false, problems: trials.map(({ path, message }) => `${path.join('.')}: ${message}`) };
  return { ok: true, policy: result.output };
}
