/**
 * Keeps one client's calls of each API within Tencent's per-API limit (200 calls a second by default,
 * rest-errors.ts), retries included: a call that would be the limit's next within the last second
 * waits until the oldest of them is a second old. Per process: Lambda instances running side by side
 * each keep their own count, so past that Tencent's 60007 and the client's backoff do the rest.
 */
export interface CallRateOptions {
  /** Calls allowed per API in any one second. */
  readonly perSecond: number;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
  /** Waits. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface CallRate {
  /** Resolves when a call of `api` may start now, and counts it. */
  take(api: string): Promise<void>;
}

export function callRate({ perSecond, now = Date.now, sleep = sleepFor }: CallRateOptions): CallRate {
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new TypeError('callRate: perSecond must be a positive whole number');
  /** Each API's call start times within the last second, oldest first. */
  const recent = new Map<string, number[]>();
  return {
    async take(api) {
      const starts = recent.get(api) ?? [];
      recent.set(api, starts);
      for (;;) {
        const time = now();
        while (starts.length > 0 && starts[0]! <= time - 1000) starts.shift();
        if (starts.length < perSecond) {
          starts.push(time);
          return;
        }
        await sleep(starts[0]! + 1000 - time);
      }
    },
  };
}
