import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Tries of a batch call's unprocessed part, backing off up to a second each: about 20 s in all,
 * inside a stream consumer's 60 s.
 */
const UNPROCESSED_ATTEMPTS = 25;

/** The wait before try `attempt` (counted from 0): 50 ms, doubling, a second at most. */
const backoffMs = (attempt: number) => Math.min(1_000, 25 * 2 ** attempt);

/** A batch call (BatchGetItem, BatchWriteItem) still left part of its work unprocessed after every try: DynamoDB is throttling. */
export class ThrottledBatchError extends Error {
  override readonly name = 'ThrottledBatchError';
}

/**
 * Sends `pending` with `call`, which answers what DynamoDB left unprocessed (it does when throttled),
 * until nothing is left, backing off between tries. Gives up rather than hang: after `attempts`
 * tries, a ThrottledBatchError says what was left (`left`, e.g. "3 items could not be read").
 */
export async function untilProcessed<T>(
  pending: readonly T[],
  call: (pending: readonly T[]) => Promise<readonly T[]>,
  left: (count: number) => string,
  { attempts = UNPROCESSED_ATTEMPTS }: { readonly attempts?: number } = {},
): Promise<void> {
  // Checked before anything is sent: with no try at all, work would be left unsent and reported as throttled.
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new RangeError(`untilProcessed: attempts must be a whole number of at least 1, not ${attempts}`);
  let rest = pending;
  for (let attempt = 0; rest.length > 0; attempt += 1) {
    if (attempt >= attempts) throw new ThrottledBatchError(`${left(rest.length)} after ${attempts} tries: the table is throttling`);
    if (attempt > 0) await sleep(backoffMs(attempt));
    rest = await call(rest);
  }
}
