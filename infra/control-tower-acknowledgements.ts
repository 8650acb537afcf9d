/**
 * The Control Tower proactive controls (cfn-guard, test/infra/cfn-guard.test.ts) that this stack does
 * not meet by design, acknowledged beside each resource through the same Validations API as cdk-nag's
 * findings. The reasons are written once here; each construct calls the one that applies to it.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const rule = (name: string) => `cdk-validator-cfnguard::${name}`;

/** A function's or the API's log group: kept 30 days, encrypted by CloudWatch Logs' own key. */
export function acknowledgeLogGroup(logGroup: IConstruct): void {
  Validations.of(logGroup).acknowledge({
    id: rule('cloudwatch_log_group_retention_period_check'),
    reason:
      'Kept 30 days on purpose (CT.CLOUDWATCH.PR.2 asks for a year): the records name member accounts and, at DEBUG, carry bodies; the events themselves are in the table for eventRetentionDays.',
  });
  acknowledgeLogGroupEncryption(logGroup);
}

function acknowledgeLogGroupEncryption(logGroup: IConstruct): void {
  Validations.of(logGroup).acknowledge({
    id: rule('cloudwatch_log_group_encrypted_check'),
    reason:
      'CloudWatch Logs encrypts every log group at rest with its own key; a customer-managed KMS key (CT.CLOUDWATCH.PR.3) would add a key policy and a monthly cost for no reader we need to keep out.',
  });
}

/** A Lambda function, outside any VPC. */
export function acknowledgeFunctionOutsideVpc(fn: IConstruct): void {
  Validations.of(fn).acknowledge({
    id: rule('lambda_inside_vpc_check'),
    reason:
      'The function talks only to DynamoDB, SQS, Secrets Manager and X-Ray over their public, IAM-authenticated endpoints; a VPC (CT.LAMBDA.PR.3) would need NAT or endpoints and slow cold starts, and protect nothing here.',
  });
}

/**
 * How the function authenticates a callback with the settings in use: with a token (the default),
 * by SDKAppID and Sign; without one (`unsignedCallbacks=true`), by SDKAppID alone. Both checkers'
 * reasons for the open route say it, so neither claims a Sign check that is not there.
 */
export function callbackAuthentication(signed: boolean): string {
  return signed
    ? 'The function authenticates every request before acting on it: the SDKAppID must be one of sdkAppIds, and Sign must equal ' +
        'SHA-256(token + RequestTime), the token read from the tokenSecret secret, with RequestTime inside the signWindowSeconds window ' +
        '(functions/callback/middlewares/verify-sign.ts).'
    : 'The deployer opted out of the callback token (unsignedCallbacks=true, which synth warns about): the function checks only that the ' +
        'SDKAppID is one of sdkAppIds, a number every client of the app carries, so anyone who learns the URL can post events.';
}

/** The callback route, which Tencent calls with no credentials, and its permission to invoke the function. */
export function acknowledgeOpenCallbackRoute(route: IConstruct, signed: boolean): void {
  Validations.of(route).acknowledge({
    id: rule('api_gw_v2_authorization_type_configured_check'),
    reason: `Tencent Cloud Chat can send no IAM signature, JWT or custom header (CT.APIGATEWAY.PR.5). ${callbackAuthentication(signed)}`,
  });
  Validations.of(route).acknowledge({
    id: rule('lambda_function_public_access_prohibited_check'),
    reason:
      "The permission names API Gateway's principal and a SourceArn of this API's route (CT.LAMBDA.PR.2 is met); the rule cannot read a SourceArn built with Fn::Join, which is how CloudFormation writes an ARN with the account and region.",
  });
}

/** A table of the stack (the events, the synced view), encrypted with DynamoDB's own key. */
export function acknowledgeTableEncryption(table: IConstruct): void {
  Validations.of(table).acknowledge({
    id: rule('dynamodb_table_encrypted_kms_check'),
    reason:
      "DynamoDB encrypts every table at rest with an AWS owned key; a KMS key (CT.DYNAMODB.PR.2) would bill a KMS request on every write, with only the stack's functions able to write or read it anyway.",
  });
}

/** A stream consumer's on-failure destination: where Lambda leaves what it gave up on, for a person. */
export function acknowledgeLastStopQueue(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: rule('sqs_dlq_check'),
    reason:
      "It is the last stop (CT.SQS.PR.1): Lambda's on-failure destination for stream batches it gave up on, read by a person (alarmed) and never consumed, so a dead-letter queue behind it would receive nothing.",
  });
}

/**
 * The fallback queue's dead-letter queue, whose RedriveAllowPolicy (byQueue, the fallback queue
 * alone) is set by a custom resource once both queues exist (infra/redrive-allow-policy.ts says why).
 */
export function acknowledgeDeadLetterQueueAllowPolicySetLater(queue: IConstruct): void {
  Validations.of(queue).acknowledge({
    id: rule('sqs_dlq_check'),
    reason:
      "It is a dead-letter queue (CT.SQS.PR.1 is met): the fallback queue's RedrivePolicy names it, and its RedriveAllowPolicy, byQueue with the fallback queue alone, is set by the " +
      'RedriveAllowPolicy custom resource once both queues exist, so the rule cannot see it. Declared here, it would name the fallback queue by reference (a circle CloudFormation refuses) ' +
      'or by a fixed name (which replaces the deployed queue, stranding the events in it); declaring allowAll instead would state the very permission the custom resource takes away.',
  });
}

/**
 * The provider function of the custom resource that sets the dead-letter queue's redrive allow
 * policy (infra/redrive-allow-policy.ts), and its log group: it runs only during a deploy, for one
 * SQS call.
 */
export function acknowledgeRedriveAllowPolicyProvider(fn: IConstruct, logGroup: IConstruct): void {
  Validations.of(fn).acknowledge({
    id: rule('lambda_inside_vpc_check'),
    reason:
      "It runs only during a deploy, to make one SQS SetQueueAttributes call over SQS's public, IAM-authenticated endpoint; a VPC (CT.LAMBDA.PR.3) would need NAT or an SQS endpoint for that call, and protect nothing.",
  });
  Validations.of(logGroup).acknowledge({
    id: rule('cloudwatch_log_group_retention_period_check'),
    reason:
      "Kept 30 days, like the stack's other logs (CT.CLOUDWATCH.PR.2 asks for a year): it records only the SetQueueAttributes call each deploy makes and SQS's answer, queue URLs and ARNs that the template holds too.",
  });
  acknowledgeLogGroupEncryption(logGroup);
}
