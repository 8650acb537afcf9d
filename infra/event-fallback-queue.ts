import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeDeadLetterQueueAllowPolicySetLater } from './control-tower-acknowledgements.ts';
import { eventWriterActions } from './events-table.ts';
import { PERIOD, type ResolvedAlarmDefaults, receiverAlarm } from './observability/alarm-defaults.ts';
import { ReceiverFunction } from './receiver-function.ts';
import { RedriveAllowPolicy } from './redrive-allow-policy.ts';
import { LAST_STOP_RETENTION } from './stream-consumer.ts';

export interface EventFallbackQueueProps {
  /** The events table the drain writes to. Required. */
  readonly table: dynamodb.ITable;
  /** X-Ray tracing of the drain function. @default true */
  readonly tracing?: boolean;
  /** The receiver's alarm defaults. Required. */
  readonly alarms: ResolvedAlarmDefaults;
  /** How long the drain's and the deploy-time provider's log groups keep their records. Required. */
  readonly logRetention: logs.RetentionDays;
}

/** SQS's advice: a visibility timeout at least six times the consumer's timeout. */
const DRAIN_TIMEOUT = Duration.seconds(30);
/**
 * Tries before a message is dead-lettered: with the 180 s visibility timeout, a table outage of up to
 * an hour drains by itself when the table returns, instead of filling the dead-letter queue.
 */
const MAX_RECEIVE_COUNT = 20;

/**
 * Where after-events go when the table cannot take them in time: an encrypted queue, drained into
 * the table by a small function with the callback's own idempotent put. A message that keeps
 * failing moves to the dead-letter queue after 20 tries (an hour), and is kept there 14 days. Both
 * queues are retained with the stack, like the table: they may hold events not yet in it.
 */
export class EventFallbackQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly drain: ReceiverFunction;
  /** The queues' own alarms: pass them to CallbackObservability, which shows and mails them. */
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: EventFallbackQueueProps) {
    super(scope, id);
    const encrypted = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: LAST_STOP_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    // No redrive allow policy in its template: RedriveAllowPolicy (below) sets it once both queues exist.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', encrypted);
    acknowledgeDeadLetterQueueAllowPolicySetLater(this.deadLetterQueue);
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue: what lands here is kept for a person to look at (alarmed), not retried again.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...encrypted,
      visibilityTimeout: Duration.seconds(DRAIN_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    // The dead-letter queue takes messages from the fallback queue alone.
    new RedriveAllowPolicy(this, 'RedriveAllowPolicy', { deadLetterQueue: this.deadLetterQueue, sourceQueue: this.queue, logRetention: props.logRetention });

    this.drain = new ReceiverFunction(this, 'Drain', {
      entry: 'drain',
      environment: { EVENTS_TABLE_NAME: props.table.tableName },
      timeout: DRAIN_TIMEOUT,
      memorySize: 256,
      tracing: props.tracing,
      logRetention: props.logRetention,
    });
    // Like the callback function: one conditional put per event, nothing else.
    this.drain.function.addToRolePolicy(new PolicyStatement({ actions: eventWriterActions, resources: [props.table.tableArn] }));
    // Two at a time at most: a backlog drains steadily without competing with live callbacks for a throttled table.
    this.drain.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }));
    this.alarms = this.createAlarms(props.alarms);
  }

  /** The fallback queue must stay nearly empty: events wait there only until the drain writes them. */
  private createAlarms(defaults: ResolvedAlarmDefaults): cloudwatch.Alarm[] {
    const alarms = [
      receiverAlarm(this, 'FallbackBacklog', defaults, {
        id: 'BacklogAlarm',
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 300,
        description:
          'An event has waited in the fallback queue for more than 5 minutes: the drain function cannot write to the table. ' +
          `The events are safe in the queue; each gets ${MAX_RECEIVE_COUNT} tries (about an hour) before the dead-letter queue. Look at the drain function's log for 'drain failed' and at the table's health.`,
      }),
      receiverAlarm(this, 'DeadLetters', defaults, {
        id: 'DeadLettersAlarm',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        description:
          `Events failed to drain ${MAX_RECEIVE_COUNT} times (about an hour) and are in the dead-letter queue (kept 14 days). Read the reason in the drain log, fix it, ` +
          'then move them back with the SQS console\'s "Start DLQ redrive" to the fallback queue: the idempotent write stores each once.',
      }),
    ];
    return alarms;
  }
}
