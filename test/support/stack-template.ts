/**
 * Synthesizing CallbackStack for template assertions, and reading its template: shared by the CDK
 * tests in test/infra. The stack is always named `Test`, and its assets are never bundled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from '@jest/globals';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { DISABLE_ASSET_STAGING_CONTEXT, DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { ensureHandlerBundles } from '../../infra/build/handler-bundles.ts';
import { CallbackStack } from '../../infra/callback-stack.ts';
import type { DeploymentSettings } from '../../infra/deployment-settings.ts';
import { readDeploymentSettings } from '../../infra/strict-context.ts';

// The stacks take the handlers prebuilt (infra/handler-code.ts): built once, when their sources changed.
ensureHandlerBundles();

let outdirs: string | undefined;
afterAll(() => {
  if (outdirs !== undefined) rmSync(outdirs, { recursive: true, force: true });
  outdirs = undefined;
});

/**
 * A cloud assembly folder of its own for a test app, inside one folder per test file that afterAll
 * removes. Without it, every App makes a temporary folder of its own when it is created (synthesized or
 * not) and nothing removes it: a full run left ~390 of them in the system's temporary folder.
 */
export function testOutdir(): string {
  outdirs ??= mkdtempSync(join(tmpdir(), 'cdk-test-'));
  return mkdtempSync(join(outdirs, 'cdk.out-'));
}

/** A resource of the template, as `Template.findResources` returns it. */
export type Resource = { Properties: Record<string, any> };

/** A statement of an IAM policy document. */
export type Statement = Record<string, any>;

/** Settings read the way infra/app.ts reads them, from the app's context (`-c` values are strings). */
export function settingsFrom(context: Record<string, unknown>): DeploymentSettings {
  return readDeploymentSettings(new App({ context, outdir: testOutdir() }).node);
}

/** What a test app does besides what a template assertion needs. */
export interface TestAppOptions {
  /**
   * Copy each asset into the cloud assembly, as `cdk synth` does, for a test that reads a staged
   * file. Default false: the template is the same either way (an asset's hash is its source's,
   * test/infra/callback-stack.test.ts checks it), and the copies cost ~60 ms of each synth, with a
   * delete of them all at the worker's exit.
   */
  readonly stageAssets?: boolean;
}

/**
 * An app that skips esbuild (a template assertion then needs no bundle), asset staging (unless asked)
 * and CDK's built-in CloudFormation validation: a wasm engine that costs seconds of CPU to start in
 * each test file and only warns by default, so it proved nothing here. test/infra/cfn-guard.test.ts
 * runs it over every stack variant, and there any finding fails.
 *
 * It records no stack traces either: CDK captures one for every CloudFormation element it creates
 * (metadata `aws:cdk:creationStack`) and every annotation, and under jest each frame of each trace
 * goes through jest's source-map wrapping (measured: the infrastructure tier's CPU 70 s with them,
 * 58-67 s without, two runs each). The template is the same without them; no test reads a trace.
 * Nor does it write tree.json (the construct tree for the CDK console views), which no test reads.
 */
export const appWithoutBundling = ({ stageAssets = false }: TestAppOptions = {}): App =>
  new App({
    outdir: testOutdir(),
    context: {
      'aws:cdk:bundling-stacks': [],
      [DISABLE_CREATION_STACK_TRACES]: true,
      ...(stageAssets ? {} : { [DISABLE_ASSET_STAGING_CONTEXT]: true }),
    },
    stackTraces: false,
    treeMetadata: false,
    builtinCloudFormationValidation: false,
  });

/**
 * CallbackStack `Test` with the settings read from `context` (over one SDKAppID, `1400000000`), in an
 * app that skips bundling. The template is synthesized when first read, so a caller may still add
 * validation plugins to `app`, or synthesize it, before.
 */
export function synth(context: Record<string, unknown> = {}, options: TestAppOptions = {}): { app: App; stack: CallbackStack; readonly template: Template } {
  const app = appWithoutBundling(options);
  const stack = new CallbackStack(app, 'Test', { settings: settingsFrom({ sdkAppIds: '1400000000', ...context }) });
  let template: Template | undefined;
  return {
    app,
    stack,
    get template() {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}

/** What synth says about the stack, one string each: only warnings (the stack adds no other level). */
export function synthWarnings(app: App, stack: Stack): string[] {
  const messages = app.synth().getStackArtifact(stack.artifactId).messages;
  expect(messages.map(({ level }) => level)).toEqual(messages.map(() => 'warning'));
  return messages.map(({ entry }) => String(entry.data));
}

/** The logical id and body of the template's only resource of a type: the stack has one of each. */
export function only(template: Template, type: string): [string, Resource] {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0] as [string, Resource];
}

/** The events tables (CallbackStack's `Events`): the one the receiver writes, and the deployed one of the second design, unless retired. */
function eventsTables(template: Template): [string, Resource][] {
  return Object.entries(template.findResources('AWS::DynamoDB::Table')).filter(([id]) => id.startsWith('Events')) as [string, Resource][];
}

const hashKeyOf = ([, table]: [string, Resource]) =>
  (table.Properties.KeySchema as { AttributeName: string; KeyType: string }[]).find((key) => key.KeyType === 'HASH')?.AttributeName;

/** The events table the receiver writes (the third key design: partition key `p`), beside the synced view's state table. */
export function eventsTable(template: Template): [string, Resource] {
  const tables = eventsTables(template).filter((table) => hashKeyOf(table) === 'p');
  expect(tables).toHaveLength(1);
  return tables[0]!;
}

/** The deployed table of the second key design (partition key `eventId`), kept in the stack unless retired. */
export function deployedEventsTable(template: Template): [string, Resource] | undefined {
  const tables = eventsTables(template).filter((table) => hashKeyOf(table) === 'eventId');
  expect(tables.length).toBeLessThanOrEqual(1);
  return tables[0];
}

/** The stack's one function whose logical id starts with `prefix`. */
function functionByPrefix(template: Template, prefix: string): [string, Resource] {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(prefix));
  expect(functions).toHaveLength(1);
  return functions[0] as [string, Resource];
}

/** The callback function behind the API (CallbackStack's `Callback`), whatever other functions the stack may gain. */
export const callbackFunction = (template: Template): [string, Resource] => functionByPrefix(template, 'CallbackFunction');

/** The fallback queue's drain function (EventFallbackQueue's `Drain`). */
export const drainFunction = (template: Template): [string, Resource] => functionByPrefix(template, 'FallbackDrainFunction');

/**
 * The provider function of the stack's AwsCustomResources (one per stack, named after CDK's fixed
 * UUID), which sets the dead-letter queue's redrive allow policy (infra/redrive-allow-policy.ts).
 */
export const awsCustomResourceProvider = (template: Template): [string, Resource] =>
  functionByPrefix(template, `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);

/** Every statement of the policies attached to a role. */
export function statementsOf(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** A statement's actions, one or several, as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** A statement's resources, one or several, as a list. */
export const resourcesOf = (statement: Statement): unknown[] => [statement.Resource].flat();

/** The `Fn::GetAtt` of a resource's ARN, by its logical id. */
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** The alarms' properties by the end of their names (`<stack>-<id>`). */
export function alarmsById(template: Template): Record<string, Record<string, any>> {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Record<string, any>);
  return Object.fromEntries(alarms.map((alarm) => [String(alarm.AlarmName).replace(/^Test-/, ''), alarm]));
}

/** An acknowledgement of a cdk-nag or cfn-guard finding: the construct, the rule, the reason given. */
export interface Acknowledgement {
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** Every acknowledgement recorded in the stack's constructs (`Validations.of(…).acknowledge`), as the checkers read them. */
export function acknowledgementsOf(stack: Stack): Acknowledgement[] {
  return stack.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({ path: construct.node.path, rule, reason }))),
    );
}
