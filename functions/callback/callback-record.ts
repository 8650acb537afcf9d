import type { Request } from '@middy/core';
import type { EventKind } from '../commands/definition.ts';
import { commandDefinition, eventKindOf, isRegisteredCommand } from '../commands/registry.ts';
import type { CallbackEvent, CallbackResult } from './callback-event.ts';
import { CallbackError, type CallbackErrorReason } from './callback-error.ts';

export type Outcome = 'stored' | 'duplicate' | 'queued' | 'allowed' | 'refused' | 'rejected' | 'failed';
export type RecordLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * The one record each callback leaves: what Tencent sent, what the receiver did with it, how fast.
 * It never holds the query string (where the Sign travels) nor any token.
 */
export interface CallbackRecord {
  readonly level: RecordLevel;
  readonly outcome: Outcome;
  /** The policy's refusal code, when `outcome` is `refused`. */
  readonly code?: number;
  /** Why the request was turned away, when `outcome` is `rejected` or `failed`. */
  readonly reason?: CallbackErrorReason | 'internal-error';
  readonly status: number;
  readonly command?: string;
  readonly kind?: EventKind;
  readonly sdkAppId?: string;
  readonly groupId?: string;
  readonly topicId?: string;
  readonly operator?: string;
  readonly eventId?: string;
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

/** Values that came from the sender are cut short: a log line is no place for a 1 MiB group id. */
const clip = (value: unknown, length = 128) => (typeof value === 'string' ? value.slice(0, length) : undefined);

function outcomeOf(request: Request<CallbackEvent, CallbackResult>): Pick<CallbackRecord, 'outcome' | 'code' | 'reason' | 'level' | 'eventId' | 'valid' | 'error'> {
  const { error } = request;
  const outcome = request.event.callback?.outcome;
  if (error instanceof CallbackError) {
    return error.statusCode >= 500
      ? { outcome: 'failed', reason: error.reason, level: 'ERROR', error: describe(error.cause ?? error) }
      : { outcome: 'rejected', reason: error.reason, level: 'WARN' };
  }
  if (error) return { outcome: 'failed', reason: 'internal-error', level: 'ERROR', error: describe(error) };
  if (outcome === undefined) return { outcome: 'failed', reason: 'internal-error', level: 'ERROR' };
  if ('decision' in outcome) {
    return { outcome: outcome.type, level: 'INFO', ...(outcome.type === 'refused' ? { code: outcome.decision.code } : {}) };
  }
  return { outcome: outcome.type, level: 'INFO', eventId: outcome.eventId, valid: outcome.valid };
}

function describe(error: unknown): CallbackRecord['error'] {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  // Neither the table nor the fallback: say why each failed.
  const causes = error instanceof AggregateError ? `: ${error.errors.map((inner: Error) => `${inner.name}: ${inner.message}`).join('; ')}` : '';
  return { name: error.name, message: `${error.message}${causes}`, stack: error.stack };
}

export interface RecordOptions {
  readonly now: () => number;
  readonly includePayload: boolean;
}

/** Builds the record from what the chain learned; works for a request turned away at any step. */
export function callbackRecord(request: Request<CallbackEvent, CallbackResult>, { now, includePayload }: RecordOptions): CallbackRecord {
  // The event may be no object at all when normalize-event.ts did not run (a middleware used alone).
  const callback = request.event?.callback as CallbackEvent['callback'] | undefined;
  // The parsed body, once parse-json-body.ts has checked it is an object; before that, nothing.
  const body = (callback?.rawBody !== undefined && typeof request.event.body === 'object' && request.event.body !== null ? request.event.body : {}) as Record<string, unknown>;
  const command = callback?.command ?? clip(callback?.commandInQuery);
  return {
    eventId: callback?.eventId,
    ...outcomeOf(request),
    status: request.response?.statusCode ?? 500,
    command,
    kind: callback?.command === undefined ? undefined : eventKindOf(commandDefinition(callback.command)),
    sdkAppId: clip(callback?.sdkAppId, 32),
    groupId: clip(body.GroupId),
    topicId: clip(body.TopicId),
    operator: clip(body.Operator_Account),
    durationMs: callback === undefined ? 0 : now() - callback.receivedAt,
    clientIp: clip(callback?.clientIp, 64),
    optPlatform: clip(callback?.optPlatform, 32),
    coldStart: callback?.coldStart ?? false,
    requestId: callback?.requestId ?? request.context?.awsRequestId,
    ...(includePayload && callback?.rawBody !== undefined ? { payload: callback.rawBody } : {}),
  };
}

/** A command as a metric dimension: unregistered names are grouped, so a sender cannot mint dimensions. */
export const commandDimension = (command: string | undefined) =>
  command === undefined ? 'none' : isRegisteredCommand(command) ? command : 'unregistered';
