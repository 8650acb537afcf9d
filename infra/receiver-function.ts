import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeFunctionOutsideVpc, acknowledgeLogGroup } from './control-tower-acknowledgements.ts';
import { type HandlerName, handlerCode } from './handler-code.ts';

export interface ReceiverFunctionProps {
  /** Which handler: the callback receiver, the fallback queue's drain, or one of the stream's consumers (fan-out, state). Required. */
  readonly entry: HandlerName;
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
  readonly layers?: lambda.ILayerVersion[];
  /** How long its log group keeps the records. Required: the receiver's `logRetention`. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * A receiver handler as a Lambda function with the project's defaults baked in (Node 24, arm64, its
 * prebuilt ESM bundle with the SDK inside, X-Ray), a role of its own and a log group of its own.
 */
export class ReceiverFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReceiverFunctionProps) {
    super(scope, id);

    // Explicit, so the retention is set from the first deployment instead of Lambda's never-expiring default.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeLogGroup(this.logGroup);

    // A role of our own instead of the one Lambda would make with AWSLambdaBasicExecutionRole, which
    // lets it create and write to any log group (cdk-nag AwsSolutions-IAM4): this one may write only
    // to the function's own log group, which already exists, so it needs no logs:CreateLogGroup.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    this.function = new lambda.Function(this, 'Function', {
      code: handlerCode(props.entry),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrency,
      timeout: props.timeout ?? Duration.seconds(10),
      // The Tracer reads POWERTOOLS_TRACE_ENABLED itself, so switching tracing off stops it too.
      tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      environment: { ...props.environment, POWERTOOLS_TRACE_ENABLED: String(props.tracing !== false) },
      logGroup: this.logGroup,
      layers: props.layers,
      role,
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
