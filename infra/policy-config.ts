import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Policy } from '../functions/policy/policy-schema.ts';
import type { CallbackEnvironment } from '../functions/shared/function-environment.ts';
import { type Settings, settingVariables } from '../functions/shared/settings.ts';
import { POLICY_PROFILE_NAME } from './policy-profile.ts';
import { ReceiverFunction } from './receiver-function.ts';

/** The environment's name: one per receiver, its application is the receiver's own. */
export const POLICY_ENVIRONMENT_NAME = 'receiver';

export interface PolicyConfigProps {
  /** The validated policy: the first version of the profile, and the layer's copy's twin. Required. */
  readonly policy: Policy;
  readonly settings: Pick<Settings, 'policyDeadlineMs'>;
  /** The function that reads the profile. Required. */
  readonly callbackFunction: lambda.Function;
  /** The alarm a rollout is rolled back on (FunctionErrors): it is quiet on missing data, so a quiet receiver does not roll back. Required. */
  readonly rollbackAlarm: cloudwatch.IAlarm;
  readonly tracing: boolean;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The policy as an AppConfig hosted configuration (docs/policy.md#without-a-deploy): an application
 * and an environment of the receiver's, the `policy` profile with the receiver's own validator
 * function (the same checks as synth and the function: functions/policy-validator/handler.ts;
 * AppConfig's JSON Schema validator takes draft-04 only, which says too little), a deployment
 * strategy, and the FunctionErrors alarm as the environment's monitor, so a version that makes the
 * function fail is rolled back. The stack's policy is the first version; `npm run policy -- --deploy`
 * pushes later ones without a deploy. The function is told where the profile is and may read it.
 */
export class PolicyConfig extends Construct {
  readonly application: appconfig.Application;
  readonly environment: appconfig.Environment;
  readonly profile: appconfig.HostedConfiguration;
  readonly deploymentStrategy: appconfig.DeploymentStrategy;
  readonly validator: lambda.Function;

  constructor(scope: Construct, id: string, props: PolicyConfigProps) {
    super(scope, id);
    const validator = new ReceiverFunction(this, 'Validator', {
      entry: 'policyValidator',
      environment: { [settingVariables.policyDeadlineMs]: String(props.settings.policyDeadlineMs) },
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: props.tracing,
      logRetention: props.logRetention,
    });
    this.validator = validator.function;
    // Named, so the function can be told where the policy is by name: its ids would make the
    // function depend on the environment, which depends (its monitor) on an alarm on the function.
    const applicationName = Names.uniqueResourceName(this, { maxLength: 64 });
    this.application = new appconfig.Application(this, 'Application', {
      applicationName,
      description: 'The Tencent IM callback receiver’s before-callback policy',
    });
    this.environment = new appconfig.Environment(this, 'Environment', {
      application: this.application,
      environmentName: POLICY_ENVIRONMENT_NAME,
      monitors: [appconfig.Monitor.fromCloudWatchAlarm(props.rollbackAlarm, this.#monitorRole(props.rollbackAlarm))],
    });
    // All at once, then 5 minutes of watching the alarm: a policy is one document, and a bad one is
    // better rolled back everywhere than served to a share of the callbacks for 20 minutes.
    this.deploymentStrategy = new appconfig.DeploymentStrategy(this, 'Strategy', {
      rolloutStrategy: appconfig.RolloutStrategy.linear({ growthFactor: 100, deploymentDuration: Duration.minutes(0), finalBakeTime: Duration.minutes(5) }),
    });
    this.profile = new appconfig.HostedConfiguration(this, 'Profile', {
      application: this.application,
      name: POLICY_PROFILE_NAME,
      content: appconfig.ConfigurationContent.fromInlineJson(JSON.stringify(props.policy)),
      validators: [appconfig.LambdaValidator.fromFunction(this.validator)],
      deployTo: [this.environment],
      deploymentStrategy: this.deploymentStrategy,
    });
    // AppConfig invokes the validator; the permission CDK adds names no source, which AppConfig's
    // validator contract does not take.
    const permission = this.validator.node.tryFindChild('AppConfigValidatorPermission') ?? this.validator;
    Validations.of(permission).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
      reason:
        'The principal is appconfig.amazonaws.com, invoking the validator for this application’s profile; AppConfig validators are invoked without a source ARN.',
    });
    // A policy of its own on the role, not the role's default policy, which the function waits for:
    // the function must not wait for the environment (the circle above). Until it is attached, a
    // cold start serves the layer's copy, as when AppConfig cannot be reached.
    new iam.Policy(this, 'ReadPolicy', {
      roles: [props.callbackFunction.role!],
      statements: [
        new iam.PolicyStatement({
          actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
          resources: [
            Stack.of(this).formatArn({
              service: 'appconfig',
              resource: 'application',
              resourceName: `${this.application.applicationId}/environment/${this.environment.environmentId}/configuration/${this.profile.configurationProfileId}`,
            }),
          ],
        }),
      ],
    });
    const where: Pick<CallbackEnvironment, 'POLICY_APPCONFIG_APPLICATION' | 'POLICY_APPCONFIG_ENVIRONMENT' | 'POLICY_APPCONFIG_PROFILE'> = {
      POLICY_APPCONFIG_APPLICATION: applicationName,
      POLICY_APPCONFIG_ENVIRONMENT: POLICY_ENVIRONMENT_NAME,
      POLICY_APPCONFIG_PROFILE: POLICY_PROFILE_NAME,
    };
    for (const [name, value] of Object.entries(where)) props.callbackFunction.addEnvironment(name, value!);
  }

  /** The role AppConfig reads the alarm with: that alarm alone (CDK's own would allow DescribeAlarms on every alarm). */
  #monitorRole(alarm: cloudwatch.IAlarm): iam.Role {
    const role = new iam.Role(this, 'MonitorRole', { assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: [alarm.alarmArn] }));
    return role;
  }
}
