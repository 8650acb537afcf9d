import * as v from 'valibot';
import { LATEST_TIME_MS } from '../shared/latest-time.ts';
import { type FieldPath, type PathStep, parsePath, readPath } from './field-path.ts';
import { eventTime } from './fields.ts';

/**
 * What an event is about, as its definition declares it (definition.ts) and as a body reads by it:
 * the group it happened in, the accounts it names and the part each plays, who acted, and when. The
 * store files an event under its place and its actor and finds it by any account it names; the
 * record and the bus show them (docs/commands.md#subjects).
 */

/** One account an event names, and the part it plays there: `sender`, `receiver`, `operator`, `member`… */
export interface RoleAccount {
  readonly role: string;
  readonly account: string;
}

/** Where a role's accounts are: a path, or several when Tencent's pages spell the field more than one way. */
export type RolePaths = FieldPath | readonly FieldPath[];

/**
 * When the event's group is busy enough to spread wide in the store: when a field has a value, or one
 * of several (a live room: `Type` is `AVChatRoom` or `Live`), or always (`true`: a command only live
 * rooms send). Only a group is spread by its definition; a busy account is the store's to know
 * (chatbots, a setting).
 */
export type BusyRule = { readonly path: FieldPath; readonly equals: string | readonly string[] } | true;

/**
 * A group whose `Type` is `AVChatRoom` is a live room: no member limit, and messages at rates no other
 * group sees; the Live product's rooms send their group messages with `Type` `Live`
 * (docs/protocol.md#group).
 */
export const liveRoom: BusyRule = { path: 'Type', equals: ['AVChatRoom', 'Live'] };

/** A body field that tells when the event happened, and how it counts. */
export interface TimeField {
  readonly path: FieldPath;
  readonly unit: 'ms' | 's';
}

/** Tencent's `EventTime`, in milliseconds: the time field of nearly every command (`Push.*` counts seconds). */
export const EVENT_TIME = 'EventTime';
export const defaultTimeFields: readonly TimeField[] = [{ path: EVENT_TIME, unit: 'ms' }];
/**
 * A message callback's: `EventTime`, else the message's `MsgTime` (seconds), which is when the event
 * happened for a send (`C2C.CallbackAfterSendMsg`'s pages show no `EventTime`). Not for a callback
 * about an older message (an edit, a push), whose `MsgTime` is that message's.
 */
export const messageTimeFields: readonly TimeField[] = [...defaultTimeFields, { path: 'MsgTime', unit: 's' }];

/**
 * Which ids and accounts a body names, as paths into it: a family's defaults, overridden per command
 * (defineFamily merges `accounts` role by role, the rest field by field).
 */
export interface SubjectPaths {
  /** The group the event happened in: its place when present (the first non-empty string found). */
  readonly groupId?: FieldPath;
  /** Other groups the body names (`C2C.CallbackAfterMsgReadAll`'s `GroupReadInfo[].GroupId`). */
  readonly groups?: readonly FieldPath[];
  readonly topicId?: FieldPath;
  /**
   * Every account the body names, by role: `sender`, `receiver`, `operator`, `member`, `invited`,
   * `newOwner`, `friend`… The names read as they are in a record, a CLI and a listing (`--user` finds
   * an account in any role).
   */
  readonly accounts: Readonly<Record<string, RolePaths>>;
  /** The role whose account is the event's place when it has no group: a one-to-one message's `receiver`. */
  readonly place?: string;
  /** The role that acted: usually the `sender` or the `operator`. */
  readonly actor?: string;
  readonly busy?: BusyRule;
}

/** What a body is about, read by its definition's subject paths and time fields. */
export interface Subjects {
  /** The event's group, whole however long (only keys hash a long one). */
  readonly groupId?: string;
  /** Every group the body names, its own `groupId` first; each once. */
  readonly groupIds: readonly string[];
  readonly topicId?: string;
  /** Every account the body names with its role, each once per role, in body order (roles as their fields come). */
  readonly accounts: readonly RoleAccount[];
  /** The place's account, when the event has no group: the first account of the `place` role. */
  readonly placeAccount?: string;
  /**
   * The first account of the `actor` role. It may be the place's account itself (a follower, an owner
   * changing their own profile, a message to oneself): a store need not file the event twice.
   */
  readonly actor?: string;
  /** The event has a group, and its definition's busy rule matches. */
  readonly busy: boolean;
  /** When it happened, in epoch ms: the first time field with a usable value. */
  readonly time?: number;
  /** The field `time` came from. */
  readonly timeField?: FieldPath;
  /** The account the event is by, else the one it happened to: `actor`, else `placeAccount`. The record and the bus show it. */
  readonly user?: string;
}

type Body = Readonly<Record<string, unknown>>;

/** Paths parsed once: definitions are few and fixed, and subjects are read on every callback. */
const parsedPaths = new Map<FieldPath, readonly PathStep[]>();
function stepsOf(path: FieldPath): readonly PathStep[] {
  let steps = parsedPaths.get(path);
  if (steps === undefined) {
    steps = parsePath(path) ?? [];
    parsedPaths.set(path, steps);
  }
  return steps;
}

/** Every non-empty string at a path, in body order. A wrong type is no subject, and never loses an event. */
const strings = (body: Body, path: FieldPath): string[] => readPath(body, path).filter((value): value is string => typeof value === 'string' && value !== '');

/**
 * Every account at a path: the non-empty strings, and whole numbers as their decimal text, as the
 * Live, Room and Call samples send ids (`"Member_Account": 144115233775727695`; one that large is
 * its exact digits already, functions/shared/exact-json.ts). A number that is not a safe integer
 * could be a rounded id, so it names no one.
 */
export const accountsAt = (body: unknown, path: FieldPath): string[] =>
  readPath(body, path).flatMap((value) =>
    typeof value === 'string' ? (value === '' ? [] : [value]) : typeof value === 'number' && Number.isSafeInteger(value) ? [String(value)] : [],
  );

const first = (body: Body, path: FieldPath | undefined): string | undefined => (path === undefined ? undefined : strings(body, path)[0]);

/**
 * Every role's accounts, each once per role, in body order: the roles as their fields come in the body
 * (by the top-level field each is found in; declared order within one), and within a role its
 * accounts as they come. A record reads `sender=… receiver=…` as Tencent wrote them.
 */
function accountsOf(paths: SubjectPaths['accounts'], body: Body): RoleAccount[] {
  const found: { role: string; field: string; accounts: string[] }[] = [];
  for (const [role, rolePaths] of Object.entries(paths)) {
    const accounts = new Set<string>();
    let field: string | undefined;
    for (const path of typeof rolePaths === 'string' ? [rolePaths] : rolePaths) {
      const before = accounts.size;
      for (const account of accountsAt(body, path)) accounts.add(account);
      if (accounts.size > before) field ??= stepsOf(path)[0]!.key;
    }
    if (field !== undefined) found.push({ role, field, accounts: [...accounts] });
  }
  if (found.length > 1) {
    const fields = Object.keys(body);
    // A stable sort: roles found in one field keep their declared order.
    found.sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
  }
  return found.flatMap(({ role, accounts }) => accounts.map((account) => ({ role, account })));
}

/**
 * A time field's value in epoch ms, if usable: an integer (or its digits, as Tencent's samples send
 * `EventTime` too, docs/protocol.md#field-types) that is a time of a four-digit year once in ms.
 */
function usableTime(value: unknown, unit: TimeField['unit']): number | undefined {
  const parsed = v.safeParse(eventTime, value);
  if (!parsed.success) return undefined;
  const ms = unit === 's' ? parsed.output * 1000 : parsed.output;
  return ms <= LATEST_TIME_MS ? ms : undefined;
}

function busyOf(rule: BusyRule | undefined, body: Body): boolean {
  if (rule === undefined || rule === true) return rule === true;
  const values: readonly string[] = typeof rule.equals === 'string' ? [rule.equals] : rule.equals;
  return readPath(body, stepsOf(rule.path)).some((value) => (typeof value === 'string' || typeof value === 'number') && values.includes(String(value)));
}

/** What a body is about, by its definition's subject paths and time fields. */
export function subjectsOf(definition: { readonly subjects: SubjectPaths; readonly timeFields: readonly TimeField[] }, body: Body): Subjects {
  const { subjects: paths } = definition;
  const groupId = first(body, paths.groupId);
  const groupIds = [...new Set([...(groupId === undefined ? [] : [groupId]), ...(paths.groups ?? []).flatMap((path) => strings(body, path))])];
  const accounts = accountsOf(paths.accounts, body);
  const accountOf = (role: string | undefined) => (role === undefined ? undefined : accounts.find((named) => named.role === role)?.account);
  const placeAccount = groupId === undefined ? accountOf(paths.place) : undefined;
  const actor = accountOf(paths.actor);
  let time: Pick<Subjects, 'time' | 'timeField'> = {};
  for (const { path, unit } of definition.timeFields) {
    const ms = usableTime(readPath(body, stepsOf(path))[0], unit);
    if (ms !== undefined) {
      time = { time: ms, timeField: path };
      break;
    }
  }
  return {
    groupId,
    groupIds,
    topicId: first(body, paths.topicId),
    accounts,
    placeAccount,
    actor,
    busy: groupId !== undefined && busyOf(paths.busy, body),
    ...time,
    user: actor ?? placeAccount,
  };
}
