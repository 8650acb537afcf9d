import { readPath } from './field-path.ts';
import { accountsAt } from './subjects.ts';

/**
 * What an after-event does to the synced view (functions/synced-view/): a projection, declared beside the
 * command's schema, turns a body that passed that schema into changes. A change names one thing of a
 * group (its profile, a member, a topic, its attributes; a live room's admins and seats) or a user's presence, and the values it now
 * has; `null` removes a value. The state model applies changes last-writer-wins by the event's
 * `(EventTime, eventId)`, so a projection says only *what* changed, never how to order it.
 */
export type StateValue = string | boolean | null;

/**
 * The values the view keeps of each thing, named once: projections set them, the view shows them in
 * this order (synced-view/view.ts, `npm run state`), and a removal clears a member's or a topic's.
 */
export const profileFields = ['type', 'name', 'introduction', 'notification', 'faceUrl', 'owner', 'destroyed'] as const;
export const memberFields = ['role', 'nameCard'] as const;
export const topicFields = ['name', 'introduction', 'notification', 'faceUrl'] as const;
export const presenceFields = ['online', 'lastAction', 'platform'] as const;
/** A live room's seat: who sits on it (none: `null`), and what is disabled on it. */
export const seatFields = ['account', 'takenDisabled', 'videoDisabled', 'audioDisabled'] as const;

/** Values by name, each optional: text, but for the flags named in `Flags`. */
type ValuesOf<Names extends readonly string[], Text, Flags extends string = never> = { readonly [name in Exclude<Names[number], Flags>]?: Text } & {
  readonly [name in Flags & Names[number]]?: boolean;
};

export type GroupProfile = ValuesOf<typeof profileFields, string, 'destroyed'>;
/** `null` removes a value (a member's name card cleared). */
export type MemberFields = ValuesOf<typeof memberFields, string | null>;
export type TopicFields = ValuesOf<typeof topicFields, string | null>;
export type PresenceFields = ValuesOf<typeof presenceFields, string, 'online'>;
/** `account: null` empties the seat. */
export type SeatFields = ValuesOf<typeof seatFields, string | null, 'takenDisabled' | 'videoDisabled' | 'audioDisabled'>;

/**
 * `member`/`topic` without `removed` say the thing exists (with these values); `removed: true` removes
 * it, every value included, so that a later re-join starts afresh and an older add cannot bring it back.
 * `attributes.reset` removes every attribute older than this event before `set` applies.
 */
export type StateChange =
  | { readonly on: 'group'; readonly set: GroupProfile }
  | { readonly on: 'member'; readonly account: string; readonly set?: MemberFields; readonly removed?: true }
  | { readonly on: 'topic'; readonly topicId: string; readonly set?: TopicFields; readonly removed?: true }
  | { readonly on: 'attributes'; readonly set?: Readonly<Record<string, string | null>>; readonly reset?: true }
  | { readonly on: 'presence'; readonly account: string; readonly set: PresenceFields }
  /** A live room's admin: one now, or (`removed`) no longer; a room's online audience are its members. */
  | { readonly on: 'admin'; readonly account: string; readonly removed?: true }
  | { readonly on: 'seat'; readonly index: string; readonly set: SeatFields };

/** What a projection may know besides the body: the URL's `OptPlatform` (the client's platform). */
export interface ProjectionContext {
  readonly optPlatform?: string;
}

/**
 * A command's effect on state. The body is as Tencent sent it, and passed the command's schema when
 * it arrived (the stored event's `valid`): its fields have the types the schema allows, loosely (an
 * integer may still be its text, docs/protocol.md#field-types), so a projection reads strings through `text`.
 */
export type Projection = (body: Readonly<Record<string, unknown>>, context: ProjectionContext) => readonly StateChange[];

/** A string at a path, if it is one and not empty: projections never guess at other types. */
export const text = (body: unknown, path: string): string | undefined => {
  const [value] = readPath(body, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Every non-empty string at a path (`MemberList[].Member_Account`). */
export const texts = (body: unknown, path: string): string[] =>
  readPath(body, path).filter((value): value is string => typeof value === 'string' && value !== '');

/** An account at a path: a string, or a whole number's decimal text, as subjects read accounts (`Owner_Account: 144115216631667826`). */
export const accountText = (body: unknown, path: string): string | undefined => accountsAt(body, path)[0];

/** Every account at a path. */
export const accountTexts = (body: unknown, path: string): string[] => accountsAt(body, path);

/** The keys of an object whose value is not undefined: Tencent sends only what changed. */
export const defined = <T extends object>(fields: T): T => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;

const roles = new Set(['Owner', 'Admin', 'Member']);

/** A member list's `Role` when it is one of Tencent's three, else `Member`. */
export const memberRole = (role: string | undefined): string => (role !== undefined && roles.has(role) ? role : 'Member');
