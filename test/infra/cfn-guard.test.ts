import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { beforeAll, describe, expect, test } from '@jest/globals';
import {
  CfnResource,
  CloudFormationValidatePlugin,
  type IPolicyValidationContextBeta1,
  type IPolicyValidationPluginBeta1,
  type PolicyValidationPluginReportBeta1,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CallbackStack } from '../../infra/callback-stack.ts';
import { acknowledgementsOf, appWithoutBundling, settingsFrom } from '../support/stack-template.ts';
import { stackVariants } from '../support/stack-variants.ts';
import { twoReceivers } from './two-receivers.ts';

/**
 * AWS's Control Tower proactive controls, run by cfn-guard (the binary @cdklabs/cdk-validator-cfnguard
 * ships), beside cdk-nag: every finding is fixed, or acknowledged beside its resource with the reason
 * (infra/control-tower-acknowledgements.ts). And CDK's own CloudFormation validation (the resource
 * schemas and its default rules), which the other test files' apps skip (test/support/stack-template.ts):
 * here any finding of it, even one CDK would only warn about, fails.
 *
 * Every stack variant is a stack of one app, beside the two receivers' stack, synthesized once: one
 * cfn-guard process and one validation engine check every template (each costs seconds of CPU to start).
 */
/** Control Tower's rule files, as @cdklabs/cdk-validator-cfnguard ships them, with their text. */
const controlTowerRules = (() => {
  const folder = join(dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard')), '../rules/control-tower/cfn-guard');
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.guard'))
    .map((file) => ({ path: join(folder, file), text: readFileSync(join(folder, file), 'utf8') }));
})();

/**
 * CfnGuardValidator with Control Tower's rules, given to cfn-guard less those that name no resource
 * type the templates have: each rule selects the resources it checks by a type written in it
 * (`Resources.*[ Type == %SOME_TYPE ]`, the type a literal), so a rule naming none of them selects
 * nothing and finds nothing. cfn-guard costs CPU per rule and template: over the seven variants, the
 * 24 rules kept take 2.3 s where the 237 took 14.5 s, with the same 49 findings.
 */
class ControlTowerRulesOfPresentTypes implements IPolicyValidationPluginBeta1 {
  private readonly all = new CfnGuardValidator();
  // Its name, which acknowledgements name (`cdk-validator-cfnguard::<rule>`), and its rules.
  readonly name = this.all.name;
  readonly version = this.all.version;
  readonly ruleIds = this.all.ruleIds;

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const types = new Set(
      context.templatePaths.flatMap((path) =>
        Object.values((JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type: string }> }).Resources ?? {}).map(({ Type }) => Type),
      ),
    );
    const rules = controlTowerRules.filter(({ text }) => [...types].some((type) => text.includes(type))).map(({ path }) => path);
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate(context);
  }
}

interface Finding {
  /** The construct path, which starts with the id of the stack it is in. */
  readonly path: string;
  readonly plugin: string;
  readonly description: string;
}

/** The stack of each variant in the one app: `Variant0`, `Variant1`, … in the order of stackVariants. */
const variantStack = (index: number) => `Variant${index}`;
/** The stack of one invalid queue: the control that shows CDK's validation ran. */
const BROKEN = 'Broken';
let findings: Finding[];
/** The first variant's stack (the defaults) and its template, as synthesized for the checks. */
let defaults: { stack: CallbackStack; template: Template };

beforeAll(() => {
  const app = appWithoutBundling();
  Validations.of(app).addPlugins(new ControlTowerRulesOfPresentTypes(), new CloudFormationValidatePlugin());
  const stacks = stackVariants.map(
    ([, context], index) => new CallbackStack(app, variantStack(index), { settings: settingsFrom({ sdkAppIds: '1400000000', ...context }) }),
  );
  twoReceivers(app);
  // A queue CloudFormation would refuse (a property SQS does not have), whose finding shows CDK's validation ran.
  new CfnResource(new Stack(app, BROKEN), 'Queue', { type: 'AWS::SQS::Queue', properties: { NoSuchProperty: 1 } });
  // Read from the report CDK writes, not from synth's outcome: the cfn-guard plugin concludes "success"
  // for some rules' findings (CT.CLOUDWATCH.PR.1), and CDK throws only when it does not; CDK's own
  // validation reports its errors as warnings.
  const assembly = app.synth();
  defaults = { stack: stacks[0]!, template: Template.fromJSON(assembly.getStackArtifact(stacks[0]!.artifactId).template) };
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { description: string; violatingConstructs: { constructPath?: string; templatePath?: string }[] }[];
    }[];
  };

  findings = report.pluginReports.flatMap(({ pluginName, violations }) =>
    violations.flatMap(({ description, violatingConstructs }) =>
      violatingConstructs.map(({ constructPath, templatePath }) => ({ path: constructPath ?? String(templatePath), plugin: pluginName, description })),
    ),
  );
}, 600_000);

/** The findings in one stack, one line each, so a failure lists them: fix each, or acknowledge it beside the resource with a reason. */
const findingsIn = (stackId: string) =>
  findings
    .filter(({ path }) => path.startsWith(`${stackId}/`))
    .map(({ path, plugin, description }) => `${path} [${plugin}] ${description}`)
    .join('\n');

describe("cfn-guard Control Tower rules and CDK's CloudFormation validation", () => {
  test('both ran over every template: each told the invalid queue beside them', () => {
    const broken = findings.filter(({ path }) => path.startsWith(`${BROKEN}/`));
    expect(broken).toContainEqual(
      expect.objectContaining({ plugin: CloudFormationValidatePlugin.PLUGIN_NAME, description: expect.stringMatching(/NoSuchProperty/) }),
    );
    expect(broken).toContainEqual(expect.objectContaining({ plugin: 'cdk-validator-cfnguard' }));
    // Every finding is in one of the stacks, so none escapes the tests below.
    const stackIds = [...stackVariants.map((_variant, index) => variantStack(index)), 'Chat', BROKEN];
    expect(findings.filter(({ path }) => !stackIds.some((id) => path.startsWith(`${id}/`)))).toEqual([]);
  });

  test.each(stackVariants.map(([name], index) => [name, index] as const))('report nothing unexplained with %s', (_name, index) => {
    expect(findingsIn(variantStack(index))).toBe('');
  });

  test('report nothing unexplained in two receivers in one stack (test/infra/two-receivers.ts)', () => {
    // The receivers, their rules and the stack's deploy-time provider included; the consumers beside them are the team's own.
    const teams = /^Chat\/(Staging|Production)Consumer\//;
    const inChat = findings.filter(({ path }) => path.startsWith('Chat/'));
    expect(
      inChat
        .filter(({ path }) => !teams.test(path))
        .map(({ path, plugin, description }) => `${path} [${plugin}] ${description}`)
        .join('\n'),
    ).toBe('');
    // What cfn-guard tells the team's consumers shows the check ran.
    expect(inChat.some(({ path, plugin }) => teams.test(path) && plugin === 'cdk-validator-cfnguard')).toBe(true);
  });

  test('the dead-letter queue, whose allow policy a custom resource sets, is excused CT.SQS.PR.1 alone, saying so', () => {
    expect(stackVariants[0]![1]).toEqual({});
    const { stack, template } = defaults;
    const at = (path: string) => `${variantStack(0)}/${path}`;
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const [deadLettersId, deadLetters] = queues.find(([id]) => id.startsWith('FallbackDeadLetters'))!;
    const [, queue] = queues.find(([id]) => id.startsWith('FallbackQueue'))!;
    // A dead-letter queue the rule cannot see as one: the fallback queue names it, and it declares no allow policy
    // (test/infra/event-fallback-queue.test.ts shows the custom resource that sets it).
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toBe(deadLettersId);
    expect(deadLetters.Properties.RedriveAllowPolicy).toBeUndefined();
    const excused = acknowledgementsOf(stack).filter(({ rule }) => rule === 'cdk-validator-cfnguard::sqs_dlq_check');
    const [deadLettersAcknowledgement] = excused.filter(({ path }) => path === at('Default/Fallback/DeadLetters'));
    expect(deadLettersAcknowledgement?.reason).toMatch(
      /RedriveAllowPolicy, byQueue with the fallback queue alone, is set by the RedriveAllowPolicy custom resource/,
    );
    // The other queues excused are the stream consumers' last stops, not the fallback queue.
    expect(excused.map(({ path }) => path).sort()).toEqual([
      at('Default/Fallback/DeadLetters'),
      at('Default/FanOut/Default/Failures'),
      at('Default/State/Default/Failures'),
    ]);
  });
});
