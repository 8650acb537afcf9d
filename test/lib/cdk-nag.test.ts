import { describe, expect, test } from '@jest/globals';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CallbackStack } from '../../lib/callback-stack.ts';
import { deploymentSettingsFromContext, type DeploymentSettings } from '../../lib/deployment-settings.ts';

// cdk-nag 3 is a policy-validation plugin, not an Aspect: findings no longer arrive as annotations,
// and suppressions are `Validations.of(construct).acknowledge(...)` next to the resource in lib/.

/** Settings read the way bin/app.ts reads them, from the app's context (`-c` values are strings). */
function settingsFrom(context: Record<string, unknown>): DeploymentSettings {
  const app = new App({ context });
  return deploymentSettingsFromContext((name) => app.node.tryGetContext(name));
}

/** Skips esbuild: the checks read the template, not the bundle. */
function stackWith(settings: DeploymentSettings): { app: App; stack: CallbackStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return { app, stack: new CallbackStack(app, 'Test', { settings }) };
}

/** One line per unacknowledged finding, errors and warnings alike: readable in a failure message. */
function awsSolutionsFindings(settings: DeploymentSettings): string[] {
  const { app, stack } = stackWith(settings);
  // Synthesized first, so aspects and late-added resources are in the tree the checks walk.
  app.synth();
  const { violations } = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `[${violation.severity}] ${resource.constructPath} ${violation.ruleName}: ${violation.description}`),
  );
}

/** The stack's two functions, the callback and the fallback queue's drain, with their roles' policy statements. */
function functionsAndStatements(template: Template) {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
  expect(functions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['CallbackFunction', 'FallbackDrainFunction']);
  return functions.map(([id, fn]) => {
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
    const statements = policies
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    return { id, roleId, logGroupId: fn.Properties.LoggingConfig.LogGroup.Ref as string, statements };
  });
}

const variants: Array<[string, Record<string, unknown>]> = [
  ['no callback token', {}],
  ['tokenSecret=create', { tokenSecret: 'create' }],
  ['an existing secret by name', { tokenSecret: 'prod/im-callback-token' }],
  ['an existing secret by ARN', { tokenSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/im-callback-token-AbCdEf' }],
  ['reserved concurrency', { reservedConcurrency: '5' }],
  ['alarms mailed through an SNS topic', { alarmEmail: 'ops@example.com' }],
  ['tracing off', { tracing: 'false' }],
];

describe('cdk-nag AwsSolutions', () => {
  test.each(variants)('reports nothing unexplained with %s', (_name, context) => {
    const findings = awsSolutionsFindings(settingsFrom({ sdkAppIds: '1400000000', ...context }));
    // Compared as text so a failure lists every finding: fix it, or acknowledge it next to the resource with a reason.
    expect(findings.join('\n')).toBe('');
  });

  test("the roles that replace AWSLambdaBasicExecutionRole (IAM4) still let each function write its own logs, and only those", () => {
    // cdk-nag cannot see a function that has silently lost its logs; this can.
    const template = Template.fromStack(stackWith(settingsFrom({ sdkAppIds: '1400000000' })).stack);
    const roles = template.findResources('AWS::IAM::Role');
    const functions = functionsAndStatements(template);
    expect(new Set(functions.map(({ roleId }) => roleId)).size).toBe(2);
    for (const { roleId, logGroupId, statements } of functions) {
      expect(roles[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logStatements = statements.filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith('logs:')));
      // The log group's Arn attribute ends in `:*`, so it covers the group's streams.
      expect(logStatements).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      ]);
    }
    // And no other policy in the stack touches logs.
    const allStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(allStatements.filter((statement) => JSON.stringify(statement.Action).includes('logs:'))).toHaveLength(functions.length);
  });

  test('acknowledges Resource: * (IAM5) for X-Ray alone, which has no resources to name', () => {
    const template = Template.fromStack(stackWith(settingsFrom({ sdkAppIds: '1400000000', tokenSecret: 'create' })).stack);
    const xray = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };
    const functions = functionsAndStatements(template);
    for (const { statements } of functions) expect(statements.filter((statement) => statement.Resource === '*')).toEqual([xray]);
    const allStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(allStatements.filter((statement) => JSON.stringify(statement.Resource ?? null).includes('"*"'))).toEqual(functions.map(() => xray));

    // Without tracing, not even that.
    const untraced = Template.fromStack(stackWith(settingsFrom({ sdkAppIds: '1400000000', tracing: 'false' })).stack);
    const untracedStatements = Object.values(untraced.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(untracedStatements.filter((statement) => JSON.stringify(statement.Resource ?? null).includes('*'))).toEqual([]);
  });

  test('passes through the synth-time validation that `cdk synth` runs, too', () => {
    // The same pack registered as CDK runs it: an in-memory synth throws with the report on any error.
    const { app } = stackWith(settingsFrom({ sdkAppIds: '1400000000', tokenSecret: 'create' }));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    expect(() => app.synth()).not.toThrow();
  });
});
