import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { describe, expect, test } from '@jest/globals';
import { type App, Validations } from 'aws-cdk-lib';
import { acknowledgementsOf, synth } from '../support/stack-template.ts';
import { stackVariants } from '../support/stack-variants.ts';
import { synthOnce } from './synth-once.ts';
import { twoReceivers } from './two-receivers.ts';

/**
 * AWS's Control Tower proactive controls, run by cfn-guard (the binary @cdklabs/cdk-validator-cfnguard
 * ships), beside cdk-nag: every finding is fixed, or acknowledged beside its resource with the reason
 * (infra/control-tower-acknowledgements.ts). A synth with an unacknowledged finding throws its report.
 */
function guardFindings(context: Record<string, unknown>): string[] {
  return findingsOf(synth(context).app);
}

function findingsOf(app: App): string[] {
  Validations.of(app).addPlugins(new CfnGuardValidator());
  // Read from the report CDK writes, not from synth's outcome: the plugin concludes "success" for
  // some rules' findings (CT.CLOUDWATCH.PR.1), and CDK throws only when it does not.
  const report = JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { description: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return report.pluginReports.flatMap(({ violations }) =>
    violations.flatMap(({ description, violatingConstructs }) => violatingConstructs.map(({ constructPath }) => `${constructPath} ${description}`)),
  );
}

describe('cfn-guard Control Tower rules', () => {
  test.each(stackVariants)(
    'report nothing unexplained with %s',
    (_name, context) => {
      // As text, so a failure lists every finding: fix it, or acknowledge it beside the resource with a reason.
      expect(guardFindings(context).join('\n')).toBe('');
    },
    60_000,
  );

  test('report nothing unexplained in two receivers in one stack (test/infra/two-receivers.ts)', () => {
    // The receivers, their rules and the stack's deploy-time provider included; the consumers beside them are the team's own.
    const findings = findingsOf(twoReceivers().app);
    const teams = /^Chat\/(Staging|Production)Consumer\//;
    expect(findings.filter((finding) => !teams.test(finding)).join('\n')).toBe('');
    // What the team's consumers are told shows the check ran.
    expect(findings.some((finding) => teams.test(finding))).toBe(true);
  }, 60_000);

  test('the dead-letter queue, whose allow policy a custom resource sets, is excused CT.SQS.PR.1 alone, saying so', () => {
    const { stack, template } = synthOnce();
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const [deadLettersId, deadLetters] = queues.find(([id]) => id.startsWith('FallbackDeadLetters'))!;
    const [, queue] = queues.find(([id]) => id.startsWith('FallbackQueue'))!;
    // A dead-letter queue the rule cannot see as one: the fallback queue names it, and it declares no allow policy
    // (test/infra/event-fallback-queue.test.ts shows the custom resource that sets it).
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toBe(deadLettersId);
    expect(deadLetters.Properties.RedriveAllowPolicy).toBeUndefined();
    const excused = acknowledgementsOf(stack).filter(({ rule }) => rule === 'cdk-validator-cfnguard::sqs_dlq_check');
    const [deadLettersAcknowledgement] = excused.filter(({ path }) => path === 'Test/Default/Fallback/DeadLetters');
    expect(deadLettersAcknowledgement?.reason).toMatch(
      /RedriveAllowPolicy, byQueue with the fallback queue alone, is set by the RedriveAllowPolicy custom resource/,
    );
    // The other queues excused are the stream consumers' last stops, not the fallback queue.
    expect(excused.map(({ path }) => path).sort()).toEqual([
      'Test/Default/Fallback/DeadLetters',
      'Test/Default/FanOut/Default/Failures',
      'Test/Default/State/Default/Failures',
    ]);
  });
});
