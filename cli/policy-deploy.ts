import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppConfigClient,
  BadRequestException,
  CreateHostedConfigurationVersionCommand,
  DeleteHostedConfigurationVersionCommand,
  GetDeploymentCommand,
  StartDeploymentCommand,
  ValidateConfigurationCommand,
} from '@aws-sdk/client-appconfig';
import { type CloudFormationClient, paginateListStackResources, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { POLICY_PROFILE_NAME } from '../infra/policy-profile.ts';
import { UsageError } from './fail.ts';

/**
 * `npm run policy -- --deploy FILE --stack NAME`: a checked policy pushed to the receiver's AppConfig
 * profile without a deploy (docs/policy.md#without-a-deploy), with the AWS SDK and your credentials
 * (the same steps as the AWS CLI lines docs/policy.md gives):
 *
 *   1. the stack's AppConfig application, environment, profile and strategy (ListStackResources,
 *      which pages; DescribeStackResources stops at 100 resources, fewer than a receiver's stack has);
 *   2. a new hosted configuration version, then ValidateConfiguration: AppConfig runs the stack's
 *      validator function on it (functions/policy-validator/handler.ts). A refused version is
 *      deleted, so the profile's list of versions holds no document that cannot be deployed;
 *   3. a deployment of that version with the receiver's strategy; unless --no-wait, its state until it
 *      ends (COMPLETE, or ROLLED_BACK when the FunctionErrors alarm fired during the bake).
 *
 * The file has already passed the same checks here (cli/policy-file.ts): a bad document never gets
 * as far as a call to AWS. AWS's own failures (credentials, permissions, a missing stack) end in one
 * line naming the call, never a stack trace.
 */

export interface PolicyTarget {
  readonly applicationId: string;
  readonly environmentId: string;
  readonly profileId: string;
  readonly strategyId: string;
}

type StackResource = Pick<StackResourceSummary, 'ResourceType' | 'PhysicalResourceId' | 'LogicalResourceId'>;

/** The receiver's AppConfig resources among a stack's; a stack of several receivers must say which (`--receiver`, a logical id prefix). */
export function policyTarget(resources: readonly StackResource[], stack: string, receiver?: string): PolicyTarget {
  const of = (type: string) =>
    resources.filter((resource) => resource.ResourceType === type && (receiver === undefined || (resource.LogicalResourceId ?? '').startsWith(receiver)));
  const applications = of('AWS::AppConfig::Application');
  if (applications.length === 0) {
    throw new UsageError(
      `stack ${stack} has no policy AppConfig application${receiver === undefined ? '' : ` under ${receiver}`}: was it deployed with policyFromAppConfig: false?`,
    );
  }
  if (applications.length > 1) {
    throw new UsageError(
      `stack ${stack} has ${applications.length} receivers' policies: name one with --receiver (${applications.map((app) => app.LogicalResourceId).join(', ')})`,
    );
  }
  const physical = (type: string) => {
    const found = of(type)[0]?.PhysicalResourceId;
    if (found === undefined || found === '') throw new UsageError(`stack ${stack} has no ${type} for the policy`);
    // Some AppConfig resources' physical ids are `application/resource`: the last part is the resource's.
    return found.split('/').at(-1)!;
  };
  return {
    applicationId: physical('AWS::AppConfig::Application'),
    environmentId: physical('AWS::AppConfig::Environment'),
    profileId: physical('AWS::AppConfig::ConfigurationProfile'),
    strategyId: physical('AWS::AppConfig::DeploymentStrategy'),
  };
}

/** An AWS call whose failure is one line naming it (a UsageError: the user's credentials, permissions or names). */
async function call<T>(name: string, made: Promise<T>): Promise<T> {
  try {
    return await made;
  } catch (error) {
    throw failure(name, error);
  }
}

function failure(name: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  const failed = error as Error;
  return new UsageError(`${name} failed: ${failed.name === 'Error' ? '' : `${failed.name}: `}${failed.message}`);
}

/** The stack's receiver's AppConfig ids, from its resources (every page of them). */
export async function findPolicyTarget(cloudFormation: CloudFormationClient, stack: string, receiver?: string): Promise<PolicyTarget> {
  const resources: StackResource[] = [];
  await call(
    `CloudFormation ListStackResources (stack ${stack})`,
    (async () => {
      for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stack }))
        resources.push(...(page.StackResourceSummaries ?? []));
    })(),
  );
  return policyTarget(resources, stack, receiver);
}

export interface DeployOptions {
  /** The document, already checked (cli/policy-file.ts). */
  readonly text: string;
  readonly target: PolicyTarget;
  readonly appConfig: AppConfigClient;
  readonly wait: boolean;
  readonly log: (line: string) => void;
  /** Between two looks at a deployment, ms. Default: 10 s. */
  readonly pollMs?: number;
}

/** The deployment's end: COMPLETE, or the state it was rolled back or reverted in (then the previous policy is in force). */
export async function deployPolicy(options: DeployOptions): Promise<{ readonly version: number; readonly deployment: number; readonly state: string }> {
  const { appConfig, target } = options;
  const created = await call(
    'AppConfig CreateHostedConfigurationVersion',
    appConfig.send(
      new CreateHostedConfigurationVersionCommand({
        ApplicationId: target.applicationId,
        ConfigurationProfileId: target.profileId,
        Content: new TextEncoder().encode(options.text),
        ContentType: 'application/json',
        Description: 'npm run policy -- --deploy',
      }),
    ),
  );
  const version = created.VersionNumber!;
  options.log(`Version ${version} of profile ${POLICY_PROFILE_NAME} (application ${target.applicationId}) created.`);
  try {
    await appConfig.send(
      new ValidateConfigurationCommand({
        ApplicationId: target.applicationId,
        ConfigurationProfileId: target.profileId,
        ConfigurationVersion: String(version),
      }),
    );
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw failure('AppConfig ValidateConfiguration', error);
    await appConfig
      .send(
        new DeleteHostedConfigurationVersionCommand({ ApplicationId: target.applicationId, ConfigurationProfileId: target.profileId, VersionNumber: version }),
      )
      .catch(() => undefined);
    const reasons = (error.Details?.InvalidConfiguration ?? []).map((detail) => detail.Reason).filter((reason) => reason !== undefined);
    throw new UsageError(`The stack's validator refused version ${version}, which was deleted: ${[error.message, ...reasons].join('\n  ')}`);
  }
  options.log(`Version ${version} passed the stack's validator.`);
  const started = await call(
    'AppConfig StartDeployment',
    appConfig.send(
      new StartDeploymentCommand({
        ApplicationId: target.applicationId,
        EnvironmentId: target.environmentId,
        ConfigurationProfileId: target.profileId,
        ConfigurationVersion: String(version),
        DeploymentStrategyId: target.strategyId,
        Description: 'npm run policy -- --deploy',
      }),
    ),
  );
  const deployment = started.DeploymentNumber!;
  let state = started.State ?? 'DEPLOYING';
  options.log(`Deployment ${deployment} started (${state}); the function picks the policy up within its refresh interval.`);
  if (!options.wait) return { version, deployment, state };
  while (!['COMPLETE', 'ROLLED_BACK', 'REVERTED'].includes(state)) {
    await sleep(options.pollMs ?? 10_000);
    const now = await call(
      'AppConfig GetDeployment',
      appConfig.send(new GetDeploymentCommand({ ApplicationId: target.applicationId, EnvironmentId: target.environmentId, DeploymentNumber: deployment })),
    );
    if (now.State !== state)
      options.log(`Deployment ${deployment}: ${now.State}${now.PercentageComplete === undefined ? '' : ` (${now.PercentageComplete}%)`}`);
    state = now.State ?? state;
  }
  if (state !== 'COMPLETE') {
    throw new UsageError(
      `Deployment ${deployment} was ${state.toLowerCase().replace('_', ' ')}: the FunctionErrors alarm fired while it baked. The previous policy is in force.`,
    );
  }
  return { version, deployment, state };
}
