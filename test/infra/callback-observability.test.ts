import { beforeAll, describe, expect, test } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  alarmsById as allAlarmsById,
  awsCustomResourceProvider,
  callbackFunction,
  drainFunction,
  eventsTable,
  only,
  synthWarnings,
} from '../support/stack-template.ts';
import { synthOnce } from './synth-once.ts';

/** This construct's alarms: the synced view's own (State*) are tested with it, in test/infra/synced-state.test.ts. */
const alarmsById = (template: Template) => Object.fromEntries(Object.entries(allAlarmsById(template)).filter(([id]) => !id.startsWith('State')));

/**
 * The dashboard body as the console will read it: the Fn::Join put back together, each reference
 * written as `{{Ref:Id}}` (or `{{GetAtt:Id.Attr}}`) so it stays valid JSON and can still be matched.
 */
function dashboardBody(template: Template): { widgets: Array<{ type: string; properties: Record<string, any> }> } {
  const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const text = parts
    .map((part: any) => (typeof part === 'string' ? part : part.Ref !== undefined ? `{{Ref:${part.Ref}}}` : `{{GetAtt:${part['Fn::GetAtt'].join('.')}}}`))
    .join('');
  return JSON.parse(text);
}

describe('CallbackObservability in the stack', () => {
  let template: Template;
  let functionId: string;
  let functionLogsId: string;
  let apiId: string;
  let tableId: string;

  beforeAll(() => {
    template = synthOnce({ latencyAlarmMs: '1500' }).template;
    const [id, fn] = callbackFunction(template);
    functionId = id;
    functionLogsId = fn.Properties.LoggingConfig.LogGroup.Ref;
    [apiId] = only(template, 'AWS::ApiGatewayV2::Api');
    [tableId] = eventsTable(template);
  });

  describe('dashboard', () => {
    test('is named after the stack and has the widgets the issue asks for', () => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Test' });
      const titles = dashboardBody(template).widgets.map((widget) => widget.properties.title);
      expect(titles).toEqual([
        'Alarms',
        'Callbacks per command',
        'Outcomes',
        "Handler duration p50/p99 vs Tencent's 2 s budget",
        'Errors and throttles',
        'DynamoDB',
        'Rejections and failures by reason',
        'Refusals by code, duplicates, queued',
        'Policy: hits and shadow hits by rule',
        'Policy: evaluations by rule',
        'Policy: counters and deadline',
        // EventFanOut's, passed in as a part.
        'Fan-out to the event bus',
        'Fan-out consumer: iterator age, errors',
        'Latest callbacks',
      ]);
    });

    const widget = (title: string) => dashboardBody(template).widgets.find((w) => w.properties.title === title)!.properties;

    test('sums the EMF Callbacks metric by command and by outcome, one line per value', () => {
      for (const [title, dimension] of [
        ['Callbacks per command', 'command'],
        ['Outcomes', 'outcome'],
      ] as const) {
        const [[query]] = widget(title).metrics;
        expect(query.expression).toBe(
          `SELECT SUM(Callbacks) FROM SCHEMA("TencentImCallbacks", command, outcome, service) GROUP BY ${dimension} ORDER BY SUM() DESC`,
        );
        expect(query.label).toBe('${LABEL}');
      }
    });

    test("draws Tencent's 2000 ms timeout and the alarm threshold over the function's p50/p99", () => {
      const duration = widget("Handler duration p50/p99 vs Tencent's 2 s budget");
      expect(duration.annotations.horizontal).toEqual([
        expect.objectContaining({ value: 2000, label: 'Tencent timeout (2 s)' }),
        expect.objectContaining({ value: 1500, label: 'Alarm (1500 ms)' }),
      ]);
      expect(duration.metrics).toEqual([
        ['AWS/Lambda', 'Duration', 'FunctionName', `{{Ref:${functionId}}}`, expect.objectContaining({ stat: 'p50' })],
        ['AWS/Lambda', 'Duration', 'FunctionName', `{{Ref:${functionId}}}`, expect.objectContaining({ stat: 'p99' })],
        ['AWS/ApiGateway', 'Latency', 'ApiId', `{{Ref:${apiId}}}`, expect.objectContaining({ stat: 'p99' })],
      ]);
    });

    test("graphs the function's errors and throttles and the API's 4xx and 5xx", () => {
      const names = widget('Errors and throttles').metrics.map((metric: unknown[]) => metric.slice(0, 4).join(' '));
      expect(names).toEqual([
        `AWS/Lambda Errors FunctionName {{Ref:${functionId}}}`,
        `AWS/Lambda Throttles FunctionName {{Ref:${functionId}}}`,
        `AWS/ApiGateway 5xx ApiId {{Ref:${apiId}}}`,
        `AWS/ApiGateway 4xx ApiId {{Ref:${apiId}}}`,
      ]);
    });

    test("graphs the table's PutItem latency and throttles", () => {
      const names = widget('DynamoDB').metrics.map((metric: unknown[]) => metric.slice(0, -1).join(' '));
      expect(names).toEqual([
        `AWS/DynamoDB SuccessfulRequestLatency Operation PutItem TableName {{Ref:${tableId}}}`,
        `AWS/DynamoDB SuccessfulRequestLatency Operation PutItem TableName {{Ref:${tableId}}}`,
        `AWS/DynamoDB ThrottledRequests Operation PutItem TableName {{Ref:${tableId}}}`,
        `AWS/DynamoDB WriteThrottleEvents TableName {{Ref:${tableId}}}`,
      ]);
    });

    test('searches rejections and failures by reason, refusals by code', () => {
      const expressions = [...widget('Rejections and failures by reason').metrics, ...widget('Refusals by code, duplicates, queued').metrics]
        .map((metric: any[]) => metric[0].expression)
        .filter(Boolean);
      expect(expressions).toEqual([
        `SEARCH('{"TencentImCallbacks",reason,service} MetricName="Rejections"', 'Sum', 300)`,
        `SEARCH('{"TencentImCallbacks",reason,service} MetricName="Failures"', 'Sum', 300)`,
        `SEARCH('{"TencentImCallbacks",code,service} MetricName="Refusals"', 'Sum', 300)`,
      ]);
    });

    test('graphs the duplicates and the events sent to the fallback queue beside the refusals', () => {
      const lines = widget('Refusals by code, duplicates, queued')
        .metrics.filter((metric: any[]) => typeof metric[0] === 'string')
        .map((metric: any[]) => [...metric.slice(0, 4), metric[4].stat, metric[4].label]);
      expect(lines).toEqual([
        ['TencentImCallbacks', 'Duplicates', 'service', 'tencent-im-callbacks', 'Sum', 'duplicates (repeated deliveries)'],
        ['TencentImCallbacks', 'Queued', 'service', 'tencent-im-callbacks', 'Sum', 'queued (the table was slow or down)'],
      ]);
    });

    test("shows the latest callback records from the function's log group", () => {
      const { query } = widget('Latest callbacks');
      expect(query).toMatch(new RegExp(`^SOURCE '\\{\\{Ref:${functionLogsId}\\}\\}' \\| fields @timestamp`));
      expect(query).toContain('filter message = "callback"');
    });

    test('uses the namespace from the settings', () => {
      const body = JSON.stringify(dashboardBody(synthOnce({ metricsNamespace: 'Chat/Callbacks' }).template));
      expect(body).toContain('SCHEMA(\\"Chat/Callbacks\\"');
      expect(body).not.toContain('TencentImCallbacks');
    });
  });

  describe('alarms', () => {
    test('ten of them here, each missing-data-safe, explained, and sent with its all-clear to the topic', () => {
      const alarms = alarmsById(template);
      const [topicId] = only(template, 'AWS::SNS::Topic');
      // The fallback queue's two (test/infra/event-fallback-queue.test.ts has their metrics), and the fan-out's four (test/infra/event-fan-out.test.ts).
      expect(Object.keys(alarms).sort()).toEqual([
        'Api5xx',
        'DeadLetters',
        'FallbackBacklog',
        'FanOutErrors',
        'FanOutFailedEntries',
        'FanOutFailures',
        'FanOutIteratorAge',
        'FunctionErrors',
        'SlowCallbacks',
        'TableThrottles',
      ]);
      for (const alarm of Object.values(alarms)) {
        expect(alarm).toMatchObject({ TreatMissingData: 'notBreaching', ComparisonOperator: 'GreaterThanThreshold', Period: 300 });
        expect(alarm.AlarmDescription).toMatch(/\. .{20,}/); // what it means, then what to do
        expect(alarm).toMatchObject({ AlarmActions: [{ Ref: topicId }], OKActions: [{ Ref: topicId }] });
      }
    });

    test('every alarm of the stack has an action, whichever construct owns it, with or without alarmEmail', () => {
      for (const settings of [{}, { alarmEmail: 'ops@example.com' }, { unsignedCallbacks: 'true' }]) {
        const alarms = Object.values(synthOnce(settings).template.findResources('AWS::CloudWatch::Alarm'));
        // The receiver's four, the fallback's two, the fan-out's four, the synced view's three.
        expect(alarms).toHaveLength(13);
        for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ObservabilityAlarmTopic/) }]);
      }
    });

    test('function errors > 0', () => {
      expect(alarmsById(template).FunctionErrors).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        Statistic: 'Sum',
        Threshold: 0,
        EvaluationPeriods: 1,
      });
    });

    test('p99 duration over latencyAlarmMs in 2 of 3 periods', () => {
      expect(alarmsById(template).SlowCallbacks).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        ExtendedStatistic: 'p99',
        Threshold: 1500,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      });
      expect(alarmsById(synthOnce().template).SlowCallbacks!.Threshold).toBe(1000);
    });

    test('API 5xx > 0', () => {
      expect(alarmsById(template).Api5xx).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
        Statistic: 'Sum',
        Threshold: 0,
      });
    });

    test('DynamoDB PutItem throttles > 0', () => {
      expect(alarmsById(template).TableThrottles).toMatchObject({
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ThrottledRequests',
        Dimensions: [
          { Name: 'Operation', Value: 'PutItem' },
          { Name: 'TableName', Value: { Ref: tableId } },
        ],
        Statistic: 'Sum',
        Threshold: 0,
      });
    });

    test('without alarmEmail, the topic is there all the same, output to subscribe to, and no one is subscribed', () => {
      const [topicId] = only(template, 'AWS::SNS::Topic');
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId }, Description: Match.stringLikeRegexp('subscribe to it') });
    });
  });

  test('without alarmEmail, synth warns in one line that the alarms go to a topic no one is subscribed to; with it, not', () => {
    const { app, stack } = synthOnce();
    const [warning, ...others] = synthWarnings(app, stack);
    expect(others).toEqual([]);
    expect(warning).toMatch(
      /^No alarm e-mail: every alarm goes to the SNS topic Test\/Default\/Observability\/AlarmTopic \(alarmTopic\), which has no subscriber.*; set alarms\.email \(the alarmEmail setting\) or alarms\.action, or subscribe to the topic\.$/,
    );
    expect(warning).not.toContain('\n');
    const mailed = synthOnce({ alarmEmail: 'ops@example.com' });
    expect(synthWarnings(mailed.app, mailed.stack)).toEqual([]);
  });

  describe('with alarmEmail', () => {
    let mailed: Template;
    let topicId: string;

    beforeAll(() => {
      mailed = synthOnce({ alarmEmail: 'ops@example.com' }).template;
      [topicId] = only(mailed, 'AWS::SNS::Topic');
    });

    test('subscribes the address to a topic', () => {
      mailed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
      mailed.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    });

    test('sends every alarm, and its all-clear, to the topic', () => {
      const alarms = Object.values(alarmsById(mailed));
      expect(alarms).toHaveLength(10);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      }
    });

    test('lets CloudWatch publish, over TLS only, to a topic it can use', () => {
      // Under alias/aws/sns CloudWatch could not publish at all: its key policy cannot grant it.
      const [, topic] = only(mailed, 'AWS::SNS::Topic');
      expect(topic.Properties.KmsMasterKeyId).toBeUndefined();
      const [, policy] = only(mailed, 'AWS::SNS::TopicPolicy');
      const alarmIds = Object.keys(mailed.findResources('AWS::CloudWatch::Alarm')).filter((id) => !id.startsWith('State'));
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Resource: { Ref: topicId },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              // Every alarm of the stack, whichever construct owns it, in any order.
              ArnEquals: { 'aws:SourceArn': expect.arrayContaining(alarmIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }))) },
            },
          }),
        ]),
      );
    });
  });

  describe('saved Logs Insights queries', () => {
    const queries = (): Record<string, Record<string, any>> =>
      Object.fromEntries(Object.values(template.findResources('AWS::Logs::QueryDefinition')).map((query) => [query.Properties.Name, query.Properties]));

    test("five, in the stack's folder, on the function's log group", () => {
      const saved = queries();
      expect(Object.keys(saved).sort()).toEqual(
        ["One group's events", 'One command over time', 'Refusals', 'Rejections and failures', 'Slowest callbacks'].map((name) => `Test/${name}`).sort(),
      );
      for (const query of Object.values(saved)) {
        expect(query.LogGroupNames).toEqual([{ Ref: functionLogsId }]);
        expect(query.QueryString).toContain('filter message = "callback"');
      }
    });

    test.each([
      ["One group's events", ['groupId = "REPLACE_WITH_GROUP_ID"', 'fields @timestamp, command, outcome', 'sort @timestamp desc']],
      ['Refusals', ['outcome in ["refused", "dropped", "rewritten", "members-refused"]', 'outcome, code, rule, command, user, groupId']],
      ['Rejections and failures', ['outcome in ["rejected", "failed"]', 'stats count(*) as callbacks', 'by outcome, reason']],
      ['Slowest callbacks', ['sort durationMs desc', 'limit 50']],
      ['One command over time', ['command = "REPLACE_WITH_COMMAND"', 'by bin(5m), outcome']],
    ])('%s', (name, fragments) => {
      const { QueryString } = queries()[`Test/${name}`]!;
      for (const fragment of fragments) expect(QueryString).toContain(fragment);
    });
  });

  describe('tracing and retention', () => {
    test('traces both functions with X-Ray, unless tracing=false', () => {
      for (const [, traced] of [callbackFunction(template), drainFunction(template)]) {
        expect(traced.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(traced.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
      }
      const untracedTemplate = synthOnce({ tracing: 'false' }).template;
      for (const [, untraced] of [callbackFunction(untracedTemplate), drainFunction(untracedTemplate)]) {
        expect(untraced.Properties.TracingConfig?.Mode ?? 'PassThrough').toBe('PassThrough');
        expect(untraced.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
      }
    });

    test("keeps every log group 30 days: both functions', the deploy-time provider's and the API access log", () => {
      const groups = template.findResources('AWS::Logs::LogGroup');
      const [, drain] = drainFunction(template);
      const [, provider] = awsCustomResourceProvider(template);
      expect(Object.keys(groups)).toEqual(
        expect.arrayContaining([functionLogsId, drain.Properties.LoggingConfig.LogGroup.Ref, provider.Properties.LoggingConfig.LogGroup.Ref]),
      );
      // And the fan-out consumer's and the policy validator's; the state consumer's own is checked with its construct (test/infra/synced-state.test.ts).
      expect(Object.keys(groups).filter((id) => !id.startsWith('State'))).toHaveLength(6);
      for (const group of Object.values(groups)) expect(group.Properties.RetentionInDays).toBe(30);
    });
  });

  test('outputs the dashboard, its console address and the log group', () => {
    const [dashboardId] = only(template, 'AWS::CloudWatch::Dashboard');
    template.hasOutput('DashboardName', { Value: { Ref: dashboardId } });
    template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'AWS::Region' }, '#dashboards/dashboard/', { Ref: dashboardId }])] },
    });
    template.hasOutput('LogGroupName', { Value: { Ref: functionLogsId } });
  });
});
