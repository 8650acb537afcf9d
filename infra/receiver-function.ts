import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, type ILayerVersion, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFunctionOutsideVpc, acknowledgeLogGroup } from './control-tower-acknowledgements.ts';

const depsLockFilePath = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/** The receiver's Lambda entry points, under functions/. */
export const entries = {
  callback: fileURLToPath(new URL('../functions/callback/handler.ts', import.meta.url)),
  drain: fileURLToPath(new URL('../functions/drain/handler.ts', import.meta.url)),
  fanOut: fileURLToPath(new URL('../functions/fan-out/handler.ts', import.meta.url)),
  state: fileURLToPath(new URL('../functions/synced-view/handler.ts', import.meta.url)),
} as const;

export interface ReceiverFunctionProps {
  /** Which handler: the callback receiver, the fallback queue's drain, or one of the stream's consumers (fan-out, state). Required. */
  readonly entry: keyof typeof entries;
  /** The function's environment (functions/shared/function-environment.ts, the settings' variables). Required. */
  readonly environment: Record<string, string>;
  /** Memory in MB; Lambda gives CPU in proportion, which mostly shortens the cold start. @default 512 */
  readonly memorySize?: number;
  /**
   * Tencent waits 2 s for an answer, then gives up; an after-event's write should still finish (and
   * be stored) when DynamoDB or a cold start is slow, so the callback function may outlive the wait.
   * @default 10 seconds
   */
  readonly timeout?: Duration;
  /** A ceiling on concurrent executions, and so on what a flood can cost. @default - none (the account's pool) */
  readonly reservedConcurrency?: number;
  /** X-Ray tracing, through Powertools Tracer. @default true */
  readonly tracing?: boolean;
  /** Layers with files the handler reads (the policy). @default - none */
  readonly layers?: ILayerVersion[];
}

/**
 * A receiver handler as a Lambda function with the project's defaults baked in (Node 24, arm64, ESM
 * bundle with the SDK inside, X-Ray), a role of its own and a log group kept 30 days.
 */
export class ReceiverFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReceiverFunctionProps) {
    super(scope, id);

    // Explicit, so the retention is set from the first deployment instead of Lambda's never-expiring default.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeLogGroup(this.logGroup);

    // A role of our own instead of the one Lambda would make with AWSLambdaBasicExecutionRole, which
    // lets it create and write to any log group (cdk-nag AwsSolutions-IAM4): this one may write only
    // to the function's own log group, which already exists, so it needs no logs:CreateLogGroup.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: entries[props.entry],
      handler: 'handler',
      depsLockFilePath,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrency,
      timeout: props.timeout ?? Duration.seconds(10),
      // The Tracer reads POWERTOOLS_TRACE_ENABLED itself, so switching tracing off stops it too.
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      environment: { ...props.environment, POWERTOOLS_TRACE_ENABLED: String(props.tracing !== false) },
      logGroup: this.logGroup,
      layers: props.layers,
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
    acknowledgeFunctionOutsideVpc(this.function);
    if (props.tracing !== false) {
      // Lambda adds xray:PutTraceSegments and xray:PutTelemetryRecords to the role's default policy;
      // X-Ray offers no resource to narrow them to (test/infra/cdk-nag.test.ts checks nothing else is on *).
      Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so tracing needs Resource: *.",
      });
    }
  }
}
