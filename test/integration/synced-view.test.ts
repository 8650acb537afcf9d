import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { batches, lives, propertySeed, schedules } from '../support/group-lives.ts';
import { post, startTestReceiver, storedEvents, type TestReceiver, testSettings } from '../support/receiver.ts';
import { referenceFold, referenceGroup, referenceUser } from '../support/state-reference.ts';

/**
 * The runs share a receiver, each posting as an SDKAppID of its own, so a run sees only its own events
 * and the view of no other (and shows that apps do not mix): a receiver per run cost a store thread's
 * start and the store's close, whose grace for writes under way is a wait. Shrinking, which may take
 * more runs than there are SDKAppIDs, gets another receiver once they are used up.
 */
const APPS_PER_RECEIVER = 20;
const apps = Array.from({ length: APPS_PER_RECEIVER }, (_, n) => String(1_400_000_100 + n));
let shared: { receiver: TestReceiver; used: number } | undefined;
const closing: Promise<void>[] = [];
async function nextRun(): Promise<{ receiver: TestReceiver; app: string }> {
  if (shared === undefined || shared.used === apps.length) {
    if (shared !== undefined) closing.push(shared.receiver.close());
    shared = { receiver: await startTestReceiver({ settings: testSettings({ sdkAppIds: apps }) }), used: 0 };
  }
  return { receiver: shared.receiver, app: apps[shared.used++]! };
}
afterAll(async () => {
  await Promise.all([...closing, shared?.receiver.close()]);
});

describe('the synced view through the local receiver', () => {
  test('callbacks posted over HTTP, shuffled, repeated and concurrent, give the reference fold of what was stored', async () => {
    const seed = propertySeed('synced view over HTTP');
    const property = fc.asyncProperty(
      lives(25).chain((life) => fc.tuple(schedules(life), fc.integer({ min: 1, max: 4 }))),
      async ([schedule, connections]) => {
        const { receiver, app } = await nextRun();
        await Promise.all(
          batches(schedule, connections).map(async (share) => {
            for (const callback of share) {
              const { status } = await post(receiver, {
                command: callback.command,
                body: callback.body,
                sdkAppId: app,
                query: { OptPlatform: callback.platform },
              });
              expect(status).toBe(200);
            }
          }),
        );
        await receiver.state.idle();
        // The reference folds this run's events as the table keeps them: with their arrival times.
        const fold = referenceFold((await storedEvents(receiver)).filter((event) => event.sdkAppId === app));
        const state = new DynamoDbStateStore(receiver.store.client, LOCAL_STATE_TABLE_NAME);
        for (const groupId of ['@TGS#g1', '@TGS#g2']) expect(await state.group(app, groupId)).toEqual(referenceGroup(app, groupId, fold));
        for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(app, account)).toEqual(referenceUser(app, account, fold));
      },
    );
    await fc.assert(property, { seed, numRuns: 6 });
  });
});
