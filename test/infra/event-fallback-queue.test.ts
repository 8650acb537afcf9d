import { join } from 'node:path';
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { handlerEntries } from '../../infra/build/handler-bundles.ts';
import type { CallbackStack } from '../../infra/callback-stack.ts';
import { EventFallbackQueue } from '../../infra/event-fallback-queue.ts';
import { handlersDirectory } from '../../infra/handler-code.ts';
import {
  actionsOf,
  alarmsById,
  arnOf,
  awsCustomResourceProvider,
  callbackFunction,
  drainFunction,
  eventsTable,
  only,
  type Resource,
  resourcesOf,
  type Statement,
  statementsOf,
  synth,
  testOutdir,
} from '../support/stack-template.ts';
import { freshStack } from './fresh-stack.ts';
import { synthOnce } from './synth-once.ts';

// Issue "Nothing lost": after-events the table cannot take in time go to an encrypted SQS queue, which
// a second function drains into the table; what keeps failing waits in a dead-letter queue, alarmed.

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/**
 * An AwsCustomResource's SDK call (its Create or Update property, an Fn::Join of JSON around
 * references) as the object the provider reads, each reference written `<id>` (Ref) or `<id.Attr>`.
 */
function sdkCall(property: unknown): Record<string, any> {
  const parts = (property as { 'Fn::Join': ['', unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const { Ref: ref, 'Fn::GetAtt': getAtt } = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (ref !== undefined) return `<${ref}>`;
      if (getAtt !== undefined) return `<${getAtt.join('.')}>`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join('');
  // The references sit inside JSON strings (one level deeper in the policy); plain names need no escaping.
  return JSON.parse(text);
}

describe('EventFallbackQueue in the stack', () => {
  let stack: CallbackStack;
  let template: Template;
  let queueId: string;
  let queue: Resource;
  let deadLetterQueueId: string;
  let deadLetterQueue: Resource;
  let tableId: string;
  let callbackId: string;
  let callback: Resource;
  let drainId: string;
  let drain: Resource;
  /** The prebuilt bundle's folder each function's code is, by the function's logical id. */
  const bundleFolders: Record<string, string> = {};

  beforeAll(() => {
    // The template names the asset by its hash alone: the folder is read as each function binds its code.
    const fromAsset = Code.fromAsset.bind(Code);
    const byPath: Record<string, string> = {};
    const spy = jest.spyOn(Code, 'fromAsset').mockImplementation((path, options) => {
      const code = fromAsset(path, options);
      const bind = code.bind.bind(code);
      code.bind = (scope) => {
        byPath[scope.node.path] = path;
        return bind(scope);
      };
      return code;
    });
    try {
      ({ stack, template } = synthOnce());
    } finally {
      spy.mockRestore();
    }
    for (const construct of stack.node.findAll()) {
      const folder = byPath[construct.node.path];
      if (folder !== undefined && construct instanceof LambdaFunction) bundleFolders[stack.getLogicalId(construct.node.defaultChild as CfnElement)] = folder;
    }

    // The fallback's own queues (EventFallbackQueue's `Fallback`): other constructs may have queues too.
    const queues = Object.entries(template.findResources('AWS::SQS::Queue')).filter(([id]) => id.startsWith('Fallback'));
    expect(queues).toHaveLength(2);
    [queueId, queue] = queues.find(([, q]) => q.Properties.RedrivePolicy !== undefined) as [string, Resource];
    [deadLetterQueueId, deadLetterQueue] = queues.find(([id]) => id !== queueId) as [string, Resource];
    [tableId] = eventsTable(template);
    [callbackId, callback] = callbackFunction(template);
    [drainId, drain] = drainFunction(template);
  });

  describe('the queues', () => {
    test('a fallback queue and its dead-letter queue, both encrypted with SQS-managed keys', () => {
      for (const q of [queue, deadLetterQueue]) {
        expect(q.Properties.SqsManagedSseEnabled).toBe(true);
        expect(q.Properties.KmsMasterKeyId).toBeUndefined();
      }
      // The dead-letter queue is the end of the line: no redrive of its own.
      expect(deadLetterQueue.Properties.RedrivePolicy).toBeUndefined();
    });

    test('each accepts requests over TLS only', () => {
      const policies = Object.entries(template.findResources('AWS::SQS::QueuePolicy'))
        .filter(([id]) => id.startsWith('Fallback'))
        .map(([, p]) => p);
      expect(policies).toHaveLength(2);
      for (const id of [queueId, deadLetterQueueId]) {
        const policy = policies.find((p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: id }]));
        expect(policy?.Properties.PolicyDocument.Statement).toContainEqual({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sqs:*',
          Resource: arnOf(id),
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        });
      }
    });

    test('keep the logical ids and properties every deployed stack has: the fallback queue is not named, so not replaced', () => {
      // A fallback queue with another name (or id) would be a new queue: the deployed one, retained,
      // would keep the events waiting in it, and nothing would drain them.
      expect([queueId, deadLetterQueueId]).toEqual(['FallbackQueue9D48D008', 'FallbackDeadLettersBEF481E7']);
      expect(queue.Properties).toEqual({
        MessageRetentionPeriod: FOURTEEN_DAYS,
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueueId), maxReceiveCount: 20 },
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 180,
      });
      expect(queue.Properties.QueueName).toBeUndefined();
      // The dead-letter queue's template leaves the allow policy to the custom resource (below).
      expect(deadLetterQueue.Properties).toEqual({ MessageRetentionPeriod: FOURTEEN_DAYS, SqsManagedSseEnabled: true });
    });

    describe("the dead-letter queue's redrive allow policy, set once both queues exist", () => {
      let setterId: string;
      let setter: Resource;

      beforeAll(() => {
        [setterId, setter] = only(template, 'Custom::AWS');
      });

      test("is byQueue, naming exactly the fallback queue's ARN, set on the dead-letter queue alone, on create and on update", () => {
        for (const property of [setter.Properties.Create, setter.Properties.Update]) {
          const { parameters, ...call } = sdkCall(property);
          expect(call).toEqual({ service: 'SQS', action: 'SetQueueAttributes', physicalResourceId: { id: `<${deadLetterQueueId}.Arn>` } });
          // The dead-letter queue's URL, and one attribute: SQS takes the policy as a JSON string.
          expect(Object.keys(parameters)).toEqual(['QueueUrl', 'Attributes']);
          expect(parameters.QueueUrl).toBe(`<${deadLetterQueueId}>`);
          expect(Object.keys(parameters.Attributes)).toEqual(['RedriveAllowPolicy']);
          expect(JSON.parse(parameters.Attributes.RedriveAllowPolicy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [`<${queueId}.Arn>`] });
        }
        // Nothing on delete: the dead-letter queue is retained, and keeps its one source.
        expect(setter.Properties.Delete).toBeUndefined();
      });

      test('may call SetQueueAttributes on the dead-letter queue, and nothing else but write its own log', () => {
        const [providerId, provider] = awsCustomResourceProvider(template);
        expect(setter.Properties.ServiceToken).toEqual(arnOf(providerId));
        const statements = statementsOf(template, provider.Properties.Role['Fn::GetAtt'][0]);
        expect(statements).toEqual([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arnOf(provider.Properties.LoggingConfig.LogGroup.Ref) },
          { Effect: 'Allow', Action: 'sqs:SetQueueAttributes', Resource: arnOf(deadLetterQueueId) },
        ]);
      });

      test('is made again whenever CloudFormation updates the dead-letter queue, and only then', () => {
        // The custom resource carries a fingerprint of the queue's template: a change to the queue is
        // a change to it, so its update (the same call) follows the queue's own.
        const fingerprint = setter.Properties.DeadLetterQueueTemplate;
        expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(only(synthOnce().template, 'Custom::AWS')[1].Properties.DeadLetterQueueTemplate).toBe(fingerprint);
        const changed = synth();
        const cfnQueue = changed.stack.node.findAll().find((each) => each.node.path === 'Test/Default/Fallback/DeadLetters/Resource') as CfnElement & {
          addPropertyOverride(path: string, value: unknown): void;
        };
        cfnQueue.addPropertyOverride('MessageRetentionPeriod', 7 * 24 * 60 * 60);
        expect(only(changed.template, 'Custom::AWS')[1].Properties.DeadLetterQueueTemplate).not.toBe(fingerprint);
      });

      test('comes after both queues, which do not wait for it: no cycle, and the fallback queue names its dead-letter queue first', () => {
        // Template.fromStack refuses a template with a cycle (below); this one was read.
        expect(() => Template.fromStack(synthOnce().stack)).not.toThrow();
        const references = JSON.stringify(template.toJSON().Resources[setterId]);
        expect(references).toContain(`"${queueId}"`);
        expect(references).toContain(`"${deadLetterQueueId}"`);
        // The fallback queue refers to the dead-letter queue; the dead-letter queue to nothing.
        expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual(arnOf(deadLetterQueueId));
        expect(JSON.stringify(template.toJSON().Resources[deadLetterQueueId])).not.toMatch(/"(Ref|Fn::GetAtt|DependsOn)"/);
      });

      test("runs on the provider function's current Node runtime, with a log group kept 30 days", () => {
        const [, provider] = awsCustomResourceProvider(template);
        // The one the receiver's functions use (cdk-nag AwsSolutions-L1 wants the latest).
        expect(provider.Properties.Runtime).toBe(drain.Properties.Runtime);
        expect(provider.Properties.Runtime).toBe('nodejs24.x');
        const groups = template.findResources('AWS::Logs::LogGroup');
        expect(groups[provider.Properties.LoggingConfig.LogGroup.Ref]?.Properties.RetentionInDays).toBe(30);
      });
    });

    test('the obvious reference from the dead-letter queue to its source queue is a cycle, which Template.fromStack refuses', () => {
      // Naming the source queue by its Fn::GetAtt in the dead-letter queue's own RedriveAllowPolicy is
      // the circle CloudFormation refuses, which Template.fromStack refuses too (so no template these
      // tests read has one). CDK's own check of the template, which only warns by default, is made to
      // throw here rather than print.
      const circular = new Stack(new App({ outdir: testOutdir(), context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }), 'Circular');
      const deadLetters = new sqs.CfnQueue(circular, 'DeadLetters');
      const source = new sqs.CfnQueue(circular, 'Source', { redrivePolicy: { deadLetterTargetArn: deadLetters.attrArn, maxReceiveCount: 20 } });
      deadLetters.redriveAllowPolicy = { redrivePermission: 'byQueue', sourceQueueArns: [source.attrArn] };
      expect(() => Template.fromStack(circular)).toThrow(/Circular dependency with \[DeadLetters -> Source -> DeadLetters\]/);
    });

    test('moves a message to the dead-letter queue after 20 failed receives, an hour of outage', () => {
      expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(deadLetterQueueId), maxReceiveCount: 20 });
      expect(queue.Properties.RedrivePolicy.maxReceiveCount * queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(3_600);
    });

    test('keeps messages 14 days, the most SQS allows, in both queues', () => {
      expect(queue.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
      expect(deadLetterQueue.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
    });

    test('outlive the stack, like the table: they may hold events not yet in it', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      for (const id of [queueId, deadLetterQueueId]) expect(queues[id]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test("hides a received message for at least six times the drain's timeout, as SQS advises", () => {
      expect(drain.Properties.Timeout).toEqual(expect.any(Number));
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * drain.Properties.Timeout);
    });
  });

  describe('the drain function', () => {
    test('runs functions/drain/handler.ts on Node 24, arm64', () => {
      expect(drain.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      // The bundle infra/build/handler-bundles.ts builds from functions/drain/handler.ts.
      expect(bundleFolders[drainId]).toBe(join(handlersDirectory(), 'drain'));
      expect(handlerEntries.drain).toMatch(/\/functions\/drain\/handler\.ts$/);
      // And the callback function still runs its own handler.
      expect(bundleFolders[callbackId]).toBe(join(handlersDirectory(), 'callback'));
    });

    test('is told the table, and nothing else (it does not queue again, and reads no token)', () => {
      expect(drain.Properties.Environment.Variables).toEqual({ EVENTS_TABLE_NAME: { Ref: tableId }, POWERTOOLS_TRACE_ENABLED: 'true' });
    });

    test('is fed by the fallback queue, with partial batch responses, and by nothing else', () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((each) =>
        JSON.stringify(each.Properties.EventSourceArn).includes(queueId),
      );
      expect(mappings).toHaveLength(1);
      const [mapping] = mappings as [Resource];
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: arnOf(queueId),
        FunctionName: { Ref: drainId },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // A backlog drains two batches at a time, leaving the table's capacity to live callbacks.
        ScalingConfig: { MaximumConcurrency: 2 },
      });
      // The dead letters wait for a person: nothing drains them automatically.
      expect(JSON.stringify(mapping)).not.toContain(deadLetterQueueId);
    });

    test("may put events (and read and update wide subjects' markers) on the events table, and do nothing else in DynamoDB", () => {
      const dynamoStatements = statementsOf(template, drain.Properties.Role['Fn::GetAtt'][0]).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      // On the table itself: no delete, no index ARNs, no other table.
      expect(dynamoStatements).toEqual([
        { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: arnOf(tableId) },
      ]);
    });

    test('may consume the fallback queue only: not send to it, not touch the dead letters', () => {
      const sqsStatements = statementsOf(template, drain.Properties.Role['Fn::GetAtt'][0]).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('sqs:')),
      );
      expect(sqsStatements).toHaveLength(1);
      const [statement] = sqsStatements;
      expect(resourcesOf(statement!)).toEqual([arnOf(queueId)]);
      expect(actionsOf(statement!)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
      expect(actionsOf(statement!)).not.toContain('sqs:SendMessage');
      expect(actionsOf(statement!)).not.toContain('sqs:PurgeQueue');
    });
  });

  describe('the callback function', () => {
    let statements: Statement[];

    beforeAll(() => {
      statements = statementsOf(template, callback.Properties.Role['Fn::GetAtt'][0]);
    });

    test('is told the fallback queue URL', () => {
      expect(callback.Properties.Environment.Variables.FALLBACK_QUEUE_URL).toEqual({ Ref: queueId });
    });

    test('may send to the fallback queue, and only that', () => {
      const sqsStatements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sqs:')));
      // What grantSendMessages gives: the send, and the two reads the SDK may make to address the queue.
      expect(sqsStatements).toEqual([{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: arnOf(queueId) }]);
    });

    test('cannot receive, delete or purge messages, nor reach the dead-letter queue', () => {
      const actions = statements.flatMap(actionsOf);
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue', 'sqs:*']) {
        expect(actions).not.toContain(action);
      }
      expect(JSON.stringify(statements)).not.toContain(deadLetterQueueId);
    });
  });

  test("no role in the stack may touch the dead-letter queue's messages: the one statement naming it sets its redrive allow policy", () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
    expect(statements.filter((statement) => JSON.stringify(statement).includes(deadLetterQueueId))).toEqual([
      { Effect: 'Allow', Action: 'sqs:SetQueueAttributes', Resource: arnOf(deadLetterQueueId) },
    ]);
  });

  describe('alarms', () => {
    test('FallbackBacklog: an event has waited more than 5 minutes in the fallback queue', () => {
      expect(alarmsById(template).FallbackBacklog).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    test('FallbackBacklog sounds before a failing event can have reached the dead-letter queue', () => {
      const { maxReceiveCount } = queue.Properties.RedrivePolicy;
      expect(alarmsById(template).FallbackBacklog!.Threshold).toBeLessThan(maxReceiveCount * queue.Properties.VisibilityTimeout);
    });

    test('DeadLetters: any message in the dead-letter queue', () => {
      expect(alarmsById(template).DeadLetters).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    test('each explains what it means, then what to do', () => {
      for (const id of ['FallbackBacklog', 'DeadLetters']) expect(alarmsById(template)[id]!.AlarmDescription).toMatch(/\. .{20,}/);
    });

    // Dead letters are events at risk: their alarm must reach someone without any setting.
    describe('by default, without alarmEmail', () => {
      let mailed: Template;
      let topicId: string;

      beforeAll(() => {
        mailed = template;
        [topicId] = only(mailed, 'AWS::SNS::Topic');
      });

      test('both go, with their all-clear, to the topic', () => {
        const alarms = alarmsById(mailed);
        for (const id of ['FallbackBacklog', 'DeadLetters']) {
          expect(alarms[id]!.AlarmActions).toEqual([{ Ref: topicId }]);
          expect(alarms[id]!.OKActions).toEqual([{ Ref: topicId }]);
        }
      });

      test('and CloudWatch may publish them to it', () => {
        const alarmIds = Object.entries(mailed.findResources('AWS::CloudWatch::Alarm'))
          .filter(([, alarm]) => /-(FallbackBacklog|DeadLetters)$/.test(alarm.Properties.AlarmName))
          .map(([id]) => id);
        expect(alarmIds).toHaveLength(2);
        const [, policy] = only(mailed, 'AWS::SNS::TopicPolicy');
        const publish = (policy.Properties.PolicyDocument.Statement as Statement[]).find((statement) => statement.Sid === 'AllowTheseAlarmsToPublish');
        expect(publish?.Condition.ArnEquals['aws:SourceArn']).toEqual(expect.arrayContaining(alarmIds.map(arnOf)));
      });
    });
  });
});

describe('EventFallbackQueue alone, in a fresh stack', () => {
  test("twice in one stack: no clash, and the stack's one provider serves both", () => {
    const { stack, table, alarms, logRetention } = freshStack();
    for (const id of ['One', 'Two']) new EventFallbackQueue(stack, id, { table, alarms: { ...alarms, namePrefix: id }, logRetention });
    const alone = Template.fromStack(stack);
    const alarmIds = Object.keys(alone.findResources('AWS::CloudWatch::Alarm')).sort();
    expect(alarmIds).toEqual([
      expect.stringMatching(/^OneBacklogAlarm/),
      expect.stringMatching(/^OneDeadLettersAlarm/),
      expect.stringMatching(/^TwoBacklogAlarm/),
      expect.stringMatching(/^TwoDeadLettersAlarm/),
    ]);
    expect(new Set(alarmIds).size).toBe(4);
    expect(Object.keys(alone.findResources('Custom::AWS'))).toHaveLength(2);
    expect(Object.keys(alone.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))).toHaveLength(1);
  });
});
