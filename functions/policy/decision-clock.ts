/**
 * A decision's deadline (`policyDeadlineMs`). JavaScript cannot interrupt synchronous work, so the
 * decision keeps time cooperatively: it looks at the clock before each rule and each text field,
 * and before a matcher whose cost it can predict (a pattern, from its load-time trial), it asks
 * whether that cost still fits. Past the deadline it stops where it is and the command's
 * `onTimeout` answers (policy.ts): a decision never runs long, whatever the body.
 */

/** A decision's deadline unless the settings say otherwise (`policyDeadlineMs`), ms: 5% of Tencent's 2 s. */
export const defaultDeadlineMs = 100;

/** Thrown to leave a decision at the point it ran out of time; caught by the decision itself. */
export class PastDeadline extends Error {
  override name = 'PastDeadline';
}

/** One instance, thrown without a new stack each time: the decision catches it at once. */
const pastDeadline = new PastDeadline('the policy decision ran past its deadline');

export class DecisionClock {
  #deadline = Number.POSITIVE_INFINITY;
  #rule = -1;
  readonly #now: () => number;
  readonly #deadlineMs: number;

  constructor(now: () => number, deadlineMs: number) {
    this.#now = now;
    this.#deadlineMs = deadlineMs;
  }

  /** A decision begins: its deadline is `deadlineMs` from now. */
  start(): void {
    this.#deadline = this.#now() + this.#deadlineMs;
    this.#rule = -1;
  }

  /** The rule the decision has reached (its place in the policy): what a timeout record names. */
  get rule(): number {
    return this.#rule;
  }

  /** The decision moves on to this rule, if there is time left. */
  reach(rule: number): void {
    this.#rule = rule;
    this.check();
  }

  /**
   * The decision moves on to a rule that costs one lookup (its work was done, and timed, for all
   * such rules at once): remembered without reading the clock, which costs more than the rule.
   */
  pass(rule: number): void {
    this.#rule = rule;
  }

  /** Stops the decision once past its deadline. */
  check(): void {
    if (this.#now() > this.#deadline) throw pastDeadline;
  }

  /** Stops the decision if work predicted to take `ms` would end past the deadline. */
  afford(ms: number): void {
    if (this.#now() + ms > this.#deadline) throw pastDeadline;
  }
}
