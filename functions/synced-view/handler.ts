import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as v from 'valibot';
import { SERVICE_NAME } from '../callback/metric-names.ts';
import { xrayTracing } from '../callback/powertools.ts';
import { documentClient } from '../store/dynamodb-event-store.ts';
import { DynamoDbStateStore } from './dynamodb-state-store.ts';
import { projectStream } from './project-stream.ts';
import { StateEnvironmentSchema } from './state-environment.ts';

/** The state consumer's Lambda entry: the events table's stream into the state table. */
const environment = v.parse(StateEnvironmentSchema, process.env);
const logger = new Logger({ serviceName: SERVICE_NAME });
// The state table's calls show in X-Ray, as the callback's do (the stack sets POWERTOOLS_TRACE_ENABLED).
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');

export const handler = projectStream({
  // A hung write must fail alone, well inside the timeout, not hold the shard.
  state: new DynamoDbStateStore(
    documentClient(tracing.capture(new DynamoDBClient({ requestHandler: { requestTimeout: 5_000 } }))),
    environment.STATE_TABLE_NAME,
  ),
  log: ({ level, ...record }) => (level === 'DEBUG' ? logger.debug('state', record) : logger.error('state projection failed', record)),
});
