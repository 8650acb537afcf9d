import * as v from 'valibot';
import { domainProblem } from './rest-domains.ts';

/**
 * What the stack tells a function that calls Tencent's REST API (the canary, the reconciliation):
 * where the admin credentials are and which data centre to call. Read by the handlers, written by
 * infra/tencent-api.ts, so both use the same names.
 */
export const TencentApiEnvironmentSchema = v.object({
  /** The Secrets Manager secret (ARN) holding {"sdkAppId","identifier","secretKey"} (docs/tencent-rest.md#credentials). */
  TENCENT_CREDENTIALS_SECRET: v.pipe(v.string('TENCENT_CREDENTIALS_SECRET must name the credentials secret'), v.nonEmpty()),
  /** The REST domain: a region name (`singapore`) or a host name; absent, `china`. */
  TENCENT_DOMAIN: v.optional(
    v.pipe(
      v.string(),
      v.check((domain) => domainProblem(domain) === undefined, 'TENCENT_DOMAIN must be a REST region name or a host name'),
    ),
  ),
  /** Another REST endpoint (a stand-in's), for tests: overrides the domain. */
  TENCENT_BASE_URL: v.optional(v.pipe(v.string(), v.url())),
});

/** How the deployed functions' errors name the settings a wrong value came from. */
export const deployedSettingNames = { domain: 'tencentDomain (the data centre the SDKAppID was created in)' } as const;
