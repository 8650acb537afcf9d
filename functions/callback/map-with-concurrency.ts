/**
 * `map` over `items` with at most `concurrency` calls in flight, results in the items' order: a
 * batch's writes without one request (and its socket, retries and memory) per item at once.
 *
 * On the first failure no further call starts; the calls already in flight are waited for, then that
 * failure is thrown. Waiting matters in Lambda: a write still running after the answer would resume
 * in the next invocation's frozen-and-thawed environment, or never.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, map: (item: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError('mapWithConcurrency: concurrency must be a positive whole number');
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await map(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
  if (failure !== undefined) throw failure.error;
  return results;
}
