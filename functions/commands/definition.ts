import * as v from 'valibot';
import { isObject } from '../shared/is-object.ts';
import { type FieldPath, parsePath, readPath } from './field-path.ts';
import { nullAsAbsent } from './null-as-absent.ts';
import type { Projection } from './projection.ts';
import { defaultTimeFields, type SubjectPaths, type Subjects, subjectsOf, type TimeField } from './subjects.ts';

export type { FieldPath } from './field-path.ts';
export type { BusyRule, RoleAccount, RolePaths, SubjectPaths, Subjects, TimeField } from './subjects.ts';
export { defaultTimeFields, EVENT_TIME, liveRoom, messageTimeFields, subjectsOf } from './subjects.ts';

/**
 * What a command definition owns: everything about a callback command that varies by command. The
 * chain, the record, the policy, the store and the state projection read it; none of them branches
 * on a command or family name.
 *
 * - `before`: Tencent waits for a decision; the policy answers; nothing is stored, ever.
 * - `after`: Tencent reports what happened; the event is stored exactly once.
 */
export const commandKinds = ['before', 'after'] as const;
export type CommandKind = (typeof commandKinds)[number];

/**
 * The kind a stored event or a record carries: `unregistered` marks an after-event of a command with
 * no definition (stored as received), so metrics and listings can tell it from a known one.
 */
export const eventKinds = [...commandKinds, 'unregistered'] as const;
export type EventKind = (typeof eventKinds)[number];
/** The kinds a stored event can have: before-callbacks are never stored. */
export const storedKinds = ['after', 'unregistered'] as const satisfies readonly EventKind[];

/**
 * Which Tencent product's callback settings send a command to the receiver: Chat's console (the IM
 * families, and the group messages and follows the Live product reuses), or the TRTC products' own
 * (`v4/live_config/set_callback` and the TUILiveKit console tab, `room_config`, `call_config`:
 * docs/protocol.md#products). `Mic.*` is sent by Live and by Room.
 */
export const productNames = ['chat', 'live', 'room', 'call'] as const;
export type ProductName = (typeof productNames)[number];

export type Body = Readonly<Record<string, unknown>>;
export type BodySchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

/** A range of `ErrorCode`s, both ends included. */
export interface CodeRange {
  readonly min: number;
  readonly max: number;
}

/**
 * What a before-callback's answer may say besides allow (docs/protocol.md#answers).
 * Only what is declared here can a policy rule ask for; the rest is refused when the policy loads.
 */
export interface BeforeAnswers {
  /** `ErrorCode`s that refuse, e.g. 1 and 10100–10200 for `Group.*`. Empty: the command cannot be refused. */
  readonly refusalCodes: readonly CodeRange[];
  /** What the client is told on `ErrorCode` 1, for docs/commands.md#commands-table. */
  readonly refusedClientError?: number;
  /** `ErrorCode` 2 drops the message silently: the sender is told it was sent (send-message callbacks). */
  readonly drop?: boolean;
  /**
   * `ErrorCode` 0 with the message rewritten: a mask rule's answer (send-message callbacks). `text`
   * is the path of the texts a mask may change; its first field is what the answer carries whole
   * (`MsgBody[].MsgContent.Text` answers with `MsgBody`).
   */
  readonly rewrite?: { readonly text: FieldPath };
  /**
   * `ErrorCode` 0 refusing some of the listed accounts while the rest go on: `accounts` is the path
   * of the accounts, `answerField` the answer's list of those refused (`RefusedMembers_Account`).
   */
  readonly refuseMembers?: { readonly accounts: FieldPath; readonly answerField: string };
  /**
   * A result per item instead of one decision (`Sns.*`): the answer's `answerField` holds, for every
   * element of `list`, `{ [account]: …, ResultCode, ResultInfo }`; a refusal code goes to the items
   * the rule matched (or to all, for a rule on a field outside the list).
   */
  readonly perItem?: { readonly list: string; readonly account: string; readonly answerField: string };
}

/**
 * An after-command a canary's message comes back as (docs/production.md#canary): the canary sends a
 * message through Tencent's REST API to a `group` or an `account`, with its marker in the field at
 * `marker`, and this command's callback carries the field back (functions/canary/canary-marker.ts).
 */
export interface CanarySpec {
  /** The field the marker travels in: one Tencent passes through unchanged (`CloudCustomData`). */
  readonly marker: FieldPath;
  /** What the canary sends to for this command to come back: a group (send_group_msg) or an account (sendmsg). */
  readonly target: 'group' | 'account';
}

export interface CommandDefinition {
  /** The `CallbackCommand`, e.g. `Group.CallbackAfterCreateGroup`. */
  readonly command: string;
  /** The part before the dot: `Group`, `C2C`, `Sns`… */
  readonly family: string;
  readonly kind: CommandKind;
  /** False for a command this receiver has no definition for (unknownCommand). */
  readonly registered: boolean;
  /** Whose callback settings send it (`productNames`); none for an unknown command. */
  readonly products: readonly ProductName[];
  /**
   * For a command without a definition: the registered command its name is nearest to, when one is
   * near enough to be what was meant (`Group.CallbackAfterCreatGroup`). The record says so.
   */
  readonly nearest?: string;
  /** One line for people: docs/commands.md#commands-table, the events CLI, the inspector. */
  readonly summary: string;
  /** Tencent's pages the schema follows (https:// left out). */
  readonly sources: readonly string[];
  /**
   * Every documented field optional, unknown fields kept, loose types where Tencent's samples are
   * loose, and `null` read as absent wherever a field may be absent (null-as-absent.ts).
   */
  readonly schema: BodySchema;
  /** The group, topic and accounts (by role) the body names, its place and who acted (subjects.ts). */
  readonly subjects: SubjectPaths;
  /**
   * What else the callback's record shows, record name → body path (`platform`, `scene`, `msgKey`):
   * facts that are no account. The accounts are shown by their roles.
   */
  readonly recordFields: Readonly<Record<string, FieldPath>>;
  /** A body as Tencent sends it: the tests, `npm start`'s samples and the inspector send it. */
  readonly example: Body;
  /**
   * The body fields that say when the event happened, in order: the first usable one is its time.
   * `EventTime` in milliseconds everywhere but `Push.*` (seconds); a message's `MsgTime` (seconds)
   * where a body may come without `EventTime`. None usable: the event has no time of its own.
   */
  readonly timeFields: readonly TimeField[];
  /**
   * A batch of events in one body (`Push.*`: `{"Events":[…]}`): each element is stored as an event
   * of its own. Absent: the body is one event.
   */
  readonly batch?: { readonly list: string };
  /** Before-callbacks: what the answer may carry. */
  readonly answers?: BeforeAnswers;
  /** After-callbacks whose answer Tencent reads: fields added to `{"ActionStatus":"OK",…}`. */
  readonly acknowledgement?: Body;
  /**
   * After-callbacks whose answer carries a reply (the chatbot's `RspData`): the acknowledgement's
   * field a policy's `reply` rule fills (docs/policy.md#reply). Absent: the policy cannot reply.
   */
  readonly replies?: { readonly answerField: string };
  /**
   * A stored after-event that was a before-callback first (a sent message): the before-command it
   * replays as in a backtest (docs/policy.md#backtest), whose body it has. Absent: not replayed.
   */
  readonly replaysAs?: string;
  /** After-callbacks: what the event does to the synced view (projection.ts). Absent: nothing. */
  readonly projection?: Projection;
  /** After-callbacks a canary's message comes back as: where its marker is. Absent: none does. */
  readonly canary?: CanarySpec;
}

/** The fields of a definition that a family module gives for one command. */
export interface CommandSpec {
  readonly summary: string;
  readonly sources: readonly string[];
  readonly fields: v.ObjectEntries;
  readonly example: Body;
  /**
   * On top of the family's: `accounts` role by role (a role given `[]` removes the family's), the rest
   * field by field (`actor: undefined` removes the family's).
   */
  readonly subjects?: Partial<SubjectPaths>;
  readonly recordFields?: Readonly<Record<string, FieldPath>>;
  readonly answers?: Partial<BeforeAnswers>;
  readonly acknowledgement?: Body;
  readonly replies?: { readonly answerField: string };
  readonly replaysAs?: string;
  readonly batch?: { readonly list: string };
  /** Instead of the family's. */
  readonly timeFields?: readonly TimeField[];
  readonly projection?: Projection;
  readonly canary?: CanarySpec;
}

/** What a family shares: its name, the fields every body of it may carry, its subjects and codes. */
export interface FamilySpec {
  readonly family: string;
  /** Whose callback settings send its commands. Default: Chat's. */
  readonly products?: readonly ProductName[];
  readonly fields: v.ObjectEntries;
  /** What most of its commands name; each command adds roles or overrides them. */
  readonly subjects?: Partial<SubjectPaths>;
  readonly recordFields?: Readonly<Record<string, FieldPath>>;
  /** The family's refusal codes and answers, for its before-callbacks. */
  readonly answers?: BeforeAnswers;
  /** Default: `EventTime` in milliseconds. */
  readonly timeFields?: readonly TimeField[];
}

/**
 * The subject paths of a command, from its family's and its own, checked as far as they can be
 * without its schema (registry.test.ts checks each path against the schema): every path parses, the
 * place and the actor are roles it declares, and no record field is named as a role.
 */
function mergedSubjects(command: string, family: FamilySpec, spec: CommandSpec): SubjectPaths {
  // A role given no paths (`operator: []`) is the family's that this command's pages do not send.
  const accounts = Object.entries({ ...family.subjects?.accounts, ...spec.subjects?.accounts }).filter(([, paths]) => paths.length > 0);
  const subjects: SubjectPaths = { ...family.subjects, ...spec.subjects, accounts: Object.fromEntries(accounts) };
  const paths = [
    subjects.groupId,
    subjects.topicId,
    ...(subjects.groups ?? []),
    ...Object.values(subjects.accounts).flat(),
    ...(subjects.busy === undefined || subjects.busy === true ? [] : [subjects.busy.path]),
  ];
  for (const path of paths) if (path !== undefined && parsePath(path) === undefined) throw new TypeError(`${command}: ${path} is not a field path`);
  for (const role of [subjects.place, subjects.actor]) {
    if (role !== undefined && !Object.hasOwn(subjects.accounts, role)) throw new TypeError(`${command}: ${role} is not one of its roles`);
  }
  return subjects;
}

/**
 * A family's two constructors, `before` and `after`: each command's definition is the family's
 * defaults with the command's own fields, subjects and answers on top.
 */
export function defineFamily(family: FamilySpec) {
  const define =
    (kind: CommandKind) =>
    (command: string, spec: CommandSpec): CommandDefinition => {
      if (!command.startsWith(`${family.family}.`)) throw new TypeError(`${command} is not a ${family.family} command`);
      if (spec.canary !== undefined && kind !== 'after') throw new TypeError(`${command}: only an after-command comes back as a canary's message`);
      const subjects = mergedSubjects(command, family, spec);
      const recordFields = { ...family.recordFields, ...spec.recordFields };
      const shadowed = Object.keys(recordFields).find((name) => Object.hasOwn(subjects.accounts, name));
      if (shadowed !== undefined) throw new TypeError(`${command}: ${shadowed} is a role; the record shows it with the accounts`);
      return {
        command,
        family: family.family,
        kind,
        registered: true,
        products: family.products ?? ['chat'],
        summary: spec.summary,
        sources: spec.sources,
        schema: v.looseObject(nullAsAbsent({ ...family.fields, ...spec.fields })),
        subjects,
        recordFields,
        example: spec.example,
        timeFields: spec.timeFields ?? family.timeFields ?? defaultTimeFields,
        ...(spec.batch ? { batch: spec.batch } : {}),
        ...(kind === 'before' ? { answers: { refusalCodes: [], ...family.answers, ...spec.answers } } : {}),
        ...(spec.acknowledgement ? { acknowledgement: spec.acknowledgement } : {}),
        ...(spec.replies ? { replies: spec.replies } : {}),
        ...(spec.replaysAs ? { replaysAs: spec.replaysAs } : {}),
        ...(spec.projection ? { projection: spec.projection } : {}),
        ...(spec.canary ? { canary: spec.canary } : {}),
      };
    };
  return { before: define('before'), after: define('after') };
}

/** The definition's record fields that a body has, as text: the first string or number at each path. */
export function recordFieldsOf(definition: Pick<CommandDefinition, 'recordFields'>, body: Body): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, path] of Object.entries(definition.recordFields)) {
    const found = readPath(body, path).find((value) => typeof value === 'string' || typeof value === 'number');
    if (found !== undefined) fields[name] = String(found);
  }
  return fields;
}

/**
 * What a callback is about, as its record shows it: the subjects and record fields of its body, or of
 * its first event when it is a batch (each event of a batch is stored with its own).
 */
export function aboutOf(
  definition: Pick<CommandDefinition, 'subjects' | 'timeFields' | 'recordFields' | 'batch'>,
  body: Body,
): { subjects: Subjects; fields: Record<string, string> } {
  const first = definition.batch === undefined ? body : readPath(body, `${definition.batch.list}[]`)[0];
  const shown = isObject(first) ? first : {};
  return { subjects: subjectsOf(definition, shown), fields: recordFieldsOf(definition, shown) };
}
