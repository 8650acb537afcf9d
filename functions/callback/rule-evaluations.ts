/**
 * How many decisions each rule took part in, summed in the function and written once a period:
 * every before-callback evaluates every rule of its command, so one metric line per rule per
 * callback would multiply the receiver's log volume by the policy's size, where one line per rule a
 * minute carries the same count. What a container sums before it is recycled is lost (at most a
 * period's worth): these counts are the denominators of hit rates, not an audit.
 */
export const evaluationsPeriodMs = 60_000;

export class RuleEvaluations {
  readonly #counts = new Map<string, number>();
  readonly #periodMs: number;
  #since: number;

  constructor(now: number, periodMs = evaluationsPeriodMs) {
    this.#since = now;
    this.#periodMs = periodMs;
  }

  add(rules: readonly string[]): void {
    for (const rule of rules) this.#counts.set(rule, (this.#counts.get(rule) ?? 0) + 1);
  }

  /** The sums, when a period has passed since the last ones (then counting starts again); else nothing. */
  due(now: number): ReadonlyMap<string, number> | undefined {
    if (now - this.#since < this.#periodMs || this.#counts.size === 0) return undefined;
    const counts = new Map(this.#counts);
    this.#counts.clear();
    this.#since = now;
    return counts;
  }
}
