import { createHash } from 'node:crypto';
import { type CfnResource, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeRedriveAllowPolicyProvider } from './control-tower-acknowledgements.ts';

export interface RedriveAllowPolicyProps {
  /** The dead-letter queue whose redrive allow policy is set. Required. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The one queue allowed to use it as its dead-letter queue. Required. */
  readonly sourceQueue: sqs.IQueue;
  /** How long the provider function's log group keeps its records. Required. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Limits a dead-letter queue to one source queue (RedriveAllowPolicy `byQueue`), set by SQS's
 * SetQueueAttributes once both queues exist.
 *
 * Not in the dead-letter queue's own template: the source queue names the dead-letter queue in its
 * RedrivePolicy, so the dead-letter queue naming it back by reference would be a circle
 * CloudFormation refuses, and naming it by a built ARN needs a fixed queue name, which would
 * replace a deployed queue and strand what waits in it. So the queue's template leaves the property
 * out (no value of CloudFormation's own, nor drift, to set against the one SQS holds), and this
 * custom resource, which refers to both queues and so comes after both, sets it: on create and on
 * every update.
 *
 * Nothing on delete: the dead-letter queue is retained with the stack, and one source queue is the
 * policy it should keep. Restoring allowAll would also be wrong when CloudFormation replaces this
 * resource: the old one's delete comes after the new one's create, and would undo it.
 */
export class RedriveAllowPolicy extends Construct {
  /** The custom resource that makes the call. */
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: RedriveAllowPolicyProps) {
    super(scope, id);
    const { deadLetterQueue, sourceQueue } = props;
    const setPolicy = {
      service: 'SQS',
      action: 'SetQueueAttributes',
      parameters: {
        QueueUrl: deadLetterQueue.queueUrl,
        // SQS takes the policy as a JSON string (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
        Attributes: { RedriveAllowPolicy: Stack.of(this).toJsonString({ redrivePermission: 'byQueue', sourceQueueArns: [sourceQueue.queueArn] }) },
      },
      physicalResourceId: PhysicalResourceId.of(deadLetterQueue.queueArn),
    };

    // The provider is one function per stack (a SingletonFunction, a child of the stack itself),
    // which every AwsCustomResource of the stack shares: the first one made gives it its role and
    // log group; the policy of each is attached to that role.
    const stack = Stack.of(this);
    const providerId = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const providerExists = stack.node.tryFindChild(providerId) !== undefined;
    // Its own log group and a role that may write only to it (instead of AWSLambdaBasicExecutionRole,
    // cdk-nag AwsSolutions-IAM4), as ReceiverFunction does.
    const logGroup = providerExists ? undefined : new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const role = logGroup === undefined ? undefined : new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    if (logGroup !== undefined && role !== undefined) logGroup.grantWrite(role);

    this.resource = new AwsCustomResource(this, 'Resource', {
      onCreate: setPolicy,
      onUpdate: setPolicy,
      // One action, on the dead-letter queue alone.
      policy: AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['sqs:SetQueueAttributes'], resources: [deadLetterQueue.queueArn] })]),
      role,
      logGroup,
      // The SDK in Lambda's runtime has SetQueueAttributes: nothing to download from npm at deploy time.
      installLatestAwsSdk: false,
    });

    // If CloudFormation ever updates the dead-letter queue itself (another of its properties
    // changed), the call is made again after it, whatever SQS's handler did with an attribute the
    // template does not declare: the custom resource carries a fingerprint of the queue's template,
    // which its handler ignores and CloudFormation compares.
    const cfnQueue = deadLetterQueue.node.defaultChild as CfnResource | undefined;
    if (cfnQueue !== undefined) {
      const fingerprint = Lazy.string({
        produce: () =>
          createHash('sha256')
            .update(JSON.stringify(stack.resolve(cfnQueue._toCloudFormation())))
            .digest('hex'),
      });
      (this.resource.node.findChild('Resource').node.defaultChild as CfnResource).addPropertyOverride('DeadLetterQueueTemplate', fingerprint);
    }

    if (logGroup !== undefined) acknowledgeRedriveAllowPolicyProvider(stack.node.findChild(providerId), logGroup);
  }
}
