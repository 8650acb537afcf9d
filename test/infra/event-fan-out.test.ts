import { beforeAll, describe, expect, test } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { newEventRecordPattern } from '../../functions/store/events-table.ts';
import { EventFanOut } from '../../infra/event-fan-out.ts';
import { resolveAlarmDefaults } from '../../infra/observability/alarm-defaults.ts';
import {
  actionsOf,
  alarmsById,
  appWithoutBundling,
  arnOf,
  eventsTable,
  only,
  type Resource,
  resourcesOf,
  type Statement,
  statementsOf,
} from '../support/stack-template.ts';
import { freshStack } from './fresh-stack.ts';
import { synthOnce } from './synth-once.ts';

// Issue 11, "Events flow on": the events table's stream -> a consumer -> the stack's EventBridge bus.

const streamArn = (tableId: string) => ({ 'Fn::GetAtt': [tableId, 'StreamArn'] });

describe('EventFanOut in the stack', () => {
  let template: Template;
  let tableId: string;
  let table: Resource;
  let busId: string;
  let consumerId: string;
  let consumer: Resource;
  let failureQueueId: string;
  let mapping: Resource;
  let statements: Statement[];

  beforeAll(() => {
    ({ template } = synthOnce());
    [tableId, table] = eventsTable(template);
    [busId] = only(template, 'AWS::Events::EventBus');
    const consumers = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('FanOutConsumerFunction'));
    expect(consumers).toHaveLength(1);
    [consumerId, consumer] = consumers[0] as [string, Resource];
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName.Ref === consumerId);
    expect(mappings).toHaveLength(1);
    mapping = mappings[0] as Resource;
    failureQueueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('FanOutFailures'))!;
    statements = statementsOf(template, consumer.Properties.Role['Fn::GetAtt'][0]);
  });

  test("the table streams each item's new image", () => {
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  test('the consumer runs functions/fan-out/handler.ts on Node 24, arm64, told its bus', () => {
    expect(consumer.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(consumer.Properties.Environment.Variables).toMatchObject({
      EVENT_BUS_NAME: { Ref: busId },
      POWERTOOLS_METRICS_NAMESPACE: 'TencentImCallbacks',
      EVENTS_TABLE_NAME: { Ref: tableId },
    });
  });

  test('the stream feeds it: inserts only, partial batch failures, bisect, bounded retries, an on-failure queue', () => {
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: streamArn(tableId),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: expect.any(Number),
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: arnOf(failureQueueId) } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(newEventRecordPattern) }] },
    });
    expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(20);
  });

  test('the failure queue is encrypted, TLS-only, kept 14 days and outlives the stack', () => {
    const queue = template.findResources('AWS::SQS::Queue')[failureQueueId]!;
    expect(queue).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find(
      (p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: failureQueueId }]),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('a custom bus, archived for 7 days by default: every tencent.im event', () => {
    const [, archive] = only(template, 'AWS::Events::Archive');
    expect(archive.Properties).toMatchObject({
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: 7,
      EventPattern: { source: ['tencent.im'] },
    });
  });

  test('fanOutArchiveDays sets the retention, and is validated', () => {
    const [, archive] = only(synthOnce({ fanOutArchiveDays: '30' }).template, 'AWS::Events::Archive');
    expect(archive.Properties.RetentionDays).toBe(30);
    expect(() => synthOnce({ fanOutArchiveDays: '0' }).template).toThrow(/fanOutArchiveDays/);
  });

  test('refuses, up front, a table without a stream and a retention that is not whole days', () => {
    const stack = new Stack(appWithoutBundling());
    const common = { metricsNamespace: 'X', alarms: resolveAlarmDefaults({}, 'Test'), logRetention: RetentionDays.ONE_MONTH };
    const withoutStream = new dynamodb.Table(stack, 'NoStream', { partitionKey: { name: 'eventId', type: dynamodb.AttributeType.STRING } });
    expect(() => new EventFanOut(stack, 'A', { ...common, table: withoutStream, archiveDays: 7 })).toThrow(/A\/Default: the table has no stream to consume/);
    const streamed = new dynamodb.Table(stack, 'Streamed', {
      partitionKey: { name: 'eventId', type: dynamodb.AttributeType.STRING },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    expect(() => new EventFanOut(stack, 'B', { ...common, table: streamed, archiveDays: 1.5 })).toThrow(
      /B: archiveDays must be a whole number of days >= 1, not 1.5/,
    );
  });

  test('the bus name and ARN are stack outputs', () => {
    expect(template.findOutputs('EventBusName')).toEqual({ EventBusName: expect.objectContaining({ Value: { Ref: busId } }) });
    expect(template.findOutputs('EventBusArn')).toEqual({ EventBusArn: expect.objectContaining({ Value: { 'Fn::GetAtt': [busId, 'Arn'] } }) });
  });

  describe('least privilege: the consumer', () => {
    test('may read its stream and write the derived items into its table (the indexer), nothing else of DynamoDB but ListStreams', () => {
      const dynamo = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
      expect(dynamo).toHaveLength(3);
      expect(dynamo).toEqual(
        expect.arrayContaining([
          { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: streamArn(tableId) },
          { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
          // Pointers and digests in batches, wide subjects' markers: no delete, no scan, no index.
          { Effect: 'Allow', Action: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: arnOf(tableId) },
        ]),
      );
    });

    test('may put events on its bus only', () => {
      const put = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('events:')));
      expect(put).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }]);
    });

    test('may send to its failure queue only', () => {
      const sqs = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
      expect(sqs).toHaveLength(1);
      expect(resourcesOf(sqs[0]!)).toEqual([arnOf(failureQueueId)]);
      expect(actionsOf(sqs[0]!)).toContain('sqs:SendMessage');
      expect(actionsOf(sqs[0]!).some((action) => /Receive|Delete|Purge|\*/.test(action))).toBe(false);
    });

    test('has nothing else but its logs and X-Ray', () => {
      const other = statements.filter((statement) => actionsOf(statement).some((action) => !/^(dynamodb|events|sqs|logs|xray):/.test(action)));
      expect(other).toEqual([]);
    });

    test('no other role may put events on the bus, and only the two stream consumers read the stream', () => {
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      expect(policies.filter((policy) => JSON.stringify(policy).includes('events:PutEvents'))).toHaveLength(1);
      const readers = policies.filter((policy) => JSON.stringify(policy).includes('StreamArn')).map((policy) => JSON.stringify(policy.Properties.Roles));
      expect(readers).toHaveLength(2);
      expect(readers.join()).toMatch(/FanOutConsumer.*StateConsumer|StateConsumer.*FanOutConsumer/);
    });
  });

  describe('alarms', () => {
    test('consumer errors, iterator age, failed entries and the failure queue', () => {
      const alarms = alarmsById(template);
      expect(alarms.FanOutErrors).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: consumerId } }],
        Threshold: 0,
      });
      expect(alarms.FanOutIteratorAge).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 300_000 });
      expect(alarms.FanOutFailedEntries).toMatchObject({
        Namespace: 'TencentImCallbacks',
        MetricName: 'FanOutFailedEntries',
        Dimensions: [{ Name: 'service', Value: 'tencent-im-callbacks' }],
        Statistic: 'Sum',
        Threshold: 0,
      });
      expect(alarms.FanOutFailures).toMatchObject({
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
        Threshold: 0,
      });
      for (const id of ['FanOutErrors', 'FanOutIteratorAge', 'FanOutFailedEntries', 'FanOutFailures']) {
        expect(alarms[id]).toMatchObject({
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmDescription: expect.stringMatching(/\. .{20,}/),
        });
      }
    });

    test('are on the dashboard, with the fan-out graphs, and mailed with the rest', () => {
      const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      for (const text of ['Fan-out to the event bus', 'FanOutPublished', 'IteratorAge']) expect(body).toContain(text);
      const mailed = synthOnce({ alarmEmail: 'ops@example.com' }).template;
      const [topicId] = only(mailed, 'AWS::SNS::Topic');
      const alarms = alarmsById(mailed);
      for (const id of ['FanOutErrors', 'FanOutIteratorAge', 'FanOutFailedEntries', 'FanOutFailures'])
        expect(alarms[id]!.AlarmActions).toEqual([{ Ref: topicId }]);
    });
  });
});

describe('EventFanOut alone, in a fresh stack', () => {
  test('twice in one stack: two buses, no clash of ids, names or outputs (it adds none)', () => {
    const { stack, table, alarms, logRetention } = freshStack();
    for (const id of ['One', 'Two'])
      new EventFanOut(stack, id, { table, archiveDays: 7, metricsNamespace: 'X', alarms: { ...alarms, namePrefix: id }, logRetention });
    const alone = Template.fromStack(stack);
    expect(Object.keys(alone.findResources('AWS::Events::EventBus'))).toHaveLength(2);
    expect(alone.toJSON().Outputs).toBeUndefined();
  });

  test('on a bus it is given: no bus, no archive; the consumer may put events on that one', () => {
    const { stack, table, alarms, logRetention } = freshStack();
    const bus = events.EventBus.fromEventBusArn(stack, 'Theirs', 'arn:aws:events:eu-west-1:123456789012:event-bus/theirs');
    const fanOut = new EventFanOut(stack, 'FanOut', { table, bus, metricsNamespace: 'X', alarms, logRetention });
    expect(fanOut.archive).toBeUndefined();
    const alone = Template.fromStack(stack);
    alone.resourceCountIs('AWS::Events::EventBus', 0);
    alone.resourceCountIs('AWS::Events::Archive', 0);
    expect(JSON.stringify(alone.findResources('AWS::IAM::Policy'))).toContain(
      '"Action":"events:PutEvents","Effect":"Allow","Resource":"arn:aws:events:eu-west-1:123456789012:event-bus/theirs"',
    );
  });
});
