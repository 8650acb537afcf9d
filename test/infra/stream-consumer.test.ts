/**
 * StreamConsumer alone, in a fresh stack: what every consumer of the events table's stream gets
 * (the fan-out's and the synced view's, test/infra/event-fan-out.test.ts and synced-state.test.ts).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ITERATOR_AGE_ALARM, STREAM_RETRY_ATTEMPTS, StreamConsumer, type StreamConsumerProps } from '../../infra/stream-consumer.ts';
import { actionsOf, arnOf, only, type Resource, statementsOf } from '../support/stack-template.ts';
import { freshStack } from './fresh-stack.ts';

const descriptions = { consumer: 'the test consumer', failureMessage: 'test failed', lagMeans: 'tests run late', afterGivingUp: 'Run them again.' };

function consumer(props: Partial<StreamConsumerProps> = {}) {
  const { stack, table, alarms, logRetention } = freshStack();
  const made = new StreamConsumer(stack, 'Reader', {
    table,
    handler: 'state',
    environment: { A: 'b' },
    name: 'Reader',
    descriptions,
    alarms,
    logRetention,
    ...props,
  });
  return { stack, table, made, template: Template.fromStack(stack) };
}

let template: Template;
let tableId: string;
let fn: Resource;
let queueId: string;

beforeAll(() => {
  ({ template } = consumer());
  [tableId] = only(template, 'AWS::DynamoDB::Table');
  [, fn] = only(template, 'AWS::Lambda::Function');
  [queueId] = only(template, 'AWS::SQS::Queue');
});

describe('StreamConsumer', () => {
  test('a function of 256 MB and 60 s running the prebuilt handler, with its environment', () => {
    expect(fn.Properties).toMatchObject({ MemorySize: 256, Timeout: 60, Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(fn.Properties.Environment.Variables).toEqual({ A: 'b', POWERTOOLS_TRACE_ENABLED: 'true' });
  });

  test('subscribed to new items only, one batch per shard at a time, partial failures, bisecting, bounded retries, then the failure queue', () => {
    const [, mapping] = only(template, 'AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toEqual({
      FunctionName: { Ref: only(template, 'AWS::Lambda::Function')[0] },
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
      // New events only: their body (`b`) present, not a migration copy (`m`): no derived item invokes a consumer.
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { b: { B: [{ exists: true }] }, m: { BOOL: [{ exists: false }] } } } }) },
        ],
      },
    });
  });

  test('may read the stream and send to its failure queue, no more', () => {
    const statements = statementsOf(template, fn.Properties.Role['Fn::GetAtt'][0]).filter(
      (statement) => !actionsOf(statement).some((action) => /^(logs|xray):/.test(action)),
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        },
        { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: arnOf(queueId) },
      ]),
    );
    expect(statements).toHaveLength(3);
  });

  test('its failure queue: encrypted, TLS only, kept 14 days, retained', () => {
    template.hasResource('AWS::SQS::Queue', {
      DeletionPolicy: 'Retain',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: Duration.days(14).toSeconds() },
    });
    const [, policy] = only(template, 'AWS::SQS::QueuePolicy');
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Resource: arnOf(queueId), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  test('three alarms named after it, each in its own words, citing its runbook entry', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    expect(alarms.map((alarm) => alarm.AlarmName).sort()).toEqual(['Alone-ReaderErrors', 'Alone-ReaderFailures', 'Alone-ReaderIteratorAge']);
    const byName = Object.fromEntries(alarms.map((alarm) => [alarm.AlarmName.replace('Alone-', ''), alarm]));
    expect(byName.ReaderErrors).toMatchObject({ MetricName: 'Errors', Threshold: 0 });
    expect(byName.ReaderErrors.AlarmDescription).toMatch(
      /^The test consumer failed whole batches .* "test failed" .* Runbook: docs\/operations.md#alarm-reader-errors$/,
    );
    expect(byName.ReaderIteratorAge).toMatchObject({ MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: ITERATOR_AGE_ALARM.toMilliseconds() });
    expect(byName.ReaderIteratorAge.AlarmDescription).toMatch(/so tests run late/);
    expect(byName.ReaderFailures).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0 });
    expect(byName.ReaderFailures.AlarmDescription).toMatch(/after 10 retries .* Run them again\. Runbook: /);
  });

  test('takes other alarm names, as deployed', () => {
    const { template: renamed } = consumer({ alarmNames: { errors: 'ReaderBroke', iteratorAge: 'ReaderLag' } });
    const names = Object.values(renamed.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties.AlarmName);
    expect(names.sort()).toEqual(['Alone-ReaderBroke', 'Alone-ReaderFailures', 'Alone-ReaderLag']);
  });

  test('refuses a table without a stream, naming itself', () => {
    const { stack, alarms, logRetention } = freshStack();
    const plain = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    expect(
      () => new StreamConsumer(stack, 'Reader', { table: plain, handler: 'state', environment: {}, name: 'R', descriptions, alarms, logRetention }),
    ).toThrow(/^Alone\/Reader: the table has no stream to consume; enable it with stream: NEW_IMAGE$/);
  });

  test('twice in one stack, under different ids: no clash', () => {
    const { stack, table, alarms, logRetention } = freshStack();
    for (const name of ['One', 'Two']) new StreamConsumer(stack, name, { table, handler: 'state', environment: {}, name, descriptions, alarms, logRetention });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(2);
  });
});
