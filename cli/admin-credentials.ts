/**
 * Where a command that calls Tencent's REST API (`reconcile`, `doctor`) takes the app's admin
 * credentials from, as `npm run tencent` does (docs/tencent-rest.md#credentials): `--secret NAME|ARN`
 * (read with the user's AWS credentials), or for local use IM_ADMIN_IDENTIFIER and IM_SECRET_KEY
 * with `--app SDKAPPID` (or IM_SDKAPPIDS holding one id).
 */
import * as v from 'valibot';
import { sdkAppId } from '../functions/shared/sdk-app-id.ts';
import { credentialsFromEnvironment, readCredentialsSecret, type TencentCredentials } from '../functions/tencent/tencent-credentials.ts';
import { UsageError } from './fail.ts';

export interface AdminCredentialOptions {
  readonly secret?: string;
  readonly app?: string;
}

export const adminCredentialsUsage = `Credentials, an App admin account of the app and its key (docs/tencent-rest.md#credentials):
  --secret NAME|ARN     a Secrets Manager secret holding {"sdkAppId","identifier","secretKey"}, read
                        with your AWS credentials (region: the ARN's, else the SDK's default)
  or, for local use only, IM_ADMIN_IDENTIFIER and IM_SECRET_KEY in the environment, with
  --app SDKAPPID        the SDKAppID (default: IM_SDKAPPIDS when it holds one)`;

export async function adminCredentials(options: AdminCredentialOptions, env: NodeJS.ProcessEnv = process.env): Promise<TencentCredentials> {
  if (options.app !== undefined && !v.is(sdkAppId, options.app)) throw new UsageError(`--app ${options.app}: must be an SDKAppID, a number such as 1400000000`);
  if (options.secret !== undefined) {
    const fromSecret = await readCredentialsSecret(options.secret);
    if (options.app !== undefined && options.app !== fromSecret.sdkAppId) {
      throw new UsageError(`--app ${options.app} is not the SDKAppID in the Secrets Manager secret ${options.secret} (${fromSecret.sdkAppId})`);
    }
    return fromSecret;
  }
  if (options.app !== undefined) return credentialsFromEnvironment(env, options.app, '--app');
  const ids = (env.IM_SDKAPPIDS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 1 && v.is(sdkAppId, ids[0])) return credentialsFromEnvironment(env, ids[0]!, 'IM_SDKAPPIDS');
  throw new UsageError(`Give --secret (a Secrets Manager secret with the admin credentials), or --app SDKAPPID with IM_ADMIN_IDENTIFIER and IM_SECRET_KEY`);
}
