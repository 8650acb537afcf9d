import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { COLD_START_POLICY_WAIT_MS, LivePolicy, POLICY_REFRESH_MESSAGE } from '../policy/live-policy.ts';
import { compilePolicy } from '../policy/policy.ts';
import { keyRulesOf } from '../shared/busy-accounts.ts';
import { CallbackEnvironmentSchema } from '../shared/function-environment.ts';
import { settingsFromEnvironment } from '../shared/settings.ts';
import { DynamoDbEventStore, documentClient } from '../store/dynamodb-event-store.ts';
import { DynamoDbPolicyCounters } from '../store/dynamodb-policy-counters.ts';
import { SqsEventFallback } from '../store/sqs-event-fallback.ts';
import { refreshingTokens, secretReader } from './callback-tokens.ts';
import { createCallbackHandler, policyOptions } from './chain.ts';
import { SERVICE_NAME } from './metric-names.ts';
import { xrayTracing } from './powertools.ts';
import { recordLine } from './record-line.ts';

/**
 * The Lambda entry point. Settings, clients, the token and the tracer are set up once per cold
 * start; the stack sets the environment (settingsToEnvironment, CallbackEnvironmentSchema, and
 * POWERTOOLS_TRACE_ENABLED).
 */
const environment = v.parse(CallbackEnvironmentSchema, process.env);
const settings = settingsFromEnvironment(process.env);
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');
const tokens = environment.IM_TOKEN_SECRET === undefined ? () => [] : refreshingTokens({ read: secretReader(environment.IM_TOKEN_SECRET) });
// Read the token during the cold start, not on the first callback; a failure is answered per request.
await Promise.resolve(tokens()).catch(() => undefined);

const dynamodb = documentClient(tracing.capture(new DynamoDBClient({})));
const counters =
  environment.POLICY_COUNTERS_TABLE_NAME === undefined ? undefined : new DynamoDbPolicyCounters(dynamodb, environment.POLICY_COUNTERS_TABLE_NAME);

// The policy: the layer's copy (IM_POLICY), replaced by AppConfig's when the stack names a profile
// (docs/policy.md#without-a-deploy), refreshed beside the callbacks, never before one.
const { POLICY_APPCONFIG_APPLICATION: application, POLICY_APPCONFIG_ENVIRONMENT: appConfigEnvironment, POLICY_APPCONFIG_PROFILE: profile } = environment;
const source =
  application === undefined || appConfigEnvironment === undefined || profile === undefined
    ? undefined
    : (await import('../policy/appconfig-policy-source.ts')).appConfigPolicySource({ application, environment: appConfigEnvironment, profile });
// A refresh is rare: a JSON line of its own, written as the record line is (no logger on the callback path).
const reportRefresh = (outcome: { readonly type: string }) => {
  const level = outcome.type === 'applied' ? 'INFO' : 'WARN';
  if (level === 'INFO' && settings.logLevel !== 'DEBUG' && settings.logLevel !== 'INFO') return;
  process.stdout.write(`${JSON.stringify({ level, message: POLICY_REFRESH_MESSAGE, service: SERVICE_NAME, ...outcome })}\n`);
};
const live = new LivePolicy({
  initial: settings.policy,
  compile: (policy) => compilePolicy(policy, policyOptions(settings, { counters })),
  deadlineMs: settings.policyDeadlineMs,
  source,
  refreshMs: environment.POLICY_REFRESH_SECONDS === undefined ? undefined : environment.POLICY_REFRESH_SECONDS * 1_000,
  report: reportRefresh,
});
// At a cold start, AppConfig's policy if it answers in time; else the layer's stays, and the next callback asks again.
if (source !== undefined) await Promise.race([live.refresh(), sleep(COLD_START_POLICY_WAIT_MS)]);

export const handler = createCallbackHandler({
  settings,
  store: new DynamoDbEventStore(dynamodb, environment.EVENTS_TABLE_NAME, { rules: keyRulesOf(settings.busyAccounts) }),
  policy: () => live.current(),
  fallback: environment.FALLBACK_QUEUE_URL === undefined ? undefined : new SqsEventFallback(tracing.capture(new SQSClient({})), environment.FALLBACK_QUEUE_URL),
  tokens,
  log: recordLine({ logLevel: settings.logLevel, namespace: settings.metricsNamespace, sdkAppIds: settings.sdkAppIds }),
  tracing: tracing.middleware,
});
