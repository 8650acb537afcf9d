import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { CallbackEnvironmentSchema } from '../shared/function-environment.ts';
import { settingsFromEnvironment } from '../shared/settings.ts';
import { DynamoDbEventStore, documentClient } from '../store/dynamodb-event-store.ts';
import { DynamoDbPolicyCounters } from '../store/dynamodb-policy-counters.ts';
import { SqsEventFallback } from '../store/sqs-event-fallback.ts';
import { refreshingTokens, secretReader } from './callback-tokens.ts';
import { createCallbackHandler } from './chain.ts';
import { powertoolsLog, powertoolsMetrics, xrayTracing } from './powertools.ts';

/**
 * The Lambda entry point. Settings, clients, the token and the Powertools utilities are set up once
 * per cold start; the stack sets the environment (settingsToEnvironment, CallbackEnvironmentSchema,
 * and POWERTOOLS_TRACE_ENABLED).
 */
const environment = v.parse(CallbackEnvironmentSchema, process.env);
const settings = settingsFromEnvironment(process.env);
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');
const tokens = environment.IM_TOKEN_SECRET === undefined ? () => [] : refreshingTokens({ read: secretReader(environment.IM_TOKEN_SECRET) });
// Read the token during the cold start, not on the first callback; a failure is answered per request.
await Promise.resolve(tokens()).catch(() => undefined);

const dynamodb = documentClient(tracing.capture(new DynamoDBClient({})));

export const handler = createCallbackHandler({
  settings,
  store: new DynamoDbEventStore(dynamodb, environment.EVENTS_TABLE_NAME),
  counters: environment.POLICY_COUNTERS_TABLE_NAME === undefined ? undefined : new DynamoDbPolicyCounters(dynamodb, environment.POLICY_COUNTERS_TABLE_NAME),
  fallback: environment.FALLBACK_QUEUE_URL === undefined ? undefined : new SqsEventFallback(tracing.capture(new SQSClient({})), environment.FALLBACK_QUEUE_URL),
  tokens,
  log: powertoolsLog(settings),
  metrics: powertoolsMetrics(settings),
  tracing: tracing.middleware,
});
