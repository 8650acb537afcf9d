import middy, { type MiddlewareObj } from '@middy/core';
import { answerFor } from '../policy/answer.ts';
import { type CompiledPolicy, compilePolicy, type PolicyOptions } from '../policy/policy.ts';
import type { PolicyCounters } from '../policy/policy-counters.ts';
import type { Settings } from '../shared/settings.ts';
import type { EventFallback, EventStore } from '../store/event-store.ts';
import type { CallbackEvent, CallbackResult } from './callback-event.ts';
import type { MetricValue } from './callback-metrics.ts';
import type { CallbackRecord } from './callback-record.ts';
import allowCallbackRoute from './middlewares/allow-callback-route.ts';
import answerConsoleProbe, { probeAnswer, skippedForProbes } from './middlewares/answer-console-probe.ts';
import limitBodySize from './middlewares/limit-body-size.ts';
import matchCallbackCommand from './middlewares/match-callback-command.ts';
import normalizeEvent from './middlewares/normalize-event.ts';
import observeCallback from './middlewares/observe-callback.ts';
import parseJsonBody from './middlewares/parse-json-body.ts';
import tencentErrorResponse from './middlewares/tencent-error-response.ts';
import verifySdkAppId from './middlewares/verify-sdk-app-id.ts';
import verifySign, { type VerifySignOptions } from './middlewares/verify-sign.ts';
import routeCallback from './route-callback.ts';

export interface CallbackHandlerOptions {
  readonly settings: Settings;
  readonly store: EventStore;
  /** Keeps after-events the store cannot take in time (SQS, a spool file). Default: none (503 instead). */
  readonly fallback?: EventFallback;
  /** The callback tokens (callback-tokens.ts). Default: none, so no Sign is checked. */
  readonly tokens?: VerifySignOptions['tokens'];
  /** Writes each callback's one record and its metrics (record-line.ts in Lambda: one line, EMF inside). Required. */
  readonly log: (record: CallbackRecord, metrics: readonly MetricValue[]) => void;
  /**
   * X-Ray tracing of the handler (powertools.ts), built by the caller so the chain never loads the
   * X-Ray SDK itself. Default: none.
   */
  readonly tracing?: MiddlewareObj;
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
  /** Where rate and repeat-offender rules count (policy/policy-counters.ts). Default: none, so they never match. */
  readonly counters?: PolicyCounters;
  /**
   * The policy in force, asked at each callback: the settings' own unless given. `npm start` hands
   * one that follows its policy file, the Lambda function one that follows AppConfig (live-policy.ts).
   */
  readonly policy?: () => CompiledPolicy;
}

/**
 * The callback chain, shared by the Lambda function (handler.ts) and `npm start`. Before-middlewares
 * run in the order they are used; each may end the request with a `CallbackError`, which
 * tencentErrorResponse answers in Tencent's format. After and error steps run in reverse, so
 * observeCallback sees the final answer.
 */
export function createCallbackHandler({ settings, store, fallback, tokens = () => [], log, tracing, now, counters, policy }: CallbackHandlerOptions) {
  const fixed = policy === undefined ? compilePolicy(settings.policy, policyOptions(settings, { counters, ...(now === undefined ? {} : { now }) })) : undefined;
  const current = policy ?? (() => fixed!);
  const callbacks = routeCallback({
    decide: (definition, body) => current().decide(definition, body),
    reply: (definition, body) => current().reply(definition, body),
    answerFor,
    store,
    fallback,
    writeBudgetMs: settings.writeBudgetMs,
    eventRetentionDays: settings.eventRetentionDays,
    maxBatchItems: settings.maxBatchItems,
  });
  return (
    middy<CallbackEvent, CallbackResult>()
      .use(tracing ? [tracing as MiddlewareObj<CallbackEvent, CallbackResult>] : [])
      .use(observeCallback({ log, includePayload: settings.logLevel === 'DEBUG', now }))
      .use(tencentErrorResponse())
      .use(normalizeEvent({ now }))
      // The console's URL check, a request that cannot be a callback (docs/protocol.md#console-probe):
      // it skips the steps below that a callback needs (it checked the SdkAppid itself), and is answered OK.
      .use(answerConsoleProbe({ sdkAppIds: settings.sdkAppIds }))
      .use(skippedForProbes(allowCallbackRoute()))
      .use(skippedForProbes(verifySdkAppId({ sdkAppIds: settings.sdkAppIds })))
      .use(skippedForProbes(verifySign({ tokens, windowSeconds: settings.signWindowSeconds, now })))
      .use(limitBodySize({ maxBodyBytes: settings.maxBodyBytes }))
      .use(skippedForProbes(parseJsonBody()))
      .use(skippedForProbes(matchCallbackCommand()))
      .handler((event: CallbackEvent) => (event.callback.probe ? probeAnswer(event) : callbacks(event)))
  );
}

/**
 * What a policy is compiled with, from the settings: the deadline and the counters' budget. The
 * decision's own clock is the chain's (epoch ms) when one is given, else a monotonic one; the
 * counters' windows are on the chain's clock too.
 */
export function policyOptions(settings: Settings, extra: { readonly counters?: PolicyCounters; readonly now?: () => number } = {}): PolicyOptions {
  return {
    deadlineMs: settings.policyDeadlineMs,
    rateBudgetMs: settings.rateBudgetMs,
    ...(extra.counters === undefined ? {} : { counters: extra.counters }),
    ...(extra.now === undefined ? {} : { now: extra.now, wallClock: extra.now }),
  };
}

export type CallbackHandler = ReturnType<typeof createCallbackHandler>;
