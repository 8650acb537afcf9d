/**
 * What a command answers when its decision runs past the deadline: the policy's `onTimeout` for it,
 * or `allow`, Tencent's own default when a before-callback goes unanswered (docs/protocol.md#timeouts-and-retries).
 */
export type TimeoutAnswer = 'allow' | { readonly refuse: { readonly code: number; readonly info: string } };

/**
 * What the policy decides for a before-callback (policy.ts), before it is put in Tencent's words
 * (answer.ts). `rule` names the rule that decided, by its place in the policy (0-based), for the
 * record and the inspector.
 */
export type Decision =
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
