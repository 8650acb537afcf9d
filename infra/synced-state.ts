import { Names, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StateEnvironment } from '../functions/synced-view/state-environment.ts';
import { stateTable } from '../functions/synced-view/state-table.ts';
import { acknowledgeTableEncryption } from './control-tower-acknowledgements.ts';
import { EventsTable } from './events-table.ts';
import { keepLogicalId } from './logical-ids.ts';
import type { ResolvedAlarmDefaults } from './observability/alarm-defaults.ts';
import { StreamConsumer } from './stream-consumer.ts';

export interface SyncedStateProps {
  /** The events table, with its NEW_IMAGE stream enabled. Required. */
  readonly eventsTable: dynamodb.ITable;
  /** The receiver's alarm defaults. Required. */
  readonly alarms: ResolvedAlarmDefaults;
  /** How long the consumer's log group keeps its records. Required. */
  readonly logRetention: logs.RetentionDays;
  /** X-Ray tracing of the consumer. @default true */
  readonly tracing?: boolean;
}

/**
 * The synced view in AWS: the state table (functions/synced-view/state-table.ts), and the stream
 * consumer that projects each new item of the events table into it (functions/synced-view/handler.ts),
 * never on the callback's path. What the consumer gives up on is described in its failure queue (the
 * events themselves stay in the events table; `npm run state -- --rebuild` repairs the view).
 */
export class SyncedState extends Construct {
  readonly table: dynamodb.Table;
  readonly consumer: lambda.Function;
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
    acknowledgeTableEncryption(this.table);

    const environment: Record<string, string> & StateEnvironment = { STATE_TABLE_NAME: this.table.tableName };
    // `Default`: the resources keep the logical ids they had when this construct made them itself.
    const stream = new StreamConsumer(this, 'Default', {
      table: props.eventsTable,
      handler: 'state',
      environment,
      name: 'State',
      // The names the alarms were deployed with.
      alarmNames: { errors: 'StateConsumerErrors', iteratorAge: 'StateLag' },
      descriptions: {
        consumer: 'the state consumer',
        failureMessage: 'state projection failed',
        lagMeans: 'the synced view is behind the events',
        afterGivingUp:
          'The view misses those events. Fix the cause from its log, then run npm run state -- --rebuild --table <StateTableName> --events-table <EventsTableName>.',
      },
      alarms: props.alarms,
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    // A deployed stack's mapping read the second design's table, which had the EventsTable's own id
    // (`Default`): the same logical id keeps it the deployed mapping, now on the new table's stream,
    // instead of a resource gone and another made (infra/events-table.ts).
    const events = props.eventsTable.node.scope;
    if (events instanceof EventsTable) {
      const mapping = stream.mapping.node.defaultChild as lambda.CfnEventSourceMapping;
      keepLogicalId(mapping, this, 'Default', 'Consumer', 'Function', `DynamoDBEventSource:${Names.nodeUniqueId(events.node)}`, 'Resource');
    }
    this.consumer = stream.consumer.function;
    this.failures = stream.failureQueue;
    this.alarms = stream.alarms;
    // The generation pointer's read, a conditional update per entity, and a read and put when it is
    // late (functions/synced-view/dynamodb-state-store.ts); nothing else, no other table.
    this.consumer.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [this.table.tableArn] }),
    );
  }
}
