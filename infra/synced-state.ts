import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StateEnvironment } from '../functions/synced-view/state-environment.ts';
import { stateTable } from '../functions/synced-view/state-table.ts';
import { acknowledgeLastStopQueue, acknowledgeTableEncryption } from './control-tower-acknowledgements.ts';
import { alarmNamePrefix, PERIOD, alarm as sharedAlarm } from './observability/alarm-defaults.ts';
import { ReceiverFunction } from './receiver-function.ts';

export interface SyncedStateProps {
  /** The events table, with its NEW_IMAGE stream enabled. Required. */
  readonly eventsTable: dynamodb.ITable;
  /** X-Ray tracing of the consumer. @default true */
  readonly tracing?: boolean;
  /** Starts every alarm's name. @default - the stack's name */
  readonly alarmNamePrefix?: string;
}

/** Well inside a batch's budget: one batch is at most 100 records, one read and a write per thing they change. */
const CONSUMER_TIMEOUT = Duration.seconds(60);
/**
 * Tries of a failing batch (halved each time by bisecting) before its records go to the failure
 * queue: a state-table outage of a few minutes heals by itself; a record that cannot be projected
 * does not hold its shard for the stream's whole 24 hours.
 */
const RETRY_ATTEMPTS = 10;

/**
 * The synced view in AWS: the state table (state-table.ts), and the consumer that projects each new
 * item of the events table's stream into it (functions/synced-view/handler.ts), never on the callback's
 * path. Failed records are reported alone, retried, bisected, and finally described in the failure
 * queue (the events themselves stay in the events table; `npm run state -- --rebuild` repairs the view).
 */
export class SyncedState extends Construct {
  readonly table: dynamodb.Table;
  readonly consumer: ReceiverFunction;
  /** Where Lambda describes the batches it gave up on (shard and sequence numbers, not the events). */
  readonly failures: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SyncedStateProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: stateTable.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: stateTable.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Derived, but only rebuildable from the events still kept (eventRetentionDays): it outlives
      // the stack too, and is protected from deletion like the events table.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });

    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // What it holds says which events the view missed: it outlives the stack, like the fan-out's.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This is the state consumer's on-failure destination, itself the last stop: what lands here is for a person (alarmed), then a rebuild.",
    });

    const environment: Record<string, string> & StateEnvironment = { STATE_TABLE_NAME: this.table.tableName };
    this.consumer = new ReceiverFunction(this, 'Consumer', { entry: 'state', environment, timeout: CONSUMER_TIMEOUT, memorySize: 256, tracing: props.tracing });
    const fn = this.consumer.function;
    // The generation pointer's read, a conditional update per entity, and a read and put when it is
    // late (functions/synced-view/dynamodb-state-store.ts); nothing else, no other table.
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [this.table.tableArn] }));
    fn.addEventSource(
      new DynamoEventSource(props.eventsTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        // Only new events change state; TTL deletions are not news (and are not billed as invocations).
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      }),
    );
    Validations.of(this.consumer.node.findChild('Role').node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "Reading a DynamoDB stream needs dynamodb:ListStreams, which supports no resource-level permission; the stream's own actions are on its ARN only.",
    });

    // Named, periodic and quiet on missing data like every alarm of the stack (observability/alarm-defaults.ts).
    const prefix = alarmNamePrefix(this, props.alarmNamePrefix);
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, alarmDescription: string) =>
      sharedAlarm(this, name, prefix, { metric, threshold, alarmDescription });
    const period = PERIOD;
    this.alarms = [
      alarm(
        'StateConsumerErrors',
        fn.metricErrors({ period, statistic: 'Sum' }),
        0,
        'The state consumer failed a batch: see "state projection failed" in its log. It retries by itself, bisecting the batch.',
      ),
      alarm(
        'StateLag',
        fn.metric('IteratorAge', { period, statistic: 'Maximum' }),
        Duration.minutes(5).toMilliseconds(),
        'The synced view is over 5 minutes behind the events: the consumer is failing or throttled. The stream keeps records 24 hours.',
      ),
      alarm(
        'StateFailures',
        this.failures.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        0,
        'The state consumer gave up on records after its retries: the view misses them. Fix the cause from its log, then run npm run state -- --rebuild --table <StateTableName> --events-table <EventsTableName> (README, The synced view).',
      ),
    ];
    // Mailed, shown and acknowledged with the stack's others: CallbackObservability takes them (callback-stack.ts).
    acknowledgeTableEncryption(this.table);
    acknowledgeLastStopQueue(this.failures);

    new CfnOutput(Stack.of(this), 'StateTableName', {
      value: this.table.tableName,
      description: 'The synced view: npm run state -- --table <this name> --group ID',
    });
  }
}
