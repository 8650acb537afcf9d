import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../functions/callback/metric-names.ts';
import { EVENT_SOURCE } from '../functions/fan-out/event-schema.ts';
import { FAN_OUT_BUS_VARIABLE, fanOutMetricNames } from '../functions/fan-out/metric-names.ts';
import { acknowledgeLastStopQueue } from './control-tower-acknowledgements.ts';
import { PERIOD, alarm as sharedAlarm } from './observability/alarm-defaults.ts';
import { ReceiverFunction } from './receiver-function.ts';

export interface EventFanOutProps {
  /** The events table; its stream (new images) must be enabled. Required. */
  readonly table: dynamodb.ITable;
  /** Days the bus's archive keeps every event for replay: settings `fanOutArchiveDays`, whose default is declared there. Required. */
  readonly archiveDays: number;
  /** The namespace of the consumer's EMF metrics: settings `metricsNamespace`. Required. */
  readonly metricsNamespace: string;
  /** Starts every alarm's name, as CallbackObservability's do. @default - the stack's name */
  readonly namePrefix?: string;
  /** X-Ray tracing of the consumer. @default true */
  readonly tracing?: boolean;
}

/** One period for the graphs and alarms, as infra/callback-observability.ts uses. */
/** The consumer publishes a batch in a few PutEvents calls; this leaves room for their retries. */
const CONSUMER_TIMEOUT = Duration.seconds(60);
/**
 * Tries of a failing batch (halved each time by bisecting) before its records' positions go to the
 * failure queue: a bus outage of several minutes is ridden out, a poison record is isolated.
 */
const STREAM_RETRY_ATTEMPTS = 10;
/** A stream record older than this waits behind a failure: alarmed well before the stream's 24 h trims it. */
const ITERATOR_AGE_ALARM = Duration.minutes(5);

/**
 * Events flow on: the events table's stream → a consumer function → a custom EventBridge bus of the
 * stack, archived for replay. Every stored after-event becomes one entry (functions/fan-out/).
 * What the stream cannot deliver after its retries is recorded in an encrypted failure queue, so
 * nothing is dropped silently. Owns its alarms and the widgets a dashboard should show.
 */
export class EventFanOut extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly consumer: ReceiverFunction;
  /** Where the stream records the batches it gave up on (their shard and sequence numbers). */
  readonly failureQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];
  readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: EventFanOutProps) {
    super(scope, id);
    const { archiveDays, metricsNamespace: namespace } = props;
    if (!(Number.isInteger(archiveDays) && archiveDays >= 1))
      throw new RangeError(`EventFanOut: archiveDays must be a whole number of days >= 1, not ${archiveDays}`);
    const streamArn = props.table.tableStreamArn;
    if (streamArn === undefined) throw new Error('EventFanOut: the events table has no stream: enable it with stream: NEW_IMAGE');
    const namePrefix = props.namePrefix ?? Stack.of(this).stackName;

    this.bus = new events.EventBus(this, 'Bus', { description: 'Tencent IM after-events, one per stored event (source tencent.im)' });
    this.archive = this.bus.archive('Archive', {
      description: `Every tencent.im event, kept ${archiveDays} days for replay`,
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(archiveDays),
    });

    this.failureQueue = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // What it holds points at events the bus never got: it outlives the stack, like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This is the stream mapping's on-failure destination, itself the end of the line: what lands here is kept for a person (alarmed), not retried.",
    });
    acknowledgeLastStopQueue(this.failureQueue);

    this.consumer = new ReceiverFunction(this, 'Consumer', {
      entry: 'fanOut',
      environment: { [FAN_OUT_BUS_VARIABLE]: this.bus.eventBusName, POWERTOOLS_METRICS_NAMESPACE: namespace },
      timeout: CONSUMER_TIMEOUT,
      memorySize: 256,
      tracing: props.tracing,
    });
    const fn = this.consumer.function;
    this.bus.grantPutEventsTo(fn);
    // What Lambda needs to poll the stream, on this stream only (what DynamoEventSource's
    // grantStreamRead would give). ListStreams names no resource, so it is on * (acknowledged
    // below); it lists stream ARNs, not their records.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [streamArn] }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    Validations.of(this.consumer.node.findChild('Role').node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which Lambda needs to poll a stream, supports no resource-level permissions; it lists stream ARNs, no data. X-Ray, when on, needs * too.',
    });

    new lambda.EventSourceMapping(this, 'StreamMapping', {
      target: fn,
      eventSourceArn: streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // One batch at a time per shard: the stream's order is kept into PutEvents.
      parallelizationFactor: 1,
      bisectBatchOnError: true,
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.failureQueue),
      // TTL deletions (REMOVE) are dropped before they cost an invocation; the receiver never updates.
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
    });

    const emf = (metricName: string, label: string) =>
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service: SERVICE_NAME }, period: PERIOD, statistic: cloudwatch.Stats.SUM, label });
    const iteratorAge = fn.metric('IteratorAge', { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM });
    // Unlabelled for the alarms: a label would turn their metric into a math expression.
    const failedEntries = new cloudwatch.Metric({
      namespace,
      metricName: fanOutMetricNames.failedEntries,
      dimensionsMap: { service: SERVICE_NAME },
      period: PERIOD,
      statistic: cloudwatch.Stats.SUM,
    });
    this.alarms = this.#alarms(namePrefix, { iteratorAge, failedEntries });
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'Fan-out to the event bus',
        width: 12,
        left: [
          emf(fanOutMetricNames.published, 'published'),
          emf(fanOutMetricNames.retried, 'retried'),
          emf(fanOutMetricNames.failedEntries, 'failed after retries'),
          emf(fanOutMetricNames.bodiesOmitted, 'body omitted (too large)'),
        ],
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Fan-out consumer: iterator age, errors',
        width: 12,
        left: [iteratorAge.with({ label: 'iterator age max' })],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
        right: [fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'errors' })],
        rightYAxis: { min: 0 },
      }),
    ];

    const stack = Stack.of(this);
    new CfnOutput(stack, 'EventBusName', {
      value: this.bus.eventBusName,
      description: 'The bus every stored after-event is published on (source tencent.im): attach your rules here',
    });
    new CfnOutput(stack, 'EventBusArn', { value: this.bus.eventBusArn, description: 'The event bus, for rules and permissions in other stacks' });
  }

  #alarms(namePrefix: string, metrics: { iteratorAge: cloudwatch.IMetric; failedEntries: cloudwatch.IMetric }): cloudwatch.Alarm[] {
    // Named, periodic and quiet on missing data like every alarm of the stack (observability/alarm-defaults.ts).
    const alarm = (id: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'alarmDescription'>) => sharedAlarm(this, id, namePrefix, props);
    const fn = this.consumer.function;
    return [
      alarm('FanOutErrors', {
        metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        alarmDescription:
          'The fan-out consumer failed whole batches (Lambda Errors > 0 in 5 minutes): the stream retries them, bisected. ' +
          'Look for "fan-out failed" in its log group; events keep flowing once it succeeds.',
      }),
      alarm('FanOutIteratorAge', {
        metric: metrics.iteratorAge,
        threshold: ITERATOR_AGE_ALARM.toMilliseconds(),
        alarmDescription:
          `Stored events have waited over ${ITERATOR_AGE_ALARM.toMinutes()} minutes to reach the bus (IteratorAge): the consumer is failing or throttled. ` +
          "Check the FanOutErrors alarm and the consumer's log; the stream keeps records 24 hours.",
      }),
      alarm('FanOutFailedEntries', {
        metric: metrics.failedEntries,
        threshold: 0,
        alarmDescription:
          'PutEvents refused entries even after retries (FanOutFailedEntries > 0): their records were reported back to the stream, which retries them. ' +
          'Look for "fan-out failed" with the reason in the consumer log (throttling: raise the PutEvents quota).',
      }),
      alarm('FanOutFailures', {
        metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        alarmDescription:
          `The stream gave up on a batch after ${STREAM_RETRY_ATTEMPTS} retries and recorded it in the fan-out failure queue: those events are in the table but not on the bus. ` +
          'Each message names the shard and sequence numbers; read the events by time with npm run events -- --table <EventsTableName> --since … and republish them (README, Events flow on).',
      }),
    ];
  }
}
