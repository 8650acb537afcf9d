import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DynamoDbStateStore } from '../../functions/synced-view/dynamodb-state-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../local/local-state-table.ts';
import { batches, lives, propertySeed, schedules } from '../support/group-lives.ts';
import { post, SDK_APP_ID, startTestReceiver, storedEvents } from '../support/receiver.ts';
import { referenceFold, referenceGroup, referenceUser } from '../support/state-reference.ts';

describe('the synced view through the local receiver', () => {
  test('callbacks posted over HTTP, shuffled, repeated and concurrent, give the reference fold of what was stored', async () => {
    const seed = propertySeed('synced view over HTTP');
    const property = fc.asyncProperty(
      lives(25).chain((life) => fc.tuple(schedules(life), fc.integer({ min: 1, max: 4 }))),
      async ([schedule, connections]) => {
        const receiver = await startTestReceiver();
        try {
          await Promise.all(
            batches(schedule, connections).map(async (share) => {
              for (const callback of share) {
                const { status } = await post(receiver, { command: callback.command, body: callback.body, query: { OptPlatform: callback.platform } });
                expect(status).toBe(200);
              }
            }),
          );
          await receiver.state.idle();
          // The reference folds the events as the table keeps them: with their arrival times.
          const fold = referenceFold(await storedEvents(receiver));
          const state = new DynamoDbStateStore(receiver.store.client, LOCAL_STATE_TABLE_NAME);
          for (const groupId of ['@TGS#g1', '@TGS#g2']) expect(await state.group(SDK_APP_ID, groupId)).toEqual(referenceGroup(SDK_APP_ID, groupId, fold));
          for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(SDK_APP_ID, account)).toEqual(referenceUser(SDK_APP_ID, account, fold));
        } finally {
          await receiver.close();
        }
      },
    );
    await fc.assert(property, { seed, numRuns: 6 });
  });
});
