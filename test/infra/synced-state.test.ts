import { describe, expect, test } from '@jest/globals';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newEventRecordPattern } from '../../functions/store/events-table.ts';
import { SyncedState } from '../../infra/synced-state.ts';
import { actionsOf, alarmsById, arnOf, type Resource, resourcesOf, statementsOf } from '../support/stack-template.ts';
import { freshStack } from './fresh-stack.ts';
import { synthOnce } from './synth-once.ts';

// The defaults: no alarmEmail, so the alarms' topic has no subscriber, and they are sent to it all the same.
const { template } = synthOnce();
const resources = (type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const [stateTableId, stateTable] = resources('AWS::DynamoDB::Table').find(([id]) => id.startsWith('StateTable'))!;
const [eventsTableId, eventsTable] = resources('AWS::DynamoDB::Table').find(([id]) => id.startsWith('Events'))!;
const [consumerId, consumer] = resources('AWS::Lambda::Function').find(([id]) => id.startsWith('StateConsumerFunction'))!;
const [failuresId] = resources('AWS::SQS::Queue').find(([id]) => id.startsWith('StateFailures'))!;

describe('SyncedState', () => {
  test('the state table: pk and sk, on-demand, point-in-time recovery, retained, protected from deletion, and a stack output', () => {
    expect(stateTable.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResource('AWS::DynamoDB::Table', { Properties: Match.objectLike({ KeySchema: stateTable.Properties.KeySchema }), DeletionPolicy: 'Retain' });
    template.hasOutput('StateTableName', { Value: { Ref: stateTableId } });
  });

  test("the events table's NEW_IMAGE stream feeds the consumer: inserts only, partial failures, bisect, bounded retries, on-failure queue", () => {
    expect(eventsTable.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      EventSourceArn: { 'Fn::GetAtt': [eventsTableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(failuresId) } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(newEventRecordPattern) }] },
    });
    expect(consumer.Properties.Environment.Variables.STATE_TABLE_NAME).toEqual({ Ref: stateTableId });
  });

  test('least privilege: the consumer reads the stream, gets, updates and puts state items, and sends to its failure queue; nothing else', () => {
    const statements = statementsOf(template, consumer.Properties.Role['Fn::GetAtt'][0]);
    const dynamo = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: arnOf(stateTableId) }),
        expect.objectContaining({ Action: 'dynamodb:ListStreams', Resource: '*' }),
        expect.objectContaining({
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: { 'Fn::GetAtt': [eventsTableId, 'StreamArn'] },
        }),
      ]),
    );
    expect(dynamo).toHaveLength(3);
    const others = statements.filter((statement) => !actionsOf(statement).some((action) => /^(dynamodb|logs|xray):/.test(action)));
    expect(others.flatMap(actionsOf).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    expect(others.flatMap(resourcesOf)).toEqual([arnOf(failuresId)]);
    // The callback's own role gained nothing: the view is never on the callback's path.
    const callbackRole = resources('AWS::Lambda::Function').find(([id]) => id.startsWith('CallbackFunction'))![1].Properties.Role['Fn::GetAtt'][0];
    expect(JSON.stringify(statementsOf(template, callbackRole))).not.toContain(stateTableId);
  });

  test('its alarms, sent to the stack topic, which lets them publish', () => {
    const alarms = alarmsById(template);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const id of ['StateConsumerErrors', 'StateLag', 'StateFailures'])
      expect(alarms[id]).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
    // The topic lets the stack's named alarms alone publish, these among them.
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const allowed = JSON.stringify(
      policy!.Properties.PolicyDocument.Statement.map((each: Record<string, any>) => each.Condition?.ArnEquals?.['aws:SourceArn']),
    );
    const stateAlarmIds = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
      .filter(([, each]) => /-State/.test(each.Properties.AlarmName))
      .map(([id]) => arnOf(id));
    expect(stateAlarmIds).toHaveLength(3);
    for (const arn of stateAlarmIds) expect(allowed).toContain(JSON.stringify(arn));
    expect(alarms.StateLag).toMatchObject({ MetricName: 'IteratorAge', Threshold: 300_000 });
  });
});

describe('SyncedState alone, in a fresh stack', () => {
  test('twice in one stack: two state tables and consumers, no clash of ids or outputs (it adds none)', () => {
    const { stack, table, alarms, logRetention } = freshStack();
    for (const id of ['One', 'Two']) new SyncedState(stack, id, { eventsTable: table, alarms: { ...alarms, namePrefix: id }, logRetention });
    const alone = Template.fromStack(stack);
    expect(Object.keys(alone.findResources('AWS::DynamoDB::Table'))).toHaveLength(3);
    expect(Object.keys(alone.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(2);
    expect(alone.toJSON().Outputs).toBeUndefined();
  });
});
