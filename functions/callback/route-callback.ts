import * as v from 'valibot';
import type { CommandDefinition, CommandKind } from '../commands/definition.ts';
import { commandDefinition, eventKindOf } from '../commands/registry.ts';
import { eventTime } from '../commands/fields.ts';
import { answerFor } from '../policy/answer.ts';
import type { Decide } from '../policy/policy.ts';
import { eventIdOf } from '../store/event-id.ts';
import type { EventFallback, EventStore, StoredEvent } from '../store/event-store.ts';
import { storedPayload } from '../store/stored-payload.ts';
import { FallbackEventStore } from '../store/fallback-event-store.ts';
import type { CallbackEvent, CallbackRequest, CallbackResult } from './callback-event.ts';
import { CallbackError } from './callback-error.ts';
import { httpAnswer, ok, type TencentAnswer } from './tencent-answer.ts';

export interface RouteCallbackOptions {
  /** Decides before-callbacks (policy/policy.ts). */
  readonly decide: Decide;
  /** Where after-events go. */
  readonly store: EventStore;
  /** Where they go when the store fails or is too slow. Default: none, so such a callback gets 503. */
  readonly fallback?: EventFallback;
  /** How long the store may take before the fallback takes over, in ms. */
  readonly writeBudgetMs: number;
  /** Days a stored event is kept (the TTL). */
  readonly eventRetentionDays: number;
}

type Body = Record<string, unknown>;
interface Callback {
  readonly request: CallbackRequest & { command: string; rawBody: string };
  readonly body: Body;
  readonly definition: CommandDefinition;
}
type Handling = (callback: Callback) => Promise<CallbackResult>;

/**
 * What every stored event is indexed by, read leniently: a wrong type here never loses the event.
 * An id longer than any of Tencent's (DynamoDB keys take at most 1 KB) is left to the payload.
 */
const id = v.fallback(v.optional(v.pipe(v.string(), v.maxLength(512))), undefined);
const indexedFields = v.looseObject({ GroupId: id, TopicId: id, EventTime: v.fallback(v.optional(eventTime), undefined) });

/** Query parameters are kept for reference; a few hundred characters tell all they can. */
const clip = (value: string | undefined) => value?.slice(0, 256);

const secondsPerDay = 86_400;

function describeProblems(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 10)
    .map((issue) => `${v.getDotPath(issue) ?? 'body'}: ${issue.message.slice(0, 200)}`)
    .join('; ');
}

/**
 * The chain's handler: looks the command up in the registry and hands the callback to its kind's
 * handling. Before-callbacks are decided by the policy and never touch storage; after-events, and
 * commands without a definition yet, are stored once (or kept by the fallback) and acknowledged only
 * then.
 */
export default function routeCallback(options: RouteCallbackOptions) {
  const { decide, store, fallback, writeBudgetMs, eventRetentionDays } = options;
  // Without a fallback, a slow write is simply waited for: giving up would gain nothing.
  const events = fallback ? new FallbackEventStore({ store, fallback, writeBudgetMs }) : { keep: (event: StoredEvent) => store.put(event) };

  const answerFromPolicy: Handling = async ({ request, body, definition }) => {
    const decision = decide(definition, body);
    request.outcome = { type: decision.action === 'allow' ? 'allowed' : 'refused', decision };
    return httpAnswer(200, answerFor(definition, body, decision) as unknown as TencentAnswer);
  };

  const storeEvent: Handling = async ({ request, body, definition }) => {
    const validation = v.safeParse(definition.schema, body);
    const indexed = v.parse(indexedFields, body);
    const sdkAppId = request.sdkAppId!;
    const payload = storedPayload(request.rawBody);
    if (payload === undefined) {
      throw new CallbackError('too-large-to-store', `the body is ${Buffer.byteLength(request.rawBody)} bytes, too large for one DynamoDB item (400 KB) even compressed`);
    }
    const event: StoredEvent = {
      eventId: eventIdOf(sdkAppId, request.command, request.rawBody),
      command: request.command,
      kind: eventKindOf(definition),
      sdkAppId,
      groupId: indexed.GroupId,
      topicId: indexed.TopicId,
      eventTime: indexed.EventTime,
      receivedAt: request.receivedAt,
      clientIp: clip(request.clientIp),
      optPlatform: clip(request.optPlatform),
      ...payload,
      valid: validation.success,
      problems: validation.success ? undefined : describeProblems(validation.issues),
      expiresAt: Math.floor(request.receivedAt / 1000) + eventRetentionDays * secondsPerDay,
    };
    request.eventId = event.eventId;
    try {
      const outcome = await events.keep(event);
      request.outcome = { type: outcome, eventId: event.eventId, valid: event.valid };
    } catch (error) {
      throw new CallbackError('store-unavailable', 'the event could not be stored, so it is not acknowledged: please retry', {
        cause: error,
      });
    }
    return httpAnswer(200, ok());
  };

  const handlings: Record<CommandKind, Handling> = {
    before: answerFromPolicy,
    after: storeEvent,
  };

  return async function routeCallbackHandler(event: CallbackEvent): Promise<CallbackResult> {
    const request = event.callback as Callback['request'];
    const definition = commandDefinition(request.command);
    return handlings[definition.kind]({ request, body: event.body as unknown as Body, definition });
  };
}
