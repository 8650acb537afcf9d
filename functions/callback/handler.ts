import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';
import * as v from 'valibot';
import { settingsFromEnvironment } from '../settings.ts';
import { documentClient, DynamoDbEventStore } from '../store/dynamodb-event-store.ts';
import { secretTokens } from './callback-tokens.ts';
import { createCallbackHandler } from './chain.ts';
import { FunctionEnvironmentSchema } from './function-environment.ts';
import { powertoolsLog, powertoolsMetrics, SERVICE_NAME } from './powertools.ts';

/**
 * The Lambda entry point. Settings, clients, the token and the Powertools utilities are set up once
 * per cold start; the stack sets the environment (settingsToEnvironment, FunctionEnvironmentSchema,
 * and POWERTOOLS_TRACE_ENABLED, which the Tracer reads itself).
 */
const environment = v.parse(FunctionEnvironmentSchema, process.env);
const settings = settingsFromEnvironment(process.env);
const tracer = new Tracer({ serviceName: SERVICE_NAME });
const tokens = environment.IM_TOKEN_SECRET === undefined ? () => [] : secretTokens(environment.IM_TOKEN_SECRET);
// Read the token during the cold start, not on the first callback; a failure is answered per request.
await Promise.resolve(tokens()).catch(() => undefined);

export const handler = createCallbackHandler({
  settings,
  store: new DynamoDbEventStore(documentClient(tracer.captureAWSv3Client(new DynamoDBClient({}))), environment.EVENTS_TABLE_NAME),
  tokens,
  log: powertoolsLog(settings),
  metrics: powertoolsMetrics(settings),
  tracer,
});
