import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import * as v from 'valibot';
import { driftKinds, reconcileMetrics, SERVICE_NAME } from '../callback/metric-names.ts';
import { xrayTracing } from '../callback/powertools.ts';
import { documentClient } from '../store/dynamodb-event-store.ts';
import { DynamoDbStateStore } from '../synced-view/dynamodb-state-store.ts';
import { CredentialsSourceError, readCredentialsSecret, type TencentCredentials } from '../tencent/tencent-credentials.ts';
import { deployedSettingNames } from '../tencent/tencent-environment.ts';
import { TencentRestClient } from '../tencent/tencent-rest-client.ts';
import { ReconcileEnvironmentSchema } from './reconcile-environment.ts';
import { type ReconcileReport, reconcile, reportText } from './reconcile-run.ts';
import { stateStoreView } from './reconcile-view.ts';

/**
 * The reconciliation's Lambda entry, run on a schedule (infra/reconcile.ts): one run
 * (reconcile-run.ts) over the state table, its drift and groups as EMF metrics (metric-names.ts,
 * reconcileMetrics), its report as one log record (`report`, readable lines). It stops a minute
 * before Lambda's timeout; the groups not reached are counted, and the next run starts elsewhere.
 */
const environment = v.parse(ReconcileEnvironmentSchema, process.env);
const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ serviceName: SERVICE_NAME });
const tracing = await xrayTracing(process.env.POWERTOOLS_TRACE_ENABLED !== 'false');
const state = new DynamoDbStateStore(documentClient(tracing.capture(new DynamoDBClient({}))), environment.STATE_TABLE_NAME);

/** Read once per cold start; a run that could not read them tries again. */
let credentials: Promise<TencentCredentials> | undefined;
/** Time kept back for writing the report and the metrics. */
const MARGIN_MS = 60_000;

function publish(report: ReconcileReport): void {
  for (const kind of driftKinds) {
    const single = metrics.singleMetric();
    single.addDimension(reconcileMetrics.drift.dimensions[0], kind);
    single.addMetric(reconcileMetrics.drift.name, MetricUnit.Count, report.drift[kind]);
  }
  for (const [result, count] of [
    ['checked', report.checked],
    ['unknown', report.unknown.length],
  ] as const) {
    const single = metrics.singleMetric();
    single.addDimension(reconcileMetrics.groups.dimensions[0], result);
    single.addMetric(reconcileMetrics.groups.name, MetricUnit.Count, count);
  }
}

export async function handler(_event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  let admin: TencentCredentials;
  try {
    credentials ??= readCredentialsSecret(environment.TENCENT_CREDENTIALS_SECRET);
    admin = await credentials;
  } catch (error) {
    credentials = undefined;
    if (error instanceof CredentialsSourceError) logger.error('reconcile', { detail: error.message });
    throw error;
  }
  const client = new TencentRestClient({
    credentials: admin,
    domain: environment.TENCENT_DOMAIN,
    baseUrl: environment.TENCENT_BASE_URL,
    callsPerSecond: environment.RECONCILE_CALLS_PER_SECOND,
    settingNames: deployedSettingNames,
    onRetry: ({ error, delayMs }) => logger.warn('reconcile retry', { error: error.message, delayMs }),
  });
  let report: ReconcileReport;
  try {
    report = await reconcile({
      client,
      view: stateStoreView(state),
      groups: environment.RECONCILE_GROUPS,
      viewGroups: environment.RECONCILE_VIEW_GROUPS,
      maxGroups: environment.RECONCILE_MAX_GROUPS,
      repair: true,
      stop: () => context?.getRemainingTimeInMillis !== undefined && context.getRemainingTimeInMillis() < MARGIN_MS,
    });
  } catch (error) {
    // Wrong credentials: the client's one line, naming the setting and Tencent's code.
    logger.error('reconcile', { detail: (error as Error).message });
    throw error;
  }
  publish(report);
  const { groups, unknown, ...summary } = report;
  logger.info('reconcile', { ...summary, differed: groups.length, unknownGroups: unknown.length, report: reportText(report).split('\n') });
  return { ...summary, differed: groups.length, unknown: unknown.length };
}
