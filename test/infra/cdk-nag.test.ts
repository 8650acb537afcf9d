import { describe, expect, test } from '@jest/globals';
import { type App, type Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { actionsOf, statementsOf, synth } from '../support/stack-template.ts';
import { stackVariants } from '../support/stack-variants.ts';
import { synthOnce } from './synth-once.ts';
import { twoReceivers } from './two-receivers.ts';

// cdk-nag 3 is a policy-validation plugin, not an Aspect: findings no longer arrive as annotations,
// and suppressions are `Validations.of(construct).acknowledge(...)` next to the resource in infra/.

/** One line per unacknowledged finding, errors and warnings alike: readable in a failure message. */
function awsSolutionsFindings(context: Record<string, unknown>): string[] {
  return findingsOf(synthOnce(context));
}

function findingsOf({ app, stack }: { app: App; stack: Stack }): string[] {
  // Synthesized first, so aspects and late-added resources are in the tree the checks walk.
  app.synth();
  const { violations } = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `[${violation.severity}] ${resource.constructPath} ${violation.ruleName}: ${violation.description}`),
  );
}

/** The id of the provider function of the custom resource that sets the dead-letter queue's redrive allow policy (infra/redrive-allow-policy.ts). */
const PROVIDER = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * The stack's functions, the callback, the fallback queue's drain, the stream's fan-out and state
 * consumers, the policy's AppConfig validator, and the custom resource's provider, with their roles'
 * policy statements.
 */
function functionsAndStatements(template: Template) {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
  expect(functions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
    PROVIDER,
    'CallbackFunction',
    'FallbackDrainFunction',
    'FanOutConsumerFunction',
    'PolicyConfigValidatorFunction',
    'StateConsumerFunction',
  ]);
  return functions.map(([id, fn]) => {
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
    return { id, roleId, logGroupId: fn.Properties.LoggingConfig.LogGroup.Ref as string, statements: statementsOf(template, roleId) };
  });
}

const variants = stackVariants;

describe('cdk-nag AwsSolutions', () => {
  test.each(variants)('reports nothing unexplained with %s', (_name, context) => {
    const findings = awsSolutionsFindings(context);
    // Compared as text so a failure lists every finding: fix it, or acknowledge it next to the resource with a reason.
    expect(findings.join('\n')).toBe('');
  });

  test('reports nothing unexplained in two receivers in one stack (test/infra/two-receivers.ts)', () => {
    // The receivers, their rules and the stack's deploy-time provider included; the consumers beside them are the team's own.
    const findings = findingsOf(twoReceivers());
    const teams = /^\[\w+\] Chat\/(Staging|Production)Consumer\//;
    expect(findings.filter((finding) => !teams.test(finding)).join('\n')).toBe('');
    // What the team's consumers are told shows the check ran.
    expect(findings.some((finding) => teams.test(finding))).toBe(true);
  });

  test('the roles that replace AWSLambdaBasicExecutionRole (IAM4) still let each function write its own logs, and only those', () => {
    // cdk-nag cannot see a function that has silently lost its logs; this can.
    const { template } = synthOnce();
    const roles = template.findResources('AWS::IAM::Role');
    const functions = functionsAndStatements(template);
    expect(new Set(functions.map(({ roleId }) => roleId)).size).toBe(functions.length);
    for (const { roleId, logGroupId, statements } of functions) {
      expect(roles[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logStatements = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));
      // The log group's Arn attribute ends in `:*`, so it covers the group's streams.
      expect(logStatements).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      ]);
    }
    // And no other policy in the stack touches logs.
    const allStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(allStatements.filter((statement) => JSON.stringify(statement.Action).includes('logs:'))).toHaveLength(functions.length);
  });

  test("acknowledges Resource: * (IAM5) for X-Ray alone, and the stream consumers' dynamodb:ListStreams, neither of which has resources to name", () => {
    // Reading a stream needs ListStreams, which takes no resource (infra/event-fan-out.ts and infra/synced-state.ts acknowledge it); nothing else may use *.
    const withoutListStreams = (statements: Record<string, any>[]) => statements.filter((statement) => statement.Action !== 'dynamodb:ListStreams');
    const { template } = synthOnce();
    const xray = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };
    const functions = functionsAndStatements(template);
    // The receiver's functions are traced; the custom resource's provider, run at deploy, is not, and uses no `*`.
    for (const { id, statements } of functions) {
      expect(withoutListStreams(statements).filter((statement) => statement.Resource === '*')).toEqual(id.startsWith(PROVIDER) ? [] : [xray]);
    }
    // ListStreams only where a stream is read: the two consumers.
    const listing = functions
      .filter(({ statements }) => statements.some((statement) => statement.Action === 'dynamodb:ListStreams'))
      .map(({ id }) => id.replace(/[0-9A-F]{8}$/, ''));
    expect(listing.sort()).toEqual(['FanOutConsumerFunction', 'StateConsumerFunction']);
    const allStatements = withoutListStreams(
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement),
    );
    expect(allStatements.filter((statement) => JSON.stringify(statement.Resource ?? null).includes('"*"'))).toEqual(
      functions.filter(({ id }) => !id.startsWith(PROVIDER)).map(() => xray),
    );

    // Without tracing, only ListStreams.
    const { template: untraced } = synthOnce({ tracing: 'false' });
    const untracedStatements = withoutListStreams(
      Object.values(untraced.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement),
    );
    expect(untracedStatements.filter((statement) => JSON.stringify(statement.Resource ?? null).includes('*'))).toEqual([]);
  });

  test('passes through the synth-time validation that `cdk synth` runs, too', () => {
    // The same pack registered as CDK runs it: an in-memory synth throws with the report on any error.
    const { app } = synth();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    expect(() => app.synth()).not.toThrow();
  });
});
