/**
 * A deployed stack's outputs by name (DescribeStacks), for `listen` and `doctor`: where its bus, tables,
 * queues and dashboard are. The stack's own outputs are infra/callback-stack.ts's; a stack of the
 * user's own app has those it chose.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { UsageError } from './fail.ts';
import { regionConfig } from './stack-options.ts';

export interface DeployedStack {
  readonly name: string;
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** The stack, or a UsageError naming it and where it was looked for. */
export async function describeStack(client: CloudFormationClient, name: string): Promise<DeployedStack> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: name }));
    const stack = Stacks?.[0];
    if (stack === undefined) throw new UsageError(`No stack ${name}`);
    const outputs = Object.fromEntries(
      (stack.Outputs ?? []).flatMap((output) => (output.OutputKey === undefined ? [] : [[output.OutputKey, output.OutputValue ?? '']])),
    );
    return { name, status: stack.StackStatus ?? 'UNKNOWN', outputs };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const { name: kind, message } = error as Error;
    if (kind === 'ValidationError' && /does not exist/.test(message)) {
      const region = await client.config.region().catch(() => 'the default region');
      throw new UsageError(`No stack ${name} in ${region}: check --stack, and --region or AWS_REGION (aws cloudformation list-stacks lists them)`);
    }
    throw new UsageError(`Could not describe the stack ${name}: ${kind}: ${message.replace(/\s+/g, ' ')}${awsHint(error as Error)}`);
  }
}

/** What to do about the AWS SDK's own set-up failures, which name no setting. */
function awsHint(error: Error): string {
  if (/Region is missing/i.test(error.message)) return ': give --region, or set AWS_REGION';
  if (error.name === 'CredentialsProviderError') return ': no AWS credentials found (aws configure, AWS_PROFILE, or aws sso login)';
  return '';
}

export const cloudFormation = (region?: string) => new CloudFormationClient(regionConfig(region));

/** Errors of the AWS SDK that the user fixes (credentials, permissions): one line, no stack trace. */
export const isAwsUserError = (error: Error) =>
  /Credentials|AccessDenied|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|NotAuthorized/i.test(error.name) ||
  /could not load credentials/i.test(error.message);
