/**
 * The app's admin credentials for Tencent's REST API: the SDKAppID, an App admin account (the
 * `identifier`) and the app's secret key, from which every request's UserSig is made
 * (https://cloud.tencent.com/document/product/269/1519).
 *
 * In AWS they live in a Secrets Manager secret, JSON `{"sdkAppId","identifier","secretKey"}`, never in
 * an environment variable or a log. For local use only, IM_ADMIN_IDENTIFIER and IM_SECRET_KEY may
 * carry them (docs/tencent-rest.md#credentials). The secret key is a non-enumerable property: JSON.stringify,
 * console.log and util.inspect of the credentials leave it out, and no message here repeats it.
 */
import * as v from 'valibot';
import { sdkAppId } from '../shared/sdk-app-id.ts';
import type { CredentialSetting } from './rest-errors.ts';

export interface TencentCredentials {
  readonly sdkAppId: string;
  readonly identifier: string;
  /** Non-enumerable: read it to sign, never print it. */
  readonly secretKey: string;
  /** Where each part was read from, for errors that ask to fix one (e.g. "secretKey in secret tencent/im-admin"). */
  readonly settingNames: Readonly<Partial<Record<CredentialSetting, string>>>;
}

/** Local use only: the variables that may carry the admin account and key instead of a secret. */
export const credentialVariables = { identifier: 'IM_ADMIN_IDENTIFIER', secretKey: 'IM_SECRET_KEY' } as const;

/** A problem with where the credentials come from (a missing variable, an unreadable or malformed secret): the user's to fix. */
export class CredentialsSourceError extends Error {
  override name = 'CredentialsSourceError';
}

/** Credentials whose secret key stays out of every printout. */
export function tencentCredentials(parts: {
  sdkAppId: string;
  identifier: string;
  secretKey: string;
  settingNames?: Partial<Record<CredentialSetting, string>>;
}): TencentCredentials {
  const credentials = { sdkAppId: parts.sdkAppId, identifier: parts.identifier, settingNames: parts.settingNames ?? {} };
  Object.defineProperty(credentials, 'secretKey', { value: parts.secretKey, enumerable: false });
  return Object.freeze(credentials) as TencentCredentials;
}

/** The secret's JSON. Messages name the field, never its value. */
export const CredentialsSecretSchema = v.object({
  sdkAppId: v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.integer(), v.transform(String))], 'must be the SDKAppID, e.g. "1400000000"'),
    v.trim(),
    v.check((id) => v.is(sdkAppId, id), 'must be the SDKAppID, e.g. "1400000000"'),
  ),
  identifier: v.pipe(v.string('must be the App admin account, a string'), v.trim(), v.nonEmpty('must be the App admin account')),
  secretKey: v.pipe(v.string('must be the app key from the Chat console, a string'), v.trim(), v.nonEmpty('must be the app key from the Chat console')),
});

/** Credentials from a secret's text, or a CredentialsSourceError naming the secret and the field. */
export function credentialsFromSecretText(secretText: string, secretId: string): TencentCredentials {
  const where = `Secrets Manager secret ${secretId}`;
  let json: unknown;
  try {
    json = JSON.parse(secretText);
  } catch {
    // The text may be the key itself: say nothing of it.
    throw new CredentialsSourceError(`The ${where} must hold JSON {"sdkAppId","identifier","secretKey"}; it is not JSON`);
  }
  const parsed = v.safeParse(CredentialsSecretSchema, json);
  if (!parsed.success || Array.isArray(json)) {
    const issue = parsed.issues?.[0];
    const field = Array.isArray(json) ? undefined : issue?.path?.[0]?.key;
    const detail = field === undefined ? 'it is not a JSON object' : `its ${String(field)} ${issue!.input === undefined ? 'is missing' : issue!.message}`;
    throw new CredentialsSourceError(`The ${where} must hold JSON {"sdkAppId","identifier","secretKey"}: ${detail}`);
  }
  return tencentCredentials({
    ...parsed.output,
    settingNames: {
      sdkAppId: `sdkAppId in ${where}`,
      identifier: `identifier in ${where} (an App admin account)`,
      secretKey: `secretKey in ${where}`,
    },
  });
}

/** The region of a secret's ARN, so a secret in another region than the SDK's default is still found. */
export const regionOfSecretArn = (secretId: string): string | undefined => /^arn:[\w-]+:secretsmanager:([\w-]+):/.exec(secretId)?.[1];

/** Reads the credentials from a Secrets Manager secret (name or ARN) with the AWS SDK v3. */
export async function readCredentialsSecret(secretId: string, options: { region?: string } = {}): Promise<TencentCredentials> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const region = options.region ?? regionOfSecretArn(secretId);
  const client = new SecretsManagerClient(region === undefined ? {} : { region });
  let secretText: string | undefined;
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    secretText = answer.SecretString ?? (answer.SecretBinary === undefined ? undefined : new TextDecoder().decode(answer.SecretBinary));
  } catch (error) {
    const { name, message } = error as Error;
    throw new CredentialsSourceError(`Could not read the Secrets Manager secret ${secretId}: ${name}: ${message.replace(/\s+/g, ' ')}`, { cause: error });
  } finally {
    client.destroy();
  }
  if (secretText === undefined) throw new CredentialsSourceError(`The Secrets Manager secret ${secretId} has no value`);
  return credentialsFromSecretText(secretText, secretId);
}

/** Local use only: the admin account and key from IM_ADMIN_IDENTIFIER and IM_SECRET_KEY, for the SDKAppID given. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv, forSdkAppId: string, sdkAppIdSetting: string): TencentCredentials {
  const missing = Object.values(credentialVariables).filter((name) => (env[name] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new CredentialsSourceError(`No Tencent admin credentials: give --secret (a Secrets Manager secret), or for local use set ${missing.join(' and ')}`);
  }
  return tencentCredentials({
    sdkAppId: forSdkAppId,
    identifier: env[credentialVariables.identifier]!.trim(),
    secretKey: env[credentialVariables.secretKey]!.trim(),
    settingNames: { sdkAppId: sdkAppIdSetting, identifier: credentialVariables.identifier, secretKey: credentialVariables.secretKey },
  });
}
