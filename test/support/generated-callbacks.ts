import fc from 'fast-check';
import { readAgain } from '../../functions/callback/after-events.ts';
import { eventIdOf } from '../../functions/store/event-id.ts';
import type { StoredEvent } from '../../functions/store/event-store.ts';

/** A callback's body, as a listing test writes it. */
export type Body = Record<string, unknown>;

/**
 * What listings are tested over (test/integration/store/event-listings.test.ts, and the migration's
 * listings, test/integration/cli/events-migrate.test.ts): ten minutes of callbacks among a few
 * accounts and groups, a chatbot and a live room among them.
 */
export const T0 = Date.UTC(2026, 0, 1);
export const SPAN_MS = 10 * 60_000;
export const ACCOUNTS = ['u0', 'u1', 'u2', 'u3', '@RBT#bot'];
export const GROUPS = ['@g0', '@g1', '@live'];

export const account = fc.constantFrom(...ACCOUNTS);
export const group = fc.constantFrom(...GROUPS);
export const time = fc.integer({ min: T0, max: T0 + SPAN_MS - 1 });

/**
 * Callbacks as Tencent sends them (docs/protocol.md): timed by EventTime or by a message's MsgTime,
 * or untimed; naming accounts in every role a listing by user finds (sender, receiver, member joined,
 * operator, old and new owner, both sides of a friendship, a topic's owner, a presence's owner).
 */
export const callback: fc.Arbitrary<{ command: string; body: Body }> = fc.oneof(
  fc.record({ g: group, from: account, t: time }).map(({ g, from, t }) => ({
    command: 'Group.CallbackAfterSendMsg',
    body: { GroupId: g, Type: g === '@live' ? 'AVChatRoom' : 'Public', From_Account: from, EventTime: t, MsgBody: [] },
  })),
  fc.record({ from: account, to: account, t: time }).map(({ from, to, t }) => ({
    command: 'C2C.CallbackAfterSendMsg',
    body: { From_Account: from, To_Account: to, MsgTime: Math.floor(t / 1000), MsgBody: [] },
  })),
  fc.record({ g: group, op: account, members: fc.uniqueArray(account, { minLength: 1, maxLength: 3 }), t: time }).map(({ g, op, members, t }) => ({
    command: 'Group.CallbackAfterNewMemberJoin',
    body: { GroupId: g, Type: 'Public', Operator_Account: op, NewMemberList: members.map((Member_Account) => ({ Member_Account })), EventTime: t },
  })),
  fc.record({ g: group, op: account, from: account, to: account, t: time }).map(({ g, op, from, to, t }) => ({
    command: 'Group.CallbackAfterChangeGroupOwner',
    body: { GroupId: g, Type: 'Public', Operator_Account: op, OldOwner_Account: from, NewOwner_Account: to, EventTime: t },
  })),
  fc.record({ a: account, b: account }).map(({ a, b }) => ({
    command: 'Sns.CallbackFriendAdd',
    body: { PairList: [{ From_Account: a, To_Account: b, Initiator_Account: a }], ClientCmd: 'friend_add' },
  })),
  fc.record({ g: group, op: account, owner: account }).map(({ g, op, owner }) => ({
    command: 'Group.CallbackAfterCreateTopic',
    body: { GroupId: g, TopicId: `${g}@TOPIC#t`, Operator_Account: op, Owner_Account: owner, Type: 'Community' },
  })),
  fc.record({ u: account, t: time }).map(({ u, t }) => ({
    command: 'State.StateChange',
    body: { EventTime: t, Info: { Action: 'Login', To_Account: u, Reason: 'Register' } },
  })),
  fc.constant({ command: 'Alert.RequestOverLimit', body: { ServiceName: 'openim', Command: 'sendmsg', Request: 510, Limit: 200 } }),
);

/**
 * An after-event as the callback chain stores it from `body` (the definition reads the body again:
 * after-events.ts `readAgain`), its id made distinct by `nonce`, kept a day past `receivedAt` unless
 * `expiresAt` says otherwise.
 */
export function storedAfterEvent(
  sdkAppId: string,
  { command, body, receivedAt }: { readonly command: string; readonly body: Body; readonly receivedAt: number },
  nonce: number,
  expiresAt = Math.floor(receivedAt / 1000) + 86_400,
): StoredEvent {
  const payload = JSON.stringify({ CallbackCommand: command, ...body, Nonce: nonce });
  return readAgain({ eventId: eventIdOf(sdkAppId, command, payload), command, kind: 'after', sdkAppId, receivedAt, payload, valid: true, expiresAt });
}

/**
 * ann's `n`-th one-to-one message to `to`, stored as an after-event, a second after the one before
 * (from 2023-11-14): the events the tests of an earlier key design's data copy.
 */
export const storedMessage = (sdkAppId: string, to: string, n: number): StoredEvent =>
  storedAfterEvent(
    sdkAppId,
    {
      command: 'C2C.CallbackAfterSendMsg',
      body: { From_Account: 'ann', To_Account: to, MsgTime: 1_700_000_000 + n, MsgBody: [] },
      receivedAt: 1_700_000_000_000 + n * 1000,
    },
    n,
  );
