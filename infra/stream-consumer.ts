import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { newEventRecordPattern } from '../functions/store/events-table.ts';
import { acknowledgeLastStopQueue } from './control-tower-acknowledgements.ts';
import type { HandlerName } from './handler-code.ts';
import { PERIOD, periodText, type ResolvedAlarmDefaults, receiverAlarm } from './observability/alarm-defaults.ts';
import { ReceiverFunction } from './receiver-function.ts';

/** One batch is at most 100 records of a few calls each (PutEvents, or DynamoDB reads and writes): well inside this. */
const CONSUMER_TIMEOUT = Duration.seconds(60);
/**
 * Tries of a failing batch (halved each time by bisecting) before its records' positions go to the
 * failure queue: an outage of the consumer's target of several minutes heals by itself, and a record
 * that cannot be handled does not hold its shard for the stream's whole 24 hours.
 */
export const STREAM_RETRY_ATTEMPTS = 10;
/** A stream record older than this waits behind a failure: alarmed well before the stream's 24 h trims it. */
export const ITERATOR_AGE_ALARM = Duration.minutes(5);
/** How long a last-stop queue keeps what it holds: SQS's longest. */
export const LAST_STOP_RETENTION = Duration.days(14);

/** The consumer's three alarms, by their names (also their construct ids and runbook anchors). */
export interface StreamConsumerAlarmNames {
  /** Lambda Errors > 0. @default `<name>Errors` */
  readonly errors?: string;
  /** IteratorAge over 5 minutes. @default `<name>IteratorAge` */
  readonly iteratorAge?: string;
  /** Anything in the failure queue. @default `<name>Failures` */
  readonly failures?: string;
}

/** What the consumer's alarms say about it, in its own words. */
export interface StreamConsumerDescriptions {
  /** Who it is: `the fan-out consumer`. */
  readonly consumer: string;
  /** What its log says of a failed batch: `fan-out failed`. */
  readonly failureMessage: string;
  /** What falling behind means to its readers: `stored events reach the bus late`. */
  readonly lagMeans: string;
  /** What records given up on mean, and how to repair: sentences. */
  readonly afterGivingUp: string;
}

export interface StreamConsumerProps {
  /** The table whose stream (NEW_IMAGE) feeds the consumer. Required. */
  readonly table: dynamodb.ITable;
  /** The prebuilt handler it runs (infra/handler-code.ts). Required. */
  readonly handler: HandlerName;
  /** The handler's environment. Required. */
  readonly environment: Record<string, string>;
  /** Starts its alarms' names: `FanOut` gives FanOutErrors, FanOutIteratorAge, FanOutFailures. Required. */
  readonly name: string;
  /** Names that differ from `<name>Errors`, … (kept as deployed). @default - from `name` */
  readonly alarmNames?: StreamConsumerAlarmNames;
  /** The alarms' sentences. Required. */
  readonly descriptions: StreamConsumerDescriptions;
  /** The receiver's alarm defaults. Required. */
  readonly alarms: ResolvedAlarmDefaults;
  /** How long the function's log group keeps its records. Required. */
  readonly logRetention: logs.RetentionDays;
  /** X-Ray tracing of the function. @default true */
  readonly tracing?: boolean;
}

/**
 * A function fed by a table's stream, as every consumer of the events table is (the fan-out, the
 * synced view, any later one): its function (256 MB, 60 s), the subscription and the IAM it needs
 * (DynamoEventSource: the stream's actions on its ARN, ListStreams), new items only, one batch of
 * up to 100 at a time per shard (the stream's order kept), partial batch failures, bisecting, ten
 * retries, then the batch's description in an encrypted, retained failure queue, the last stop;
 * and three alarms: errors, iterator age, the failure queue.
 */
export class StreamConsumer extends Construct {
  readonly consumer: ReceiverFunction;
  /** The stream's subscription. */
  readonly mapping: lambda.EventSourceMapping;
  /** Where Lambda describes the batches it gave up on (shard and sequence numbers, not the records): the last stop. */
  readonly failureQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];
  /** The function's iterator age, for graphs. */
  readonly iteratorAge: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    if (props.table.tableStreamArn === undefined) {
      throw new Error(`${this.node.path}: the table has no stream to consume; enable it with stream: NEW_IMAGE`);
    }

    this.failureQueue = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: LAST_STOP_RETENTION,
      // What it holds says which records the consumer missed: it outlives the stack, like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This is a stream consumer's on-failure destination, itself the last stop: what lands here is for a person (alarmed), not retried.",
    });
    acknowledgeLastStopQueue(this.failureQueue);

    this.consumer = new ReceiverFunction(this, 'Consumer', {
      entry: props.handler,
      environment: props.environment,
      timeout: CONSUMER_TIMEOUT,
      memorySize: 256,
      tracing: props.tracing,
      logRetention: props.logRetention,
    });
    const fn = this.consumer.function;
    // DynamoEventSource grants what polling needs, on this stream only, and sending to the failure queue.
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        // One batch at a time per shard: the stream's order is kept.
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
        // Only new events: TTL deletions (REMOVE), the indexer's derived items and the migration's copies
        // are dropped before they cost an invocation; the receiver never updates.
        filters: [lambda.FilterCriteria.filter(structuredClone(newEventRecordPattern) as Record<string, unknown>)],
      }),
    );
    this.mapping = fn.node.children.find((child): child is lambda.EventSourceMapping => child instanceof lambda.EventSourceMapping)!;
    Validations.of(this.consumer.node.findChild('Role').node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, which Lambda needs to poll a stream, supports no resource-level permissions; it lists stream ARNs, no data. X-Ray, when on, needs * too.',
    });

    this.iteratorAge = fn.metric('IteratorAge', { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM });
    this.alarms = this.#alarms(props);
  }

  #alarms({ name, alarmNames = {}, descriptions: d, alarms: defaults }: StreamConsumerProps): cloudwatch.Alarm[] {
    const period = periodText(defaults.period);
    const Consumer = `${d.consumer.charAt(0).toUpperCase()}${d.consumer.slice(1)}`;
    return [
      receiverAlarm(this, alarmNames.errors ?? `${name}Errors`, defaults, {
        metric: this.consumer.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        description:
          `${Consumer} failed whole batches (Lambda Errors > 0 in ${period}): the stream retries them, bisected. ` +
          `Look for "${d.failureMessage}" in its log group; records keep flowing once it succeeds.`,
      }),
      receiverAlarm(this, alarmNames.iteratorAge ?? `${name}IteratorAge`, defaults, {
        metric: this.iteratorAge,
        threshold: ITERATOR_AGE_ALARM.toMilliseconds(),
        description:
          `Stream records have waited over ${ITERATOR_AGE_ALARM.toMinutes()} minutes for ${d.consumer} (IteratorAge), so ${d.lagMeans}: it is failing or throttled. ` +
          'Check its errors alarm and its log; the stream keeps records 24 hours.',
      }),
      receiverAlarm(this, alarmNames.failures ?? `${name}Failures`, defaults, {
        metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        description: `The stream gave up on a batch after ${STREAM_RETRY_ATTEMPTS} retries and described it in ${d.consumer}'s failure queue (shard and sequence numbers). ${d.afterGivingUp}`,
      }),
    ];
  }
}
