import { eventIdOf } from '../functions/store/event-id.ts';
import type { StoredEvent } from '../functions/store/event-store.ts';
import { seededRandom } from '../test/support/seed.ts';

/**
 * The events that change the synced view, as issue 12's traffic mix sends them (bench/capacity-model.ts:
 * presence changes at 2,000/s over 100,000 users, a thousand small groups, one live room of 50,000),
 * with the group life a chat has around them: joins and exits, name cards and roles, renames,
 * attributes, new groups of three, owners changing. Messages change nothing in the view and cost the
 * consumer no call, so they are left out: the figures are per *projected* event.
 */
export interface StateStream {
  readonly name: string;
  readonly perSecond: number;
  /** The body of the n-th event of the stream (without EventTime and GroupId's group, added by `stateMixEvents`). */
  readonly body: (n: number, pick: (count: number) => number) => Record<string, unknown>;
  /** How many groups it spreads over; 0 for a user's presence. */
  readonly groups: number;
}

const members = (accounts: string[]) => accounts.map((Member_Account) => ({ Member_Account }));
const user = (pick: (count: number) => number, users: number) => `user${pick(users)}`;

export const stateMix: readonly StateStream[] = [
  {
    name: 'presence',
    perSecond: 2_000,
    groups: 0,
    body: (_, pick) => ({
      CallbackCommand: 'State.StateChange',
      Info: { Action: ['Login', 'Logout', 'Disconnect'][pick(3)], To_Account: user(pick, 100_000), Reason: 'Register' },
    }),
  },
  {
    name: 'live room joins and exits',
    perSecond: 300,
    groups: 1,
    body: (n, pick) =>
      n % 2 === 0
        ? { CallbackCommand: 'Group.CallbackAfterNewMemberJoin', Type: 'AVChatRoom', JoinType: 'Apply', NewMemberList: members([user(pick, 50_000)]) }
        : { CallbackCommand: 'Group.CallbackAfterMemberExit', Type: 'AVChatRoom', ExitType: 'Quit', ExitMemberList: members([user(pick, 50_000)]) },
  },
  {
    name: 'small groups: joins',
    perSecond: 60,
    groups: 1_000,
    body: (_, pick) => ({
      CallbackCommand: 'Group.CallbackAfterNewMemberJoin',
      Type: 'Public',
      JoinType: 'Invited',
      NewMemberList: members([user(pick, 10_000)]),
    }),
  },
  {
    name: 'small groups: exits',
    perSecond: 40,
    groups: 1_000,
    body: (_, pick) => ({
      CallbackCommand: 'Group.CallbackAfterMemberExit',
      Type: 'Public',
      ExitType: 'Kicked',
      ExitMemberList: members([user(pick, 10_000)]),
    }),
  },
  {
    name: 'small groups: name cards and roles',
    perSecond: 20,
    groups: 1_000,
    body: (n, pick) => ({
      CallbackCommand: 'Group.CallbackAfterMemberFieldChanged',
      Type: 'Public',
      Modified_Account: user(pick, 10_000),
      NameCard: `card ${n}`,
    }),
  },
  {
    name: 'small groups: renames',
    perSecond: 10,
    groups: 1_000,
    body: (n) => ({ CallbackCommand: 'Group.CallbackAfterGroupInfoChanged', Type: 'Public', Name: `group ${n}`, Notification: `notice ${n}` }),
  },
  {
    name: 'small groups: attributes',
    perSecond: 10,
    groups: 1_000,
    body: (n, pick) => ({
      CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
      Type: 'Public',
      OptionType: 'modify',
      GroupAttr: [{ key: `k${pick(8)}`, value: `v${n}` }],
    }),
  },
  {
    name: 'new groups of three',
    perSecond: 5,
    groups: 1_000,
    body: (n, pick) => ({
      CallbackCommand: 'Group.CallbackAfterCreateGroup',
      Type: 'Public',
      Owner_Account: user(pick, 10_000),
      Name: `new ${n}`,
      MemberList: members([user(pick, 10_000), user(pick, 10_000), user(pick, 10_000)]),
    }),
  },
  {
    name: 'owners changing',
    perSecond: 2,
    groups: 1_000,
    body: (_, pick) => ({
      CallbackCommand: 'Group.CallbackAfterChangeGroupOwner',
      Type: 'Public',
      OldOwner_Account: user(pick, 10_000),
      NewOwner_Account: user(pick, 10_000),
    }),
  },
];

/** `seconds` of the mix as stored events, in the order they happened (times spread evenly within each second). */
export function stateMixEvents(sdkAppId: string, seconds: number, start = 1_764_600_000_000): StoredEvent[] {
  // Seed 19, always: the mix is the same on every run.
  const random = seededRandom(19);
  const pick = (count: number) => Math.floor(random() * count);
  const events: StoredEvent[] = [];
  for (const stream of stateMix) {
    for (let n = 0; n < stream.perSecond * seconds; n += 1) {
      const time = start + Math.floor((n * 1_000) / stream.perSecond);
      const groupId = stream.groups === 0 ? undefined : `@TGS#${stream.groups === 1 ? 'live' : `g${pick(stream.groups)}`}`;
      const body = JSON.stringify({ ...stream.body(n, pick), ...(groupId === undefined ? {} : { GroupId: groupId }), EventTime: time });
      const command = String(JSON.parse(body).CallbackCommand);
      events.push({
        eventId: eventIdOf(sdkAppId, command, body),
        command,
        kind: 'after',
        sdkAppId,
        groupId,
        eventTime: time,
        receivedAt: time + 40,
        optPlatform: 'Android',
        payload: body,
        valid: true,
        expiresAt: Math.floor(time / 1_000) + 7 * 86_400,
      });
    }
  }
  return events.sort((a, b) => (a.eventTime ?? 0) - (b.eventTime ?? 0));
}
