import { describe, expect, test } from '@jest/globals';
import type { Patch } from '../../functions/synced-view/patch.ts';
import type { StateStore } from '../../functions/synced-view/state-store.ts';
import { localStateFeed } from '../../local/local-state-feed.ts';
import { storedEventOf } from '../support/group-lives.ts';

const join = storedEventOf(
  '1400000000',
  {
    command: 'Group.CallbackAfterNewMemberJoin',
    body: JSON.stringify({ CallbackCommand: 'Group.CallbackAfterNewMemberJoin', GroupId: 'g', NewMemberList: [{ Member_Account: 'ann' }], EventTime: 5 }),
    platform: 'Web',
  },
  1,
);

/** A state store whose first `failures` applies fail, as a store that is down for a moment; `onApply` sees each call. */
function flakyStore(failures: number, onApply: (calls: number) => void = () => undefined) {
  const applied: Patch[][] = [];
  let calls = 0;
  const store: StateStore = {
    async apply(batch) {
      onApply(++calls);
      if (calls <= failures) throw new Error('store down');
      applied.push(batch.flatMap(({ patches }) => patches));
      return [];
    },
    group: async () => undefined,
    user: async () => undefined,
    openGeneration: () => Promise.reject(new Error('not rebuilt here')),
  };
  return { store, applied, calls: () => calls };
}

describe('the local state feed', () => {
  test('retries a projection the store failed, and idle() waits for it', async () => {
    const { store, applied } = flakyStore(2);
    const feed = localStateFeed(store, () => undefined);
    feed.listener(join);
    await feed.idle();
    expect(applied).toHaveLength(1);
    expect(applied[0]![0]!.ref).toMatchObject({ scope: 'group', id: 'g', part: 'member', key: 'ann' });
  });

  test('closed, it gives each projection one last try, then says which event the view missed and how to repair it', async () => {
    const retried = Promise.withResolvers<void>();
    const { store, calls } = flakyStore(Infinity, (count) => count === 2 && retried.resolve());
    const logged: string[] = [];
    const feed = localStateFeed(store, (line) => logged.push(line));
    expect(() => feed.listener(join)).not.toThrow();
    // Tried twice: the feed now waits before the next try.
    await retried.promise;
    const tried = calls();
    let closed = false;
    const closing = feed.close().then(() => (closed = true));
    // At once, not after the wait, nor the retries' 40 s: done before the event loop turns, when no
    // timer can have fired yet (whatever the machine's speed), with the try under way, or one more.
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    await closing;
    expect(calls()).toBeLessThanOrEqual(tried + 1);
    expect(logged).toEqual([expect.stringMatching(new RegExp(`missed ${join.eventId} .*store down.*--rebuild`))]);
  });
});
