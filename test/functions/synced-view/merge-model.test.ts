import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { commandRegistry } from '../../../functions/commands/registry.ts';
import type { StoredEvent } from '../../../functions/store/event-store.ts';
import { deltaOf } from '../../../functions/synced-view/delta.ts';
import type { Patch } from '../../../functions/synced-view/patch.ts';
import { groupView, mergePatches, userView } from '../../../functions/synced-view/view.ts';
import { batches, type Callback, lives, propertySeed, schedules, storedEventOf } from '../../support/group-lives.ts';
import { referenceFold, referenceGroup, referenceUser } from '../../support/state-reference.ts';

const APP = '1400000000';
const groups = ['@TGS#g1', '@TGS#g2'];
const users = ['ann', 'bob', 'cy', 'dee'];

/** The life's events as the store keeps them: one per distinct body, arriving in the life's order. */
const storedLife = (life: readonly Callback[]): StoredEvent[] => [
  ...new Map(
    life
      .map((callback, index) => {
        const event = storedEventOf(APP, callback, 1_700_000_000_000 + index * 3);
        return [event.eventId, event] as const;
      })
      .reverse(),
  ).values(),
];

function viewsOf(state: ReadonlyMap<string, Patch>) {
  const entities = [...state.values()];
  return {
    groups: groups.map((id) =>
      groupView(
        APP,
        id,
        entities.filter(({ ref }) => ref.scope === 'group' && ref.id === id),
      ),
    ),
    users: users.map((id) => userView(APP, id, entities.find(({ ref }) => ref.scope === 'user' && ref.id === id)?.entity)),
  };
}

function referenceViews(events: readonly StoredEvent[]) {
  const fold = referenceFold(events);
  return { groups: groups.map((id) => referenceGroup(APP, id, fold)), users: users.map((id) => referenceUser(APP, id, fold)) };
}

const fold = (events: readonly StoredEvent[]) => mergePatches(new Map(), events.flatMap(deltaOf));

describe('the merge model', () => {
  test('any order, any repetition, any split into concurrent batches gives the reference fold in time order', () => {
    const seed = propertySeed('merge model');
    const run = fc.property(
      lives(40).chain((life) => {
        const events = storedLife(life);
        return fc.tuple(fc.constant(events), schedules(events), fc.integer({ min: 1, max: 4 }));
      }),
      ([events, schedule, parts]) => {
        // Each batch folded on its own, as concurrent writers would, then the results merged.
        const states = batches(schedule, parts).map(fold);
        const merged = states.reduce((all, state) => mergePatches(all, state.values()), new Map<string, Patch>());
        expect(viewsOf(merged)).toEqual(referenceViews(events));
      },
    );
    fc.assert(run, { seed, numRuns: 300 });
  });

  const event = (body: Record<string, unknown>, receivedAt = 1) =>
    storedEventOf(APP, { command: String(body.CallbackCommand), body: JSON.stringify(body), platform: 'iOS' }, receivedAt);
  const join = (account: string, time: number) =>
    event({ CallbackCommand: 'Group.CallbackAfterNewMemberJoin', GroupId: 'g', NewMemberList: [{ Member_Account: account }], EventTime: time });
  const exit = (account: string, time: number) =>
    event({ CallbackCommand: 'Group.CallbackAfterMemberExit', GroupId: 'g', ExitMemberList: [{ Member_Account: account }], EventTime: time });
  const groupOf = (...events: StoredEvent[]) => groupView(APP, 'g', [...fold(events).values()]);

  test('a removal leaves a tombstone: an older join that arrives late does not bring the member back', () => {
    expect(groupOf(exit('bob', 20), join('bob', 10))?.members).toEqual([]);
    expect(groupOf(exit('bob', 20), join('bob', 30))?.members).toEqual([{ account: 'bob', role: 'Member' }]);
  });

  test('the creation makes the owner a member with role Owner, and the listed members members', () => {
    const created = groupOf(
      event({
        CallbackCommand: 'Group.CallbackAfterCreateGroup',
        GroupId: 'g',
        Type: 'Public',
        Name: 'n',
        Owner_Account: 'ann',
        MemberList: [{ Member_Account: 'bob' }],
        EventTime: '5',
      }),
    );
    expect(created).toEqual({
      sdkAppId: APP,
      groupId: 'g',
      type: 'Public',
      name: 'n',
      owner: 'ann',
      destroyed: false,
      members: [
        { account: 'ann', role: 'Owner' },
        { account: 'bob', role: 'Member' },
      ],
      topics: [],
      attributes: {},
      updatedAt: 5,
    });
  });

  test('attributes: set replaces them all, modify adds, delete and clear remove; a late older set loses to a clear', () => {
    const attrs = (OptionType: string, pairs: [string, string][], time: number) =>
      event({
        CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
        GroupId: 'g',
        OptionType,
        GroupAttr: pairs.map(([key, value]) => ({ key, value })),
        EventTime: time,
      });
    expect(groupOf(attrs('modify', [['a', '1']], 1), attrs('set', [['b', '2']], 2), attrs('modify', [['c', '3']], 3))?.attributes).toEqual({ b: '2', c: '3' });
    expect(groupOf(attrs('clear', [], 5), attrs('modify', [['a', '1']], 4))?.attributes).toEqual({});
    expect(
      groupOf(
        attrs(
          'modify',
          [
            ['a', '1'],
            ['b', '2'],
          ],
          1,
        ),
        attrs('delete', [['a', '']], 2),
      )?.attributes,
    ).toEqual({ b: '2' });
  });

  test('a topic change naming no topic changes nothing; topic callbacks are ordered by arrival', () => {
    const created = event({ CallbackCommand: 'Group.CallbackAfterCreateTopic', GroupId: 'g', TopicId: 't', Name: 'first' }, 100);
    const renamed = event({ CallbackCommand: 'Group.CallbackAfterTopicInfoChanged', GroupId: 'g', TopicId: 't', Name: 'second' }, 200);
    const anonymous = event({ CallbackCommand: 'Group.CallbackAfterTopicInfoChanged', GroupId: 'g', Name: 'who?' }, 300);
    expect(groupOf(renamed, anonymous, created)?.topics).toEqual([{ topicId: 't', name: 'second' }]);
  });

  test("a user's presence: online, the last action and the platform of the latest state change", () => {
    const change = (Action: string, time: number) =>
      event({ CallbackCommand: 'State.StateChange', EventTime: time, Info: { Action, To_Account: 'ann', Reason: 'r' } });
    const state = fold([change('Disconnect', 30), change('Login', 10)]);
    expect(userView(APP, 'ann', [...state.values()][0]!.entity)).toEqual({
      sdkAppId: APP,
      account: 'ann',
      online: false,
      lastAction: 'Disconnect',
      platform: 'iOS',
      updatedAt: 30,
    });
  });

  test("every command's example changes the view exactly when its definition declares a projection", () => {
    for (const definition of commandRegistry.values()) {
      if (definition.kind !== 'after') continue;
      const patches = deltaOf(event(definition.example as Record<string, unknown>));
      // TopicInfoChanged's example, like Tencent's, names no topic: it cannot change anything.
      const expected = definition.projection !== undefined && definition.command !== 'Group.CallbackAfterTopicInfoChanged';
      expect([definition.command, patches.length > 0]).toEqual([definition.command, expected]);
    }
  });

  test('an event that failed its schema, or whose command projects nothing, changes nothing', () => {
    expect(deltaOf({ ...join('bob', 1), valid: false })).toEqual([]);
    expect(deltaOf(event({ CallbackCommand: 'Group.CallbackAfterGroupFull', GroupId: 'g', EventTime: 1 }))).toEqual([]);
  });

  test('the group is the one the stored event names, as the callback worked it out, not read from the body again', () => {
    const refs = (stored: StoredEvent) => deltaOf(stored).map((patch) => patch.ref.id);
    expect(refs({ ...join('bob', 1), groupId: 'as stored' })).toEqual(['as stored']);
    expect(refs({ ...join('bob', 1), groupId: undefined })).toEqual([]);
  });
  describe('a live room (docs/synced-view.md#live-rooms)', () => {
    const live = (body: Record<string, unknown>) => event({ RoomId: 'g', ...body });
    const online = (type: 'Online' | 'Offline', time: number, ...accounts: unknown[]) =>
      live({
        CallbackCommand: 'Live.CallbackAfterMemberStateChanged',
        EventType: type,
        MemberList: accounts.map((Member_Account) => ({ Member_Account })),
        EventTime: time,
      });
    const admins = (opType: string, time: number, ...accounts: string[]) =>
      live({ CallbackCommand: 'Live.CallbackAfterModifyAdmin', opType, Admin_Account: accounts, EventTime: time });

    test('its members are who is online now; an admin who goes offline stays an admin', () => {
      const room = groupOf(admins('add', 10, 'mod'), online('Online', 11, 'mod', 'fan', 10001), online('Offline', 12, 'mod'));
      expect(room).toMatchObject({ members: [{ account: '10001' }, { account: 'fan' }], admins: ['mod'] });
      expect(groupOf(admins('add', 10, 'mod'), admins('delete', 11, 'mod'))?.admins).toBeUndefined();
      // An opType the page does not document changes no one.
      expect(groupOf(admins('promote', 10, 'mod'))?.admins).toBeUndefined();
    });

    test('a seat by its index: who sits on it until a later change empties it, in index order', () => {
      const seats = (time: number, ...list: Record<string, unknown>[]) =>
        live({ CallbackCommand: 'Mic.CallbackAfterSeatInfoChanged', SeatList: list, EventTime: time });
      const room = groupOf(
        seats(10, { Index: 10, Member_Account: 'a' }, { Index: 2, Member_Account: 'b', IsVideoDisabled: true }),
        seats(12, { Index: 2, IsVideoDisabled: false }),
        seats(11, { Index: 2, Member_Account: 'late' }),
      );
      expect(room?.seats).toEqual([
        { index: '2', videoDisabled: false },
        { index: '10', account: 'a' },
      ]);
    });

    test("the room's profile: created, renamed, handed over, destroyed", () => {
      const room = groupOf(
        live({
          CallbackCommand: 'Live.CallbackAfterCreateRoom',
          RoomInfo: { RoomId: 'g', RoomName: 'Show', RoomType: 'Live', Owner_Account: 'host' },
          EventTime: 1,
        }),
        live({ CallbackCommand: 'Live.CallbackAfterUpdateRoomInfo', RoomInfo: { RoomId: 'g', RoomName: 'Late show' }, EventTime: 2 }),
        live({ CallbackCommand: 'Live.CallbackAfterChangeOwner', CurrentOwner_Account: 'cohost', OriginalOwner_Account: 'host', EventTime: 3 }),
        live({ CallbackCommand: 'Live.CallbackAfterDestroyRoom', EventType: 'DestroyByUser', RoomInfo: { RoomType: 'Live' }, EventTime: 4 }),
      );
      expect(room).toMatchObject({ type: 'Live', name: 'Late show', owner: 'cohost', destroyed: true });
    });
  });
});
