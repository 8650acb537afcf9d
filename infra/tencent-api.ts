import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { TencentApiProps } from './receiver-props.ts';

/**
 * Gives a function (the canary's, the reconciliation's) Tencent's REST API: the environment
 * functions/tencent/tencent-environment.ts reads, and the right to read the credentials' secret.
 */
export function useTencentApi(fn: lambda.Function, api: TencentApiProps): void {
  api.credentials.grantRead(fn);
  fn.addEnvironment('TENCENT_CREDENTIALS_SECRET', api.credentials.secretArn);
  if (api.domain !== undefined) fn.addEnvironment('TENCENT_DOMAIN', api.domain);
}
