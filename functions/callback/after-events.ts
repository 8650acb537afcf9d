import * as v from 'valibot';
import { canaryMarkerOf } from '../canary/canary-marker.ts';
import { type Body, type CommandDefinition, EVENT_TIME, type Subjects, subjectsOf } from '../commands/definition.ts';
import { commandDefinition, eventKindOf } from '../commands/registry.ts';
import { clip, clipLengths } from '../shared/clip.ts';
import { isObject } from '../shared/is-object.ts';
import { eventIdOf } from '../store/event-id.ts';
import type { StoredEvent } from '../store/event-store.ts';
import { bodyFits } from '../store/stored-payload.ts';
import { batchItemTexts } from './batch-item-texts.ts';
import { CallbackError } from './callback-error.ts';
import type { MatchedRequest } from './callback-event.ts';

export interface AfterEventsOptions {
  /** Days a stored event is kept (the TTL). */
  readonly eventRetentionDays: number;
  /** The most items a batch may hold (settings.ts, maxBatchItems): more is refused before any is checked. */
  readonly maxBatchItems: number;
}

const secondsPerDay = 86_400;

function describeProblems(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 10)
    .map((issue) => `${v.getDotPath(issue) ?? 'body'}: ${issue.message.slice(0, 200)}`)
    .join('; ');
}

/** One body, or one item of a batch, with the text it is stored as. */
interface Part {
  readonly body: unknown;
  readonly text: string;
}

/**
 * A batch definition's body is split into its items, each stored as an event of its own (`Push.*`:
 * `{"Events":[…]}`, docs/protocol.md#push), and each as the exact text it had in the body
 * (batch-item-texts.ts), so two items differ wherever their bytes do. A batch over `maxBatchItems`
 * is refused first, before any item is sliced, checked or stored: each item costs a write. A body
 * that is not the batch it should be is kept whole, and fails its schema there.
 */
function partsOf(definition: CommandDefinition, body: Body, rawBody: string, maxBatchItems: number): Part[] {
  if (definition.batch === undefined) return [{ body, text: rawBody }];
  const { list } = definition.batch;
  const items = body[list];
  if (!Array.isArray(items) || items.length === 0) return [{ body, text: rawBody }];
  if (items.length > maxBatchItems) {
    throw new CallbackError('batch-too-large', `${list} holds ${items.length} items, more than the ${maxBatchItems} allowed in one callback`);
  }
  const texts = batchItemTexts(rawBody, list);
  // The same member JSON.parse read: anything else is a bug, and storing a guess would misfile events.
  if (texts === undefined || texts.length !== items.length)
    throw new Error(`batchItemTexts found ${texts?.length} items in ${list}, JSON.parse ${items.length}`);
  return items.map((item: unknown, index) => ({ body: item, text: texts[index]! }));
}

/**
 * What the store needs of an event's subjects, as the domain event carries them: its time is Tencent's
 * `EventTime` (`eventTime`), or another time field's (`bodyTime`, named by `timeField`).
 */
function aboutFields(
  subjects: Subjects,
): Pick<StoredEvent, 'groupId' | 'topicId' | 'user' | 'accounts' | 'groupIds' | 'actor' | 'placeAccount' | 'busy' | 'eventTime' | 'bodyTime' | 'timeField'> {
  const { time, timeField } = subjects;
  return {
    groupId: subjects.groupId,
    topicId: subjects.topicId,
    user: subjects.user,
    accounts: subjects.accounts,
    groupIds: subjects.groupIds,
    actor: subjects.actor,
    placeAccount: subjects.placeAccount,
    busy: subjects.busy,
    ...(timeField === undefined ? {} : timeField === EVENT_TIME ? { eventTime: time } : { bodyTime: time, timeField }),
  };
}

/**
 * A stored event read again by its command's definition as it is now: what it is about (its group,
 * accounts by role, place, actor, busy) and its time, from its body, as afterEventsOf reads them. For
 * events read back from a table, which keeps the body, not its reading (the migration's copy, the
 * indexer). What the receiver knew (arrival, client, validity, TTL) stays as it was.
 */
export function readAgain(event: StoredEvent): StoredEvent {
  const definition = commandDefinition(event.command);
  let body: unknown;
  try {
    body = JSON.parse(event.payload);
  } catch {
    body = undefined;
  }
  const { eventTime: _eventTime, bodyTime: _bodyTime, timeField: _timeField, ...kept } = event;
  return { ...kept, ...aboutFields(subjectsOf(definition, isObject(body) ? body : {})) };
}

/** A batch definition's body that holds no list of events is kept, but flagged: it is not a batch. */
const notABatch = (definition: CommandDefinition, body: Body): string | undefined => {
  if (definition.batch === undefined) return undefined;
  const items = body[definition.batch.list];
  return Array.isArray(items) && items.length > 0 ? undefined : `${definition.batch.list}: a ${definition.command} body holds a non-empty list of events`;
};

/**
 * The after-events a callback holds, as they are stored: the body (or each item of a batch) with
 * what its definition says it is about (its group, accounts by role, place and actor), its time in
 * milliseconds and whether it passed its schema. An event is never refused for its content: a failed
 * schema is recorded (`valid`, `problems`).
 */
export function afterEventsOf(request: MatchedRequest, body: Body, options: AfterEventsOptions): StoredEvent[] {
  const { definition } = request;
  const sdkAppId = request.sdkAppId!;
  const batchProblem = notABatch(definition, body);
  return partsOf(definition, body, request.rawBody, options.maxBatchItems).map(({ body: part, text }) => {
    const fields = isObject(part) ? part : {};
    // A single body's subjects are the request's (match-callback-command.ts); a batch's items have their own.
    const subjects = definition.batch === undefined ? request.subjects : subjectsOf(definition, fields);
    if (!bodyFits(text, subjects)) {
      throw new CallbackError('too-large-to-store', `the body is ${Buffer.byteLength(text)} bytes, too large for one DynamoDB item (400 KB) even compressed`);
    }
    const validation = v.safeParse(definition.schema, part);
    return {
      // An item's id is its own bytes': a resent batch stores nothing twice, as a resent body does not.
      eventId: eventIdOf(sdkAppId, request.command, text),
      command: request.command,
      kind: eventKindOf(definition),
      sdkAppId,
      ...aboutFields(subjects),
      receivedAt: request.receivedAt,
      clientIp: clip(request.clientIp, clipLengths.storedParameter),
      optPlatform: clip(request.optPlatform, clipLengths.storedParameter),
      payload: text,
      valid: validation.success && batchProblem === undefined,
      problems: batchProblem ?? (validation.success ? undefined : describeProblems(validation.issues)),
      ...(canaryMarkerOf(definition, fields, request.optPlatform) === undefined ? {} : { canary: true as const }),
      expiresAt: Math.floor(request.receivedAt / 1000) + options.eventRetentionDays * secondsPerDay,
    };
  });
}
