import type { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HandlerName } from './handler-code.ts';
import type { ResolvedAlarmDefaults } from './observability/alarm-defaults.ts';
import { ReceiverFunction } from './receiver-function.ts';
import type { TencentApiProps } from './receiver-props.ts';
import { useTencentApi } from './tencent-api.ts';

/** What the receiver gives each of its scheduled jobs that call Tencent's REST API: the canary (canary.ts) and the reconciliation (reconcile.ts). */
export interface ScheduledJobProps {
  readonly tencentApi: TencentApiProps;
  /** The namespace of its EMF metrics: setting `metricsNamespace`. Required. */
  readonly metricsNamespace: string;
  readonly alarms: ResolvedAlarmDefaults;
  readonly logRetention: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
}

/** What varies between the jobs: their handler, environment, run time and schedule. */
export interface ScheduledJobRun {
  readonly entry: HandlerName;
  /** Its variables; those undefined are left out (useTencentApi sets the Tencent ones from the secret). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly every: Duration;
  /** The rule's description. */
  readonly description: string;
  /** How long the rule keeps trying to deliver a run it could not. @default - EventBridge's (24 hours) */
  readonly maxEventAge?: Duration;
}

/**
 * A scheduled job's function (`scope`/Function, with the admin credentials of Tencent's REST API,
 * tencent-api.ts) and the rule that runs it every `every` (`scope`/Schedule). A run that fails is not
 * retried by the rule: the next one does the job again.
 */
export function scheduledJob(scope: Construct, props: ScheduledJobProps, run: ScheduledJobRun): { function: lambda.Function; schedule: events.Rule } {
  const { function: fn } = new ReceiverFunction(scope, 'Function', {
    entry: run.entry,
    environment: Object.fromEntries(Object.entries(run.environment).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    ...(run.memorySize === undefined ? {} : { memorySize: run.memorySize }),
    timeout: run.timeout,
    tracing: props.tracing,
    logRetention: props.logRetention,
  });
  useTencentApi(fn, props.tencentApi);
  const schedule = new events.Rule(scope, 'Schedule', {
    description: run.description,
    schedule: events.Schedule.rate(run.every),
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 0, ...(run.maxEventAge === undefined ? {} : { maxEventAge: run.maxEventAge }) })],
  });
  return { function: fn, schedule };
}
