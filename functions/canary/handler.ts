import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as v from 'valibot';
import { canaryMetrics, SERVICE_NAME } from '../callback/metric-names.ts';
import { xrayTracing } from '../callback/powertools.ts';
import { documentClient } from '../store/dynamodb-event-store.ts';
import { DynamoDbEventReader } from '../store/read/dynamodb-event-reader.ts';
import { CredentialsSourceError, readCredentialsSecret, type TencentCredentials } from '../tencent/tencent-credentials.ts';
import { deployedSettingNames } from '../tencent/tencent-environment.ts';
import { TencentRestClient } from '../tencent/tencent-rest-client.ts';
import { type CanaryCheck, runCanaryCheck } from './canary-check.ts';
import { CanaryEnvironmentSchema } from './canary-environment.ts';

/**
 * The canary function's Lambda entry, run on a schedule (infra/canary.ts): one check a run
 * (canary-check.ts), its result and latency as EMF metrics (metric-names.ts, canaryMetrics), one log
 * record. A refused send fails the run, so Lambda's Errors (the CanaryErrors alarm) say the canary
 * cannot check; a missing callback raises CanaryMissing through its metric.
 */
const environment = v.parse(CanaryEnvironmentSchema, process.env);
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ serviceName: SERVICE_NAME });
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');
const reader = new DynamoDbEventReader(documentClient(tracing.capture(new DynamoDBClient({}))), environment.EVENTS_TABLE_NAME);

/** Read once per cold start; a run that could not read them tries again. */
let credentials: Promise<TencentCredentials> | undefined;

function publish(check: CanaryCheck): void {
  if (check.latencyMs !== undefined) {
    metrics.addMetric(canaryMetrics.latency.name, MetricUnit.Milliseconds, check.latencyMs);
    metrics.publishStoredMetrics();
  }
  const result = metrics.singleMetric();
  result.addDimension(canaryMetrics.checks.dimensions[0], check.result);
  result.addMetric(canaryMetrics.checks.name, MetricUnit.Count, 1);
}

export async function handler(): Promise<Pick<CanaryCheck, 'result' | 'latencyMs' | 'message'>> {
  let admin: TencentCredentials;
  try {
    credentials ??= readCredentialsSecret(environment.TENCENT_CREDENTIALS_SECRET);
    admin = await credentials;
  } catch (error) {
    credentials = undefined;
    if (!(error instanceof CredentialsSourceError)) throw error;
    publish({ result: 'refused', message: error.message, command: '', marker: { id: '', sentAt: Date.now() } });
    logger.error('canary', { result: 'refused', detail: error.message });
    throw new Error(error.message);
  }
  const client = new TencentRestClient({
    credentials: admin,
    domain: environment.TENCENT_DOMAIN,
    baseUrl: environment.TENCENT_BASE_URL,
    settingNames: deployedSettingNames,
    onRetry: ({ error, delayMs }) => logger.warn('canary retry', { error: error.message, delayMs }),
  });
  const check = await runCanaryCheck({
    target: environment.CANARY_GROUP === undefined ? { account: environment.CANARY_ACCOUNT! } : { group: environment.CANARY_GROUP },
    sender: environment.CANARY_SENDER,
    admin: admin.identifier,
    waitMs: environment.CANARY_WAIT_MS,
    client,
    reader,
  });
  publish(check);
  // `message` is the log line's own (Powertools drops a key of that name): the check's line is `detail`.
  const record = {
    result: check.result,
    latencyMs: check.latencyMs,
    command: check.command,
    runId: check.marker.id,
    eventId: check.eventId,
    detail: check.message,
  };
  if (check.result === 'arrived' || check.result === 'unknown') logger.info('canary', record);
  else logger.error('canary', record);
  // A run that cannot check fails, for the CanaryErrors alarm; a missing callback is its metric's to raise.
  if (check.result === 'refused') throw new Error(check.message);
  return { result: check.result, latencyMs: check.latencyMs, message: check.message };
}
