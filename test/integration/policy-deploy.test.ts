/**
 * `npm run policy -- --deploy` (cli/policy-deploy.ts) through the AWS SDK against moto: moto keeps the
 * AppConfig application, profile and hosted versions, and the CloudFormation stacks;
 * test/support/appconfig-control-stand-in.ts adds what moto does not serve (validators run,
 * environments, deployments). moto's CloudFormation cannot make AppConfig resources (it skips them),
 * so the deployment is driven here with the application and profile ids moto gave and declared
 * environment and strategy ids, and the stack lookup is shown on a moto stack of plain resources
 * (the lookup over a real receiver's resources: test/infra/tencent-im-receiver.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppConfigClient,
  CreateApplicationCommand,
  CreateConfigurationProfileCommand,
  GetHostedConfigurationVersionCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-appconfig';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UsageError } from '../../cli/fail.ts';
import { deployPolicy, findPolicyTarget, type PolicyTarget } from '../../cli/policy-deploy.ts';
import { handler as validator } from '../../functions/policy-validator/handler.ts';
import { type AppConfigControlStandIn, startAppConfigControlStandIn } from '../support/appconfig-control-stand-in.ts';
import { type MotoServer, motoCredentials, motoRegion, startMotoServer } from '../support/moto-server.ts';
import { runScript } from '../support/processes.ts';

const TOPIC = 'Group.CallbackBeforeCreateTopic';
const good = JSON.stringify({ rules: [{ id: 'no-x', command: TOPIC, field: 'Name', in: ['x'], refuse: { code: 10101 } }] });
/** Passes JSON parsing, fails the receiver's checks: a path the body lacks. */
const bad = JSON.stringify({ rules: [{ id: 'typo', command: TOPIC, field: 'Nmae', in: ['x'], refuse: { code: 10101 } }] });

/** The policy files the command is given, removed after the file's tests. */
const files = mkdtempSync(join(tmpdir(), 'policy-deploy-'));
let moto: MotoServer;
let standIn: AppConfigControlStandIn;
let appConfig: AppConfigClient;
let target: PolicyTarget;

beforeAll(async () => {
  moto = await startMotoServer();
  standIn = await startAppConfigControlStandIn({
    moto: moto.endpoint,
    environmentId: 'env0001',
    strategyId: 'str0001',
    // What AppConfig does with the profile's validator function: invoke it with the version, base64.
    validate: (content) => validator({ content: Buffer.from(content).toString('base64') }),
  });
  appConfig = new AppConfigClient({ endpoint: standIn.endpoint, region: motoRegion, credentials: motoCredentials });
  const application = await appConfig.send(new CreateApplicationCommand({ Name: 'ImPolicyConfig' }));
  const profile = await appConfig.send(new CreateConfigurationProfileCommand({ ApplicationId: application.Id!, Name: 'policy', LocationUri: 'hosted' }));
  target = { applicationId: application.Id!, profileId: profile.Id!, environmentId: 'env0001', strategyId: 'str0001' };
}, 60_000);

afterAll(async () => {
  rmSync(files, { recursive: true, force: true });
  appConfig?.destroy();
  await standIn?.close();
  await moto?.close();
});

const hosted = (version: number) =>
  appConfig.send(
    new GetHostedConfigurationVersionCommand({ ApplicationId: target.applicationId, ConfigurationProfileId: target.profileId, VersionNumber: version }),
  );

describe('npm run policy -- --deploy, through the AWS SDK', () => {
  test('a policy becomes a hosted version, passes the validator, and is deployed until COMPLETE', async () => {
    standIn.rollout(['DEPLOYING', 'BAKING', 'COMPLETE']);
    const lines: string[] = [];
    const done = await deployPolicy({ text: good, target, appConfig, wait: true, pollMs: 1, log: (line) => lines.push(line) });
    expect(done.state).toBe('COMPLETE');
    expect(new TextDecoder().decode((await hosted(done.version)).Content)).toBe(good);
    expect(lines).toEqual([
      `Version ${done.version} of profile policy (application ${target.applicationId}) created.`,
      `Version ${done.version} passed the stack's validator.`,
      `Deployment ${done.deployment} started (DEPLOYING); the function picks the policy up within its refresh interval.`,
      `Deployment ${done.deployment}: BAKING (50%)`,
      `Deployment ${done.deployment}: COMPLETE (100%)`,
    ]);
  });

  test('a version the validator refuses is deleted, and the refusal names the rule and the reason', async () => {
    const before = standIn.requests.length;
    const refused = deployPolicy({ text: bad, target, appConfig, wait: true, pollMs: 1, log: () => undefined });
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(`rules.0.field: field "Nmae" is not in ${TOPIC}'s body (rule 0)`);
    const message = await refused.then(
      () => '',
      (error: Error) => error.message,
    );
    const version = Number(message.match(/refused version (\d+)/)?.[1]);
    await expect(hosted(version)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(standIn.requests.slice(before).some((request) => request.endsWith('/deployments'))).toBe(false);
  });

  test('a deployment rolled back by the alarm fails, saying the previous policy is in force', async () => {
    standIn.rollout(['DEPLOYING', 'ROLLED_BACK']);
    await expect(deployPolicy({ text: good, target, appConfig, wait: true, pollMs: 1, log: () => undefined })).rejects.toThrow(
      /Deployment \d+ was rolled back: the FunctionErrors alarm fired while it baked\. The previous policy is in force\./,
    );
  });

  test('--no-wait returns once the deployment started', async () => {
    standIn.rollout(['DEPLOYING']);
    const started = await deployPolicy({ text: good, target, appConfig, wait: false, log: () => undefined });
    expect(started.state).toBe('DEPLOYING');
  });
});

describe('the stack lookup, on moto’s CloudFormation', () => {
  test('a stack without a policy profile, or no such stack: one line that says so', async () => {
    const cloudFormation = new CloudFormationClient({ endpoint: moto.endpoint, region: motoRegion, credentials: motoCredentials });
    try {
      await cloudFormation.send(
        new CreateStackCommand({ StackName: 'Plain', TemplateBody: JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } }) }),
      );
      await expect(findPolicyTarget(cloudFormation, 'Plain')).rejects.toThrow(
        'stack Plain has no policy AppConfig application: was it deployed with policyFromAppConfig: false?',
      );
      await expect(findPolicyTarget(cloudFormation, 'Missing')).rejects.toThrow(
        /^CloudFormation ListStackResources \(stack Missing\) failed: ValidationError: /,
      );
    } finally {
      cloudFormation.destroy();
    }
  });
});

describe('the command', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(files, 'file-')), 'policy.json');
    writeFileSync(path, text);
    return path;
  };
  const environment = () => ({
    ...moto.environment(),
    AWS_ENDPOINT_URL_APPCONFIG: standIn.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: standIn.endpoint,
  });

  test('a bad document is refused before any call to AWS, with the rule and the reason', async () => {
    const before = standIn.requests.length;
    const run = runScript('cli/policy.ts', ['--deploy', file(bad), '--stack', 'Plain'], environment());
    const failed = (await run.then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    ))!;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('is refused:');
    expect(failed.stderr).toContain(`rules.0.field: field "Nmae" is not in ${TOPIC}'s body (rule 0)`);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(standIn.requests.slice(before)).toEqual([]);
  });

  test('a good document goes to AWS: the stack is looked up first, and its failure is one line', async () => {
    const before = standIn.requests.length;
    const failed = (await runScript('cli/policy.ts', ['--deploy', file(good), '--stack', 'Missing'], environment()).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    ))!;
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toMatch(/^CloudFormation ListStackResources \(stack Missing\) failed: ValidationError: [^\n]+$/);
    expect(standIn.requests.slice(before)).toEqual(['POST /']);
  });
});
