/**
 * What a command answers when its decision runs past the deadline: the policy's `onTimeout` for it,
 * or `allow`, Tencent's own default when a before-callback goes unanswered (docs/protocol.md#timeouts-and-retries).
 */
export type TimeoutAnswer = 'allow' | { readonly refuse: { readonly code: number; readonly info: string } };

/** A rule as a decision names it: its id (given, or its place), its place, and its body as the record shows it (rule-summary.ts). */
export interface RuleRef {
  readonly id: string;
  readonly index: number;
  /** Its metric dimension: the id, or `other` past the first rules (rule-dimension.ts). */
  readonly dimension: string;
  readonly rule: Readonly<Record<string, unknown>>;
}

/** What a shadow rule would have done (`mode: "shadow"`): the decision it would have made alone, never answered. */
export interface ShadowHit {
  readonly rule: RuleRef;
  readonly would: ActingDecision;
}

/** What a decision carries beside its answer, for the record and the metrics. */
export interface DecisionNotes {
  /** The rules that decided or changed the answer, in rule order. */
  readonly matched?: readonly RuleRef[];
  /** Shadow rules that matched. */
  readonly shadow?: readonly ShadowHit[];
  /** Shadow rules not evaluated: the acting rules had spent the deadline. */
  readonly shadowSkipped?: number;
  /** Counter reads or writes that missed their budget or failed (`rateBudgetMs`): their rules did not match. */
  readonly counterMisses?: number;
  /** The answer is a repeat offender's penalty (`after.then`) rather than a rule's own action. */
  readonly penalty?: true;
  /**
   * The rules evaluated for the command as metric dimensions (rule-dimension.ts), one list shared by
   * every decision of the command, for the per-rule evaluation counts.
   */
  readonly evaluated?: readonly string[];
}

/**
 * What the policy decides for a before-callback (policy.ts), before it is put in Tencent's words
 * (answer.ts). `rule` names the rule that decided, by its place in the policy (0-based); `matched`
 * (DecisionNotes) names it by its id, with its body, for the record and the inspector.
 */
export type Decision = ActingDecision & DecisionNotes;

/** A decision's answer alone. */
export type ActingDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'refuse'; readonly code: number; readonly info: string; readonly rule: number }
  /** `ErrorCode` 2: dropped silently, the sender is told it was sent. */
  | { readonly action: 'drop'; readonly rule: number }
  /** `ErrorCode` 0 with the rewritten field whole (`MsgBody`): every matching mask rule applied. */
  | { readonly action: 'rewrite'; readonly field: string; readonly value: unknown; readonly rules: readonly number[] }
  /** `ErrorCode` 0 refusing these accounts (`RefusedMembers_Account`, `RefusedSubscribers_Account`). */
  | { readonly action: 'refuseMembers'; readonly accounts: readonly string[]; readonly rules: readonly number[] }
  /** A result per item (`Sns.*`'s `ResultItem`): code 0 lets an item through. */
  | {
      readonly action: 'perItem';
      readonly items: readonly { readonly account: string; readonly code: number; readonly info: string }[];
      readonly rules: readonly number[];
    }
  /** Past the deadline (`policyDeadlineMs`): the command's timeout answer; `rule` is the rule the decision had reached. */
  | { readonly action: 'timedOut'; readonly rule: number; readonly answer: TimeoutAnswer };

export const allow: Decision = { action: 'allow' };

const noteNames = ['matched', 'shadow', 'shadowSkipped', 'counterMisses', 'penalty', 'evaluated'] as const satisfies readonly (keyof DecisionNotes)[];

/** A decision's answer without its notes: what a backtest compares, what tests read. */
export function actingOf(decision: Decision): ActingDecision {
  if (!noteNames.some((name) => name in decision)) return decision;
  const acting: Record<string, unknown> = { ...decision };
  for (const name of noteNames) delete acting[name];
  return acting as ActingDecision;
}

/** A decision as the record's `outcome` names it. */
export type DecisionOutcome = 'allowed' | 'refused' | 'dropped' | 'rewritten' | 'members-refused' | 'timed-out';

export function decisionOutcome(decision: Decision): DecisionOutcome {
  switch (decision.action) {
    case 'allow':
      return 'allowed';
    case 'refuse':
      return 'refused';
    case 'drop':
      return 'dropped';
    case 'rewrite':
      return 'rewritten';
    case 'refuseMembers':
      return 'members-refused';
    case 'perItem':
      return decision.items.some((item) => item.code !== 0) ? 'members-refused' : 'allowed';
    case 'timedOut':
      return 'timed-out';
  }
}
