import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { MAX_KEY_PART_LENGTH } from '../../../functions/store/key-part.ts';
import { deltaOf } from '../../../functions/synced-view/delta.ts';
import { DynamoDbStateStore } from '../../../functions/synced-view/dynamodb-state-store.ts';
import { type EmbeddedStore, startEmbeddedStore } from '../../../local/embedded-store.ts';
import { LOCAL_STATE_TABLE_NAME } from '../../../local/local-state-table.ts';
import { batches, lives, propertySeed, schedules, storedEventOf } from '../../support/group-lives.ts';
import { referenceFold, referenceGroup, referenceUser } from '../../support/state-reference.ts';

let store: EmbeddedStore;
let state: DynamoDbStateStore;
beforeAll(async () => {
  store = await startEmbeddedStore({ port: 0 });
  state = new DynamoDbStateStore(store.client, LOCAL_STATE_TABLE_NAME);
});
afterAll(() => store.close());

describe('the state table (dynalite)', () => {
  test('concurrent writers, each with its share of a shuffled, repeated schedule, lose no update', async () => {
    const seed = propertySeed('state table');
    let run = 0;
    const property = fc.asyncProperty(
      lives(25).chain((life) => {
        const events = [...new Map(life.map((callback, index) => [callback.body, storedEventOf('x', callback, 1_700_000_000_000 + index)])).values()];
        return fc.tuple(fc.constant(life), schedules(events.map((_, index) => index)), fc.integer({ min: 2, max: 5 }));
      }),
      async ([life, schedule, writers]) => {
        // A SDKAppID per run: the runs share one table.
        const app = `14${String(++run).padStart(8, '0')}`;
        const events = [...new Map(life.map((callback, index) => [callback.body, storedEventOf(app, callback, 1_700_000_000_000 + index)])).values()];
        await Promise.all(
          batches(schedule, writers).map(async (share) => {
            for (const index of share) await state.apply(deltaOf(events[index]!));
          }),
        );
        const fold = referenceFold(events);
        for (const groupId of ['@TGS#g1', '@TGS#g2']) expect(await state.group(app, groupId)).toEqual(referenceGroup(app, groupId, fold));
        for (const account of ['ann', 'bob', 'cy', 'dee']) expect(await state.user(app, account)).toEqual(referenceUser(app, account, fold));
      },
    );
    await fc.assert(property, { seed, numRuns: 12 });
  });

  test('many writers on one member at once: every write is conditional, so the latest still wins', async () => {
    const app = '1399999999';
    const joins = Array.from({ length: 20 }, (_, index) =>
      storedEventOf(
        app,
        {
          command: 'Group.CallbackAfterMemberFieldChanged',
          body: JSON.stringify({
            CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
            GroupId: 'hot',
            Modified_Account: 'ann',
            NameCard: `card ${index}`,
            EventTime: 1000 + index,
          }),
          platform: 'Web',
        },
        1,
      ),
    );
    await Promise.all(joins.map((event) => state.apply(deltaOf(event))));
    expect((await state.group(app, 'hot'))?.members).toEqual([{ account: 'ann', nameCard: 'card 19' }]);
  });

  test('ids too long for a key are kept whole: the group, its members, and a user', async () => {
    const app = '1399999998';
    const [group, member, user] = ['g', 'm', 'u'].map((first) => `${first}${'x'.repeat(MAX_KEY_PART_LENGTH * 3)}`) as [string, string, string];
    const body = (fields: Record<string, unknown>) => JSON.stringify({ GroupId: group, EventTime: 1000, ...fields });
    const events = [
      storedEventOf(
        app,
        {
          command: 'Group.CallbackAfterNewMemberJoin',
          body: body({ CallbackCommand: 'Group.CallbackAfterNewMemberJoin', NewMemberList: [{ Member_Account: member }, { Member_Account: 'ann' }] }),
          platform: 'Web',
        },
        1,
      ),
      storedEventOf(
        app,
        {
          command: 'Group.CallbackAfterGroupInfoChanged',
          body: body({ CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', Name: 'long' }),
          platform: 'Web',
        },
        1,
      ),
      storedEventOf(
        app,
        {
          command: 'State.StateChange',
          body: JSON.stringify({ CallbackCommand: 'State.StateChange', EventTime: 1000, Info: { Action: 'Login', To_Account: user } }),
          platform: 'Web',
        },
        1,
      ),
    ];
    for (const event of events) await state.apply(deltaOf(event));
    expect(await state.group(app, group)).toMatchObject({ groupId: group, name: 'long', members: [{ account: 'ann' }, { account: member }] });
    expect(await state.user(app, user)).toMatchObject({ account: user, online: true });
    expect(await state.group(app, group.slice(0, MAX_KEY_PART_LENGTH))).toBeUndefined();
    expect(await state.clear([app])).toBe(4);
  });

  test('an unknown group or user is undefined, and clear removes only the SDKAppIDs named', async () => {
    expect(await state.group('1', 'nobody')).toBeUndefined();
    expect(await state.user('1', 'nobody')).toBeUndefined();
    expect(await state.clear(['1399999999'])).toBe(1);
    expect(await state.group('1399999999', 'hot')).toBeUndefined();
  });
});
