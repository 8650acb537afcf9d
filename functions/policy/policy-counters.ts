/**
 * The port rate and repeat-offender rules count through (docs/policy.md#rate-rules). The adapter
 * (functions/store/dynamodb-policy-counters.ts) owns the table, its keys and their TTL: one DynamoDB
 * table made by the stack, the embedded store's in `npm start`, a map in a backtest. A rule asks by
 * its id, a subject (the value at `per`) and a window; how that is kept is the adapter's.
 */
export interface CountRequest {
  /** What is counted: a rate rule's requests, or a repeat rule's refusals. */
  readonly kind: 'rate' | 'refusals';
  /** The rule's id. */
  readonly rule: string;
  /** Whose: the first string or number at the rule's `per`. */
  readonly subject: string;
  /** The fixed window the count is kept for, ms. */
  readonly windowMs: number;
  /** Past this many, the count need not go on: it matches from here on (a conditional write stops there). */
  readonly limit: number;
  /** Counters a subject's count is spread over: its count is then estimated (docs/policy.md#hot-keys). Default 1. */
  readonly shards?: number;
  /** When, epoch ms: which window the request falls in. */
  readonly at: number;
}

export interface PenaltyRequest {
  readonly rule: string;
  readonly subject: string;
}

export interface PolicyCounters {
  /**
   * Counts one request and says how many the subject has in the window so far, this one included:
   * more than `limit` once past it (it may stop counting there).
   */
  count(request: CountRequest, signal: AbortSignal): Promise<number>;
  /** Until when (epoch ms) the subject is a repeat offender of the rule; `undefined`: it is not. */
  penaltyUntil(request: PenaltyRequest, signal: AbortSignal): Promise<number | undefined>;
  /** Makes the subject a repeat offender of the rule until `until` (epoch ms). */
  punish(request: PenaltyRequest & { readonly until: number }, signal: AbortSignal): Promise<void>;
}

/** How long counters may take in all, per decision, unless the settings say otherwise (`rateBudgetMs`), ms. */
export const defaultRateBudgetMs = 50;

/** Thrown when a counter call ran out of the decision's budget. */
export class CounterBudgetSpent extends Error {
  override name = 'CounterBudgetSpent';
}

/**
 * A decision's counter budget: every call races the same deadline, and the SDK's request is aborted
 * when it passes, so a hung table costs a decision `rateBudgetMs` and no more, and leaves no request
 * behind. The caller counts what missed and lets the rule not match.
 */
export class CounterBudget {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #spent: Promise<never>;

  constructor(ms: number) {
    let expire!: (error: Error) => void;
    this.#spent = new Promise<never>((_, reject) => {
      expire = reject;
    });
    // Nobody may be waiting when it expires: a rejection with no listener must not crash the process.
    this.#spent.catch(() => {});
    this.#timer = setTimeout(() => {
      const spent = new CounterBudgetSpent(`the counters took more than ${ms} ms`);
      this.#controller.abort(spent);
      expire(spent);
    }, ms);
  }

  /** The call, or a `CounterBudgetSpent` once the budget is gone, whichever comes first. */
  run<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#controller.signal.aborted) return Promise.reject(this.#controller.signal.reason as Error);
    return Promise.race([call(this.#controller.signal), this.#spent]);
  }

  /** The decision is over: nothing more is waited for. */
  end(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Counters in this process's memory, on the time each request gives (`at`): a backtest replays stored
 * messages at their own times, and tests use it where no table is the point. Expired windows are
 * forgotten as new ones begin.
 */
export class MemoryPolicyCounters implements PolicyCounters {
  readonly #counts = new Map<string, { count: number; endsAt: number }>();
  readonly #penalties = new Map<string, number>();

  async count(request: CountRequest): Promise<number> {
    const start = Math.floor(request.at / request.windowMs) * request.windowMs;
    const key = `${request.kind}\u0000${request.rule}\u0000${request.subject}`;
    const found = this.#counts.get(key);
    const current = found !== undefined && found.endsAt === start + request.windowMs ? found : { count: 0, endsAt: start + request.windowMs };
    current.count++;
    this.#counts.set(key, current);
    return current.count;
  }

  async penaltyUntil(request: PenaltyRequest): Promise<number | undefined> {
    return this.#penalties.get(`${request.rule}\u0000${request.subject}`);
  }

  async punish(request: PenaltyRequest & { readonly until: number }): Promise<void> {
    this.#penalties.set(`${request.rule}\u0000${request.subject}`, request.until);
  }
}
