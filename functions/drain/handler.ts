import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as v from 'valibot';
import { SERVICE_NAME } from '../callback/metric-names.ts';
import { BUSY_ACCOUNTS_VARIABLE, keyRulesOf } from '../shared/busy-accounts.ts';
import { KeyRulesEnvironmentSchema, StoreEnvironmentSchema } from '../shared/function-environment.ts';
import { DynamoDbEventStore, documentClient } from '../store/dynamodb-event-store.ts';
import { drainKeptEvents } from './drain-kept-events.ts';

/** The drain function's Lambda entry: the fallback queue's events into the table. */
const environment = v.parse(v.object({ ...StoreEnvironmentSchema.entries, ...KeyRulesEnvironmentSchema.entries }), process.env);
const logger = new Logger({ serviceName: SERVICE_NAME });

const drain = drainKeptEvents({
  // A hung write must fail alone, well inside the 30 s timeout, not take the batch's other messages with it.
  // Keyed by the receiver's rules: a message carries the key its first attempt computed, an older one is keyed again here.
  store: new DynamoDbEventStore(documentClient(new DynamoDBClient({ requestHandler: { requestTimeout: 5_000 } })), environment.EVENTS_TABLE_NAME, {
    rules: keyRulesOf(environment[BUSY_ACCOUNTS_VARIABLE]),
  }),
  log: ({ level, ...record }) => (level === 'INFO' ? logger.info('drained', record) : logger.error('drain failed', record)),
  // A message the table refuses is retried by SQS, then dead-lettered: it must not hold back the rest.
  afterFailure: 'try-each',
});

/** A message that failed is reported back on its own (a partial batch response), so SQS retries only it. */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const { batchItemFailures } = await drain(event.Records, context);
  return { batchItemFailures };
}
