/**
 * Generated lives of groups for the synced view's property tests: Tencent bodies (create, joins,
 * exits, profile changes, roles, owner changes, attributes, topics, destruction, users' logins, and
 * the same groups as live rooms: TUILiveKit's room, admin, audience and seat callbacks) over a
 * few accounts, topics and keys, so that changes collide; and delivery schedules for them (shuffles,
 * duplicates, concurrent batches). Seeds: TEST_SEED replays a printed run.
 */
import fc from 'fast-check';
import { subjectsOf } from '../../functions/commands/definition.ts';
import { commandDefinition, commandRegistry } from '../../functions/commands/registry.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';
import { testSeed } from './seed.ts';

export interface Callback {
  readonly command: string;
  readonly body: string;
  /** The URL's OptPlatform. */
  readonly platform: string;
}

const accounts = ['ann', 'bob', 'cy', 'dee'];
const topics = ['@TGS#_g@TOPIC#_t1', '@TGS#_g@TOPIC#_t2', '@TGS#_g@TOPIC#_t3'];
const keys = ['k1', 'k2', 'k3'];
const account = fc.constantFrom(...accounts);
const someAccounts = fc.subarray(accounts, { minLength: 1, maxLength: 3 });
const word = fc.constantFrom('red', 'green', 'blue', 'x', '');

type Step = (groupId: string) => Record<string, unknown> & { CallbackCommand: string };
const group =
  (command: string, fields: Record<string, unknown>): Step =>
  (GroupId) => ({ CallbackCommand: `Group.Callback${command}`, GroupId, Type: 'Community', ...fields });
const list = (names: string[]) => names.map((Member_Account) => ({ Member_Account }));
/** A live room's callback: the room is the group (docs/synced-view.md#live-rooms), its id the `RoomId`. */
const room =
  (command: string, fields: (RoomId: string) => Record<string, unknown>): Step =>
  (RoomId) => ({ CallbackCommand: command, ...fields(RoomId) });
/** An account as a seat's or a member's: also, in a sample, a bare number. */
const anyAccount = fc.oneof(account, fc.constant(10001));
const seat = fc.record(
  { Index: fc.nat(3), Member_Account: anyAccount, IsTakenDisabled: fc.boolean(), IsAudioDisabled: fc.boolean() },
  { requiredKeys: ['Index'] },
);

/** One thing that happens to a group (or to one of the users). */
const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ owner: account, members: someAccounts, name: word })
    .map(({ owner, members, name }) =>
      group('AfterCreateGroup', { Operator_Account: 'root', Owner_Account: owner, Name: name, Introduction: 'hi', MemberList: list(members) }),
    ),
  someAccounts.map((members) => group('AfterNewMemberJoin', { JoinType: 'Apply', Operator_Account: 'root', NewMemberList: list(members) })),
  someAccounts.map((members) => group('AfterMemberExit', { ExitType: 'Quit', Operator_Account: 'root', ExitMemberList: list(members) })),
  fc.record({ Name: word, Notification: word, FaceUrl: word }, { requiredKeys: [] }).map((fields) => group('AfterGroupInfoChanged', fields)),
  fc
    .record({ Modified_Account: account, Role: fc.constantFrom('Admin', 'Member'), NameCard: word }, { requiredKeys: ['Modified_Account'] })
    .map((fields) => group('AfterMemberFieldChanged', { Operator_Account: 'root', ...fields })),
  fc.tuple(account, account).map(([from, to]) => group('AfterChangeGroupOwner', { OldOwner_Account: from, NewOwner_Account: to })),
  fc
    .record({
      option: fc.constantFrom('set', 'modify', 'delete', 'clear'),
      pairs: fc.array(fc.record({ key: fc.constantFrom(...keys), value: word }), { maxLength: 3 }),
    })
    .map(({ option, pairs }) => group('AfterGroupAttrChanged', { OptionType: option, GroupAttr: pairs })),
  fc.record({ topic: fc.constantFrom(...topics), name: word }).map(({ topic, name }) => group('AfterCreateTopic', { TopicId: topic, Name: name })),
  fc.subarray(topics, { minLength: 1 }).map((ids) => group('AfterTopicDestroyed', { TopicIdList: ids })),
  fc
    .record({ topic: fc.option(fc.constantFrom(...topics), { nil: undefined }), name: word, intro: word })
    .map(({ topic, name, intro }) => group('AfterTopicInfoChanged', { ...(topic === undefined ? {} : { TopicId: topic }), Name: name, Introduction: intro })),
  fc.constant(group('AfterGroupDestroyed', { Owner_Account: 'ann', Name: 'gone' })),
  // A live room's life: the same group, told by TUILiveKit.
  fc.record({ owner: anyAccount, name: word }).map(({ owner, name }) =>
    room('Live.CallbackAfterCreateRoom', (RoomId) => ({
      Operator_Account: 'root',
      RoomInfo: { RoomId, RoomName: name, RoomType: 'Live', Owner_Account: owner },
    })),
  ),
  word.map((name) => room('Live.CallbackAfterUpdateRoomInfo', (RoomId) => ({ Operator_Account: 'root', RoomInfo: { RoomId, RoomName: name } }))),
  fc.constant(room('Live.CallbackAfterDestroyRoom', (RoomId) => ({ RoomId, EventType: 'DestroyByUser', RoomInfo: { RoomType: 'Live' } }))),
  fc
    .tuple(account, anyAccount)
    .map(([from, to]) => room('Live.CallbackAfterChangeOwner', (RoomId) => ({ RoomId, OriginalOwner_Account: from, CurrentOwner_Account: to }))),
  fc
    .record({ admins: someAccounts, opType: fc.constantFrom('add', 'delete') })
    .map(({ admins, opType }) => room('Live.CallbackAfterModifyAdmin', (RoomId) => ({ RoomId, Operator_Account: 'root', Admin_Account: admins, opType }))),
  fc
    .record({ members: fc.array(anyAccount, { minLength: 1, maxLength: 3 }), type: fc.constantFrom('Online', 'Offline') })
    .map(({ members, type }) =>
      room('Live.CallbackAfterMemberStateChanged', (RoomId) => ({ RoomId, EventType: type, EventCause: 'Enter', MemberList: list(members as string[]) })),
    ),
  fc.array(seat, { minLength: 1, maxLength: 3 }).map((seats) => room('Mic.CallbackAfterSeatInfoChanged', (RoomId) => ({ RoomId, SeatList: seats }))),
  fc.record({ user: account, action: fc.constantFrom('Login', 'Logout', 'Disconnect') }).map(({ user, action }) => () => ({
    CallbackCommand: 'State.StateChange',
    Info: { Action: action, To_Account: user, Reason: 'x' },
  })),
);

/**
 * Commands Tencent sends without `EventTime` (the topic callbacks), as their definitions' examples
 * show: their arrival time orders them.
 */
const untimed = new Set(
  [...commandRegistry.values()]
    .filter((definition) => definition.kind === 'after' && definition.example.EventTime === undefined)
    .map((definition) => definition.command),
);

/**
 * A life: up to `maxLength` callbacks for two groups, times rising by 0–2 ms (0: two events of the same
 * millisecond, which the event id orders). `EventTime` is a number or a string, as Tencent sends both.
 */
export const lives = (maxLength = 30): fc.Arbitrary<Callback[]> =>
  fc
    .array(fc.tuple(step, fc.constantFrom('@TGS#g1', '@TGS#g2'), fc.nat(2), fc.boolean(), fc.constantFrom('iOS', 'Android', 'Web')), {
      minLength: 1,
      maxLength,
    })
    .map((steps) => {
      let time = 1_700_000_000_000;
      return steps.map(([make, groupId, gap, asText, platform]) => {
        time += gap;
        const body = make(groupId);
        const timed = untimed.has(body.CallbackCommand) ? body : { ...body, EventTime: asText ? String(time) : time };
        return { command: body.CallbackCommand, body: JSON.stringify(timed), platform };
      });
    });

/** A delivery schedule: every callback at least once, some twice or more, in any order. */
export const schedules = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc
    .tuple(fc.array(fc.nat(Math.max(0, items.length - 1)), { maxLength: items.length }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })))
    .map(([repeats, keys]) => {
      const all = [...items, ...repeats.flatMap((index) => (items[index] === undefined ? [] : [items[index]!]))];
      const order = all.map((item) => [keys.next().value as number, item] as const);
      return order.sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    });

/** Splits a schedule into `parts` batches, round robin: what concurrent writers each take. */
export const batches = <T>(items: readonly T[], parts: number): T[][] =>
  Array.from({ length: parts }, (_, part) => items.filter((_, index) => index % parts === part));

/** The stored event the receiver makes of a callback (route-callback.ts), arriving at `receivedAt`. */
export function storedEventOf(sdkAppId: string, callback: Callback, receivedAt: number): StoredEvent {
  const parsed = JSON.parse(callback.body) as { EventTime?: number | string };
  return {
    eventId: eventIdOf(sdkAppId, callback.command, callback.body),
    command: callback.command,
    kind: 'after',
    sdkAppId,
    // The group, or the live room, the body names (a Live body's `RoomId`), as the receiver files it.
    groupId: subjectsOf(commandDefinition(callback.command), parsed).groupId,
    eventTime: parsed.EventTime === undefined ? undefined : Number(parsed.EventTime),
    receivedAt,
    optPlatform: callback.platform,
    payload: callback.body,
    valid: true,
    expiresAt: Math.floor(receivedAt / 1000) + 86_400,
  };
}

/** The seed of a property run: TEST_SEED replays one (test/support/seed.ts), printed either way. */
export const propertySeed = (name: string): number => testSeed(name);
