import * as v from 'valibot';
import { isObject } from '../shared/is-object.ts';
import { readPath } from './field-path.ts';
import type { Projection } from './projection.ts';

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

export type Body = Readonly<Record<string, unknown>>;
export type BodySchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>>;

/**
 * A field path into a body: `a.b` steps into objects, `a[]` into every element of an array
 * (field-path.ts), e.g. `MsgBody[].MsgContent.Text` or `PairList[].From_Account`.
 */
export type FieldPath = string;

/** Which ids an event is about, as paths into its body; the first string found is taken. */
export interface SubjectPaths {
  readonly groupId?: FieldPath;
  readonly topicId?: FieldPath;
  /**
   * The user the event is by or about: a one-to-one message's sender, a login's account, a profile's
   * owner. `npm run events -- --user` lists by it.
   */
  readonly user?: FieldPath;
}

export interface Subjects {
  readonly groupId?: string;
  readonly topicId?: string;
  readonly user?: string;
}

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

export interface CommandDefinition {
  /** The `CallbackCommand`, e.g. `Group.CallbackAfterCreateGroup`. */
  readonly command: string;
  /** The part before the dot: `Group`, `C2C`, `Sns`… */
  readonly family: string;
  readonly kind: CommandKind;
  /** False for a command this receiver has no definition for (unknownCommand). */
  readonly registered: boolean;
  /** One line for people: docs/commands.md#commands-table, the events CLI, the inspector. */
  readonly summary: string;
  /** Tencent's pages the schema follows (https:// left out). */
  readonly sources: readonly string[];
  /** Every documented field optional, unknown fields kept, loose types where Tencent's samples are loose. */
  readonly schema: BodySchema;
  readonly subjects: SubjectPaths;
  /** Fields the callback's record shows beside the subjects, record name → body path (e.g. `operator`). */
  readonly recordFields: Readonly<Record<string, FieldPath>>;
  /** A body as Tencent sends it: the tests, `npm start`'s samples and the inspector send it. */
  readonly example: Body;
  /** How `EventTime` is counted: milliseconds everywhere but `Push.*`, which sends seconds. */
  readonly eventTimeUnit: 'ms' | 's';
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
}

/** The fields of a definition that a family module gives for one command. */
export interface CommandSpec {
  readonly summary: string;
  readonly sources: readonly string[];
  readonly fields: v.ObjectEntries;
  readonly example: Body;
  readonly subjects?: SubjectPaths;
  readonly recordFields?: Readonly<Record<string, FieldPath>>;
  readonly answers?: Partial<BeforeAnswers>;
  readonly acknowledgement?: Body;
  readonly replies?: { readonly answerField: string };
  readonly replaysAs?: string;
  readonly batch?: { readonly list: string };
  readonly eventTimeUnit?: 'ms' | 's';
  readonly projection?: Projection;
}

/** What a family shares: its name, the fields every body of it may carry, its subjects and codes. */
export interface FamilySpec {
  readonly family: string;
  readonly fields: v.ObjectEntries;
  readonly subjects?: SubjectPaths;
  readonly recordFields?: Readonly<Record<string, FieldPath>>;
  /** The family's refusal codes and answers, for its before-callbacks. */
  readonly answers?: BeforeAnswers;
  readonly eventTimeUnit?: 'ms' | 's';
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
      return {
        command,
        family: family.family,
        kind,
        registered: true,
        summary: spec.summary,
        sources: spec.sources,
        schema: v.looseObject({ ...family.fields, ...spec.fields }),
        subjects: { ...family.subjects, ...spec.subjects },
        recordFields: { ...family.recordFields, ...spec.recordFields },
        example: spec.example,
        eventTimeUnit: spec.eventTimeUnit ?? family.eventTimeUnit ?? 'ms',
        ...(spec.batch ? { batch: spec.batch } : {}),
        ...(kind === 'before' ? { answers: { refusalCodes: [], ...family.answers, ...spec.answers } } : {}),
        ...(spec.acknowledgement ? { acknowledgement: spec.acknowledgement } : {}),
        ...(spec.replies ? { replies: spec.replies } : {}),
        ...(spec.replaysAs ? { replaysAs: spec.replaysAs } : {}),
        ...(spec.projection ? { projection: spec.projection } : {}),
      };
    };
  return { before: define('before'), after: define('after') };
}

/**
 * The first non-empty string at a path, whole however long: a key that cannot hold it hashes it
 * (functions/store/key-part.ts). A wrong type is no subject, and never loses an event.
 */
function subject(body: Body, path: FieldPath | undefined): string | undefined {
  if (path === undefined) return undefined;
  return readPath(body, path).find((value): value is string => typeof value === 'string' && value !== '');
}

/** The ids a body is about, by its definition's subject paths. */
export const subjectsOf = (definition: Pick<CommandDefinition, 'subjects'>, body: Body): Subjects => ({
  groupId: subject(body, definition.subjects.groupId),
  topicId: subject(body, definition.subjects.topicId),
  user: subject(body, definition.subjects.user),
});

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
  definition: Pick<CommandDefinition, 'subjects' | 'recordFields' | 'batch'>,
  body: Body,
): { subjects: Subjects; fields: Record<string, string> } {
  const first = definition.batch === undefined ? body : readPath(body, `${definition.batch.list}[]`)[0];
  const shown = isObject(first) ? first : {};
  return { subjects: subjectsOf(definition, shown), fields: recordFieldsOf(definition, shown) };
}
