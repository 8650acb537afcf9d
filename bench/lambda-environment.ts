import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployedFunction } from './deployed-function.ts';

/**
 * A setting that points into /opt (`IM_POLICY=@/opt/…`, the policy layer's file) is pointed at the
 * layer's asset in the assembly instead, where Lambda would have unpacked it.
 */
function fromLayers(value: string, layers: readonly string[]): string {
  const match = /^(@?)\/opt\/(.+)$/.exec(value);
  if (match === null) return value;
  const found = layers.map((layer) => join(layer, match[2]!)).find((file) => existsSync(file));
  return found === undefined ? value : `${match[1]}${found}`;
}

/** What stands in locally for the AWS services the function uses. */
export interface LocalServices {
  /** The embedded store's endpoint and table (local/embedded-store.ts's LOCAL_TABLE_NAME). */
  readonly storeEndpoint: string;
  readonly tableName: string;
  /** The X-Ray daemon stub (xray-daemon.ts). */
  readonly xrayDaemonAddress: string;
  /** A local SQS (fauxqs) and the fallback queue's URL in it: the deployed function always has one (the local server's rows need none). */
  readonly sqsEndpoint?: string;
  readonly fallbackQueueUrl?: string;
}

export interface LambdaEnvironment {
  readonly env: Record<string, string>;
  /** The function's own variables (the settings), without Lambda's: what `npm start` would be given. */
  readonly functionVariables: Record<string, string>;
  /** Variables CloudFormation fills in at deploy time that have no local stand-in, left unset. */
  readonly dropped: string[];
}

/**
 * The environment a child gets: the function's own variables as synthesized, with the deploy-time
 * table name pointed at the local store, plus what Lambda itself sets. Nothing is inherited but PATH,
 * so a developer's NODE_OPTIONS or AWS profile cannot change the figures.
 */
export function lambdaEnvironment(deployed: DeployedFunction, local: LocalServices): LambdaEnvironment {
  const localValues: Record<string, string | undefined> = { EVENTS_TABLE_NAME: local.tableName, FALLBACK_QUEUE_URL: local.fallbackQueueUrl };
  const functionVariables: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(deployed.environment)) {
    const local = value === null ? localValues[name] : fromLayers(value, deployed.layers);
    // E.g. a token secret's ARN: there is no Secrets Manager here, so the handler runs without one.
    if (local === undefined) dropped.push(name);
    else functionVariables[name] = local;
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // What the Lambda runtime sets, as far as the handler, the SDK or Powertools read it. The children
    // add LAMBDA_TASK_ROOT (the bundle's directory) and, per invocation, _X_AMZN_TRACE_ID.
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: `AWS_Lambda_${deployed.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(deployed.memorySize),
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: local.xrayDaemonAddress,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    // Dummy credentials and no shared config files: the local store checks neither.
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_ENDPOINT_URL_DYNAMODB: local.storeEndpoint,
    ...(local.sqsEndpoint === undefined ? {} : { AWS_ENDPOINT_URL_SQS: local.sqsEndpoint }),
    ...functionVariables,
  };
  return { env, functionVariables, dropped };
}
