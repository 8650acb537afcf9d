import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import * as v from 'valibot';
import { SERVICE_NAME } from '../callback/metric-names.ts';
import { xrayTracing } from '../callback/powertools.ts';
import { BUSY_ACCOUNTS_VARIABLE, keyRulesOf } from '../shared/busy-accounts.ts';
import { KeyRulesEnvironmentSchema, StoreEnvironmentSchema } from '../shared/function-environment.ts';
import { ActorHeat, WHOLE_TRAFFIC_HEAT_THRESHOLD } from '../store/actor-heat.ts';
import { DynamoDbDerivedItemWriter } from '../store/derived-item-writer.ts';
import { documentClient } from '../store/dynamodb-event-store.ts';
import { EntryPublisher } from './entry-publisher.ts';
import { fanOutRecords } from './fan-out-records.ts';
import { indexRecords } from './index-records.ts';
import { FAN_OUT_BUS_VARIABLE, fanOutMetricNames } from './metric-names.ts';

/**
 * The fan-out function's Lambda entry: the events table's stream indexed into the table (its derived
 * items) and published onto the stack's bus. The SDK reads AWS_ENDPOINT_URL_EVENTBRIDGE and
 * AWS_ENDPOINT_URL_DYNAMODB itself (the tests point them at local stand-ins); Powertools reads
 * POWERTOOLS_METRICS_NAMESPACE, which the stack sets from `metricsNamespace`.
 */
const environment = v.parse(
  v.object({
    [FAN_OUT_BUS_VARIABLE]: v.pipe(v.string(`${FAN_OUT_BUS_VARIABLE} must name the bus`), v.nonEmpty()),
    ...v.partial(StoreEnvironmentSchema).entries,
    ...KeyRulesEnvironmentSchema.entries,
  }),
  process.env,
);
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ serviceName: SERVICE_NAME });
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');
const client = tracing.capture(new EventBridgeClient({}));

/** Summed over an invocation and written once: one EMF value per metric, not one per entry. */
const counts: Record<keyof typeof fanOutMetricNames, number> = {
  published: 0,
  retried: 0,
  failedEntries: 0,
  bodiesOmitted: 0,
  indexedItems: 0,
  indexFailures: 0,
};
const tableName = environment.EVENTS_TABLE_NAME;

const publisher = new EntryPublisher({
  send: (entries) => client.send(new PutEventsCommand({ Entries: entries })),
  onRetry: (entries, reason) => {
    counts.retried += entries;
    logger.warn('fan-out retry', { entries, reason });
  },
});

const fanOut = fanOutRecords({
  publisher,
  eventBusName: environment[FAN_OUT_BUS_VARIABLE],
  count: (what, n = 1) => (counts[what] += n),
  logFailure: (record) => logger.error('fan-out failed', record),
  // The indexer writes into the table whose stream this is: the app-wide and per-command listings follow it.
  ...(tableName === undefined
    ? {}
    : {
        index: indexRecords({
          writer: new DynamoDbDerivedItemWriter(documentClient(tracing.capture(new DynamoDBClient({}))), tableName),
          heat: new ActorHeat({ threshold: WHOLE_TRAFFIC_HEAT_THRESHOLD }),
          // The receiver's rules: a pointer goes to the keys the event's place was written to.
          rules: keyRulesOf(environment[BUSY_ACCOUNTS_VARIABLE]),
        }),
        logIndexFailure: (failure) => logger.error('fan-out indexing failed', failure),
      }),
});

export async function handler(event: DynamoDBStreamEvent, context: Context) {
  try {
    return await fanOut(event, context);
  } finally {
    for (const [what, n] of Object.entries(counts) as [keyof typeof counts, number][]) {
      if (n > 0) metrics.addMetric(fanOutMetricNames[what], MetricUnit.Count, n);
      counts[what] = 0;
    }
    metrics.publishStoredMetrics();
  }
}
