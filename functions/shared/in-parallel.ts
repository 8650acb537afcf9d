/**
 * Runs `work` on every item, at most `limit` at once, and resolves when all are done (rejecting with
 * the first failure, once every started one has settled). Enough requests under way to go fast, few
 * enough not to queue behind the SDK's sockets or throttle an on-demand table.
 */
export async function inParallel<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (queue.length > 0 && failure === undefined) {
      try {
        await work(queue.shift() as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
