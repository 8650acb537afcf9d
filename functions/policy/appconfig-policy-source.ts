import { AppConfigProvider } from '@aws-lambda-powertools/parameters/appconfig';
import { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import type { PolicyDocumentSource } from './live-policy.ts';

/** Where the policy is in AppConfig: the stack sets these (infra/policy-config.ts), ids or names. */
export interface AppConfigLocation {
  readonly application: string;
  readonly environment: string;
  readonly profile: string;
}

/**
 * The policy's hosted configuration, through Powertools Parameters' AppConfig provider (sessions,
 * single-use tokens, the empty body of an unchanged version are its business). It throws on any
 * failure and keeps no stale value: the last good policy is LivePolicy's to keep. The client tries
 * once more at most and gives up within seconds: a refresh runs beside callbacks, never before one.
 * The endpoint is the SDK's (`AWS_ENDPOINT_URL_APPCONFIGDATA` reaches a stand-in in tests).
 */
export function appConfigPolicySource(location: AppConfigLocation, client?: AppConfigDataClient): PolicyDocumentSource {
  const provider = new AppConfigProvider({
    application: location.application,
    environment: location.environment,
    awsSdkV3Client: client ?? new AppConfigDataClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } }),
  });
  return async () => (await provider.get(location.profile, { forceFetch: true })) as Uint8Array | undefined;
}
