/**
 * Merges sources that each yield newest first (descending `key`) into one stream, newest first: the
 * k-way merge a listing needs once its key is spread over many partitions. Holds one head per
 * source, in a binary heap, so a merge of a thousand sources costs log2(1000) ≈ 10 comparisons an item.
 */
export async function* newestFirst<T>(sources: readonly AsyncIterator<T>[], key: (item: T) => string): AsyncGenerator<T> {
  type Head = { readonly key: string; readonly item: T; readonly source: AsyncIterator<T> };
  const heap: Head[] = [];
  const above = (a: Head, b: Head) => a.key > b.key;
  const push = (head: Head) => {
    heap.push(head);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!above(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && above(heap[left]!, heap[best]!)) best = left;
        if (right < heap.length && above(heap[right]!, heap[best]!)) best = right;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  };
  const advance = async (source: AsyncIterator<T>) => {
    const next = await source.next();
    if (next.done !== true) push({ key: key(next.value), item: next.value, source });
  };

  try {
    // Every source's first page is asked for at once: the sources bound their own concurrency.
    await Promise.all(sources.map(advance));
    while (heap.length > 0) {
      const top = pop();
      yield top.item;
      await advance(top.source);
    }
  } finally {
    // A consumer that stops early (a limit) ends the sources, so none keeps a page in flight.
    await Promise.all(sources.map((source) => source.return?.()));
  }
}

/** At most `concurrency` calls of the wrapped functions run at once; the rest wait their turn. */
export function limiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finished task hands its slot to the next in line, so a newcomer never slips in between.
    if (running >= concurrency) await new Promise<void>((go) => waiting.push(go));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running -= 1;
      else next();
    }
  };
}
