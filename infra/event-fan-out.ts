import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../functions/callback/metric-names.ts';
import { EVENT_SOURCE } from '../functions/fan-out/event-schema.ts';
import { FAN_OUT_BUS_VARIABLE, fanOutMetricNames } from '../functions/fan-out/metric-names.ts';
import { keepLogicalId } from './logical-ids.ts';
import { PERIOD, periodText, type ResolvedAlarmDefaults, receiverAlarm } from './observability/alarm-defaults.ts';
import { StreamConsumer } from './stream-consumer.ts';

export interface EventFanOutProps {
  /** The events table; its stream (new images) must be enabled. Required. */
  readonly table: dynamodb.ITable;
  /** A bus to publish on instead of a new one (with no archive of ours). @default - a new bus, archived */
  readonly bus?: events.IEventBus;
  /** Days the new bus's archive keeps every event for replay: the receiver's `fanOutArchiveDays`. Required unless `bus`. */
  readonly archiveDays?: number;
  /** The namespace of the consumer's EMF metrics: setting `metricsNamespace`. Required. */
  readonly metricsNamespace: string;
  /** The receiver's alarm defaults. Required. */
  readonly alarms: ResolvedAlarmDefaults;
  /** How long the consumer's log group keeps its records. Required. */
  readonly logRetention: logs.RetentionDays;
  /** X-Ray tracing of the consumer. @default true */
  readonly tracing?: boolean;
}

/**
 * Events flow on: the events table's stream → a consumer function → an EventBridge bus, new and
 * archived for replay unless one is given. Every stored after-event becomes one entry
 * (functions/fan-out/). The stream's subscription, its failure queue and the consumer's alarms are a
 * StreamConsumer's; the bus, its PutEvents alarm and the dashboard's widgets are this one's.
 */
export class EventFanOut extends Construct {
  readonly bus: events.IEventBus;
  /** The new bus's archive; none for a bus that was given. */
  readonly archive?: events.Archive;
  readonly consumer: lambda.Function;
  /** Where the stream records the batches it gave up on (their shard and sequence numbers). */
  readonly failureQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];
  readonly widgets: cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: EventFanOutProps) {
    super(scope, id);
    const { metricsNamespace: namespace, alarms: defaults } = props;

    if (props.bus === undefined) {
      const archiveDays = props.archiveDays;
      if (archiveDays === undefined || !(Number.isInteger(archiveDays) && archiveDays >= 1)) {
        throw new RangeError(`${this.node.path}: archiveDays must be a whole number of days >= 1, not ${archiveDays}`);
      }
      const bus = new events.EventBus(this, 'Bus', { description: 'Tencent IM after-events, one per stored event (source tencent.im)' });
      this.archive = bus.archive('Archive', {
        description: `Every tencent.im event, kept ${archiveDays} days for replay`,
        eventPattern: { source: [EVENT_SOURCE] },
        retention: Duration.days(archiveDays),
      });
      this.bus = bus;
    } else {
      this.bus = props.bus;
    }

    // `Default`: the resources keep the logical ids they had when this construct made them itself.
    const stream = new StreamConsumer(this, 'Default', {
      table: props.table,
      handler: 'fanOut',
      // EVENTS_TABLE_NAME: the consumer's indexer stage writes the table's derived items (functions/fan-out/index-records.ts).
      environment: { [FAN_OUT_BUS_VARIABLE]: this.bus.eventBusName, POWERTOOLS_METRICS_NAMESPACE: namespace, EVENTS_TABLE_NAME: props.table.tableName },
      name: 'FanOut',
      descriptions: {
        consumer: 'the fan-out consumer',
        failureMessage: 'fan-out failed',
        lagMeans: 'stored events reach the bus late',
        afterGivingUp:
          'Those events are in the table but not on the bus: read them by time with npm run events -- --table <EventsTableName> --since … and republish them.',
      },
      alarms: defaults,
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    // The stream's subscription was a mapping of this construct's own before StreamConsumer made it:
    // the same logical id keeps the deployed one, which would otherwise be made anew from the
    // stream's start (TRIM_HORIZON), publishing a day of events twice.
    keepLogicalId(stream.mapping.node.defaultChild as lambda.CfnEventSourceMapping, this, 'StreamMapping', 'Resource');
    this.consumer = stream.consumer.function;
    this.failureQueue = stream.failureQueue;
    this.bus.grantPutEventsTo(this.consumer);
    // The indexer writes pointers and digests into the table (BatchWriteItem) and makes sure of wide
    // subjects' markers (GetItem, UpdateItem: functions/store/subject-markers.ts); it deletes nothing.
    // A statement of its own: table.grant() would add the indexes.
    this.consumer.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [props.table.tableArn] }),
    );

    const emf = (metricName: string, label?: string) =>
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service: SERVICE_NAME }, period: PERIOD, statistic: cloudwatch.Stats.SUM, label });
    const [errors, iteratorAge, failures] = stream.alarms as [cloudwatch.Alarm, cloudwatch.Alarm, cloudwatch.Alarm];
    // In the order they were listed before StreamConsumer: the dashboard's alarm widget shows them so.
    this.alarms = [
      errors,
      iteratorAge,
      // Unlabelled: a label would turn the alarm's metric into a math expression.
      receiverAlarm(this, 'FanOutFailedEntries', defaults, {
        metric: emf(fanOutMetricNames.failedEntries),
        threshold: 0,
        description:
          `PutEvents refused entries even after retries (FanOutFailedEntries > 0 in ${periodText(defaults.period)}): their records were reported back to the stream, which retries them. ` +
          'Look for "fan-out failed" with the reason in the consumer log (throttling: raise the PutEvents quota).',
      }),
      failures,
    ];
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
        left: [stream.iteratorAge.with({ label: 'iterator age max' })],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
        right: [this.consumer.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: 'errors' })],
        rightYAxis: { min: 0 },
      }),
    ];
  }
}
