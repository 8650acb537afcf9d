import type { Body, CommandDefinition, CommandKind } from '../commands/definition.ts';
import { type Decision, decisionOutcome } from '../policy/decision.ts';
import type { Decide } from '../policy/policy.ts';
import type { EventFallback, EventStore, StoredEvent } from '../store/event-store.ts';
import { FallbackEventStore, type KeepOutcome } from '../store/fallback-event-store.ts';
import { afterEventsOf } from './after-events.ts';
import { CallbackError } from './callback-error.ts';
import type { CallbackEvent, CallbackResult, MatchedRequest } from './callback-event.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { httpAnswer, ok } from './tencent-answer.ts';

export interface RouteCallbackOptions {
  /** Decides before-callbacks (policy/policy.ts). */
  readonly decide: Decide;
  /**
   * The reply an after-callback's acknowledgement carries when the policy gives one (a chatbot's
   * `RspData`, policy.ts): fields over the definition's acknowledgement. Default: none.
   */
  readonly reply?: (definition: CommandDefinition, body: Body) => Readonly<Record<string, unknown>> | undefined;
  /** Puts a decision in Tencent's words for the command (policy/answer.ts). */
  readonly answerFor: (definition: CommandDefinition, body: Body, decision: Decision) => Readonly<Record<string, unknown>>;
  /** Where after-events go. */
  readonly store: EventStore;
  /** Where they go when the store fails or is too slow. Default: none, so such a callback gets 503. */
  readonly fallback?: EventFallback;
  /** How long the store may take before the fallback takes over, in ms. */
  readonly writeBudgetMs: number;
  /** Days a stored event is kept (the TTL). */
  readonly eventRetentionDays: number;
  /** The most items a batch may hold (settings.ts, maxBatchItems). */
  readonly maxBatchItems: number;
}

/**
 * How many of a batch's items are written at once. A full batch (100 items, Tencent's most) takes 7
 * rounds of a ~10 ms write, far inside Tencent's 2 s; and one callback never holds more than 16
 * requests, sockets and retry timers at a time, nor takes all 50 of the DynamoDB client's sockets
 * (the SDK's default) from the callbacks it shares them with (in `npm start`, one process serves all).
 */
export const BATCH_WRITE_CONCURRENCY = 16;

/** The store, whose writes are given up on once `spent` aborts, whatever time each write has of its own. */
const givingUpWhen = (store: EventStore, spent: AbortSignal): EventStore => ({
  keyOf: (event) => store.keyOf(event),
  put: (event, options) => store.put(event, { ...options, signal: options?.signal ? AbortSignal.any([options.signal, spent]) : spent }),
});

interface Callback {
  readonly request: MatchedRequest;
  readonly body: Body;
}
type Handling = (callback: Callback) => Promise<CallbackResult>;

/** Several events kept at once (a batch): the least settled outcome tells what happened to the callback. */
function combined(outcomes: readonly KeepOutcome[]): KeepOutcome {
  if (outcomes.includes('queued')) return 'queued';
  return outcomes.includes('stored') ? 'stored' : 'duplicate';
}

/**
 * The chain's handler: looks the command up in the registry and hands the callback to its kind's
 * handling. Before-callbacks, known or not, are decided by the policy and never touch storage, so no
 * table can slow the 2 s answer; after-events are stored once (or kept by the fallback) and
 * acknowledged only then.
 */
export default function routeCallback(options: RouteCallbackOptions) {
  const { decide, reply, answerFor, store, fallback, writeBudgetMs, eventRetentionDays, maxBatchItems } = options;
  if (!Number.isInteger(maxBatchItems) || maxBatchItems < 1) throw new TypeError('routeCallback: maxBatchItems must be a positive whole number');
  // Without a fallback, a slow write is simply waited for: giving up would gain nothing.
  const events = fallback
    ? new FallbackEventStore({ store, fallback, writeBudgetMs })
    : { keep: async (event: StoredEvent): Promise<KeepOutcome> => (await store.put(event)).outcome };

  /**
   * A batch's events, a few at a time. With a fallback, the write budget is the callback's, not each
   * write's: once it is spent, what the table has not taken goes to the fallback without waiting on
   * the table again, so a batch is answered within about one budget however many rounds it takes,
   * as a single event is, rather than one budget per round.
   */
  const keepBatch = (afterEvents: readonly StoredEvent[]): Promise<KeepOutcome[]> => {
    const keeper = fallback ? new FallbackEventStore({ store: givingUpWhen(store, AbortSignal.timeout(writeBudgetMs)), fallback, writeBudgetMs }) : events;
    return mapWithConcurrency(afterEvents, BATCH_WRITE_CONCURRENCY, (event) => keeper.keep(event));
  };

  const answerFromPolicy: Handling = async ({ request, body }) => {
    const { definition } = request;
    const decision = await decide(definition, body);
    request.outcome = { type: decisionOutcome(decision), decision };
    return httpAnswer(200, answerFor(definition, body, decision));
  };

  const storeEvents: Handling = async ({ request, body }) => {
    const { definition } = request;
    const afterEvents = afterEventsOf(request, body, { eventRetentionDays, maxBatchItems });
    request.eventId = afterEvents[0]!.eventId;
    let outcomes: KeepOutcome[];
    try {
      // On a failure nothing is acknowledged: what was stored stays, and Tencent's retry stores the rest (ids are the items' bytes).
      outcomes = afterEvents.length === 1 ? [await events.keep(afterEvents[0]!)] : await keepBatch(afterEvents);
    } catch (error) {
      throw new CallbackError('store-unavailable', 'the event could not be stored, so it is not acknowledged: please retry', { cause: error });
    }
    request.outcome = {
      type: combined(outcomes),
      eventId: request.eventId,
      valid: afterEvents.every((event) => event.valid),
      ...(afterEvents.length > 1 ? { events: afterEvents.length } : {}),
    };
    return httpAnswer(200, { ...ok(), ...definition.acknowledgement, ...reply?.(definition, body) });
  };

  const handlings: Record<CommandKind, Handling> = { before: answerFromPolicy, after: storeEvents };

  return async function routeCallbackHandler(event: CallbackEvent): Promise<CallbackResult> {
    const request = event.callback as MatchedRequest;
    return handlings[request.definition.kind]({ request, body: event.body as unknown as Body });
  };
}
