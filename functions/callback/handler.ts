import * as v from 'valibot';
import { settingsFromEnvironment } from '../settings.ts';
import { documentClient, DynamoDbEventStore } from '../store/dynamodb-event-store.ts';
import { secretTokens } from './callback-tokens.ts';
import { createCallbackHandler } from './chain.ts';
import { FunctionEnvironmentSchema } from './function-environment.ts';

/**
 * The Lambda entry point. Settings, the DynamoDB client and the token are set up once per cold
 * start; the stack sets the environment (settingsToEnvironment, FunctionEnvironmentSchema).
 */
const environment = v.parse(FunctionEnvironmentSchema, process.env);
const tokens = environment.IM_TOKEN_SECRET === undefined ? () => [] : secretTokens(environment.IM_TOKEN_SECRET);
// Read the token during the cold start, not on the first callback; a failure is answered per request.
await Promise.resolve(tokens()).catch(() => undefined);

export const handler = createCallbackHandler({
  settings: settingsFromEnvironment(process.env),
  store: new DynamoDbEventStore(documentClient(), environment.EVENTS_TABLE_NAME),
  tokens,
});
