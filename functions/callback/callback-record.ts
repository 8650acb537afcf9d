import type { Request } from '@middy/core';
import type { CommandDefinition, EventKind, RoleAccount, Subjects } from '../commands/definition.ts';
import { readPath } from '../commands/field-path.ts';
import { eventKindOf, isRegisteredCommand } from '../commands/registry.ts';
import type { ActingDecision, Decision, DecisionOutcome, ShadowHit } from '../policy/decision.ts';
import { clip, clipLengths } from '../shared/clip.ts';
import type { KeepOutcome } from '../store/fallback-event-store.ts';
import { CallbackError, type CallbackErrorReason } from './callback-error.ts';
import type { CallbackEvent, CallbackResult } from './callback-event.ts';

export type Outcome = KeepOutcome | DecisionOutcome | 'probe' | 'rejected' | 'failed';
export type RecordLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * The one record each callback leaves: what Tencent sent, what the receiver did with it, how fast.
 * It never holds the query string (where the Sign travels) nor any token.
 */
export interface CallbackRecord {
  readonly level: RecordLevel;
  readonly outcome: Outcome;
  /** The refusal code, when a policy rule refused (`refused`), or `onTimeout` did (`timed-out`). */
  readonly code?: number;
  /** The policy rule(s) that decided, by their place in the policy (0-based); for `timed-out`, the rule the decision had reached. */
  readonly rule?: number | readonly number[];
  /** How many accounts a `members-refused` decision refused. */
  readonly refusedCount?: number;
  /** The rules that decided or changed the answer, by id, with their bodies (long lists cut: policy/rule-summary.ts). */
  readonly matched?: readonly { readonly id: string; readonly rule: Readonly<Record<string, unknown>> }[];
  /** What they changed: the masked texts, the refused accounts (each cut short). */
  readonly changed?: { readonly masked?: readonly string[]; readonly refused?: readonly string[] };
  /** The answer is a repeat offender's penalty (a rule's `after.then`). */
  readonly penalty?: true;
  /** What shadow rules would have done: never answered (docs/policy.md#shadow-rules). */
  readonly shadow?: readonly ShadowRecord[];
  /** Shadow rules not evaluated: the acting rules had spent the deadline. */
  readonly shadowSkipped?: number;
  /** Counter calls of rate and repeat rules that missed `rateBudgetMs` or failed: their rules did not match. */
  readonly counterMisses?: number;
  /** Why the request was turned away, when `outcome` is `rejected` or `failed`. */
  readonly reason?: CallbackErrorReason | 'internal-error';
  readonly status: number;
  readonly command?: string;
  readonly kind?: EventKind;
  /**
   * The command has no definition (docs/commands.md#unknown): one Tencent added since, or a typo in a
   * test request. Taken as before (stored as `unregistered`, or allowed); `nearest` is the registered
   * command its name is a few edits from, when there is one.
   */
  readonly unknownCommand?: true;
  readonly nearest?: string;
  readonly sdkAppId?: string;
  /** The ids the command's definition says the callback is about. */
  readonly groupId?: string;
  readonly topicId?: string;
  /** Who it is by, else the account it happened to. */
  readonly user?: string;
  /**
   * The accounts the body names by role (`sender`, `receiver`, `member`…: `sender=jared`), then what
   * else the definition shows (its `recordFields`: `platform`, `scene`…), each cut short. A role
   * with more than a few accounts shows how many (`joined: "250 accounts"`).
   */
  readonly fields?: Readonly<Record<string, string>>;
  readonly eventId?: string;
  /** The items of a batch, each stored as its own event (`eventId` is the first's). */
  readonly events?: number;
  readonly valid?: boolean;
  readonly durationMs: number;
  readonly clientIp?: string;
  readonly optPlatform?: string;
  readonly coldStart: boolean;
  readonly requestId: string;
  /** The body as received: only when the log level is DEBUG. */
  readonly payload?: string;
  /** What went wrong, for `failed`: for the logs only, never in an answer. */
  readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
}

/** One shadow rule's would-be decision, named as the issue asked: `wouldRefuse`, `wouldDrop`, `wouldMask`, `wouldRefuseMembers`. */
export interface ShadowRecord {
  readonly rule: string;
  readonly wouldRefuse?: { readonly code: number; readonly info: string };
  readonly wouldDrop?: true;
  readonly wouldMask?: readonly string[];
  readonly wouldRefuseMembers?: readonly string[];
}

type DecisionFields = 'code' | 'rule' | 'refusedCount' | 'matched' | 'changed' | 'penalty' | 'shadow' | 'shadowSkipped' | 'counterMisses';
type OutcomeFields = Pick<CallbackRecord, 'outcome' | 'reason' | 'level' | 'eventId' | 'events' | 'valid' | 'error' | DecisionFields>;

/** A record's list of texts or accounts: a few, each cut short. */
const shown = (values: readonly unknown[]) => values.slice(0, 20).flatMap((value) => clip(value, clipLengths.recorded) ?? []);

/** What a decision changed, as the record shows it: the masked texts, the refused accounts. */
function changesOf(decision: ActingDecision, definition: CommandDefinition | undefined): CallbackRecord['changed'] {
  switch (decision.action) {
    case 'rewrite': {
      const text = definition?.answers?.rewrite?.text;
      return text === undefined ? undefined : { masked: shown(readPath({ [decision.field]: decision.value }, text)) };
    }
    case 'refuseMembers':
      return { refused: shown(decision.accounts) };
    case 'perItem':
      return { refused: shown(decision.items.filter((item) => item.code !== 0).map((item) => item.account)) };
    default:
      return undefined;
  }
}

function shadowRecord(hit: ShadowHit, definition: CommandDefinition | undefined): ShadowRecord {
  const { would } = hit;
  const rule = hit.rule.id;
  switch (would.action) {
    case 'refuse':
      return { rule, wouldRefuse: { code: would.code, info: would.info } };
    case 'drop':
      return { rule, wouldDrop: true };
    case 'rewrite':
      return { rule, wouldMask: changesOf(would, definition)?.masked ?? [] };
    default:
      return { rule, wouldRefuseMembers: changesOf(would, definition)?.refused ?? [] };
  }
}

/** What the record says of a decision: who decided, and with what; what shadow rules would have done. */
function decided(decision: Decision, definition: CommandDefinition | undefined): Pick<CallbackRecord, DecisionFields> {
  const changed = changesOf(decision, definition);
  return {
    ...answered(decision),
    ...(decision.matched === undefined ? {} : { matched: decision.matched.map(({ id, rule }) => ({ id, rule })) }),
    ...(changed === undefined ? {} : { changed }),
    ...(decision.penalty ? { penalty: true } : {}),
    ...(decision.shadow === undefined ? {} : { shadow: decision.shadow.map((hit) => shadowRecord(hit, definition)) }),
    ...(decision.shadowSkipped === undefined ? {} : { shadowSkipped: decision.shadowSkipped }),
    ...(decision.counterMisses === undefined ? {} : { counterMisses: decision.counterMisses }),
  };
}

function answered(decision: Decision): Pick<CallbackRecord, 'code' | 'rule' | 'refusedCount'> {
  switch (decision.action) {
    case 'allow':
      return {};
    case 'refuse':
      return { code: decision.code, rule: decision.rule };
    case 'drop':
      return { rule: decision.rule };
    case 'rewrite':
      return { rule: decision.rules };
    case 'refuseMembers':
      return { rule: decision.rules, refusedCount: decision.accounts.length };
    case 'perItem':
      return { rule: decision.rules, refusedCount: decision.items.filter((item) => item.code !== 0).length };
    case 'timedOut':
      return { rule: decision.rule, ...(decision.answer === 'allow' ? {} : { code: decision.answer.refuse.code }) };
  }
}

function outcomeOf(request: Request<CallbackEvent, CallbackResult>, definition: CommandDefinition | undefined): OutcomeFields {
  const { error } = request;
  const outcome = request.event.callback?.outcome;
  if (error instanceof CallbackError) {
    return error.statusCode >= 500
      ? { outcome: 'failed', reason: error.reason, level: 'ERROR', error: describe(error.cause ?? error) }
      : { outcome: 'rejected', reason: error.reason, level: 'WARN' };
  }
  if (error) return { outcome: 'failed', reason: 'internal-error', level: 'ERROR', error: describe(error) };
  if (outcome === undefined) return { outcome: 'failed', reason: 'internal-error', level: 'ERROR' };
  if (outcome.type === 'probe') return { outcome: 'probe', level: 'INFO' };
  // A decision past its deadline was answered by a default, not by the policy: the operator should know.
  if ('decision' in outcome) return { outcome: outcome.type, level: outcome.type === 'timed-out' ? 'WARN' : 'INFO', ...decided(outcome.decision, definition) };
  return { outcome: outcome.type, level: 'INFO', eventId: outcome.eventId, valid: outcome.valid, events: outcome.events };
}

function describe(error: unknown): CallbackRecord['error'] {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  // Neither the table nor the fallback: say why each failed.
  const causes = error instanceof AggregateError ? `: ${error.errors.map((inner: Error) => `${inner.name}: ${inner.message}`).join('; ')}` : '';
  return { name: error.name, message: `${error.message}${causes}`, stack: error.stack };
}

/** A role shows its accounts up to this many, else how many it has: the record stays small whatever the body lists. */
export const MAX_SHOWN_ACCOUNTS = 3;

/** Each role's accounts as one text: `jared`, `jared,tommy`, or `250 accounts`. */
function roleFields(accounts: readonly RoleAccount[]): [string, string][] {
  const byRole = new Map<string, string[]>();
  for (const { role, account } of accounts) {
    const shown = byRole.get(role);
    if (shown === undefined) byRole.set(role, [account]);
    else shown.push(account);
  }
  return [...byRole].map(([role, shown]) => [role, shown.length > MAX_SHOWN_ACCOUNTS ? `${shown.length} accounts` : shown.join(',')]);
}

/** The accounts by role and the record fields the request carries, each cut short; none when there are none. */
function clipped(accounts: readonly RoleAccount[], fields: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  const entries = [...roleFields(accounts), ...Object.entries(fields ?? {})].map(([name, value]) => [name, clip(value, clipLengths.recorded)!] as const);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** What the record says of a command without a definition. */
const unknown = (nearest: string | undefined): Pick<CallbackRecord, 'unknownCommand' | 'nearest'> =>
  nearest === undefined ? { unknownCommand: true } : { unknownCommand: true, nearest };

export interface RecordOptions {
  readonly now: () => number;
  readonly includePayload: boolean;
}

/** Builds the record from what the chain learned; works for a request turned away at any step. */
export function callbackRecord(request: Request<CallbackEvent, CallbackResult>, { now, includePayload }: RecordOptions): CallbackRecord {
  // The event may be no object at all when normalize-event.ts did not run (a middleware used alone).
  const callback = request.event?.callback as CallbackEvent['callback'] | undefined;
  // What the command is and what the body is about, once match-callback-command.ts has worked them out.
  const definition = callback?.definition;
  const subjects: Partial<Subjects> = callback?.subjects ?? {};
  return {
    eventId: callback?.eventId,
    ...outcomeOf(request, definition),
    status: request.response?.statusCode ?? 500,
    command: callback?.command ?? clip(callback?.commandInQuery, clipLengths.recorded),
    kind: definition === undefined ? undefined : eventKindOf(definition),
    ...(definition?.registered === false ? unknown(definition.nearest) : {}),
    sdkAppId: clip(callback?.sdkAppId, clipLengths.recordedSdkAppId),
    groupId: clip(subjects.groupId, clipLengths.recorded),
    topicId: clip(subjects.topicId, clipLengths.recorded),
    user: clip(subjects.user, clipLengths.recorded),
    fields: clipped(subjects.accounts ?? [], callback?.recordFields),
    durationMs: callback === undefined ? 0 : now() - callback.receivedAt,
    clientIp: clip(callback?.clientIp, clipLengths.recordedClientIp),
    optPlatform: clip(callback?.optPlatform, clipLengths.recordedOptPlatform),
    coldStart: callback?.coldStart ?? false,
    requestId: callback?.requestId ?? request.context?.awsRequestId,
    ...(includePayload && callback?.rawBody !== undefined ? { payload: callback.rawBody } : {}),
  };
}

/** A command as a metric dimension: names without a definition are grouped, so a sender cannot mint dimensions. */
export const commandDimension = (command: string | undefined) => (command === undefined ? 'none' : isRegisteredCommand(command) ? command : 'unregistered');
