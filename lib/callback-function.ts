import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../functions/callback/handler.ts', import.meta.url));
const depsLockFilePath = fileURLToPath(new URL('../package-lock.json', import.meta.url));

export interface CallbackFunctionProps {
  /** The function's environment: EVENTS_TABLE_NAME and the settings variables. Required. */
  readonly environment: Record<string, string>;
  /** Memory in MB; Lambda gives CPU in proportion, which mostly shortens the cold start. @default 512 */
  readonly memorySize?: number;
  /** A ceiling on concurrent executions, and so on what a flood can cost. @default - none (the account's pool) */
  readonly reservedConcurrency?: number;
  /** X-Ray tracing, through Powertools Tracer. @default true */
  readonly tracing?: boolean;
}

/**
 * The callback handler (functions/callback/handler.ts) as a Lambda function with the project's
 * defaults baked in, and a log group of its own kept 30 days.
 */
export class CallbackFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CallbackFunctionProps) {
    super(scope, id);

    // Explicit, so the retention is set from the first deployment instead of Lambda's never-expiring default.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role of our own instead of the one Lambda would make with AWSLambdaBasicExecutionRole, which
    // lets it create and write to any log group (cdk-nag AwsSolutions-IAM4): this one may write only
    // to the function's own log group, which already exists, so it needs no logs:CreateLogGroup.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      depsLockFilePath,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrency,
      // Tencent waits 2 s for an answer, then gives up; an after-event's write should still finish
      // (and be stored) when DynamoDB or a cold start is slow, so the function may outlive the wait.
      timeout: Duration.seconds(10),
      // The Tracer reads POWERTOOLS_TRACE_ENABLED itself, so switching tracing off stops it too.
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      environment: { ...props.environment, POWERTOOLS_TRACE_ENABLED: String(props.tracing !== false) },
      logGroup: this.logGroup,
      role,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled rather than taken from the runtime, so the bundle tests run is the
        // bundle that deploys, whatever SDK version the runtime happens to ship.
        externalModules: [],
        // Bundled CommonJS dependencies call require(), which an ES module does not have.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    if (props.tracing !== false) {
      // Lambda adds xray:PutTraceSegments and xray:PutTelemetryRecords to the role's default policy;
      // X-Ray offers no resource to narrow them to (test/lib/cdk-nag.test.ts checks nothing else is on *).
      Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so tracing needs Resource: *.",
      });
    }
  }
}
